/**
 * Telegram, end to end (real grammY, fake Bot API, fake SOOP, real app): a chat's alerts are in
 * the chat's language — first its subscriber's, then whatever /language (or /settings language)
 * set — while each reply follows whoever typed the command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/i18n/index.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import type { FakeChat, FakeUser } from '../fakes/telegram.js';
import { startTelegramWorld, type TelegramWorld } from '../telegram/harness.js';
import { assertInLanguage } from './language-check.js';

let w: TelegramWorld;
beforeAll(async () => {
  w = await startTelegramWorld();
});
afterAll(async () => {
  await w?.close();
});

const english: FakeUser = { id: 21, first_name: 'Eve', language_code: 'en' };
const korean: FakeUser = { id: 22, first_name: '민수', language_code: 'ko' };
const member: FakeUser = { id: 23, first_name: 'Bob', language_code: 'en' };
let seq = 0;
const streamer = (): string => `tglang${++seq}`;
const plain = (m: { parseMode: string | undefined }): boolean => m.parseMode === undefined;
const alert = (m: { parseMode: string | undefined }): boolean => m.parseMode === 'HTML';
const starTitle = (locale: 'ko' | 'en', count: number): string => messagesFor(locale).balloons(messagesFor(locale).donationLabel.star, String(count));

async function say(chat: FakeChat, from: FakeUser, text: string): Promise<string> {
  w.fake.message(chat, from, text);
  return (await w.next(chat.id, plain)).visible;
}

/** Subscribes `chat` (by `from`) to a live streamer and waits past its live alert. */
async function subscribe(chat: FakeChat, from: FakeUser) {
  const id = streamer();
  const room = w.sim.room(id);
  room.goLive({ title: '언어 테스트' });
  await say(chat, from, `/subscribe ${id}`);
  await room.waitForJoined(1, 5000);
  await w.next(chat.id, (m) => alert(m) && m.visible.includes('🔴'));
  return { id, room };
}

async function balloonAlert(chat: FakeChat, id: string, room: ReturnType<TelegramWorld['sim']['room']>, count: number): Promise<string> {
  room.send(starBalloonPacket({ streamerId: id, userId: 'fan1', nickname: 'fan', count }));
  return (await w.next(chat.id, (m) => alert(m) && m.visible.includes(String(count)))).visible;
}

describe('Telegram: the alert language is the chat\'s setting', () => {
  it('private chat: alerts start in the user\'s language; /language ko switches the next alert to Korean', async () => {
    const chat: FakeChat = { id: english.id, type: 'private', first_name: 'Eve' };
    const { id, room } = await subscribe(chat, english);
    expect(await balloonAlert(chat, id, room, 11)).toContain(starTitle('en', 11));

    const reply = await say(chat, english, '/language ko');
    expect(reply).toBe('Alerts here are now sent in Korean (1 subscription).');
    const next = await balloonAlert(chat, id, room, 12);
    expect(next).toContain(starTitle('ko', 12));
    expect(next).not.toContain('star balloons');
    expect(await say(chat, english, '/language')).toBe('Alerts here are in Korean. To change it: /language ko or en');
  });

  it('group: the first admin\'s language stays when another admin subscribes; /settings language en changes it; members cannot', async () => {
    const chat: FakeChat = { id: -1_002_000_000_001, type: 'supergroup', title: 'fans' };
    w.fake.setMember(chat.id, korean.id, 'administrator');
    w.fake.setMember(chat.id, english.id, 'administrator');
    const first = await subscribe(chat, korean);
    // An English admin adds a second streamer: the chat's alerts stay Korean, the reply is English.
    const second = await subscribe(chat, english);
    expect(await balloonAlert(chat, second.id, second.room, 21)).toContain(starTitle('ko', 21));

    expect(await say(chat, member, '/settings language en')).toBe('Only the admins of this group can change its subscriptions.');
    expect(await balloonAlert(chat, first.id, first.room, 22)).toContain(starTitle('ko', 22));

    expect(await say(chat, korean, '/settings language en')).toBe('이제 이곳의 알림은 영어로 보냅니다 (구독 2개).');
    expect(await balloonAlert(chat, first.id, first.room, 23)).toContain(starTitle('en', 23));
    expect(await balloonAlert(chat, second.id, second.room, 24)).toContain(starTitle('en', 24));
    // /status says which language the alerts are in, in the reader's language.
    expect(await say(chat, member, `/status ${first.id}`)).toContain('Alert language: English');
    expect(await say(chat, korean, `/status ${first.id}`)).toContain('알림 언어: 영어');
  });

  it('the handlers\' own replies (usage, refusals, unknown things) read as the sender\'s language', async () => {
    const chat: FakeChat = { id: -1_002_000_000_002, type: 'supergroup', title: 'fans' };
    w.fake.setMember(chat.id, korean.id, 'administrator');
    w.fake.setMember(chat.id, english.id, 'administrator');
    const typed = ['/subscribe', '/subscribe bad!id', '/unsubscribe', '/keywords', '/keywords tglangx frobnicate', '/minballoons', '/minballoons tglangx many', '/status', '/language klingon', '/settings colour', '/pause', '/test', '/help', '/start', '/list'];
    for (const text of typed) {
      for (const [locale, from] of [['ko', korean], ['en', english]] as const) {
        assertInLanguage(locale, await say(chat, from, text), ['bad!id', 'tglangx', 'frobnicate', 'klingon'], text);
      }
    }
    for (const [locale, from] of [['ko', korean], ['en', member]] as const) {
      assertInLanguage(locale, await say(chat, { ...from, id: from.id + 100 }, '/subscribe tglangy'), [], 'non-admin');
      const own: FakeChat = { id: from.id + 200, type: 'private', first_name: from.first_name };
      assertInLanguage(locale, await say(own, { ...from, id: own.id }, '/frobnicate'), [], 'unknown command');
    }
  });
});
