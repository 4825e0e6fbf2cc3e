import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../domain/index.ts';
import { classifyReport, loadClassifierModel } from './classifier.ts';
import { readCorpusExamples, readTrainingReports, trainingDigest } from './training-data.ts';

describe('the committed classifier', () => {
  it('was trained on the current training data (run npm run train:classifier after changing it)', async () => {
    const examples = [
      ...(await readTrainingReports()),
      ...(await readCorpusExamples(parseConfig({}).corpusDir)),
    ];
    expect(loadClassifierModel().trained_on).toEqual({
      examples: examples.length,
      digest: trainingDigest(examples),
    });
  });

  it('records its cross-validated accuracy', () => {
    const { cross_validation: crossValidation } = loadClassifierModel();
    expect(crossValidation.type_top1_accuracy).toBeGreaterThan(0.8);
    expect(crossValidation.stage_accuracy).toBeGreaterThan(0.8);
  });

  it.each([
    ['Chinese', '刀刃上有锈斑，20把中有3把在刀根附近出现橙褐色斑点。', 'rust_spot'],
    ['English shorthand', 'bolster weld w/ pinholes on 4 pcs, porosity visible under loupe', 'weld_defect'],
    ['mixed', 'WK-KN-150 手柄 crack at the rivet hole, 5/60 pcs 开裂', 'handle_crack'],
  ])('reads a %s report', (_kind, description, type) => {
    const prediction = classifyReport({ report: { description } });
    expect(prediction.types[0]?.name).toBe(type);
  });

  it('reads a report that found nothing as none', () => {
    const prediction = classifyReport({
      report: { description: 'Final inspection OK: no scratches, no rust, hardness 57 HRC within spec' },
    });
    expect(prediction.types[0]?.name).toBe('none');
  });

  it('gives a vague report a low confidence', () => {
    const vague = classifyReport({
      report: { description: 'something looks off with this batch, please check' },
    });
    const clear = classifyReport({
      report: { description: 'orange rust spots on 6 of 50 chef knives near the heel' },
    });
    expect(vague.typeConfidence).toBeLessThan(clear.typeConfidence);
    expect(vague.typeConfidence).toBeLessThan(0.6);
  });
});
