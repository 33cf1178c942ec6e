/**
 * Benchmarks print a figure and its ratio to a baseline measured in the same run (never pass/fail).
 * Each `scripts/bench/<capability>.bench.ts` default-exports an async function returning BenchResult[].
 */
export interface BenchResult {
  /** What was measured, e.g. "tiling throughput, Rutland (4,557 real OSM buildings)". */
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, and what it is (e.g. "naive all-pairs ray test"). */
  baseline?: { name: string; value: number; unit: string };
  /** ratio = value / baseline.value (or inverted when lower is better; say which in `ratioMeaning`). */
  ratio?: number;
  ratioMeaning?: string;
  /** The goal from the issue, as text (e.g. "≥ 20,000 buildings/s"). */
  goal?: string;
  note?: string;
}

export type Bench = () => Promise<BenchResult[]>;

export const fmt = (n: number): string =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-GB') : n.toPrecision(3);

export function printResult(r: BenchResult): void {
  const parts = [`${r.name}: ${fmt(r.value)} ${r.unit}`];
  if (r.baseline) parts.push(`baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit}`);
  if (r.ratio !== undefined)
    parts.push(`ratio ${fmt(r.ratio)}×${r.ratioMeaning ? ` (${r.ratioMeaning})` : ''}`);
  if (r.goal) parts.push(`goal ${r.goal}`);
  if (r.note) parts.push(r.note);
  console.log(`  ${parts.join(' | ')}`);
}

/** Wall-clock seconds of an async function, best of `runs`. */
export async function timeIt(fn: () => Promise<unknown> | unknown, runs = 1): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}
