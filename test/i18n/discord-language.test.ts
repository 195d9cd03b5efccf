/**
 * Discord, end to end (real discord.js, fake Discord, fake SOOP, real app on SQLite): a channel's
 * alerts start in the server's language (guild_locale), whoever ran /watch; /settings language
 * (Korean name /설정 언어) changes them for the next alert; every reply follows the user's locale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/i18n/index.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { FakeDiscord, MEMBER_PERMISSIONS, Perm, type FakeGuild, type InteractionOptions } from '../fakes/discord.js';
import { startBot, tempDatabase, type RunningBot } from '../discord/harness.js';
import { assertInLanguage } from './language-check.js';

let sim: SoopSimulator;
let fake: FakeDiscord;
let guild: FakeGuild;
let plainGuild: FakeGuild;
let running: RunningBot;
let db: ReturnType<typeof tempDatabase>;
let seq = 0;
let nextChannel = 0;
const fresh = (): string => `dclang${++seq}`;
const channel = (): string => guild.channelIds[nextChannel++] as string;
const starTitle = (locale: 'ko' | 'en', count: number): string => messagesFor(locale).balloons(messagesFor(locale).donationLabel.star, String(count));

beforeAll(async () => {
  sim = await startSoopSimulator();
  fake = await FakeDiscord.start();
  guild = fake.createGuild({ channels: 6, community: true });
  plainGuild = fake.createGuild({ channels: 1 });
  db = tempDatabase();
  running = await startBot({ fake, sim, databasePath: db.path });
});

afterAll(async () => {
  await running.stop();
  running.store.close();
  await fake.close();
  await sim.close();
  db.remove();
});

const ask = (channelId: string, options: Omit<InteractionOptions, 'guildId' | 'channelId'>) => fake.interaction({ guildId: guild.id, channelId, ...options });

/** /watch a live streamer here and wait past its live announcement. */
async function watch(channelId: string, locale: string, guildLocale: string) {
  const streamer = fresh();
  const room = sim.room(streamer);
  room.goLive({ title: 'language test' });
  await ask(channelId, { command: 'watch', locale, guildLocale, options: { streamer } });
  await room.waitForJoined(1);
  await fake.waitForMessages((all) => all.some((m) => m.channelId === channelId && m.body.embeds?.[0]?.title?.includes('🔴') === true));
  return { streamer, room };
}

async function balloonTitle(channelId: string, streamer: string, room: ReturnType<SoopSimulator['room']>, count: number): Promise<string> {
  room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan1', nickname: 'fan', count }));
  const titled = () => fake.messagesIn(channelId).find((m) => m.body.embeds?.[0]?.title?.includes(String(count)) === true);
  await fake.waitForMessages(() => titled() !== undefined);
  return titled()?.body.embeds?.[0]?.title ?? '';
}

describe('Discord: the alert language is the channel\'s setting', () => {
  it('a server that is not a Community server has no language of its own (Discord reports en-US): the first subscriber\'s stands in', async () => {
    const channelId = plainGuild.channelIds[0] as string;
    const streamer = fresh();
    await fake.interaction({ command: 'watch', guildId: plainGuild.id, channelId, locale: 'ko', guildLocale: 'en-US', options: { streamer } });
    expect(running.store.getDestinationLocale({ platform: 'discord', id: channelId })).toBe('ko');
  });

  it('registers /settings language with its Korean names and the two languages as choices', () => {
    const settings = fake.commands.find((c) => c.name === 'settings') as unknown as { name_localizations?: { ko?: string }; options?: { name: string; name_localizations?: { ko?: string }; options?: { choices?: { value: string }[] }[] }[] };
    expect(settings?.name_localizations?.ko).toBe('설정');
    expect(settings?.options?.[0]?.name).toBe('language');
    expect(settings?.options?.[0]?.name_localizations?.ko).toBe('언어');
    expect(settings?.options?.[0]?.options?.[0]?.choices?.map((c) => c.value)).toEqual(['ko', 'en']);
  });

  it('a Korean user in an English server: alerts in English, reply in Korean; /settings language ko switches the next alert', async () => {
    const channelId = channel();
    const { streamer, room } = await watch(channelId, 'ko', 'en-US');
    expect(await balloonTitle(channelId, streamer, room, 31)).toContain(starTitle('en', 31));

    const set = await ask(channelId, { command: 'settings', subcommand: 'language', locale: 'ko', guildLocale: 'en-US', options: { language: 'ko' } });
    expect(set.content).toBe('이제 이곳의 알림은 한국어로 보냅니다 (구독 1개).');
    expect(await balloonTitle(channelId, streamer, room, 32)).toContain(starTitle('ko', 32));

    const shown = await ask(channelId, { command: 'settings', subcommand: 'language', locale: 'en-US', guildLocale: 'en-US' });
    expect(shown.content).toBe('Alerts here are in Korean. To change it: /settings language ko or en');
  });

  it('an English user in a Korean server: alerts in Korean; a later /watch by someone else keeps the channel\'s language', async () => {
    const channelId = channel();
    const first = await watch(channelId, 'en-GB', 'ko');
    expect(await balloonTitle(channelId, first.streamer, first.room, 41)).toContain(starTitle('ko', 41));
    await ask(channelId, { command: 'settings', subcommand: 'language', locale: 'en-GB', guildLocale: 'ko', options: { language: 'en' } });
    const second = await watch(channelId, 'ko', 'ko');
    expect(await balloonTitle(channelId, second.streamer, second.room, 42)).toContain(starTitle('en', 42));
    expect(await balloonTitle(channelId, first.streamer, first.room, 43)).toContain(starTitle('en', 43));
  });

  it('the adapter\'s own replies (permissions, bad input, refusals) read as the user\'s language', async () => {
    const channelId = channel();
    const cases: Omit<InteractionOptions, 'guildId' | 'channelId' | 'locale'>[] = [
      { command: 'watch', memberPermissions: MEMBER_PERMISSIONS, options: { streamer: fresh() } },
      { command: 'watch', appPermissions: Perm.ViewChannel, options: { streamer: fresh() } },
      { command: 'watch', options: { streamer: 'bad id!' } },
      { command: 'watch', options: { streamer: fresh(), events: 'star,fireworks' } },
      { command: 'watch', options: { streamer: fresh(), keywords: 'y'.repeat(60) } },
      { command: 'unwatch', options: { streamer: 'dcnone1' } },
      { command: 'keywords', subcommand: 'add', options: { streamer: 'dcnone1', words: ' , ' } },
      { command: 'pause' },
      { command: 'resume', appPermissions: Perm.ViewChannel },
      { command: 'test', appPermissions: Perm.ViewChannel },
      { command: 'status', options: { streamer: 'dcnone1' } },
      { command: 'watches' },
      { command: 'settings', subcommand: 'language' },
      { command: 'help' },
    ];
    for (const c of cases) {
      for (const [locale, tag] of [['ko', 'ko'], ['en', 'en-US']] as const) {
        const reply = await ask(channelId, { ...c, locale: tag });
        assertInLanguage(locale, reply.content, ['bad id!', 'fireworks', 'y'.repeat(20), 'dcnone1'], `/${c.command} ${c.subcommand ?? ''}`);
      }
    }
  });
});
