/**
 * An in-process stand-in for Discord's message endpoint behind the real Discord sink (for tests on
 * a fake clock, where a socket cannot follow the clock): it dedupes by nonce like `enforce_nonce`,
 * and answers with the errors discord.js would throw while `fail()` says so.
 */
import { DiscordAPIError, HTTPError } from 'discord.js';
import type { MessagePoster } from '../../src/discord/sink.js';

export interface PostedMessage {
  readonly channelId: string;
  readonly nonce: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export type ScriptedFailure = 'server-error' | 'bad-gateway' | 'invalid-form-body' | undefined;

export class ScriptedDiscord implements MessagePoster {
  readonly messages: PostedMessage[] = [];
  /** Every POST with its outcome. */
  readonly attempts: { readonly nonce: string; readonly status: number }[] = [];
  /** Decides each POST's failure (undefined = success); the default never fails. */
  fail: (body: Record<string, unknown>) => ScriptedFailure = () => undefined;

  async post(route: `/${string}`, options: { body: unknown }): Promise<unknown> {
    const body = options.body as Record<string, unknown>;
    const nonce = String(body.nonce);
    const url = `https://discord.test/api/v10${route}`;
    const failure = this.fail(body);
    if (failure === 'server-error') {
      this.attempts.push({ nonce, status: 500 });
      throw new DiscordAPIError({ code: 0, message: 'Internal Server Error' }, 0, 500, 'POST', url, { body, files: undefined });
    }
    if (failure === 'bad-gateway') {
      this.attempts.push({ nonce, status: 502 });
      throw new HTTPError(502, 'Bad Gateway', 'POST', url, { body, files: undefined });
    }
    if (failure === 'invalid-form-body') {
      this.attempts.push({ nonce, status: 400 });
      throw new DiscordAPIError({ code: 50035, message: 'Invalid Form Body' }, 50035, 400, 'POST', url, { body, files: undefined });
    }
    this.attempts.push({ nonce, status: 200 });
    const channelId = route.split('/')[2] ?? '';
    const seen = this.messages.find((m) => m.channelId === channelId && m.nonce === nonce);
    if (seen) return { id: String(this.messages.indexOf(seen)) };
    this.messages.push({ channelId, nonce, body, at: Date.now() });
    return { id: String(this.messages.length - 1) };
  }

  /** How many created messages mention `text`. */
  countMentioning(text: string): number {
    return this.messages.filter((m) => JSON.stringify(m.body).includes(text)).length;
  }
}
