import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import { chunkDocument } from '../../knowledge-base/documents/chunk.ts';
import { parseDocument } from '../../knowledge-base/documents/parse.ts';
import { pastDefectRecord } from './past-defect-record.ts';
import { openOfflineSystem, type OfflineSystem } from './testing/offline-system.ts';
import { reviewAnalysis } from './testing/review.ts';
import { reviewedTrainingExamples } from './training-examples.ts';

const NOTCHES =
  'Paring knife edges have small notches. Before grinding, the stamped blank outline is ragged and torn on the edge side; blanking die overdue for regrind.';

describe('pastDefectRecord', () => {
  let directory: string;
  let system: OfflineSystem;
  let analysis: ConsolidatedAnalysis;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'learning-record-'));
    system = await openOfflineSystem({ directory });
    analysis = await system.orchestrator.analyze({
      defectId: 'DEF-20261201-0000A001',
      report: {
        description: NOTCHES,
        product_sku: 'WK-KN-100',
        facility: 'hongkong',
        batch_id: 'HK-2611-020',
        measurements: { defect_size_mm: 0.5 },
      },
      createdAt: new Date('2026-11-30T07:00:00Z'),
    });
  }, 60_000);
  afterAll(async () => {
    await system.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is a corpus record with the reviewed values, the report facts and provenance', () => {
    const reviewed = reviewAnalysis({
      analysis,
      fields: {
        defect_type: 'blade_chip',
        probable_stage: 'blade_stamp',
        severity: 'critical',
        occurrence_cause:
          'The blanking die ran 14,000 hits past its regrind, tearing the edge side of the blanks.',
      },
      reviewer: 'li.wei',
      at: '2026-12-01T09:30:00.000Z',
    });
    const record = pastDefectRecord({ analysis: reviewed });
    expect(record.kind).toBe('record');
    if (record.kind !== 'record') return;
    const document = parseDocument({ file: 'learned.md', source: record.markdown });
    expect(document.kind).toBe('past_defect');
    if (document.kind !== 'past_defect') return;
    expect(document.metadata).toMatchObject({
      id: 'DEF-20261201-0000A001',
      date: '2026-11-30',
      facility: 'hongkong',
      product_sku: 'WK-KN-100',
      batch_id: 'HK-2611-020',
      measurements: { defect_size_mm: 0.5 },
      defect_type: 'blade_chip',
      stage: 'blade_stamp',
      severity: 'critical',
      analysis_id: 'DEF-20261201-0000A001',
      review_state: 'corrected',
      confirmed_by: 'li.wei',
      confirmed_at: '2026-12-01T09:30:00.000Z',
    });
    expect(document.metadata.root_cause.occurrence).toContain('14,000 hits');
    // The machine's escape cause was written for its own (corrected) diagnosis: not carried over.
    expect(document.metadata.root_cause.escape).toMatch(/not restated in the review/i);
    expect(document.metadata.effective).toBeUndefined();
    expect(document.metadata.outcome).toBeUndefined();
    expect(document.body).toContain(NOTCHES);

    const chunks = chunkDocument(document);
    expect(chunks.map((chunk) => chunk.metadata.section)).toEqual(
      expect.arrayContaining(['Description', 'Measured values', 'Investigation', 'Confirmed root cause']),
    );
    expect(chunks[0]?.metadata).toMatchObject({
      source_id: 'DEF-20261201-0000A001',
      defect_types: ['blade_chip'],
      stage: 'blade_stamp',
      facilities: ['hongkong'],
      effective: 'unverified',
    });
  });

  it('states how the actions worked only for a closed review with checked actions', () => {
    const reviewed = reviewAnalysis({ analysis });
    const closed = {
      ...reviewed,
      review: {
        ...reviewed.review,
        state: 'closed' as const,
        actions: reviewed.review.actions.map((action) => ({
          ...action,
          status: 'verified' as const,
          effectiveness_evidence: 'No notches in 3 lots after the die regrind',
        })),
      },
    };
    const record = pastDefectRecord({ analysis: closed });
    if (record.kind !== 'record') throw new Error(record.reason);
    const document = parseDocument({ file: 'closed.md', source: record.markdown });
    expect(document.kind === 'past_defect' && document.metadata.effective).toBe(true);
    expect(document.kind === 'past_defect' && document.metadata.outcome).toMatch(/verified effective/);
    expect(chunkDocument(document).some((chunk) => chunk.metadata.section === 'Outcome')).toBe(true);
  });

  it('makes no record and no example of a rejected or unconfirmed analysis', () => {
    const rejected = reviewAnalysis({ analysis, reject: true, reason: 'not a defect: a handling mark' });
    expect(pastDefectRecord({ analysis: rejected })).toEqual({
      kind: 'none',
      reason: 'the review is rejected, not confirmed',
    });
    expect(reviewedTrainingExamples({ analysis: rejected })).toEqual([]);
    const draft = { ...rejected, review: { ...rejected.review, state: 'draft' as const } };
    expect(pastDefectRecord({ analysis: draft }).kind).toBe('none');
  });

  it('makes no record of a report without a facility, but still a training example', () => {
    const { facility: _facility, ...report } = analysis.report;
    const reviewed = reviewAnalysis({
      analysis: { ...analysis, report },
      fields: { defect_type: 'blade_chip' },
    });
    expect(pastDefectRecord({ analysis: reviewed })).toMatchObject({ kind: 'none' });
    expect(reviewedTrainingExamples({ analysis: reviewed })).toMatchObject([
      { id: 'review-DEF-20261201-0000A001', text: NOTCHES, types: ['blade_chip'] },
    ]);
  });
});
