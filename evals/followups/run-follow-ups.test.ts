import { describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import { fixtureCase } from '../report/fixtures.ts';
import type { EvalTarget } from '../targets/target.ts';
import { aggregateFollowUps, type FollowUp } from './follow-up.ts';
import { runFollowUps } from './run-follow-ups.ts';

/** A target whose follow-up answers come from a table by question; other questions throw. */
function scriptedTarget(answers: Record<string, string>): EvalTarget & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'scripted',
    model: 'scripted',
    asked,
    async analyze() {
      throw new Error('not used');
    },
    async ask({ analysis, question }: { analysis: ConsolidatedAnalysis; question: string }) {
      asked.push(`${analysis.defect_id}: ${question}`);
      const answer = answers[question];
      if (answer === undefined) throw new Error(`no answer for ${question}`);
      return { answer, citations: question.includes('SOP') ? ['SOP-VQ-01#reaction-plan'] : [] };
    },
    async close() {},
  };
}

const CASES = [
  fixtureCase({
    id: 'rust-1',
    expected: { type: 'rust_spot', stage: 'vacuum_quench' },
    got: { type: 'rust_spot', stage: 'vacuum_quench' },
  }),
  fixtureCase({
    id: 'failed-2',
    expected: { type: 'blade_chip', stage: 'heat_treatment' },
    got: null,
    outcome: 'error',
  }),
];

const SUMMARY = 'Major rust from the vacuum quench stage; the process engineer owns the fix.';

const FOLLOW_UPS: FollowUp[] = [
  { id: 'fu-1', case_id: 'rust-1', question: 'Which SOP covers this?', language: 'en', topic: 'which_sop' },
  { id: 'fu-2', case_id: 'rust-1', question: 'Who owns it?', language: 'en', topic: 'owner' },
  { id: 'fu-3', case_id: 'rust-1', question: '谁负责？', language: 'zh', topic: 'owner' },
  {
    id: 'fu-4',
    case_id: 'rust-1',
    question: 'Do we stop the line?',
    language: 'en',
    topic: 'severity_line_stop',
  },
  { id: 'fu-5', case_id: 'failed-2', question: 'Who owns it?', language: 'en', topic: 'owner' },
  { id: 'fu-6', case_id: 'not-in-run', question: 'Who owns it?', language: 'en', topic: 'owner' },
  { id: 'fu-7', case_id: 'rust-1', question: 'Unanswerable?', language: 'en', topic: 'rework' },
];

describe('runFollowUps', () => {
  it('asks about each case’s analysis, judges the answers and aggregates them per topic and language, errors unscored', async () => {
    const target = scriptedTarget({
      'Which SOP covers this?': 'SOP-VQ-01 covers the vacuum quench leak check.',
      'Who owns it?': SUMMARY,
      '谁负责？': '工艺工程师负责。',
      'Do we stop the line?': SUMMARY,
    });
    const results = await runFollowUps({
      followUps: FOLLOW_UPS,
      caseResults: CASES,
      target,
      concurrency: 2,
      timeoutMs: 1000,
    });
    expect(
      results.map((result) => [result.id, result.outcome, result.verdict.onTopic, result.verdict.canned]),
    ).toEqual([
      ['fu-1', 'ok', true, false],
      ['fu-2', 'ok', false, true],
      ['fu-3', 'ok', true, false],
      ['fu-4', 'ok', false, true],
      ['fu-5', 'error', false, false],
      ['fu-7', 'error', false, false],
    ]);
    expect(target.asked).toHaveLength(5);

    const metrics = aggregateFollowUps(results);
    // fu-5 (its case errored) and fu-7 (the target failed) are counted but not scored.
    expect(metrics).toMatchObject({ questions: 6, answered: 4, onTopicRate: 2 / 4, cannedAnswers: 2 });
    expect(metrics.perTopic.owner).toEqual({ questions: 3, onTopicRate: 1 / 2 });
    expect(metrics.perTopic.rework).toEqual({ questions: 1, onTopicRate: null });
    expect(metrics.perTopic.why_stage).toEqual({ questions: 0, onTopicRate: null });
    expect(metrics.perLanguage.zh).toEqual({ questions: 1, onTopicRate: 1 });
  });
});
