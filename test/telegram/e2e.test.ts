/** End to end: real grammY + the fake Bot API + the fake SOOP server + the real app. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PlatformAdapter } from '../../src/app.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { ANONYMOUS_ADMIN, type FakeChat, type FakeUser } from '../fakes/telegram.js';
import { startTelegramWorld, type TelegramWorld } from './harness.js';

let w: TelegramWorld;
beforeAll(async () => {
  w = await startTelegramWorld();
});
afterAll(async () => {
  await w?.close();
});

const alice: FakeUser = { id: 11, first_name: 'Alice', language_code: 'en' };
const bob: FakeUser = { id: 12, first_name: 'Bob' };
let nextChat = 1000;
const group = (type: 'group' | 'supergroup' = 'supergroup'): FakeChat => ({ id: -(type === 'supergroup' ? 1_000_000_000_000 : 0) - ++nextChat, type, title: 'fans' });
let nextStreamer = 0;
const streamer = (): string => `tgbj${++nextStreamer}`;
const tg = (chat: FakeChat) => ({ platform: 'telegram' as const, id: String(chat.id) });

/** An admin subscribes `chat` to a live streamer and the engine joins its room. */
async function subscribed(chat: FakeChat, options = '') {
  const id = streamer();
  const room = w.sim.room(id);
  room.goLive({ title: '테스트 방송' });
  w.fake.setMember(chat.id, alice.id, 'administrator');
  w.fake.message(chat, alice, `/subscribe ${id} ${options}`.trim());
  const reply = await w.next(chat.id, (m) => m.parseMode === undefined);
  expect(reply.visible).toContain(`Now watching ${id}`);
  await room.waitForJoined(1, 5000);
  // The "stream is live" alert comes first; tests look at what follows.
  await w.next(chat.id, (m) => m.parseMode === 'HTML' && m.visible.includes('🔴'));
  return { id, room };
}

const balloon = (id: string, nickname: string, count: number) => starBalloonPacket({ streamerId: id, userId: 'fan1', nickname, count });

describe('telegram end to end', () => {
  it('implements PlatformAdapter and is ready; the menu is set in Korean and English', () => {
    const adapter: PlatformAdapter = w.adapter;
    expect(adapter.ready).toBe(true);
    expect(w.adapter.username).toBe(w.fake.botUser.username);
    const ko = w.fake.commands.get('default|');
    const en = w.fake.commands.get('default|en');
    expect(ko?.map((c) => c.command)).toContain('subscribe');
    expect(ko?.find((c) => c.command === 'subscribe')?.description).toMatch(/알림/);
    expect(en?.find((c) => c.command === 'subscribe')?.description).toMatch(/Start alerts/);
    expect(w.fake.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
  });

  it('a non-admin cannot subscribe a group; an admin can, and the engine joins the room', async () => {
    const chat = group();
    const id = streamer();
    const room = w.sim.room(id);
    room.goLive();
    w.fake.message(chat, bob, `/subscribe ${id}`);
    const refused = await w.next(chat.id);
    expect(refused.visible).toBe('이 그룹에서는 관리자만 구독을 바꿀 수 있습니다.');
    expect(refused.parseMode).toBeUndefined();
    expect(w.store.listByDestination(tg(chat))).toEqual([]);

    w.fake.setMember(chat.id, alice.id, 'administrator');
    w.fake.message(chat, alice, `/subscribe ${id} 안녕, 축하`);
    const ok = await w.next(chat.id);
    expect(ok.visible).toContain(`Now watching ${id}`);
    expect(w.store.find(tg(chat), id)).toMatchObject({ streamerId: id, keywords: ['안녕', '축하'], createdBy: String(alice.id), locale: 'en' });
    await room.waitForJoined(1, 5000);
    // Anyone may list and check the status.
    w.fake.message(chat, bob, '/list');
    expect((await w.next(chat.id, (m) => m.parseMode === undefined)).visible).toContain(`• ${id}`);
  });

  it('an anonymous admin (posting as the group) and a channel post can subscribe', async () => {
    const chat = group();
    const id = streamer();
    w.fake.message(chat, ANONYMOUS_ADMIN, `/subscribe ${id}`, { sender_chat: chat });
    expect((await w.next(chat.id)).visible).toContain(`${id} 알림을 시작합니다.`);
    expect(w.store.find(tg(chat), id)).toBeDefined();

    const channel: FakeChat = { id: -1_009_000_000_001, type: 'channel', title: 'news' };
    w.fake.channelPost(channel, `/subscribe@${w.fake.botUser.username} ${id}`);
    expect((await w.next(channel.id)).visible).toContain(`${id} 알림을 시작합니다.`);
    // Neither needed a getChatMember lookup.
    const lookedUp = w.fake.calls.filter((c) => c.method === 'getChatMember').map((c) => Number(c.payload.chat_id));
    expect(lookedUp).not.toContain(chat.id);
    expect(lookedUp).not.toContain(channel.id);
  });

  it('a balloon becomes one HTML message, donor text escaped; small ones silent, big ones ring', async () => {
    const chat = group();
    const { id, room } = await subscribed(chat, 'loud=1000');
    room.send(balloon(id, '<b>&</b>', 10));
    const small = await w.next(chat.id, (m) => m.parseMode === 'HTML');
    expect(small.visible).toContain('<b>&</b> (fan1)');
    expect(small.text).toContain('&lt;b&gt;&amp;&lt;/b&gt;');
    const nickname = small.visible.indexOf('<b>&</b>');
    expect(small.entities).toContainEqual({ type: 'bold', offset: nickname, length: '<b>&</b>'.length });
    expect(small.disableNotification).toBe(true);
    expect(small.linkPreviewDisabled).toBe(true);

    room.send(balloon(id, 'big fan', 1000));
    const big = await w.next(chat.id, (m) => m.parseMode === 'HTML');
    expect(big.visible).toContain('big fan');
    expect(big.disableNotification).toBe(false);
    await w.app.router.idle();
    expect(w.fake.sentTo(chat.id).filter((m) => m.visible.includes('<b>&</b>'))).toHaveLength(1);
  });

  it('429: the alert waits retry_after and is delivered, not lost', async () => {
    const chat = group();
    const { id, room } = await subscribed(chat);
    const before = w.fake.sendAttempts(chat.id);
    w.fake.failNextSend(chat.id, { kind: 'rateLimited', retryAfter: 1 });
    room.send(balloon(id, 'patient', 50));
    const delivered = await w.next(chat.id, (m) => m.visible.includes('patient'), 5000);
    expect(delivered.parseMode).toBe('HTML');
    expect(w.fake.sendAttempts(chat.id) - before).toBe(2);
    expect(w.app.router.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(w.store.find(tg(chat), id)?.paused).toBe(false);
  });

  it('403 blocked: the subscription is paused with the reason', async () => {
    const user: FakeUser = { id: 31, first_name: 'Solo', language_code: 'ko' };
    const chat: FakeChat = { id: user.id, type: 'private', first_name: 'Solo' };
    const id = streamer();
    const room = w.sim.room(id);
    room.goLive();
    w.fake.message(chat, user, `/subscribe ${id}`);
    await w.next(chat.id);
    await room.waitForJoined(1, 5000);
    await w.next(chat.id, (m) => m.parseMode === 'HTML');
    w.fake.setChatState(chat.id, { kind: 'blocked' });
    room.send(balloon(id, 'unheard', 10));
    await vi.waitFor(() => expect(w.store.find(tg(chat), id)).toMatchObject({ paused: true, pausedReason: 'the user blocked the bot' }), { timeout: 5000 });
    // The last subscription paused: the engine leaves the room.
    await vi.waitFor(() => expect(room.connections).toBe(0), { timeout: 5000 });
  });

  it('group → supergroup: sendMessage answers migrate_to_chat_id, the subscription follows and the alert arrives there', async () => {
    const chat = group('group');
    const { id, room } = await subscribed(chat);
    const supergroup = -1_000_000_777_001;
    w.fake.setChatState(chat.id, { kind: 'migrated', to: supergroup });
    room.send(balloon(id, 'mover', 20));
    const arrived = await w.next(supergroup, (m) => m.visible.includes('mover'));
    expect(arrived.parseMode).toBe('HTML');
    expect(w.store.find({ platform: 'telegram', id: String(supergroup) }, id)).toBeDefined();
    expect(w.store.listByDestination(tg(chat))).toEqual([]);
  });

  it('group → supergroup: the service message moves the subscription before any send fails', async () => {
    const chat = group('group');
    const id = streamer();
    w.fake.setMember(chat.id, alice.id, 'administrator');
    w.fake.message(chat, alice, `/subscribe ${id}`);
    await w.next(chat.id);
    const supergroup = -1_000_000_777_002;
    w.fake.migrate(chat, supergroup, alice);
    await vi.waitFor(() => expect(w.store.find({ platform: 'telegram', id: String(supergroup) }, id)).toBeDefined());
    expect(w.store.listByDestination(tg(chat))).toEqual([]);
  });

  it('/list buttons: a non-admin press is refused, an admin press unsubscribes and the list updates', async () => {
    const chat = group();
    const id = streamer();
    w.fake.setMember(chat.id, alice.id, 'administrator');
    w.fake.message(chat, alice, `/subscribe ${id}`);
    await w.next(chat.id);
    w.fake.message(chat, bob, '/list');
    const list = await w.next(chat.id, (m) => m.replyMarkup !== undefined);
    const buttons = list.replyMarkup?.inline_keyboard.flat() ?? [];
    expect(buttons.map((b) => b.text)).toEqual([`⏸ ${id} 멈춤`, `❌ ${id} 끄기`]);
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data ?? '')).toBeLessThanOrEqual(64);
    const stop = buttons[1]?.callback_data ?? '';

    const denied = w.fake.callback(chat, bob, stop, list.messageId);
    await vi.waitFor(() => expect(w.fake.callbackAnswers.some((a) => a.callback_query_id === denied.callbackId)).toBe(true));
    expect(w.fake.callbackAnswers.find((a) => a.callback_query_id === denied.callbackId)).toMatchObject({ show_alert: true, text: '이 그룹에서는 관리자만 구독을 바꿀 수 있습니다.' });
    expect(w.store.find(tg(chat), id)).toBeDefined();

    const pressed = w.fake.callback(chat, alice, stop, list.messageId);
    await vi.waitFor(() => expect(w.fake.callbackAnswers.some((a) => a.callback_query_id === pressed.callbackId)).toBe(true));
    expect(w.fake.callbackAnswers.find((a) => a.callback_query_id === pressed.callbackId)?.text).toBe(`Stopped watching ${id}.`);
    expect(w.store.find(tg(chat), id)).toBeUndefined();
    await vi.waitFor(() => expect(w.fake.edits.some((e) => e.message_id === list.messageId && e.visible.startsWith('No streamers watched here'))).toBe(true));

    const stale = w.fake.callback(chat, alice, 'garbage', list.messageId);
    await vi.waitFor(() => expect(w.fake.callbackAnswers.find((a) => a.callback_query_id === stale.callbackId)).toMatchObject({ show_alert: true }));
  });

  it('/status and /test reply; the test alert arrives as an alert', async () => {
    const chat = group();
    const { id } = await subscribed(chat);
    w.fake.message(chat, bob, `/status ${id}`);
    const status = await w.next(chat.id, (m) => m.parseMode === undefined);
    expect(status.visible).toContain(id);
    expect(status.visible).toContain('채팅 수신 중');
    const before = w.fake.sentTo(chat.id).length;
    w.fake.message(chat, alice, `/test`);
    // The reply and the test alert race each other: both must arrive, in either order.
    await vi.waitFor(() => {
      const recent = w.fake.sentTo(chat.id).slice(before);
      expect(recent.map((m) => m.visible)).toContain(`Sent a test alert for ${id}; it will appear here shortly.`);
      expect(recent.find((m) => m.parseMode === 'HTML')?.visible).toContain('Test alert');
    });
  });

  it('keywords, minballoons, pause and resume change the store; bad input gets a clear reply and saves nothing', async () => {
    const chat = group();
    const id = streamer();
    w.fake.setMember(chat.id, alice.id, 'administrator');
    const say = async (text: string, from: FakeUser = alice) => {
      w.fake.message(chat, from, text);
      return (await w.next(chat.id)).visible;
    };
    expect(await say('/subscribe')).toContain('Usage: /subscribe');
    expect(await say('/subscribe <b>not-an-id</b>')).toContain('"<b>not-an-id</b>" is not a valid SOOP streamer id');
    expect(await say(`/subscribe ${id} min=lots`)).toContain('min_balloons must be a whole number');
    expect(w.store.listByDestination(tg(chat))).toEqual([]);

    await say(`/subscribe ${id} min=5`);
    expect(await say(`/keywords ${id} add 축하, 대박`)).toBe(`${id}: 축하, 대박`);
    expect(await say(`/keywords ${id}`, bob)).toBe(`${id}: 축하, 대박`);
    expect(await say(`/keywords ${id} remove 대박`, bob)).toBe('이 그룹에서는 관리자만 구독을 바꿀 수 있습니다.');
    expect(await say(`/keywords ${id} remove 대박`)).toBe(`${id}: 축하`);
    expect(await say(`/keywords ${id} shuffle x`)).toContain('Unknown action "shuffle"');
    expect(await say(`/minballoons ${id} 100`)).toBe(`${id}: only gifts of 100 balloons or more.`);
    expect(await say(`/minballoons ${id} -3`)).toContain('min_balloons must be a whole number');
    expect(await say('/pause')).toBe(`Paused: ${id}`);
    expect(w.store.find(tg(chat), id)).toMatchObject({ paused: true, minBalloons: 100, keywords: ['축하'] });
    expect(await say(`/resume ${id}`)).toBe(`Resumed: ${id}`);
    expect(await say(`/unsubscribe`)).toContain('Usage: /unsubscribe');
    expect(await say(`/unsubscribe ${id}`)).toBe(`Stopped watching ${id}.`);
    expect(w.store.listByDestination(tg(chat))).toEqual([]);
  });

  it('one slow chat does not hold up the others (updates are handled concurrently)', async () => {
    const slow = group();
    const quick = group();
    w.fake.setMember(slow.id, alice.id, 'administrator');
    w.fake.delayMemberLookups(slow.id, 800);
    w.fake.message(slow, alice, '/pause');
    w.fake.message(quick, bob, '/help');
    await w.next(quick.id);
    // The quick chat got its answer while the slow chat's admin check was still pending.
    expect(w.fake.sentTo(slow.id)).toHaveLength(0);
    expect((await w.next(slow.id)).visible).toBe('This chat watches no streamers.');
  });

  it('admin checks are cached briefly', async () => {
    const chat = group();
    w.fake.setMember(chat.id, alice.id, 'administrator');
    const before = w.fake.memberLookups;
    for (const text of ['/pause', '/resume', '/pause']) {
      w.fake.message(chat, alice, text);
      await w.next(chat.id);
    }
    expect(w.fake.memberLookups - before).toBe(1);
  });

  it('my_chat_member kicked: the subscriptions are paused; re-added: the bot says how to resume', async () => {
    const chat = group();
    const { id } = await subscribed(chat);
    w.fake.myChatMember(chat, alice, 'member', 'kicked');
    await vi.waitFor(() => expect(w.store.find(tg(chat), id)).toMatchObject({ paused: true, pausedReason: 'the bot was removed from the chat' }));
    w.fake.myChatMember(chat, alice, 'left', 'member');
    expect((await w.next(chat.id)).visible).toContain('/resume');
  });

  it('help and start reply in the sender\'s language; unknown commands in private get a pointer', async () => {
    const chat: FakeChat = { id: alice.id, type: 'private', first_name: 'Alice' };
    w.fake.message(chat, alice, '/start');
    expect((await w.next(chat.id)).visible).toContain('Hello!');
    w.fake.message(chat, { ...alice, language_code: 'ko' }, '/help');
    expect((await w.next(chat.id)).visible).toContain('/subscribe <스트리머> [키워드]');
    w.fake.message(chat, alice, '/frobnicate');
    expect((await w.next(chat.id)).visible).toBe('Unknown command; try /help.');
  });
});
