/** Reads one sample out of Prometheus text exposition: the series with this name and these labels. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map<string, string>();
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found.set(pair[1] as string, pair[2] as string);
    const wanted = Object.entries(labels);
    if (found.size === wanted.length && wanted.every(([k, v]) => found.get(k) === v)) return Number(match[3]);
  }
  return undefined;
}
