import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import type { Alert } from '../../src/route/alert.js';
import { createTelegramSink } from '../../src/telegram/sink.js';
import { chat, donation } from '../route/fixtures.js';

type Sent = { chatId: string; text: string; other: Record<string, unknown> | undefined };

function fakeApi(failures: Map<number, Error> = new Map()) {
  const sent: Sent[] = [];
  let calls = 0;
  return {
    sent,
    api: {
      sendMessage: async (chatId: number | string, text: string, other?: Record<string, unknown>) => {
        const failure = failures.get(++calls);
        if (failure) throw failure;
        sent.push({ chatId: String(chatId), text, other });
        return {} as never;
      },
    },
  };
}

const destination = { platform: 'telegram' as const, id: '-100123' };
const rateLimited = () =>
  new GrammyError('Call to sendMessage failed!', { ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } }, 'sendMessage', {});

describe('telegram sink', () => {
  it('sends HTML, silent below the loud threshold, with link previews off', async () => {
    const { api, sent } = fakeApi();
    const sink = createTelegramSink({ api, token: 't' });
    const alert: Alert = { kind: 'star', event: donation({ count: 10 }), streamerId: 's01', locale: 'ko', loud: false };
    await sink.send({ destination, alerts: [alert], key: 'k1' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ chatId: '-100123', other: { parse_mode: 'HTML', disable_notification: true, link_preview_options: { is_disabled: true } } });
    await sink.send({ destination, alerts: [{ ...alert, loud: true }], key: 'k2' });
    expect(sent[1]?.other).toMatchObject({ disable_notification: false });
  });

  it('maps a failure to a DeliveryError and, on retry, does not repeat the parts already sent', async () => {
    const { api, sent } = fakeApi(new Map([[2, rateLimited()]]));
    const sink = createTelegramSink({ api, token: 't' });
    // One alert is always one message; a digest of 20 long chats is two.
    const long: Alert = { kind: 'chat', event: chat('말'.repeat(300)), streamerId: 's01', locale: 'ko', loud: false };
    const delivery = { destination, alerts: Array.from({ length: 20 }, () => long), key: 'long-1' };
    const error = await sink.send(delivery).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 2000 });
    expect(sent).toHaveLength(1);
    await sink.send(delivery);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.text).not.toBe(sent[1]?.text);
    // A fresh delivery of the same alert starts from the first part again.
    await sink.send({ ...delivery, key: 'long-2' });
    expect(sent).toHaveLength(4);
  });
});
