/** The broadcast ledger in the store: last-seen times for retention, and decided in memory while the database is away. */
import { describe, expect, it } from 'vitest';
import { storeLedger } from '../../src/app.js';
import type { StorageFailureReason } from '../../src/store/errors.js';
import { createMemoryStore } from '../../src/store/memory.js';

const quiet = { debug: () => undefined };

describe('storeLedger', () => {
  it('claims a broadcast once and refreshes its last-seen time on every later claim', () => {
    let now = 1_000;
    const store = createMemoryStore();
    const ledger = storeLedger(store, { now: () => now }, quiet);
    expect(ledger.claim('live:bj1:7')).toBe(true);
    expect(store.getState('live:bj1:7')).toBe('1000');
    now = 9_000;
    expect(ledger.claim('live:bj1:7')).toBe(false);
    expect(store.getState('live:bj1:7')).toBe('9000');
    // A restart (a new ledger) still knows it.
    expect(storeLedger(store, { now: () => now }, quiet).claim('live:bj1:7')).toBe(false);
  });

  it('while the database is away: announced once per process, written once it is back', () => {
    let failing: StorageFailureReason | undefined = 'gone';
    const store = createMemoryStore({ failure: () => failing });
    const ledger = storeLedger(store, { now: () => 5_000 }, quiet);
    expect(ledger.claim('live:bj1:8')).toBe(true);
    expect(ledger.claim('live:bj1:8')).toBe(false);
    failing = undefined;
    expect(ledger.claim('live:bj1:8')).toBe(false);
    expect(store.getState('live:bj1:8')).toBe('5000');
  });
});
