import { describe, expect, it } from 'vitest';
import type { InspectionReport } from '../../../domain/index.ts';
import { readReportFacts } from '../../report-facts/index.ts';
import { classifyReport } from './classifier/classifier.ts';
import { decideStage } from './root-cause-skill.ts';

function stageOf(description: string): string {
  const report = { description, facility: 'yangjiang', product_sku: 'WK-KN-200' } as InspectionReport;
  const facts = readReportFacts(report);
  return decideStage({
    type: 'handle_crack',
    facts,
    prediction: classifyReport({ report, facts }),
    similar: [],
    checks: undefined,
  }).stage;
}

describe('decideStage: a handle crack made by the assembly load', () => {
  it('places a handle that cracked at its rivet holes under the rivet press at rivet assembly', () => {
    expect(
      stageOf(
        'Patrol at riveter R-6: POM scales cracked starting at the rivet holes, 6 of 40. The rivet press gauge reads 7.0 bar against 5.0-5.5 on the setting sheet; the regulator does not hold. Scales of the same moulding lot on R-5 at 5.2 bar: 0 cracks in 40.',
      ),
    ).toBe('rivet_assembly');
  });

  it('keeps a handle that cracked at its screw hole with no assembly press or driver named at moulding', () => {
    expect(
      stageOf(
        'Returns: bakelite handles cracked near the screw hole, 9 pcs. Retained handles soften in the acetone test: under-cured; the supplier cut the cure time from 90 s to 55 s.',
      ),
    ).toBe('handle_injection');
  });
});
