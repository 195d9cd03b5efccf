import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import { describeTelegramError, stripToken, toDeliveryError } from '../../src/telegram/errors.js';

const TOKEN = '123456789:AAH-secret_token-value';

function apiError(error_code: number, description: string, parameters: { retry_after?: number; migrate_to_chat_id?: number } = {}): GrammyError {
  return new GrammyError('Call to sendMessage failed!', { ok: false, error_code, description, parameters }, 'sendMessage', { chat_id: 1, text: 'x' });
}

describe('telegram error mapping', () => {
  it('429 → rateLimited with retry_after in ms', () => {
    const e = toDeliveryError(apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), TOKEN);
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e).toMatchObject({ kind: 'rateLimited', retryAfterMs: 7000 });
  });

  it('400 with migrate_to_chat_id → permanent with migrateTo', () => {
    const e = toDeliveryError(apiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 }), TOKEN);
    expect(e).toMatchObject({ kind: 'permanent', migrateTo: '-1001234' });
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user', 'the user blocked the bot'],
    [403, 'Forbidden: bot was kicked from the supergroup chat', 'the bot was removed from the group'],
    [403, 'Forbidden: bot is not a member of the channel chat', 'the bot is not a member of this chat'],
    [403, 'Forbidden: user is deactivated', "the user's Telegram account was deleted"],
    [400, 'Bad Request: chat not found', 'the chat no longer exists (chat not found)'],
  ])('%i %s → permanent with a clear reason', (code, description, reason) => {
    const e = toDeliveryError(apiError(code, description), TOKEN);
    expect(e).toMatchObject({ kind: 'permanent', message: reason, migrateTo: undefined });
  });

  it('unknown 403 is permanent; a 400 about the message is our rendering; 5xx and network errors are transient', () => {
    expect(toDeliveryError(apiError(403, 'Forbidden: something new'), TOKEN)).toMatchObject({ kind: 'permanent' });
    expect(toDeliveryError(apiError(400, "Bad Request: can't parse entities: Unsupported start tag"), TOKEN)).toMatchObject({ kind: 'rendering' });
    expect(toDeliveryError(apiError(400, 'Bad Request: message text is empty'), TOKEN)).toMatchObject({ kind: 'rendering' });
    expect(toDeliveryError(apiError(400, 'Bad Request: message is too long'), TOKEN)).toMatchObject({ kind: 'rendering' });
    expect(toDeliveryError(apiError(400, 'Bad Request: something new'), TOKEN)).toMatchObject({ kind: 'rendering' });
    expect(toDeliveryError(apiError(502, 'Bad Gateway'), TOKEN)).toMatchObject({ kind: 'transient' });
    expect(toDeliveryError(new HttpError("Network request for 'sendMessage' failed!", new Error('ECONNRESET')), TOKEN)).toMatchObject({ kind: 'transient' });
    expect(toDeliveryError(new Error('boom'), TOKEN)).toMatchObject({ kind: 'transient' });
  });

  it('a wrong token or API URL (401/404) does not pause chats: transient', () => {
    expect(toDeliveryError(apiError(401, 'Unauthorized'), TOKEN)).toMatchObject({ kind: 'transient' });
    expect(toDeliveryError(apiError(404, 'Not Found'), TOKEN)).toMatchObject({ kind: 'transient' });
  });

  it('never lets the token through: network errors carry the URL', () => {
    const cause = new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: connect ECONNREFUSED`);
    const e = toDeliveryError(new HttpError("Network request for 'sendMessage' failed!", cause), TOKEN);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.message).not.toContain(TOKEN);
    expect(e.message).not.toContain('AAH-secret');
    expect(e.cause).toBeUndefined();
    expect(describeTelegramError(new Error(`GET /bot${TOKEN}/getMe`), TOKEN)).not.toContain('secret');
    // Even a token the adapter was not told about, shaped like one inside a URL.
    expect(stripToken('POST http://x/bot987654:other-SECRET/sendMessage', TOKEN)).toBe('POST http://x/bot[REDACTED]/sendMessage');
  });
});
