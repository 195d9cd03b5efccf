/**
 * A fake Telegram Bot API on 127.0.0.1 (node:http, port 0) that grammY talks to unchanged through
 * `client.apiRoot`. It speaks `/bot<token>/<method>` with the real response envelope and keeps what
 * tests need to look at: sent messages (with their HTML parsed the way Telegram does, so escaping
 * mistakes fail like they would in production), command menus, callback answers, edits.
 *
 * Methods: getMe, deleteWebhook, setWebhook, getUpdates (offset, limit, capped long poll),
 * sendMessage, editMessageText, setMyCommands, getMyCommands, answerCallbackQuery, getChatMember.
 * Failures can be injected per chat: once (`failNextSend`) or until changed (`setChatState`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface FakeChat {
  readonly id: number;
  readonly type: ChatType;
  readonly title?: string;
  readonly first_name?: string;
}

export interface FakeUser {
  readonly id: number;
  readonly first_name: string;
  readonly is_bot?: boolean;
  readonly username?: string;
  readonly language_code?: string;
}

export interface MessageEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
}

export interface SentMessage {
  readonly messageId: number;
  readonly chatId: string;
  /** As sent (HTML when parseMode is HTML). */
  readonly text: string;
  /** What a user sees: tags removed, entities decoded. */
  readonly visible: string;
  readonly entities: readonly MessageEntity[];
  readonly parseMode: string | undefined;
  readonly disableNotification: boolean;
  readonly linkPreviewDisabled: boolean;
  readonly replyMarkup: InlineKeyboardMarkup | undefined;
  readonly replyTo: number | undefined;
  readonly at: number;
}

export interface InlineKeyboardMarkup {
  readonly inline_keyboard: readonly (readonly { text: string; callback_data?: string }[])[];
}

/** What a send to a chat answers instead of success. */
export type SendFailure =
  | { readonly kind: 'rateLimited'; readonly retryAfter: number }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'kicked' }
  | { readonly kind: 'chatNotFound' }
  | { readonly kind: 'migrated'; readonly to: number }
  | { readonly kind: 'serverError' }
  | { readonly kind: 'badRequest'; readonly description: string };

export interface FakeTelegramOptions {
  readonly token?: string;
  /** Longest a getUpdates call waits for updates (default 1000 ms, whatever `timeout` asks). */
  readonly longPollCapMs?: number;
  readonly botUsername?: string;
}

type Payload = Record<string, unknown>;

interface ApiError {
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
}

class ApiFailure extends Error {
  constructor(readonly body: ApiError) {
    super(body.description);
  }
}

const BOT_ID = 7_000_000_001;
export const ANONYMOUS_ADMIN: FakeUser = { id: 1_087_968_824, first_name: 'Group', username: 'GroupAnonymousBot', is_bot: true };

function failureBody(failure: SendFailure): ApiError {
  switch (failure.kind) {
    case 'rateLimited':
      return { error_code: 429, description: `Too Many Requests: retry after ${failure.retryAfter}`, parameters: { retry_after: failure.retryAfter } };
    case 'blocked':
      return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    case 'kicked':
      return { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' };
    case 'chatNotFound':
      return { error_code: 400, description: 'Bad Request: chat not found' };
    case 'migrated':
      return { error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: failure.to } };
    case 'serverError':
      return { error_code: 502, description: 'Bad Gateway' };
    case 'badRequest':
      return { error_code: 400, description: failure.description };
  }
}

// ------------------------------------------------------------------ HTML, the way Telegram parses it

const TAG_ENTITY: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
  a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji',
};

const parseError = (what: string, byteOffset: number): ApiFailure =>
  new ApiFailure({ error_code: 400, description: `Bad Request: can't parse entities: ${what} at byte offset ${byteOffset}` });

const byteOffset = (html: string, index: number): number => Buffer.byteLength(html.slice(0, index), 'utf8');

function decodeEntity(html: string, at: number): { text: string; length: number } | undefined {
  const match = /^&(lt|gt|amp|quot|#(\d{1,7})|#x([0-9a-f]{1,6}));/i.exec(html.slice(at, at + 12));
  if (!match) return undefined;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
  const name = (match[1] ?? '').toLowerCase();
  const code = match[2] !== undefined ? Number(match[2]) : match[3] !== undefined ? parseInt(match[3], 16) : undefined;
  const text = code !== undefined ? String.fromCodePoint(code) : (named[name] ?? '');
  return { text, length: match[0].length };
}

function decodeAll(text: string): string {
  return text.replace(/&(lt|gt|amp|quot);/g, (_, n: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"' })[n] ?? '');
}

/**
 * Telegram's HTML parse mode: only the supported tags, properly nested; every `<` and `&` that is
 * not part of a tag or an entity is an error (unescaped user text fails here, as in production).
 */
export function parseTelegramHtml(html: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { name: string; start: number; url?: string; at: number }[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '&') {
      const entity = decodeEntity(html, i);
      if (!entity) throw parseError(`unescaped "&" (use &amp;)`, byteOffset(html, i));
      text += entity.text;
      i += entity.length;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const close = html.indexOf('>', i);
    if (close < 0) throw parseError('Unclosed start tag', byteOffset(html, i));
    const inner = html.slice(i + 1, close);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top || top.name !== name) throw parseError(`Unexpected end tag "${name}"`, byteOffset(html, i));
      const type = TAG_ENTITY[name] ?? name;
      if (text.length > top.start) entities.push({ type, offset: top.start, length: text.length - top.start, ...(top.url !== undefined ? { url: top.url } : {}) });
    } else {
      const tag = /^([a-z][a-z-]*)((?:\s+[a-z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*$/i.exec(inner);
      const name = tag?.[1]?.toLowerCase();
      if (!tag || name === undefined || !(name in TAG_ENTITY)) throw parseError(`Unsupported start tag "${inner.split(/\s/)[0] ?? ''}"`, byteOffset(html, i));
      const attrs = new Map<string, string>();
      for (const attr of (tag[2] ?? '').matchAll(/([a-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/gi)) {
        attrs.set((attr[1] ?? '').toLowerCase(), decodeAll(attr[2] ?? attr[3] ?? attr[4] ?? ''));
      }
      if (name === 'a' && !attrs.has('href')) throw parseError('Tag "a" must have an href', byteOffset(html, i));
      if (name === 'span' && attrs.get('class') !== 'tg-spoiler') throw parseError('Tag "span" must have class "tg-spoiler"', byteOffset(html, i));
      open.push({ name, start: text.length, at: i, ...(name === 'a' ? { url: attrs.get('href') ?? '' } : {}) });
    }
    i = close + 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw parseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`, byteOffset(html, unclosed.at));
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

// ------------------------------------------------------------------ the server

export interface FakeTelegram {
  /** What TELEGRAM_API_URL / grammY's apiRoot points at. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: FakeUser & { readonly username: string };
  /** Every call, in order. */
  readonly calls: readonly { readonly method: string; readonly payload: Payload }[];
  /** Messages accepted by sendMessage. */
  readonly sent: readonly SentMessage[];
  sentTo(chatId: number | string): SentMessage[];
  /** sendMessage calls to a chat, failed ones included. */
  sendAttempts(chatId: number | string): number;
  /** setMyCommands by `<scope type>|<language code>` (e.g. `default|`, `default|en`). */
  readonly commands: ReadonlyMap<string, readonly { command: string; description: string }[]>;
  readonly callbackAnswers: readonly Payload[];
  readonly edits: readonly (Payload & { visible: string })[];
  readonly webhook: { readonly url: string; readonly secretToken: string | undefined } | undefined;
  /** getChatMember calls (to check the admin cache). */
  readonly memberLookups: number;
  /** Updates handed out by getUpdates that a later offset confirmed. */
  readonly confirmedUpdates: number;
  /** getUpdates calls ended with 409 because another one arrived meanwhile (two bot processes polling). */
  readonly pollConflicts: number;

  setMember(chatId: number, userId: number, status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked'): void;
  /** getChatMember for this chat answers only after `ms` (a slow chat). */
  delayMemberLookups(chatId: number, ms: number): void;
  /** The next sendMessage calls to this chat fail like this, one failure per call. */
  failNextSend(chatId: number | string, ...failures: SendFailure[]): void;
  /** Every send to this chat fails like this until set back to undefined. */
  setChatState(chatId: number | string, failure: SendFailure | undefined): void;

  pushUpdate(update: Payload): number;
  message(chat: FakeChat, from: FakeUser | undefined, text: string, extra?: Payload): { updateId: number; messageId: number };
  channelPost(chat: FakeChat, text: string): { updateId: number; messageId: number };
  /** A press on an inline button of `messageId` (a message the bot sent to `chat`). */
  callback(chat: FakeChat, from: FakeUser, data: string, messageId: number): { updateId: number; callbackId: string };
  myChatMember(chat: FakeChat, from: FakeUser, oldStatus: string, newStatus: string): number;
  /**
   * A group upgraded to a supergroup: the service messages in both chats, and from now on sends to
   * the old id answer 400 with migrate_to_chat_id.
   */
  migrate(group: FakeChat, supergroupId: number, by: FakeUser): void;
  close(): Promise<void>;
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:TEST_token-for-the-fake-bot-api_0123';
  const longPollCapMs = options.longPollCapMs ?? 1000;
  const botUser = { id: BOT_ID, first_name: 'SOOP alerts', is_bot: true, username: options.botUsername ?? 'soop_alerts_test_bot' };

  const calls: { method: string; payload: Payload }[] = [];
  const sent: SentMessage[] = [];
  const attempts = new Map<string, number>();
  const commands = new Map<string, { command: string; description: string }[]>();
  const callbackAnswers: Payload[] = [];
  const edits: (Payload & { visible: string })[] = [];
  const members = new Map<string, string>();
  const memberDelays = new Map<string, number>();
  const oneShot = new Map<string, SendFailure[]>();
  const chatStates = new Map<string, SendFailure>();
  const updates: Payload[] = [];
  const waiters = new Set<() => void>();
  let webhook: FakeTelegram['webhook'];
  let nextUpdateId = 5000;
  let nextMessageId = 100;
  let nextCallbackId = 1;
  let memberLookups = 0;
  let confirmedUpdates = 0;
  let pollConflicts = 0;
  /** The long poll in progress: like Telegram, a newer getUpdates terminates it with 409. */
  let pendingPoll: (() => void) | undefined;
  let closed = false;

  const now = (): number => Math.floor(Date.now() / 1000);

  function wake(): void {
    for (const waiter of [...waiters]) waiter();
  }

  function takeUpdates(offset: number, limit: number): Payload[] {
    while (updates.length > 0 && (updates[0]?.update_id as number) < offset) {
      updates.shift();
      confirmedUpdates++;
    }
    return updates.slice(0, limit);
  }

  async function getUpdates(payload: Payload, req: IncomingMessage): Promise<Payload[]> {
    const offset = Number(payload.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100)));
    const timeoutMs = Math.min(Number(payload.timeout ?? 0) * 1000, longPollCapMs);
    pendingPoll?.();
    const ready = takeUpdates(offset, limit);
    if (ready.length > 0 || timeoutMs <= 0 || closed) return ready;
    let conflict = false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        req.off('close', done);
        if (pendingPoll === terminate) pendingPoll = undefined;
        resolve();
      };
      const terminate = (): void => {
        conflict = true;
        done();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
      req.once('close', done);
      pendingPoll = terminate;
    });
    if (conflict) {
      pollConflicts++;
      throw new ApiFailure({ error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    return takeUpdates(offset, limit);
  }

  function checkChatId(payload: Payload): string {
    const chatId = payload.chat_id;
    if (typeof chatId !== 'number' && typeof chatId !== 'string') throw new ApiFailure({ error_code: 400, description: 'Bad Request: chat_id is empty' });
    return String(chatId);
  }

  function parseText(payload: Payload): { text: string; visible: string; entities: MessageEntity[] } {
    const text = typeof payload.text === 'string' ? payload.text : '';
    const parsed = payload.parse_mode === 'HTML' ? parseTelegramHtml(text) : { text, entities: [] };
    if (parsed.text.trim().length === 0) throw new ApiFailure({ error_code: 400, description: 'Bad Request: message text is empty' });
    if (parsed.text.length > 4096) throw new ApiFailure({ error_code: 400, description: 'Bad Request: message is too long' });
    return { text, visible: parsed.text, entities: parsed.entities };
  }

  function asMarkup(value: unknown): InlineKeyboardMarkup | undefined {
    const markup = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    if (typeof markup !== 'object' || markup === null || !('inline_keyboard' in markup)) return undefined;
    const keyboard = markup as InlineKeyboardMarkup;
    for (const row of keyboard.inline_keyboard) {
      for (const button of row) {
        if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64) {
          throw new ApiFailure({ error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
        }
      }
    }
    return keyboard;
  }

  function sendMessage(payload: Payload): Payload {
    const chatId = checkChatId(payload);
    attempts.set(chatId, (attempts.get(chatId) ?? 0) + 1);
    const failure = oneShot.get(chatId)?.shift() ?? chatStates.get(chatId);
    if (failure) throw new ApiFailure(failureBody(failure));
    const { text, visible, entities } = parseText(payload);
    const preview = payload.link_preview_options as { is_disabled?: boolean } | undefined;
    const replyTo = payload.reply_parameters as { message_id?: number } | undefined;
    const message: SentMessage = {
      messageId: nextMessageId++,
      chatId,
      text,
      visible,
      entities,
      parseMode: typeof payload.parse_mode === 'string' ? payload.parse_mode : undefined,
      disableNotification: payload.disable_notification === true,
      linkPreviewDisabled: preview?.is_disabled === true,
      replyMarkup: asMarkup(payload.reply_markup),
      replyTo: replyTo?.message_id,
      at: Date.now(),
    };
    sent.push(message);
    return { message_id: message.messageId, date: now(), chat: { id: Number(chatId), type: Number(chatId) < 0 ? 'group' : 'private' }, from: botUser, text: visible, ...(entities.length > 0 ? { entities } : {}) };
  }

  function editMessageText(payload: Payload): Payload {
    const chatId = checkChatId(payload);
    const { visible } = parseText(payload);
    asMarkup(payload.reply_markup);
    edits.push({ ...payload, visible });
    return { message_id: Number(payload.message_id), date: now(), chat: { id: Number(chatId), type: 'group' }, text: visible };
  }

  function setMyCommands(payload: Payload): true {
    const list = payload.commands as { command: string; description: string }[] | undefined;
    if (!Array.isArray(list) || list.length > 100) throw new ApiFailure({ error_code: 400, description: 'Bad Request: commands must be a list of at most 100' });
    for (const c of list) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiFailure({ error_code: 400, description: `Bad Request: BOT_COMMAND_INVALID (${c.command})` });
      if (c.description.length < 1 || c.description.length > 256) throw new ApiFailure({ error_code: 400, description: 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID' });
    }
    const scope = (payload.scope as { type?: string } | undefined)?.type ?? 'default';
    commands.set(`${scope}|${typeof payload.language_code === 'string' ? payload.language_code : ''}`, list);
    return true;
  }

  async function getChatMember(payload: Payload): Promise<Payload> {
    memberLookups++;
    const chatId = checkChatId(payload);
    const delay = memberDelays.get(chatId);
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    const userId = Number(payload.user_id);
    const status = members.get(`${chatId}:${userId}`) ?? (Number(chatId) === userId ? 'creator' : 'member');
    const user = { id: userId, is_bot: false, first_name: `user${userId}` };
    if (status === 'administrator') return { status, user, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true, can_restrict_members: true, can_promote_members: false, can_change_info: true, can_invite_users: true, can_post_stories: false, can_edit_stories: false, can_delete_stories: false };
    if (status === 'creator') return { status, user, is_anonymous: false };
    if (status === 'kicked' || status === 'restricted') return { status, user, until_date: 0 };
    return { status, user };
  }

  async function call(method: string, payload: Payload, req: IncomingMessage): Promise<unknown> {
    switch (method.toLowerCase()) {
      case 'getme':
        return { ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false };
      case 'deletewebhook':
        webhook = undefined;
        return true;
      case 'setwebhook':
        webhook = { url: String(payload.url), secretToken: typeof payload.secret_token === 'string' ? payload.secret_token : undefined };
        return true;
      case 'getupdates':
        if (webhook) throw new ApiFailure({ error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
        return getUpdates(payload, req);
      case 'sendmessage':
        return sendMessage(payload);
      case 'editmessagetext':
        return editMessageText(payload);
      case 'setmycommands':
        return setMyCommands(payload);
      case 'getmycommands': {
        const scope = (payload.scope as { type?: string } | undefined)?.type ?? 'default';
        return commands.get(`${scope}|${typeof payload.language_code === 'string' ? payload.language_code : ''}`) ?? [];
      }
      case 'answercallbackquery':
        if (typeof payload.text === 'string' && payload.text.length > 200) throw new ApiFailure({ error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' });
        callbackAnswers.push(payload);
        return true;
      case 'getchatmember':
        return getChatMember(payload);
      default:
        throw new ApiFailure({ error_code: 404, description: 'Not Found' });
    }
  }

  async function readPayload(req: IncomingMessage, url: URL): Promise<Payload> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const payload: Payload = Object.fromEntries(url.searchParams);
    if (body.length === 0) return payload;
    if ((req.headers['content-type'] ?? '').includes('json')) return { ...payload, ...(JSON.parse(body) as Payload) };
    return { ...payload, ...Object.fromEntries(new URLSearchParams(body)) };
  }

  function respond(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return respond(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== token) return respond(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2] ?? '';
    readPayload(req, url)
      .then(async (payload) => {
        calls.push({ method, payload });
        const result = await call(method, payload, req);
        respond(res, 200, { ok: true, result });
      })
      .catch((err: unknown) => {
        if (err instanceof ApiFailure) return respond(res, err.body.error_code, { ok: false, ...err.body });
        respond(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function pushUpdate(update: Payload): number {
    const updateId = nextUpdateId++;
    updates.push({ update_id: updateId, ...update });
    wake();
    return updateId;
  }

  function messageObject(chat: FakeChat, from: FakeUser | undefined, text: string, extra: Payload = {}): Payload {
    const command = /^\/[a-z0-9_]+(@[a-z0-9_]+)?/i.exec(text);
    return {
      message_id: nextMessageId++,
      date: now(),
      chat,
      ...(from ? { from } : {}),
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      ...extra,
    };
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botUser,
    calls,
    sent,
    sentTo: (chatId) => sent.filter((m) => m.chatId === String(chatId)),
    sendAttempts: (chatId) => attempts.get(String(chatId)) ?? 0,
    commands,
    callbackAnswers,
    edits,
    get webhook() {
      return webhook;
    },
    get memberLookups() {
      return memberLookups;
    },
    get confirmedUpdates() {
      return confirmedUpdates;
    },
    get pollConflicts() {
      return pollConflicts;
    },
    setMember(chatId, userId, status) {
      members.set(`${chatId}:${userId}`, status);
    },
    delayMemberLookups(chatId, ms) {
      memberDelays.set(String(chatId), ms);
    },
    failNextSend(chatId, ...failures) {
      const key = String(chatId);
      oneShot.set(key, [...(oneShot.get(key) ?? []), ...failures]);
    },
    setChatState(chatId, failure) {
      if (failure) chatStates.set(String(chatId), failure);
      else chatStates.delete(String(chatId));
    },
    pushUpdate,
    message(chat, from, text, extra) {
      const message = messageObject(chat, from, text, extra);
      return { updateId: pushUpdate({ message }), messageId: message.message_id as number };
    },
    channelPost(chat, text) {
      const message = messageObject(chat, undefined, text, { sender_chat: chat });
      return { updateId: pushUpdate({ channel_post: message }), messageId: message.message_id as number };
    },
    callback(chat, from, data, messageId) {
      const callbackId = String(nextCallbackId++);
      const updateId = pushUpdate({
        callback_query: { id: callbackId, from, chat_instance: `ci${chat.id}`, data, message: { message_id: messageId, date: now(), chat, from: botUser, text: '…' } },
      });
      return { updateId, callbackId };
    },
    myChatMember(chat, from, oldStatus, newStatus) {
      return pushUpdate({
        my_chat_member: { chat, from, date: now(), old_chat_member: { status: oldStatus, user: botUser }, new_chat_member: { status: newStatus, user: botUser, ...(newStatus === 'kicked' ? { until_date: 0 } : {}) } },
      });
    },
    migrate(group, supergroupId, by) {
      chatStates.set(String(group.id), { kind: 'migrated', to: supergroupId });
      const supergroup: FakeChat = { id: supergroupId, type: 'supergroup', ...(group.title !== undefined ? { title: group.title } : {}) };
      pushUpdate({ message: { message_id: nextMessageId++, date: now(), chat: group, from: by, migrate_to_chat_id: supergroupId } });
      pushUpdate({ message: { message_id: nextMessageId++, date: now(), chat: supergroup, from: by, migrate_from_chat_id: group.id } });
    },
    async close() {
      closed = true;
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
