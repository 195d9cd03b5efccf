import { describe, expect, it } from 'vitest';
import { DeliveryLimiter } from '../../src/route/limiter.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('DeliveryLimiter — Discord', () => {
  it('lets 5 messages into one channel per 5 s; the 6th waits for the first to leave the window', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    for (let i = 0; i < 5; i++) {
      expect(limiter.tryAcquire('discord', 'c1')).toEqual({ ok: true });
      clock.advance(100);
    }
    // 500 ms after the first send: 4,500 ms left in its window.
    expect(limiter.tryAcquire('discord', 'c1')).toEqual({ ok: false, waitMs: 4_500 });
    expect(limiter.waitTime('discord', 'c1')).toBe(4_500);
    expect(limiter.nextAvailableAt('discord', 'c1')).toBe(clock.now() + 4_500);
    clock.advance(4_499);
    expect(limiter.tryAcquire('discord', 'c1').ok).toBe(false);
    clock.advance(1);
    expect(limiter.tryAcquire('discord', 'c1')).toEqual({ ok: true });
  });

  it('never allows more than 5 in any 5 s window, even sending as fast as allowed', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    const sent: number[] = [];
    while (clock.now() < 1_000_000 + 30_000) {
      const r = limiter.tryAcquire('discord', 'c1');
      if (r.ok) sent.push(clock.now());
      clock.advance(r.ok ? 0 : r.waitMs);
    }
    for (let i = 5; i < sent.length; i++) expect((sent[i] as number) - (sent[i - 5] as number)).toBeGreaterThanOrEqual(5_000);
    expect(sent.length).toBe(30);
  });

  it('channels are independent, but the global 50/s caps many channels together', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    let granted = 0;
    let firstRefusal: { ok: boolean; waitMs?: number } | undefined;
    for (let channel = 0; channel < 80; channel++) {
      const r = limiter.tryAcquire('discord', `c${channel}`);
      if (r.ok) granted++;
      else firstRefusal ??= r;
    }
    expect(granted).toBe(50);
    expect(firstRefusal).toEqual({ ok: false, waitMs: 1_000 });
    // Telegram has its own global budget.
    expect(limiter.tryAcquire('telegram', '42').ok).toBe(true);
    clock.advance(1_000);
    expect(limiter.tryAcquire('discord', 'c79').ok).toBe(true);
  });

  it('pause honours retry_after for one channel, and pausePlatform for all', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    limiter.pause('discord', 'c1', clock.now() + 2_500);
    expect(limiter.tryAcquire('discord', 'c1')).toEqual({ ok: false, waitMs: 2_500 });
    expect(limiter.tryAcquire('discord', 'c2').ok).toBe(true);
    limiter.pause('discord', 'c1', clock.now() + 100); // a shorter pause does not shorten it
    clock.advance(2_500);
    expect(limiter.tryAcquire('discord', 'c1').ok).toBe(true);

    limiter.pausePlatform('discord', clock.now() + 700);
    expect(limiter.tryAcquire('discord', 'c3')).toEqual({ ok: false, waitMs: 700 });
    expect(limiter.tryAcquire('telegram', '1').ok).toBe(true);
  });
});

describe('DeliveryLimiter — Telegram', () => {
  it('1 message per second to a private chat', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    expect(limiter.tryAcquire('telegram', '12345').ok).toBe(true);
    expect(limiter.tryAcquire('telegram', '12345')).toEqual({ ok: false, waitMs: 1_000 });
    clock.advance(1_000);
    expect(limiter.tryAcquire('telegram', '12345').ok).toBe(true);
  });

  it('a group gets 20 per minute: the 21st within the minute waits', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    for (let i = 0; i < 20; i++) {
      expect(limiter.tryAcquire('telegram', '-100123').ok).toBe(true);
      clock.advance(1_000);
    }
    // 20 s after the first: 40 s to go before it leaves the minute.
    expect(limiter.tryAcquire('telegram', '-100123')).toEqual({ ok: false, waitMs: 40_000 });
    // A private chat sending at the same pace is not limited that way.
    for (let i = 0; i < 21; i++) {
      expect(limiter.tryAcquire('telegram', '777').ok).toBe(true);
      clock.advance(1_000);
    }
  });

  it('the global 30/s caps many chats', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock });
    const granted = Array.from({ length: 40 }, (_, i) => limiter.tryAcquire('telegram', String(i + 1)).ok).filter(Boolean).length;
    expect(granted).toBe(30);
  });
});

describe('DeliveryLimiter — keys', () => {
  it('creates keys lazily and sweeps idle ones', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock, sweepEveryMs: 1_000_000 });
    expect(limiter.waitTime('discord', 'never-used')).toBe(0);
    expect(limiter.size).toBe(0);
    limiter.tryAcquire('discord', 'c1');
    limiter.tryAcquire('telegram', '-5');
    limiter.pause('telegram', '9', clock.now() + 120_000);
    expect(limiter.size).toBe(3);
    clock.advance(5_000);
    expect(limiter.sweep()).toBe(1); // only c1: its 5 s window is over; the group's minute and the pause are not
    clock.advance(55_000);
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(1);
    clock.advance(60_000);
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(0);
  });

  it('sweeps on its own from tryAcquire, at most every sweepEveryMs', () => {
    const clock = fakeClock();
    const limiter = new DeliveryLimiter({ clock, sweepEveryMs: 60_000 });
    for (let i = 0; i < 100; i++) limiter.tryAcquire('discord', `c${i}`);
    expect(limiter.size).toBe(100);
    clock.advance(60_000);
    limiter.tryAcquire('discord', 'fresh');
    expect(limiter.size).toBe(1);
  });

  it('console is unlimited; custom rules replace a platform', () => {
    const limiter = new DeliveryLimiter({ rules: { discord: { perDestination: [{ limit: 1, windowMs: 10 }], global: [] } } });
    for (let i = 0; i < 1000; i++) expect(limiter.tryAcquire('console', 'stdout', 0).ok).toBe(true);
    expect(limiter.tryAcquire('discord', 'c', 0).ok).toBe(true);
    expect(limiter.tryAcquire('discord', 'c', 5)).toEqual({ ok: false, waitMs: 5 });
    expect(() => new DeliveryLimiter({ rules: { console: { perDestination: [{ limit: 0, windowMs: 1 }], global: [] } } }).tryAcquire('console', 'x', 0)).toThrow(RangeError);
  });
});
