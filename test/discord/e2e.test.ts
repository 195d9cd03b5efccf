/**
 * End to end: real discord.js + the fake Discord + the fake SOOP server + the real app on SQLite.
 * One bot for the whole file; each test uses its own streamer and channel.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../src/discord/commands.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { chatPacket, starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { FakeDiscord, MEMBER_PERMISSIONS, Perm, type FakeGuild, type RecordedMessage } from '../fakes/discord.js';
import { startBot, tempDatabase, type RunningBot } from './harness.js';

let sim: SoopSimulator;
let fake: FakeDiscord;
let guild: FakeGuild;
let running: RunningBot;
let db: ReturnType<typeof tempDatabase>;
let n = 0;
let nextChannel = 0;

const fresh = (): string => `dcbj${++n}`;
/** A channel of the shared guild no other test uses (the first is the system channel). */
const channel = (): string => guild.channelIds[++nextChannel] as string;
const role = (): string => guild.roles[1]?.id as string;

beforeAll(async () => {
  sim = await startSoopSimulator();
  fake = await FakeDiscord.start({ messageLimit: { limit: 5, windowMs: 500 } });
  guild = fake.createGuild({ channels: 16, roles: [{ name: 'donation-pings' }], systemChannel: true });
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

async function watchLive(channelId: string, streamer: string, options: Record<string, string | number | boolean> = {}) {
  const room = sim.room(streamer);
  // A broadcast is announced once (the first subscriber sees it); a later subscriber skips the wait.
  const announce = room.state !== 'live';
  if (announce) room.goLive({ title: '테스트 방송' });
  const reply = await fake.interaction({ command: 'watch', guildId: guild.id, channelId, locale: 'en-US', options: { streamer, ...options } });
  expect(reply.content).toContain(`Now watching ${streamer}`);
  await room.waitForJoined(1);
  // The live announcement comes first; tests look at what follows it.
  if (announce) await fake.waitForMessages((all) => all.some((m) => m.channelId === channelId && m.body.embeds?.[0]?.title?.includes('🔴') === true));
  return room;
}

const donationsIn = (channelId: string): RecordedMessage[] => fake.messagesIn(channelId).filter((m) => m.body.embeds?.[0]?.title?.includes('⭐') === true);

describe('Discord end to end', () => {
  it('registers every slash command at startup, Korean names included', () => {
    expect(fake.commandPuts).toBe(1);
    expect(fake.commands.map((c) => c.name).sort()).toEqual([...COMMAND_NAMES].sort());
    const watch = fake.commands.find((c) => c.name === 'watch');
    expect(watch?.name_localizations?.ko).toBe('구독');
    expect(watch?.default_member_permissions).toBe(String(Perm.ManageChannels));
    expect(running.adapter.ready).toBe(true);
  });

  it('refuses /watch from a member without Manage Channels, and saves nothing', async () => {
    const channelId = channel();
    const reply = await fake.interaction({ command: 'watch', guildId: guild.id, channelId, memberPermissions: MEMBER_PERMISSIONS, options: { streamer: fresh() } });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('채널 관리');
    expect(running.store.listByDestination({ platform: 'discord', id: channelId, guildId: guild.id })).toEqual([]);
  });

  it('refuses /watch when the bot lacks Embed Links, naming exactly what is missing', async () => {
    const channelId = channel();
    const reply = await fake.interaction({
      command: 'watch',
      guildId: guild.id,
      channelId,
      locale: 'en-GB',
      appPermissions: Perm.ViewChannel | Perm.SendMessages,
      options: { streamer: fresh() },
    });
    expect(reply.content).toContain('missing permissions in this channel: Embed Links.');
    expect(reply.content).not.toContain('Send Messages');
    expect(reply.content).toContain('Nothing was saved');
    expect(running.store.listByDestination({ platform: 'discord', id: channelId, guildId: guild.id })).toEqual([]);
  });

  it('rejects a bad streamer id and bad events clearly, saving nothing', async () => {
    const channelId = channel();
    const bad = await fake.interaction({ command: 'watch', guildId: guild.id, channelId, locale: 'en-US', options: { streamer: 'no way!' } });
    expect(bad.content).toContain('not a valid SOOP streamer id');
    const events = await fake.interaction({ command: 'watch', guildId: guild.id, channelId, locale: 'en-US', options: { streamer: fresh(), events: 'star,fireworks' } });
    expect(events.content).toContain('Unknown event');
    expect(running.store.listByDestination({ platform: 'discord', id: channelId, guildId: guild.id })).toEqual([]);
  });

  it('/watch stores the subscription, joins the room, and a balloon becomes exactly one safe embed', async () => {
    const channelId = channel();
    const streamer = fresh();
    const room = await watchLive(channelId, streamer);
    expect(running.store.find({ platform: 'discord', id: channelId, guildId: guild.id }, streamer)).toMatchObject({ streamerId: streamer, paused: false });

    room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan01', nickname: '별풍선팬', count: 100 }));
    await fake.waitForMessages(() => donationsIn(channelId).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [message] = donationsIn(channelId);
    expect(donationsIn(channelId)).toHaveLength(1);
    expect(message?.body.content).toBeUndefined();
    expect(message?.body.allowed_mentions).toEqual({ parse: [], roles: [] });
    expect(message?.body.enforce_nonce).toBe(true);
    expect(String(message?.body.nonce).length).toBeLessThanOrEqual(25);
    const embed = message?.body.embeds?.[0];
    expect(embed?.color).toBe(0xf1c40f);
    expect(embed?.title).toContain('100');
    expect(embed?.description).toContain('별풍선팬');
  });

  it('relays a keyword chat containing @everyone without pinging anyone', async () => {
    const channelId = channel();
    const streamer = fresh();
    const room = await watchLive(channelId, streamer, { keywords: '대박' });
    room.send(chatPacket({ message: '@everyone 대박 <@&123456789012345678>', userId: 'troll', nickname: '@here' }));
    await fake.waitForMessages(() => fake.messagesIn(channelId).some((m) => m.body.embeds?.[0]?.title?.includes('💬') === true));
    const chat = fake.messagesIn(channelId).find((m) => m.body.embeds?.[0]?.title?.includes('💬') === true);
    expect(chat?.body.allowed_mentions).toEqual({ parse: [], roles: [] });
    expect(chat?.body.content).toBeUndefined();
    const text = JSON.stringify(chat?.body.embeds);
    expect(text).toContain('대박');
    expect(text).not.toMatch(/@everyone|@here|<@&\d/);
  });

  it('mentions the configured role on loud gifts only, and only that role', async () => {
    const channelId = channel();
    const streamer = fresh();
    const room = await watchLive(channelId, streamer, { mention_role: role(), loud_above: 500 });
    room.send(starBalloonPacket({ streamerId: streamer, userId: 'small', nickname: '작은손', count: 10 }));
    room.send(starBalloonPacket({ streamerId: streamer, userId: 'big', nickname: '큰손', count: 1000 }));
    await fake.waitForMessages(() => donationsIn(channelId).length === 2);
    const [quiet, loud] = donationsIn(channelId);
    expect(quiet?.body.content).toBeUndefined();
    expect(quiet?.body.allowed_mentions).toEqual({ parse: [], roles: [] });
    expect(loud?.body.content).toBe(`<@&${role()}>`);
    expect(loud?.body.allowed_mentions).toEqual({ parse: [], roles: [role()] });
  });

  it('a 429 is waited out and the alert is delivered later, not lost', async () => {
    const channelId = channel();
    const streamer = fresh();
    const room = await watchLive(channelId, streamer);
    fake.failNextMessages({ status: 429, retryAfterSeconds: 0.3 }, 1, channelId);
    room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan', nickname: '기다림', count: 50 }));
    await fake.waitForMessages(() => donationsIn(channelId).length === 1);
    const attempts = fake.attempts.filter((a) => a.channelId === channelId && a.body.embeds?.[0]?.title?.includes('⭐') === true).map((a) => a.status);
    expect(attempts).toEqual([429, 200]);
  });

  it('50013 pauses the subscription with the reason, reports it once, and never retries', async () => {
    const channelId = channel();
    const streamer = fresh();
    const room = await watchLive(channelId, streamer);
    const destination = { platform: 'discord' as const, id: channelId, guildId: guild.id };
    fake.failNextMessages({ status: 403, code: 50013 }, 1, channelId);
    room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan', nickname: '막힘', count: 30 }));
    await vi.waitFor(() => expect(running.store.find(destination, streamer)?.paused).toBe(true));
    expect(running.store.find(destination, streamer)?.pausedReason).toContain('Missing Permissions (50013)');
    // The engine stops with its last active subscription, so later gifts go nowhere.
    await vi.waitFor(() => expect(room.connections).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.attempts.filter((a) => a.channelId === channelId && a.status !== 200)).toHaveLength(1);
    expect(running.logs.filter((l) => l.msg?.includes('Discord channel disabled') && (l.obj as { channel?: string }).channel === channelId)).toHaveLength(1);
    // The server hears about it once, in its system channel, with no pings.
    const notices = fake.messagesIn(guild.systemChannelId as string).filter((m) => m.body.content?.includes(`<#${channelId}>`) === true);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.body.content).toContain('/resume');
    expect(notices[0]?.body.allowed_mentions).toEqual({ parse: [] });

    const status = await fake.interaction({ command: 'status', guildId: guild.id, channelId, locale: 'en-US', options: { streamer } });
    expect(status.content).toContain('Missing Permissions');
    const resumed = await fake.interaction({ command: 'resume', guildId: guild.id, channelId, locale: 'en-US', options: { streamer } });
    expect(resumed.content).toContain(`Resumed: ${streamer}`);
    await room.waitForJoined(1);
  });

  it('/status, /watches, autocomplete, and /unwatch with the engine stopping after the last subscription', async () => {
    const [first, second] = [channel(), channel()];
    const streamer = fresh();
    const room = await watchLive(first, streamer);
    await watchLive(second, streamer);
    expect(room.connections).toBe(1);

    const status = await fake.interaction({ command: 'status', guildId: guild.id, channelId: first, locale: 'en-US', options: { streamer } });
    expect(status.content).toContain('State');
    const list = await fake.interaction({ command: 'watches', guildId: guild.id, channelId: first, locale: 'en-US', options: { server: true } });
    expect(list.content).toContain(first);
    expect(list.content).toContain(second);
    const choices = await fake.autocomplete({ command: 'unwatch', guildId: guild.id, channelId: first, focused: 'streamer', options: { streamer: streamer.slice(0, 3) } });
    expect(choices.choices).toEqual([{ name: streamer, value: streamer }]);

    await fake.interaction({ command: 'unwatch', guildId: guild.id, channelId: first, options: { streamer } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(room.connections).toBe(1);
    const gone = await fake.interaction({ command: 'unwatch', guildId: guild.id, channelId: second, locale: 'en-US', options: { streamer } });
    expect(gone.content).toContain(`Stopped watching ${streamer}`);
    await vi.waitFor(() => expect(room.connections).toBe(0));
  });

  it('/test posts a clearly marked test alert in the channel', async () => {
    const channelId = channel();
    const streamer = fresh();
    await watchLive(channelId, streamer);
    const reply = await fake.interaction({ command: 'test', guildId: guild.id, channelId, options: {} });
    expect(reply.content).toContain('테스트 알림');
    await fake.waitForMessages(() => fake.messagesIn(channelId).some((m) => m.body.embeds?.[0]?.title?.includes('🧪') === true));
  });

  it('GUILD_DELETE removes the subscriptions of that server; CHANNEL_DELETE those of the channel', async () => {
    const other = fake.createGuild({ channels: 2 });
    const [a, b] = other.channelIds as [string, string];
    const streamer = fresh();
    sim.room(streamer).goLive();
    await vi.waitFor(() => expect(running.adapter.client.guilds.cache.has(other.id)).toBe(true));
    for (const channelId of [a, b]) await fake.interaction({ command: 'watch', guildId: other.id, channelId, options: { streamer } });
    expect(running.store.listByGuild(other.id)).toHaveLength(2);

    fake.channelDelete(a);
    await vi.waitFor(() => expect(running.store.listByGuild(other.id).map((s) => s.destination.id)).toEqual([b]));
    fake.guildDelete(other.id);
    await vi.waitFor(() => expect(running.store.listByGuild(other.id)).toEqual([]));
    await vi.waitFor(() => expect(sim.room(streamer).connections).toBe(0));
  });
});
