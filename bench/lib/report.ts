/** What a bench prints for bench/run.ts: one line `BENCH <json>` with named figures and pass/fail per target. */
export interface BenchReport {
  name: string;
  figures: Record<string, number | string>;
  targets: { label: string; ok: boolean }[];
}

export function report(r: BenchReport): void {
  console.log(`BENCH ${JSON.stringify(r)}`);
}
