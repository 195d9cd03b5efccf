/** One JSON line per figure, the shape every bench prints. */
export interface Metric {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

export function report(metric: Metric): void {
  process.stdout.write(`${JSON.stringify({ ...metric, value: Number(metric.value.toFixed(3)) })}\n`);
}

/** Runs `fn` repeatedly for at least `ms` and returns operations per second of the best round. */
export function measureRate(ms: number, fn: () => number): number {
  let best = 0;
  const rounds = 3;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < ms / rounds) {
      ops += fn();
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    best = Math.max(best, (ops * 1000) / elapsed);
  }
  return best;
}
