/**
 * The statistics of the report: percentiles of one run's latencies, the median and spread of
 * repeated runs, and the ratio goals of the issue. Pure functions, so the unit tests pin them.
 */

/** The p-th percentile (0 < p <= 100) by the nearest-rank method: a value that was observed. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A figure measured over repeated runs: its median and the range the runs spanned. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summary of no values');
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/**
 * Ratios of paired runs (run i of `numerator` against run i of `denominator`, measured back to
 * back), summarized: pairing cancels the drift that hits both variants of one round alike.
 */
export function pairedRatios(
  numerator: readonly number[],
  denominator: readonly number[],
): Summary {
  if (numerator.length !== denominator.length || numerator.length === 0) {
    throw new Error(
      `paired ratios need equal, non-empty runs (${numerator.length} vs ${denominator.length})`,
    );
  }
  return summarize(numerator.map((value, i) => value / (denominator[i] as number)));
}

/** Paired differences (run i minus run i), summarized. */
export function pairedDifferences(
  minuend: readonly number[],
  subtrahend: readonly number[],
): Summary {
  if (minuend.length !== subtrahend.length || minuend.length === 0) {
    throw new Error(
      `paired differences need equal, non-empty runs (${minuend.length} vs ${subtrahend.length})`,
    );
  }
  return summarize(minuend.map((value, i) => value - (subtrahend[i] as number)));
}

/** A goal of the issue: a measured median held against a bound. */
export interface Goal {
  name: string;
  measured: number;
  comparison: '>=' | '<=';
  bound: number;
  unit: string;
  met: boolean;
}

export function goal(
  name: string,
  measured: number,
  comparison: Goal['comparison'],
  bound: number,
  unit = '',
): Goal {
  const met = comparison === '>=' ? measured >= bound : measured <= bound;
  return { name, measured, comparison, bound, unit, met };
}
