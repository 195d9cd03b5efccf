import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramHtml, startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';

describe('the fake Bot API parses HTML like Telegram', () => {
  it('decodes entities and records tags as entities (UTF-16 offsets)', () => {
    const parsed = parseTelegramHtml('😀 <b>&lt;b&gt;&amp;&lt;/b&gt;</b> <a href="https://x.test/?a=1&amp;b=2">link</a>');
    expect(parsed.text).toBe('😀 <b>&</b> link');
    expect(parsed.entities).toEqual([
      { type: 'bold', offset: 3, length: 8 },
      { type: 'text_link', offset: 12, length: 4, url: 'https://x.test/?a=1&b=2' },
    ]);
  });

  it.each(['<b>&</b>', 'a < b', '<script>x</script>', '<b>open', '<b><i>x</b></i>', 'x</b>', '<a>no href</a>'])('rejects %s', (html) => {
    expect(() => parseTelegramHtml(html)).toThrow(/can't parse entities/);
  });
});

describe('the fake Bot API over HTTP', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await startFakeTelegram({ longPollCapMs: 200 });
  });
  afterAll(async () => {
    await fake.close();
  });

  const call = async (method: string, body: object = {}, token = fake.token) => {
    const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: object } };
  };

  it('refuses a wrong token and unknown methods', async () => {
    expect((await call('getMe', {}, '1:wrong')).status).toBe(401);
    expect((await call('frobnicate')).body).toMatchObject({ ok: false, error_code: 404 });
  });

  it('getUpdates: answers at once without timeout, drops updates below offset, long-polls with a cap', async () => {
    expect((await call('getUpdates')).body.result).toEqual([]);
    const first = fake.pushUpdate({ message: { message_id: 1 } });
    const second = fake.pushUpdate({ message: { message_id: 2 } });
    const all = (await call('getUpdates', { offset: 0 })).body.result as { update_id: number }[];
    expect(all.map((u) => u.update_id)).toEqual([first, second]);
    const limited = (await call('getUpdates', { offset: first, limit: 1 })).body.result as { update_id: number }[];
    expect(limited.map((u) => u.update_id)).toEqual([first]);
    const rest = (await call('getUpdates', { offset: second })).body.result as { update_id: number }[];
    expect(rest.map((u) => u.update_id)).toEqual([second]);
    expect(fake.confirmedUpdates).toBe(1);
    const waiting = call('getUpdates', { offset: second + 1, timeout: 30 });
    const third = fake.pushUpdate({ message: { message_id: 3 } });
    expect(((await waiting).body.result as { update_id: number }[]).map((u) => u.update_id)).toEqual([third]);
    const empty = await call('getUpdates', { offset: third + 1, timeout: 30 }); // capped at 200 ms
    expect(empty.body.result).toEqual([]);
  });

  it('sendMessage validates HTML and length, and injects failures', async () => {
    expect((await call('sendMessage', { chat_id: 5, text: '<b>&</b>', parse_mode: 'HTML' })).body).toMatchObject({ ok: false, error_code: 400 });
    expect((await call('sendMessage', { chat_id: 5, text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    // 4096 visible characters are fine even when the HTML is longer.
    expect((await call('sendMessage', { chat_id: 5, text: '&amp;'.repeat(4096), parse_mode: 'HTML' })).body.ok).toBe(true);
    fake.failNextSend(5, { kind: 'rateLimited', retryAfter: 3 }, { kind: 'blocked' });
    expect((await call('sendMessage', { chat_id: 5, text: 'a' })).body).toMatchObject({ error_code: 429, parameters: { retry_after: 3 } });
    expect((await call('sendMessage', { chat_id: 5, text: 'a' })).body).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await call('sendMessage', { chat_id: 5, text: 'a' })).body.ok).toBe(true);
    expect(fake.sendAttempts(5)).toBe(6);
    expect(fake.sentTo(5).map((m) => m.visible)).toEqual(['&'.repeat(4096), 'a']);
  });
});
