import { describe, expect, it } from 'vitest';
import {
  Category6M,
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  ValidationError,
  type CorrectiveAction,
} from '../../domain/index.ts';
import { invokeTool } from '../action-group.ts';
import { useTestToolContext } from '../testing/context.ts';
import { DraftCapaOutput } from './schema.ts';
import { draftCapaTool, EFFECTIVENESS_CHECKS, occurrenceOwner } from './tools.ts';

const kb = useTestToolContext();

const RUST = {
  defect_type: 'rust_spot',
  stage: 'vacuum_quench',
  severity: 'critical',
  root_cause: {
    category_6m: 'machine',
    occurrence: 'Worn vacuum chamber door seal let the 1000 to 600 C cool take 4 minutes instead of 2',
    escape: 'Salt spray was sampled weekly, so the load moved on to glazing before the result',
    systemic: 'Door seal replacement was run to failure with no leak-rate trend in the PM plan',
  },
  scope: { facility: 'yangjiang', product_sku: 'WK-KN-200', batch_id: 'YJ-2611-042' },
} as const;

async function draft(input: unknown): Promise<CorrectiveAction[]> {
  return DraftCapaOutput.parse(await invokeTool({ tool: draftCapaTool, input, context: kb.context })).actions;
}

function ofType(actions: readonly CorrectiveAction[], type: CorrectiveAction['type']): CorrectiveAction[] {
  return actions.filter((action) => action.type === type);
}

async function metadataOf(chunkIds: readonly string[]) {
  const passages = await kb.knowledgeBase.getPassages({ chunkIds });
  expect(passages.map((passage) => passage.metadata.chunk_id)).toEqual([...chunkIds]);
  return passages.map((passage) => passage.metadata);
}

describe('draft_capa', () => {
  it('drafts all four action types with due dates after today, shortened for a critical defect', async () => {
    const actions = await draft(RUST);
    expect(actions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(actions.map((action) => action.type))).toEqual(
      new Set(['containment', 'correction', 'corrective', 'preventive']),
    );
    for (const action of actions) expect(action.due_date > '2026-11-22').toBe(true);
    expect(ofType(actions, 'containment')[0]?.due_date).toBe('2026-11-23');
    expect(ofType(actions, 'correction')[0]?.due_date).toBe('2026-11-25');
    expect(ofType(actions, 'corrective').map((action) => action.due_date)).toEqual([
      '2026-12-06',
      '2026-12-06',
    ]);
    expect(ofType(actions, 'preventive').every((action) => action.due_date === '2027-01-21')).toBe(true);
  });

  it('quarantines the batch, citing a vacuum-quench reaction plan', async () => {
    const [containment] = ofType(await draft(RUST), 'containment');
    expect(containment?.description).toMatch(/Quarantine batch YJ-2611-042/);
    expect(containment?.owner_role).toBe('Quality engineer');
    const cited = await metadataOf(containment?.citations ?? []);
    expect(cited[0]).toMatchObject({ doc_type: 'sop', stage: 'vacuum_quench', section: 'Reaction plan' });
    expect(cited[0]?.source_id).toMatch(/^SOP-VQ-/);
    expect(containment?.description).toContain(`${cited[0]?.source_id} reaction plan`);
  });

  it('scraps critical parts through the MRB, citing the reaction plan it quotes', async () => {
    const [correction] = ofType(await draft(RUST), 'correction');
    expect(correction?.description).toMatch(/MRB/);
    expect(correction?.description).toMatch(/scrapped/);
    const cited = await metadataOf(correction?.citations ?? []);
    expect(cited.every((metadata) => metadata.section === 'Reaction plan')).toBe(true);
  });

  it('removes the occurrence cause and closes the escape, citing an effective past rust case', async () => {
    const actions = await draft(RUST);
    const [occurrence, escape] = ofType(actions, 'corrective');
    expect(occurrence?.description).toContain(RUST.root_cause.occurrence);
    expect(occurrence?.owner_role).toBe('Maintenance lead');
    expect(occurrence?.description).toMatch(/Proven in DEF-\d{8}-[0-9A-F]{8}/);
    expect(escape?.description).toContain(RUST.root_cause.escape);
    expect(escape?.description).toMatch(/salt-spray sample of every quench load/);
    expect(escape?.owner_role).toBe('Quality engineer');
    for (const action of [occurrence, escape]) {
      const cited = await metadataOf(action?.citations ?? []);
      expect(cited.length).toBeGreaterThan(0);
      for (const metadata of cited) {
        expect(metadata).toMatchObject({
          doc_type: 'past_defect',
          defect_types: ['rust_spot'],
          effective: 'true',
          stage: 'vacuum_quench',
        });
      }
      expect(action?.effectiveness_check.window_days).toBe(90);
    }
    expect(occurrence?.effectiveness_check).toEqual({
      metric: 'salt-spray pass rate of sampled lots',
      threshold: '100 % pass 1000 h',
      window_days: 90,
    });
  });

  it('extends prevention to other facilities and SKUs and updates the SOP, PFMEA and control plan', async () => {
    const preventive = ofType(await draft(RUST), 'preventive');
    expect(preventive).toHaveLength(2);
    const text = preventive.map((action) => action.description).join(' ');
    expect(text).toMatch(/shenzhen, hongkong/);
    expect(text).not.toMatch(/yangjiang/);
    expect(text).toMatch(/WK-KN-150/);
    expect(text).toMatch(/PFMEA/);
    expect(text).toMatch(/control plan/);
    expect(text).toContain(RUST.root_cause.systemic);
    for (const action of preventive) {
      const cited = await metadataOf(action.citations);
      expect(cited.length).toBeGreaterThan(0);
      expect(
        cited.every((metadata) => metadata.doc_type === 'sop' && metadata.stage === 'vacuum_quench'),
      ).toBe(true);
    }
    const [sopCitation] = await metadataOf(preventive[1]?.citations ?? []);
    expect(preventive[1]?.description).toContain(`revise ${sopCitation?.source_id}`);
  });

  it('reworks a major scratch on the normal schedule with finishing owners', async () => {
    const actions = await draft({
      defect_type: 'blade_scratch',
      stage: 'blade_glazing',
      severity: 'major',
      root_cause: {
        category_6m: 'material',
        occurrence: 'Glazing buff loaded with coarse grit carried over from the belt side',
        escape: 'Scratch audit once per shift under 600 lux, below the required 1,000 lux',
        systemic: 'Buffs are not segregated between the belt side and the clean side',
      },
    });
    expect(ofType(actions, 'correction')[0]).toMatchObject({ due_date: '2026-11-29' });
    expect(ofType(actions, 'correction')[0]?.description).toMatch(/re-glaze/);
    expect(ofType(actions, 'corrective')[0]).toMatchObject({
      due_date: '2026-12-22',
      owner_role: 'Supplier quality engineer',
      effectiveness_check: {
        metric: 'scratch reject rate at glazing inspection',
        threshold: '<= 0.18 %',
        window_days: 60,
      },
    });
    const [containment] = ofType(actions, 'containment');
    expect(containment?.description).toMatch(/every lot processed at blade glazing/);
    const cited = await metadataOf(containment?.citations ?? []);
    expect(cited[0]?.source_id).toMatch(/^SOP-BG-/);
  });

  it('never settles for retraining when the cause is a person', async () => {
    const actions = await draft({
      defect_type: 'assembly_misalignment',
      stage: 'rivet_assembly',
      severity: 'minor',
      root_cause: {
        category_6m: 'man',
        occurrence: 'New operator loaded the handle scales without seating them against the locating pins',
        escape: 'Scale step only checked on the first part of the shift',
        systemic: 'No poka-yoke on the fixture and no check of seating before riveting',
      },
    });
    const [occurrence] = ofType(actions, 'corrective');
    expect(occurrence?.owner_role).toBe('Assembly production supervisor with the training coordinator');
    expect(occurrence?.description).toMatch(/Mistake-proof/);
    expect(actions.every((action) => !/^retrain/i.test(action.description))).toBe(true);
  });

  it('grounds every action for every defect type at each of its origin stages', async () => {
    for (const [index, defectType] of CONCRETE_DEFECT_TYPES.entries()) {
      for (const stage of DEFECT_TYPE_DETAILS[defectType].originStages) {
        const actions = await draft({
          defect_type: defectType,
          stage,
          severity: 'major',
          root_cause: {
            category_6m: Category6M.options[index % Category6M.options.length],
            occurrence: `The ${stage.replaceAll('_', ' ')} process drifted out of its window`,
            escape: 'The check at the stage did not look for this defect',
            systemic: 'The control plan had no reaction to the drift',
          },
        });
        const label = `${defectType} at ${stage}`;
        expect(new Set(actions.map((action) => action.type)).size, label).toBe(4);
        for (const action of actions) {
          expect(action.citations.length, `${label} ${action.type}`).toBeGreaterThan(0);
          expect(action.effectiveness_check.metric.length).toBeGreaterThan(0);
        }
        const chunkIds = [...new Set(actions.flatMap((action) => action.citations))];
        const found = await kb.knowledgeBase.getPassages({ chunkIds });
        expect(found, label).toHaveLength(chunkIds.length);
      }
    }
  });

  it('is deterministic', async () => {
    expect(await draft(RUST)).toEqual(await draft(RUST));
  });

  it('has an effectiveness check for every defect type and an owner for every 6M category', () => {
    for (const defectType of CONCRETE_DEFECT_TYPES) {
      expect(EFFECTIVENESS_CHECKS[defectType].window_days).toBeGreaterThan(0);
    }
    expect(Category6M.options.map((category) => occurrenceOwner(category, 'handle_injection'))).toEqual([
      'Moulding production supervisor with the training coordinator',
      'Maintenance lead',
      'Moulding process engineer',
      'Supplier quality engineer',
      'Metrology / quality engineer',
      'Facilities engineer',
    ]);
  });

  it('rejects a severity of none, a missing cause, an unknown category and an unknown facility', async () => {
    for (const input of [
      { ...RUST, severity: 'none' },
      { ...RUST, root_cause: { ...RUST.root_cause, occurrence: undefined } },
      { ...RUST, root_cause: { ...RUST.root_cause, escape: 'no' } },
      { ...RUST, root_cause: { ...RUST.root_cause, category_6m: 'money' } },
      { ...RUST, root_cause: undefined },
      { ...RUST, scope: { ...RUST.scope, facility: 'paris' } },
    ]) {
      await expect(invokeTool({ tool: draftCapaTool, input, context: kb.context })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });
});
