import { goal, median, pairedDifferences, pairedRatios, percentile, summarize } from './stats';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 ... 1, unsorted on purpose

  it('returns the nearest-rank value, which was observed', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([3.5, 1.25, 2], 50)).toBe(2);
  });

  it('rounds the rank up, so p99 of 10 values is the largest', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10)).toBe(1);
  });

  it('rejects no values and a percentile outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow('no values');
    expect(() => percentile([1], 0)).toThrow('(0, 100]');
    expect(() => percentile([1], 101)).toThrow('(0, 100]');
  });
});

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder its input', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('reports the median, the range and the number of runs', () => {
    expect(summarize([10, 12, 11, 30, 9])).toEqual({ median: 11, min: 9, max: 30, runs: 5 });
  });
});

describe('paired ratios and differences', () => {
  it('divides run i by run i, so a round-wide slowdown cancels out', () => {
    // Round 2 ran 30 % slower for both variants: the ratio stays 0.9.
    const ratios = pairedRatios([900, 630, 900], [1000, 700, 1000]);
    expect(ratios.median).toBeCloseTo(0.9);
    expect(ratios.max - ratios.min).toBeCloseTo(0);
  });

  it('subtracts run i from run i', () => {
    expect(pairedDifferences([2.5, 3, 2], [2, 2, 2])).toEqual({
      median: 0.5,
      min: 0,
      max: 1,
      runs: 3,
    });
  });

  it('refuses runs that do not pair up', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow('equal');
    expect(() => pairedDifferences([], [])).toThrow('non-empty');
  });
});

describe('goal', () => {
  it('is met on the bound and missed past it', () => {
    expect(goal('ratio', 0.85, '>=', 0.85).met).toBe(true);
    expect(goal('ratio', 0.84, '>=', 0.85).met).toBe(false);
    expect(goal('p99 extra', 1, '<=', 1, 'ms').met).toBe(true);
    expect(goal('p99 extra', 1.01, '<=', 1, 'ms').met).toBe(false);
  });
});
