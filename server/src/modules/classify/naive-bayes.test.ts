import { describe, expect, it } from 'vitest';
import { NaiveBayes, softmax } from './naive-bayes.js';

describe('naive Bayes over present features', () => {
  it('computes the smoothed log likelihood and posterior by hand', () => {
    const nb = new NaiveBayes(0.5);
    nb.add('lamp', ['路灯', '不亮']);
    nb.add('rubbish', ['垃圾', '满溢', '垃圾']);
    // vocabulary: 路灯 不亮 垃圾 满溢 (4); lamp has 2 feature counts, rubbish 2 (a repeated feature counts once)
    expect(nb.logLikelihood('lamp', '路灯')).toBeCloseTo(Math.log((1 + 0.5) / (2 + 0.5 * 4)));
    expect(nb.logLikelihood('rubbish', '路灯')).toBeCloseTo(Math.log((0 + 0.5) / (2 + 0.5 * 4)));
    const [lamp, rubbish] = nb.logPosteriors(['lamp', 'rubbish'], ['路灯', '没见过'], 1);
    // equal priors (1 + 1) / 4 each; the unseen feature is skipped
    expect(lamp).toBeCloseTo(Math.log(2 / 4) + Math.log(1.5 / 4));
    expect(rubbish).toBeCloseTo(Math.log(2 / 4) + Math.log(0.5 / 4));
  });

  it('weighs a document as several and tempers the prior', () => {
    const nb = new NaiveBayes(1);
    nb.add('a', ['x'], 3);
    nb.add('b', ['y']);
    expect(nb.documents('a')).toBe(3);
    const withPrior = nb.logPosteriors(['a', 'b'], [], 1);
    const flat = nb.logPosteriors(['a', 'b'], [], 0);
    expect(withPrior[0]! - withPrior[1]!).toBeCloseTo(Math.log(4 / 2));
    expect(flat[0]).toBe(flat[1]);
  });

  it('learns incrementally: adding a document changes only the counts it touches', () => {
    const nb = new NaiveBayes(0.5);
    nb.add('a', ['x']);
    nb.add('b', ['y']);
    const before = nb.logPosteriors(['a', 'b'], ['z'], 0);
    expect(before[0]).toBe(before[1]);
    nb.add('b', ['z']);
    const after = nb.logPosteriors(['a', 'b'], ['z'], 0);
    expect(after[1]!).toBeGreaterThan(after[0]!);
  });

  it('explains a label by the features that favour it over the others', () => {
    const nb = new NaiveBayes(0.5);
    nb.add('lamp', ['路灯', '晚上']);
    nb.add('noise', ['噪音', '晚上']);
    const c = nb.contributions('lamp', ['lamp', 'noise'], ['路灯', '晚上', '没见过']);
    expect(c.get('路灯')!).toBeGreaterThan(0);
    expect(c.get('晚上')!).toBeCloseTo(0);
    expect(c.has('没见过')).toBe(false);
  });
});

describe('softmax', () => {
  it('gives probabilities that sum to one, flatter with a higher temperature', () => {
    const p = softmax([0, Math.log(3)]);
    expect(p[1]).toBeCloseTo(0.75);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1);
    const warm = softmax([0, Math.log(3)], 2);
    expect(warm[1]!).toBeLessThan(0.75);
    expect(softmax([-1000, -1001])[0]).toBeCloseTo(1 / (1 + Math.exp(-1)));
    expect(softmax([])).toEqual([]);
  });
});
