/**
 * Rendering cost: ordinary alerts (what SOOP sends) per second on each platform, and the worst case
 * the limits are built for — every untrusted field 20,000 characters of markup, entities and emoji,
 * alone and as a digest of 25 — in milliseconds per rendering (it runs on the event loop).
 */
import type { Alert } from '../src/route/alert.js';
import { renderDiscord, renderDiscordDigest, renderTelegram, renderTelegramDigest } from '../src/route/format.js';
import { measureRate, report } from './report.js';

const base = { streamerId: 'khm11903', locale: 'ko', loud: false } as const;
const flags = { raw: '0|0', flag1: 0, flag2: 0, roles: [], subscriberTier: 0 } as const;

const donation = (nickname: string, message: string): Alert => ({
  ...base,
  kind: 'star',
  event: { kind: 'donation', code: '0018', type: 'star', userId: 'viewer01', nickname, count: 100, fanOrder: 12, newTopFan: false, message },
});
const chat = (nickname: string, message: string): Alert => ({
  ...base,
  kind: 'chat',
  event: { kind: 'chat', code: '0005', message, userId: 'viewer01', nickname, roles: [], flags, subscriptionMonths: null },
});

const HOSTILE = '*<&>_😀 @everyone 👨‍👩‍👧‍👦 '.repeat(1000).slice(0, 20_000);

function msPer(fn: () => unknown): number {
  fn();
  const rounds = 20;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

export async function run(): Promise<void> {
  const ordinary = donation('별빛_*', '사랑해요 **최고** ㅋㅋㅋ 😀');
  report({ bench: 'render', metric: 'discord.ordinary.perSec', value: measureRate(600, () => (renderDiscord(ordinary), 1)), unit: 'alerts/s' });
  report({ bench: 'render', metric: 'telegram.ordinary.perSec', value: measureRate(600, () => (renderTelegram(ordinary), 1)), unit: 'alerts/s' });
  const hostile = donation(HOSTILE, HOSTILE);
  const digest = Array.from({ length: 25 }, () => chat(HOSTILE, HOSTILE));
  report({ bench: 'render', metric: 'discord.hostile20k.ms', value: msPer(() => renderDiscord(hostile)), unit: 'ms' });
  report({ bench: 'render', metric: 'telegram.hostile20k.ms', value: msPer(() => renderTelegram(hostile)), unit: 'ms' });
  report({ bench: 'render', metric: 'discord.digest25x20k.ms', value: msPer(() => renderDiscordDigest(digest)), unit: 'ms' });
  report({ bench: 'render', metric: 'telegram.digest25x20k.ms', value: msPer(() => renderTelegramDigest(digest)), unit: 'ms' });
  await Promise.resolve();
}
