import { Stack, Validations, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentsMode, ServiceStacks } from './app.ts';
import { SYNTH_TIMEOUT_MS, buildTestApp } from './testing.ts';

describe.each<AgentsMode>(['classic', 'none'])('cdk-nag AwsSolutions with agents=%s', (agents) => {
  let app: App;
  let stacks: ServiceStacks;

  beforeAll(() => {
    ({ app, stacks } = buildTestApp({ agents }));
    // Synthesising runs the AwsSolutions plugin that app.ts registers; it throws on an error.
    for (const stack of [stacks.knowledgeBase, stacks.agents, stacks.api])
      if (stack) Template.fromStack(stack);
  }, SYNTH_TIMEOUT_MS);

  it(
    'finds nothing unacknowledged in any stack',
    () => {
      const report = new AwsSolutionsChecks(app).validateScope(app);
      const findings = report.violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('acknowledges every finding with a reason', () => {
    const acknowledgements = app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.values(entry.data as Record<string, unknown>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const reason of acknowledgements) expect(JSON.stringify(reason).length).toBeGreaterThan(40);
  });

  it(`has ${agents === 'classic' ? 'an' : 'no'} agents stack`, () => {
    expect(
      app.node.children
        .filter((child) => child instanceof Stack)
        .map((child) => child.node.id)
        .sort(),
    ).toEqual(
      agents === 'classic'
        ? ['DefectRcaAgents', 'DefectRcaApi', 'DefectRcaKnowledgeBase']
        : ['DefectRcaApi', 'DefectRcaKnowledgeBase'],
    );
  });
});
