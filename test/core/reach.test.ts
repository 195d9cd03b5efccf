import { describe, expect, it } from 'vitest';
import { reach, type ReachReport } from '../../src/core/reach.js';

function recorder(): ReachReport & { lines: string[] } {
  const lines: string[] = [];
  return { lines, unreachable: (reason) => lines.push(`down: ${reason}`), reachable: (ms) => lines.push(`up after ${ms >= 0 ? 'some' : 'negative'} ms`) };
}

const quick = { baseMs: 5, maxMs: 20 };

describe('reach', () => {
  it('retries transient failures and reports one state change each way, not one line per attempt', async () => {
    const report = recorder();
    let attempts = 0;
    const result = await reach(
      async () => {
        attempts++;
        if (attempts < 5) throw new Error(`refused #${attempts}`);
        return 'ok';
      },
      { ...quick, signal: new AbortController().signal, isFatal: () => false, describe: (e) => (e as Error).message, report },
    );
    expect(result).toBe('ok');
    expect(attempts).toBe(5);
    expect(report.lines).toEqual(['down: refused #1', 'up after some ms']);
  });

  it('says nothing when the first attempt works', async () => {
    const report = recorder();
    await reach(async () => 1, { ...quick, signal: new AbortController().signal, isFatal: () => false, describe: String, report });
    expect(report.lines).toEqual([]);
  });

  it('throws a fatal error at once, without retrying', async () => {
    const report = recorder();
    let attempts = 0;
    const fatal = new Error('401');
    await expect(
      reach(
        async () => {
          attempts++;
          throw fatal;
        },
        { ...quick, signal: new AbortController().signal, isFatal: (e) => e === fatal, describe: String, report },
      ),
    ).rejects.toBe(fatal);
    expect(attempts).toBe(1);
    expect(report.lines).toEqual([]);
  });

  it('gives up with the abort reason while waiting between attempts', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    const pending = reach(
      async () => {
        throw new Error('refused');
      },
      { baseMs: 60_000, maxMs: 60_000, signal: controller.signal, isFatal: () => false, describe: String, report: recorder() },
    );
    setTimeout(() => controller.abort(reason), 20);
    const started = Date.now();
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
