import { describe, expect, it } from 'vitest';
import { pendingAnalysis } from '../../agents/orchestrator/orchestrator.ts';
import { RUST_PLAN, RUST_ROOT_CAUSE } from '../../agents/testing/outputs.ts';
import { createScriptedModel, textResponse } from '../../agents/testing/scripted-model.ts';
import { createJudge } from './judge.ts';

describe('LLM judge', () => {
  const analysis = {
    ...pendingAnalysis({
      defectId: 'DEF-20261122-00000001',
      report: { description: 'rust after quench' },
      createdAt: new Date(),
    }),
    root_cause: RUST_ROOT_CAUSE,
    corrective_actions: RUST_PLAN.corrective_actions,
  };

  it('grades with the versioned rubric and parses the answer', async () => {
    const model = createScriptedModel({
      steps: [textResponse('{"five_why": 4, "actions": 2, "rationale": "Only containment."}')],
    });
    const scores = await createJudge({ model }).score({ analysis });
    expect(scores).toEqual({ five_why: 4, actions: 2, rationale: 'Only containment.' });
    expect(model.calls[0]?.system[0]?.text).toMatch(/RCA judge rubric/);
    expect(JSON.stringify(model.calls[0]?.messages)).toContain('<five_why_chain>');
  });

  it('returns null for an unusable grade instead of guessing', async () => {
    const model = createScriptedModel({ steps: [textResponse('{"five_why": 9}')] });
    expect(await createJudge({ model }).score({ analysis })).toBeNull();
  });
});
