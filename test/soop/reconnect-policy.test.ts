import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY, jittered, planRecovery, type RecoverySettings, type SessionEnd } from '../../src/soop/reconnect-policy.js';

const settings: RecoverySettings = {
  baseMs: 1000,
  maxMs: 60_000,
  stableSessionMs: 30_000,
  offlineCheckMs: 60_000,
  random: () => 1, // top of the jitter range: delays are exact
};

const allEnds: SessionEnd[] = [
  'liveInfoFailed',
  'liveInfoHostGone',
  'connectFailed',
  'loginRefused',
  'joinRefused',
  'joinTimeout',
  'socketClosed',
  'socketError',
  'stalled',
  'broadcastGone',
  'broadcastEnded',
];

describe('recovery table', () => {
  it('has exactly one rule per way a session ends', () => {
    expect(Object.keys(DEFAULT_RECOVERY).sort()).toEqual([...allEnds].sort());
  });

  it('never reconnects straight into an ended broadcast; everything else re-verifies live info first', () => {
    for (const end of allEnds) {
      expect(DEFAULT_RECOVERY[end].action).toBe(end === 'broadcastEnded' ? 'waitForLive' : 'verifyThenReconnect');
    }
  });

  it('backs off slower after a server refusal', () => {
    expect(DEFAULT_RECOVERY.loginRefused.minDelayMs).toBeGreaterThanOrEqual(10_000);
    expect(DEFAULT_RECOVERY.joinRefused.minDelayMs).toBeGreaterThanOrEqual(10_000);
  });
});

describe('planRecovery', () => {
  it('grows the backoff exponentially up to the cap and never gives up', () => {
    const delays: number[] = [];
    let attempt = 0;
    for (let i = 0; i < 10; i++) {
      const plan = planRecovery('socketClosed', { attempt, joinedForMs: 0 }, settings);
      expect(plan.action).toBe('verifyThenReconnect');
      delays.push(plan.delayMs);
      attempt = plan.nextAttempt;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    expect(attempt).toBe(10);
  });

  it('applies jitter (half to full ceiling)', () => {
    const low = planRecovery('stalled', { attempt: 3, joinedForMs: 0 }, { ...settings, random: () => 0 });
    expect(low.delayMs).toBe(4000);
  });

  it('starts the ladder over after a session that stayed joined long enough', () => {
    const plan = planRecovery('socketError', { attempt: 6, joinedForMs: 30_000 }, settings);
    expect(plan).toEqual({ action: 'verifyThenReconnect', delayMs: 1000, nextAttempt: 1 });
    const shortSession = planRecovery('socketError', { attempt: 6, joinedForMs: 29_999 }, settings);
    expect(shortSession.delayMs).toBe(60_000);
  });

  it('reconnects at once after a session that joined and received data, and starts the ladder over', () => {
    for (const end of ['socketClosed', 'socketError', 'stalled'] as const) {
      expect(planRecovery(end, { attempt: 5, joinedForMs: 2900, receivedData: true }, settings)).toEqual({ action: 'verifyThenReconnect', delayMs: 0, nextAttempt: 0 });
    }
    // Dropped right after the join (under a second): a refusal in effect, the ladder climbs.
    expect(planRecovery('socketClosed', { attempt: 2, joinedForMs: 200, receivedData: true }, settings).delayMs).toBe(4000);
    // A join that got nothing after it is not proof the connection works: the ladder climbs.
    expect(planRecovery('socketClosed', { attempt: 2, joinedForMs: 100, receivedData: false }, settings)).toEqual({ action: 'verifyThenReconnect', delayMs: 4000, nextAttempt: 3 });
    // Failed connects never count as data.
    expect(planRecovery('connectFailed', { attempt: 2, joinedForMs: 0, receivedData: true }, settings).delayMs).toBe(4000);
  });

  it('tells a person what kind of trouble each end is', () => {
    expect(DEFAULT_RECOVERY.liveInfoFailed.cause).toBe('unreachable');
    expect(DEFAULT_RECOVERY.connectFailed.cause).toBe('unreachable');
    expect(DEFAULT_RECOVERY.loginRefused.cause).toBe('refused');
    expect(DEFAULT_RECOVERY.socketClosed.cause).toBe('dropped');
  });

  it('waits at least minDelayMs after a refused login', () => {
    expect(planRecovery('loginRefused', { attempt: 0, joinedForMs: 0 }, settings)).toEqual({
      action: 'verifyThenReconnect',
      delayMs: 10_000,
      nextAttempt: 1,
    });
  });

  it('after 0088 resets the backoff and waits on the offline cadence', () => {
    expect(planRecovery('broadcastEnded', { attempt: 4, joinedForMs: 10 }, settings)).toEqual({
      action: 'waitForLive',
      delayMs: 72_000,
      nextAttempt: 0,
    });
  });

  it('accepts another table (tests use small minimum delays)', () => {
    const table = { ...DEFAULT_RECOVERY, loginRefused: { ...DEFAULT_RECOVERY.loginRefused, minDelayMs: 5 } };
    expect(planRecovery('loginRefused', { attempt: 0, joinedForMs: 0 }, { ...settings, baseMs: 2 }, table).delayMs).toBe(5);
  });
});

describe('jittered', () => {
  it('stays within ±20 %', () => {
    expect(jittered(1000, () => 0)).toBe(800);
    expect(jittered(1000, () => 0.5)).toBe(1000);
    expect(jittered(1000, () => 1)).toBe(1200);
  });
});
