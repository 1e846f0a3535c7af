/** Small statistics for the timing benchmarks: summaries and the two-sample Kolmogorov–Smirnov test. */
import { seededRandom } from '../server/testing/seeded-random.ts';

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return { count: sorted.length, mean, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}

/**
 * Two-sample KS: D = the largest gap between the two empirical CDFs (ties stepped over together),
 * p from the asymptotic Kolmogorov distribution with the Stephens small-sample correction
 * (Numerical Recipes `kstwo`/`probks`).
 */
export function ksTest(a: number[], b: number[]): { d: number; p: number } {
  const x = [...a].sort((u, v) => u - v);
  const y = [...b].sort((u, v) => u - v);
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = Math.sqrt((n * m) / (n + m));
  const lambda = (en + 0.12 + 0.11 / en) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    p += term;
    if (Math.abs(term) < 1e-10) break;
  }
  return { d, p: lambda < 1e-3 ? 1 : Math.min(1, Math.max(0, p)) };
}

/** Deterministic PRNG (mulberry32) so a run's interleaving can be replayed with `--seed`. */
export const prng = seededRandom;

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Bootstrap 95% interval of median(a) − median(b), to show the resolution of a run. */
export function medianDiffInterval(a: number[], b: number[], random: () => number, rounds = 1000): [number, number] {
  const median = (values: number[]) => percentile(values.sort((u, v) => u - v), 50);
  const resample = (values: number[]) => Array.from(values, () => values[Math.floor(random() * values.length)]!);
  const diffs = Array.from({ length: rounds }, () => median(resample(a)) - median(resample(b))).sort((u, v) => u - v);
  return [percentile(diffs, 2.5), percentile(diffs, 97.5)];
}
