import { describe, expect, it } from 'vitest';
import type { ConsolidatedAnalysis } from '../../domain/index.ts';
import { fixtureAnalysis } from '../report/fixtures.ts';
import type { FollowUp, FollowUpTopic } from './follow-up.ts';
import { judgeFollowUp, normalizeAnswer } from './rubric-judge.ts';

function critical(analysis: ConsolidatedAnalysis): ConsolidatedAnalysis {
  if (!analysis.classification) throw new Error('the fixture has no classification');
  return { ...analysis, classification: { ...analysis.classification, severity: 'critical' } };
}

const RUST = critical(fixtureAnalysis({ type: 'rust_spot', stage: 'vacuum_quench' }));

function judge({
  topic,
  question,
  answer,
  language = 'en',
  citations = [],
  analysis = RUST,
  others = [],
}: {
  topic: FollowUpTopic;
  question: string;
  answer: string | null;
  language?: FollowUp['language'];
  citations?: string[];
  analysis?: ConsolidatedAnalysis | null;
  others?: string[];
}) {
  return judgeFollowUp({
    followUp: { topic, question, language },
    answer,
    citations,
    analysis,
    otherTopicAnswers: others,
  });
}

describe('follow-up rubric', () => {
  it.each<[FollowUpTopic, string, string, string[]]>([
    [
      'why_stage',
      'Why vacuum quench and not passivation?',
      'Vacuum quench: the leak-up rate of VQ-2 was above its limit, and slow cooling lets carbides form. Passivation is unlikely, as the spots appeared before it.',
      [],
    ],
    [
      'which_sop',
      'Which SOP covers this?',
      'SOP-VQ-01 (vacuum quench) covers the leak check.',
      ['SOP-VQ-01#reaction-plan'],
    ],
    ['history', 'Has this happened before at Yangjiang?', 'Yes: 3 past rust records at Yangjiang.', []],
    ['history', 'Has this happened before at Yangjiang?', 'No past rust defects on record.', []],
    [
      'containment_shipped',
      'Some already shipped. What now?',
      'Hold the stock in the warehouse, sort it, and notify the customer of the shipped lots.',
      [],
    ],
    [
      'rework',
      'Can we re-weld instead of scrapping?',
      'No: re-welding over porosity is not allowed because SOP-BW-02 forbids it; scrap the parts.',
      [],
    ],
    [
      'severity_line_stop',
      'Do we stop the line?',
      'Critical (process failure): stop the line until the chamber is fixed.',
      [],
    ],
    [
      'missing_evidence',
      'What else do you need from me?',
      'Missing: a photo of the spots, the hardness (HRC) and the batch number.',
      [],
    ],
    [
      'effectiveness_check',
      'How do we check it worked?',
      'Rust rate in salt spray at 0 rejects over the next 5 lots.',
      [],
    ],
    ['owner', 'Who owns this?', 'The process engineer of the vacuum furnace owns it.', []],
  ])('%s: accepts an answer that meets the rubric (%s)', (topic, question, answer, citations) => {
    expect(judge({ topic, question, answer, citations })).toEqual({
      onTopic: true,
      canned: false,
      unmet: [],
    });
  });

  it.each<[FollowUpTopic, string, string, string[], string]>([
    [
      'why_stage',
      'Why vacuum quench and not passivation?',
      'Vacuum quench is the probable stage.',
      [],
      'evidence against',
    ],
    [
      'which_sop',
      'Which SOP covers this?',
      'See SOP-VQ-01.',
      ['DEF-20240101-AAAAAAAA#summary'],
      'cites the SOP',
    ],
    ['history', 'Has this happened at Shenzhen on WK-KN-150?', 'There were 2 cases.', [], 'facility'],
    ['containment_shipped', 'What about shipped parts?', 'Fix the vacuum seal.', [], 'what to do'],
    ['rework', 'Can we rework?', 'Rework is allowed.', [], 'says why'],
    ['severity_line_stop', 'Do we stop the line?', 'It is minor; no need to stop the line.', [], 'severity'],
    ['severity_line_stop', 'Do we stop the line?', 'Critical, but no need to stop the line.', [], 'critical'],
    ['missing_evidence', 'What do you need?', 'Nothing else, thanks.', [], 'missing'],
    ['effectiveness_check', 'How to check?', 'Watch the defect rate.', [], 'threshold'],
    ['owner', 'Who owns this?', 'Someone should look at it.', [], 'owner role'],
  ])('%s: rejects an answer that misses a requirement (%s)', (topic, question, answer, citations, unmet) => {
    const verdict = judge({ topic, question, answer, citations });
    expect(verdict.onTopic).toBe(false);
    expect(verdict.unmet.join('; ')).toContain(unmet);
  });

  it('needs Chinese in the answer to a Chinese question', () => {
    const question = '这个缺陷需要停线吗？';
    expect(
      judge({ topic: 'severity_line_stop', question, language: 'zh', answer: 'Critical: stop the line.' }),
    ).toMatchObject({
      onTopic: false,
      unmet: [expect.stringContaining('Chinese')],
    });
    expect(
      judge({
        topic: 'severity_line_stop',
        question,
        language: 'zh',
        answer: '严重缺陷（critical），需要立即停线。',
      }).onTopic,
    ).toBe(true);
  });

  it('takes an answer identical to another topic’s answer for the same case as canned', () => {
    const summary = 'Critical rust from the vacuum quench; stop the line. The process engineer owns it.';
    const verdict = judge({
      topic: 'owner',
      question: 'Who owns this?',
      answer: summary,
      others: [`  ${summary.toUpperCase()} `],
    });
    expect(verdict).toMatchObject({ onTopic: false, canned: true });
    expect(normalizeAnswer(' A  b\nC ')).toBe('a b c');
  });

  it('judges a missing or empty answer off topic', () => {
    expect(judge({ topic: 'owner', question: 'Who?', answer: null })).toEqual({
      onTopic: false,
      canned: false,
      unmet: ['an answer'],
    });
    expect(judge({ topic: 'owner', question: 'Who?', answer: '  ' }).onTopic).toBe(false);
  });

  it('asks "why this stage" of an analysis without a stage to say it is not determined', () => {
    const noStage = fixtureAnalysis({ type: 'unknown', stage: null });
    expect(
      judge({
        topic: 'why_stage',
        question: 'Why this stage?',
        answer: 'The stage cannot be determined yet.',
        analysis: noStage,
      }).onTopic,
    ).toBe(true);
    expect(
      judge({ topic: 'why_stage', question: 'Why this stage?', answer: 'Vacuum quench.', analysis: noStage })
        .onTopic,
    ).toBe(false);
  });

  it('asks a history answer for the period when the question names one', () => {
    const question = 'How many rust defects at Yangjiang in the last 6 months?';
    expect(judge({ topic: 'history', question, answer: 'Yangjiang: 2 rust defects.' }).unmet).toEqual([
      'names the period asked about',
    ]);
    expect(
      judge({ topic: 'history', question, answer: 'Yangjiang: 2 rust defects in the past 6 months.' })
        .onTopic,
    ).toBe(true);
  });
});
