import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestBudget } from '../../src/engine/request-budget.js';

describe('RequestBudget', () => {
  afterEach(() => vi.useRealTimers());

  it('spaces requests evenly at the configured rate', async () => {
    vi.useFakeTimers();
    const budget = new RequestBudget({ ratePerSecond: 4, now: () => Date.now() });
    const startedAt: number[] = [];
    const t0 = Date.now();
    const all = Array.from({ length: 9 }, () => budget.run(async () => void startedAt.push(Date.now() - t0)));
    await vi.advanceTimersByTimeAsync(2100);
    await Promise.all(all);
    expect(startedAt).toHaveLength(9);
    expect(startedAt[0]).toBe(0);
    for (let i = 1; i < startedAt.length; i++) expect((startedAt[i] as number) - (startedAt[i - 1] as number)).toBeGreaterThanOrEqual(250);
  });

  it('runs urgent checks ahead of routine polls', async () => {
    vi.useFakeTimers();
    const budget = new RequestBudget({ ratePerSecond: 10, now: () => Date.now() });
    const order: string[] = [];
    const p = [
      budget.run(async () => void order.push('r1')),
      budget.run(async () => void order.push('r2')),
      budget.run(async () => void order.push('r3')),
      budget.run(async () => void order.push('u1'), { urgent: true }),
    ];
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(p);
    expect(order).toEqual(['r1', 'u1', 'r2', 'r3']);
  });

  it('forgets a waiter whose signal aborts', async () => {
    vi.useFakeTimers();
    const budget = new RequestBudget({ ratePerSecond: 1, now: () => Date.now() });
    const ac = new AbortController();
    const first = budget.run(async () => 1);
    const second = budget.run(async () => 2, { signal: ac.signal });
    ac.abort(new Error('gone'));
    await expect(second).rejects.toThrow('gone');
    expect(budget.waiting).toBe(0);
    await expect(first).resolves.toBe(1);
  });
});
