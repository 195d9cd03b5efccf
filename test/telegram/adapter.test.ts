/** Adapter start-up: webhook mode, a wrong token, an unreachable API — against the fake Bot API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandService } from '../../src/commands/service.js';
import { AppError } from '../../src/core/errors.js';
import { createTelegramAdapter } from '../../src/telegram/adapter.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { startTelegramWorld, type TelegramWorld } from './harness.js';

const neverUsed = undefined as unknown as CommandService;

describe('telegram adapter start-up', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await startFakeTelegram();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('a wrong token fails start with a clear sentence that does not contain it', async () => {
    const token = '42424242:WRONG-secret-token-aaaaaaaaaaaaaaaa';
    const adapter = createTelegramAdapter({ token, apiUrl: fake.apiRoot });
    const error = await adapter.start(neverUsed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as Error).message).toContain('401');
    expect((error as Error).message).not.toContain('WRONG-secret');
    expect(adapter.ready).toBe(false);
  });

  it('an unreachable API fails start without leaking the token', async () => {
    const token = '42424242:another-secret-token-bbbbbbbbbbbbbbb';
    const adapter = createTelegramAdapter({ token, apiUrl: 'http://127.0.0.1:1', startTimeoutMs: 300 });
    const error = await adapter.start(neverUsed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/Could not reach the Telegram Bot API at http:\/\/127.0.0.1:1 within 300 ms: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('another-secret');
  });

  it('webhook mode needs webhook settings', () => {
    expect(() => createTelegramAdapter({ token: fake.token, apiUrl: fake.apiRoot, mode: 'webhook' })).toThrow(/webhook URL/);
  });
});

describe('telegram webhook mode', () => {
  let w: TelegramWorld;
  const secret = 'webhook-secret-123';
  beforeAll(async () => {
    w = await startTelegramWorld({
      mode: 'webhook',
      webhook: { url: 'https://bot.example.test/telegram/hook', port: 0, host: '127.0.0.1', secretToken: secret },
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const post = (body: object, headers: Record<string, string> = {}, path = '/telegram/hook') =>
    fetch(`http://127.0.0.1:${w.adapter.webhookPort}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('registers the webhook with its secret and takes updates posted to it', async () => {
    expect(w.fake.webhook).toEqual({ url: 'https://bot.example.test/telegram/hook', secretToken: secret });
    expect(w.fake.calls.some((c) => c.method === 'getUpdates')).toBe(false);
    const chat = { id: 77, type: 'private', first_name: 'Web' };
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat, from: { id: 77, is_bot: false, first_name: 'Web', language_code: 'en' }, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } };
    expect((await post(update, { 'X-Telegram-Bot-Api-Secret-Token': 'wrong' })).status).toBe(401);
    expect((await post(update, { 'X-Telegram-Bot-Api-Secret-Token': secret }, '/elsewhere')).status).toBe(404);
    expect((await post(update, { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(200);
    expect((await w.next(77)).visible).toContain('/subscribe <streamer> [keywords]');
  });
});
