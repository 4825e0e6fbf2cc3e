import { describe, expect, it } from 'vitest';
import { calibrated, fitCalibration, fitHead, probabilities, type HeadExample } from './linear-model.ts';

function example(words: string[], labels: number[]): HeadExample {
  return { features: new Map(words.map((word) => [word, 1])), labels };
}

const OPTIONS = { epochs: 40, learningRate: 0.5, l2: 1e-5, seed: 3 };

describe('fitHead', () => {
  const examples = [
    ...Array.from({ length: 20 }, (_, index) => example(['rust', 'spots', `lot${index % 5}`], [0])),
    ...Array.from({ length: 20 }, (_, index) => example(['chip', 'edge', `lot${index % 5}`], [1])),
    ...Array.from({ length: 10 }, (_, index) => example(['rust', 'chip', `lot${index % 5}`], [0, 1])),
  ];

  it('learns independent labels (one-vs-rest), including two at once', () => {
    const head = fitHead({ kind: 'one_vs_rest', classes: ['rust', 'chip'], examples, options: OPTIONS });
    const [rust, chip] = probabilities(
      head,
      new Map([
        ['rust', 1],
        ['spots', 1],
      ]),
    );
    expect(rust).toBeGreaterThan(0.7);
    expect(chip).toBeLessThan(0.5);
    const both = probabilities(
      head,
      new Map([
        ['rust', 1],
        ['chip', 1],
      ]),
    );
    expect(both.every((value) => value > 0.5)).toBe(true);
  });

  it('learns a softmax over exclusive classes, and leaves out rare features', () => {
    const head = fitHead({
      kind: 'softmax',
      classes: ['rust', 'chip'],
      examples: examples.slice(0, 40),
      options: OPTIONS,
    });
    const result = probabilities(head, new Map([['chip', 1]]));
    expect(result[1]).toBeGreaterThan(0.8);
    expect(result.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
    const rare = fitHead({
      kind: 'softmax',
      classes: ['a', 'b'],
      examples: [example(['once'], [0]), example(['twice'], [1]), example(['twice'], [1])],
      options: OPTIONS,
    });
    expect(rare.weights).not.toHaveProperty('once');
    expect(rare.weights).toHaveProperty('twice');
  });

  it('is deterministic for a seed', () => {
    const first = fitHead({ kind: 'one_vs_rest', classes: ['rust', 'chip'], examples, options: OPTIONS });
    const second = fitHead({ kind: 'one_vs_rest', classes: ['rust', 'chip'], examples, options: OPTIONS });
    expect(second).toEqual(first);
  });
});

describe('calibration', () => {
  it('lowers an over-confident score to the rate at which it is right', () => {
    const pairs = Array.from({ length: 200 }, (_, index) => ({
      share: 0.95,
      top: 0.95,
      correct: index % 2 === 0,
    }));
    const calibration = fitCalibration(pairs);
    const head = { kind: 'softmax' as const, classes: ['a', 'b'], bias: [0, 0], weights: {}, calibration };
    expect(calibrated(head, 0.95, 0.95)).toBeCloseTo(0.5, 1);
  });
});
