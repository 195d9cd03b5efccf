/**
 * A fake Discord (REST + gateway) on 127.0.0.1 that discord.js 14 runs against unchanged
 * (`rest.api` = `apiUrl`; the gateway URL comes from GET /gateway/bot). See platforms.md §2.
 *
 * REST: /gateway/bot, PUT /applications/:app/commands (stored), POST /channels/:id/messages (recorded,
 * X-RateLimit-* headers with a configurable window, injectable 429/403/404/500 answers, enforce_nonce
 * dedupe like Discord), interaction callbacks (204, no content-type), webhook edits/follow-ups of
 * interaction replies, GET /channels/:id.
 * Gateway: HELLO, IDENTIFY → READY (guilds listed unavailable, then one GUILD_CREATE each), RESUME →
 * RESUMED, heartbeat ACK, and `dispatch(t, d)` for anything else. Sharding like Discord: IDENTIFY's
 * `shard: [id, count]` picks the guilds a socket hears about (shardOf), and guild-scoped dispatches
 * go only to the sockets of the shard owning the guild; a socket without `shard` is [0, 1] (all).
 * Ids are realistic snowflakes (18–19 digits): @discordjs/rest only treats \d{17,19} as a channel id.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { discordBodyViolations, isEmptyDiscordMessage } from './discord-limits.js';

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A fresh snowflake: ms since Discord's epoch << 22 | counter (18–19 digits today). */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return ((BigInt(Date.now()) - DISCORD_EPOCH) << 22n | (1n << 17n) | increment).toString();
}

/** Discord's shard of a guild: (guild_id >> 22) % num_shards (kept apart from src/ on purpose). */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A fresh snowflake that falls on `shard` of `count` (its timestamp part picks the shard). */
export function snowflakeOnShard(shard: number, count: number): string {
  increment = (increment + 1n) & 0xfffn;
  let ms = BigInt(Date.now()) - DISCORD_EPOCH;
  ms += (BigInt(shard) - (ms % BigInt(count)) + BigInt(count)) % BigInt(count);
  return (ms << 22n | (1n << 17n) | increment).toString();
}

/** Permission bits the fake uses (discord-api-types PermissionFlagsBits). */
export const Perm = {
  ManageChannels: 1n << 4n,
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  MentionEveryone: 1n << 17n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export const BOT_PERMISSIONS = Perm.ViewChannel | Perm.SendMessages | Perm.EmbedLinks;
export const MEMBER_PERMISSIONS = Perm.ViewChannel | Perm.SendMessages;
export const MANAGER_PERMISSIONS = MEMBER_PERMISSIONS | Perm.ManageChannels;

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly channelIds: string[];
  readonly roles: { id: string; name: string; mentionable: boolean }[];
  /** The channel Discord posts system messages in (the bot's notices go there too). */
  readonly systemChannelId: string | null;
  /** A Community server (features COMMUNITY): only those choose a primary language (preferred_locale). */
  readonly community?: boolean;
}

export interface RecordedMessage {
  readonly id: string;
  readonly channelId: string;
  readonly body: MessageBody;
}

export interface MessageBody {
  content?: string;
  embeds?: { title?: string; description?: string; color?: number; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
  allowed_mentions?: { parse?: string[]; roles?: string[]; users?: string[] };
  nonce?: string | number;
  enforce_nonce?: boolean;
}

export interface MessageAttempt {
  readonly channelId: string;
  readonly status: number;
  readonly body: MessageBody;
}

export type InjectedFailure =
  | { readonly status: 429; readonly retryAfterSeconds: number }
  | { readonly status: 403; readonly code: 50001 | 50013 }
  | { readonly status: 404; readonly code: 10003 | 10004 }
  | { readonly status: 500 };

export interface InteractionOptions {
  readonly command: string;
  readonly subcommand?: string;
  /** Option values by name; types come from the registered command definition. */
  readonly options?: Readonly<Record<string, string | number | boolean>>;
  readonly guildId: string;
  readonly channelId: string;
  readonly userId?: string;
  /** The member's permissions in the channel (default: Manage Channels). */
  readonly memberPermissions?: bigint;
  /** The bot's permissions in the channel (default: View, Send, Embed Links). */
  readonly appPermissions?: bigint;
  readonly locale?: string;
  /** The server's language as the interaction reports it (guild_locale; default 'ko'). */
  readonly guildLocale?: string;
}

/** What the bot answered to one interaction. */
export interface InteractionReply {
  /** Callback type: 4 message, 5 deferred, 8 autocomplete. */
  readonly type: number;
  /** The final text as Discord shows it (markdown escapes removed), follow-ups appended with newlines. */
  readonly content: string;
  /** The same, as sent (with the bot's markdown escapes). */
  readonly raw: string;
  readonly ephemeral: boolean;
  readonly allowedMentions: unknown;
  readonly choices?: { name: string; value: string | number }[];
}

interface RegisteredOption {
  name: string;
  type: number;
  options?: RegisteredOption[];
}

interface InteractionRecord {
  callback?: { type: number; data?: { content?: string; flags?: number; allowed_mentions?: unknown; choices?: { name: string; value: string | number }[] } };
  edits: { content?: string }[];
  followUps: { content?: string }[];
  waiters: (() => void)[];
}

export interface FakeDiscordOptions {
  readonly token?: string;
  /** Per-channel message window (default 5 per 500 ms). */
  readonly messageLimit?: { readonly limit: number; readonly windowMs: number };
  /** The shard count GET /gateway/bot recommends (default 1). */
  readonly shardCount?: number;
  /** session_start_limit.max_concurrency (default 1: discord.js waits 5 s between its own shards' IDENTIFYs). */
  readonly maxConcurrency?: number;
  /** Refuse message bodies over Discord's limits with 400 like Discord (50035 / 50006); default off. */
  readonly enforceLimits?: boolean;
}

/** One IDENTIFY the fake accepted, with the shard it asked for. */
export interface IdentifyRecord {
  readonly at: number;
  readonly shard: readonly [number, number];
}

type Shard = readonly [number, number];
const NO_SHARDING: Shard = [0, 1];

const GUILD_EVENTS_BY_ID = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);

/** The guild a dispatch is about, if any (it decides which shard hears it). */
function guildOf(t: string, d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const fields = d as { guild_id?: unknown; id?: unknown };
  if (typeof fields.guild_id === 'string') return fields.guild_id;
  if (GUILD_EVENTS_BY_ID.has(t) && typeof fields.id === 'string') return fields.id;
  return undefined;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** What a Discord client shows for escaped text: a backslash before punctuation disappears. */
export function renderMarkdownEscapes(text: string): string {
  return text.replace(/\\([^0-9A-Za-z\s])/g, '$1');
}

const FAILURE_MESSAGES: Record<number, string> = {
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  50001: 'Missing Access',
  50013: 'Missing Permissions',
};

export class FakeDiscord {
  readonly token: string;
  readonly botId = snowflake();
  readonly appId = this.botId;
  apiUrl = '';
  /** The last bulk-overwritten command list. */
  commands: (RegisteredOption & { description: string; default_member_permissions?: string | null; contexts?: number[]; name_localizations?: Record<string, string>; description_localizations?: Record<string, string> })[] = [];
  commandPuts = 0;
  readonly messages: RecordedMessage[] = [];
  readonly attempts: MessageAttempt[] = [];
  readonly identifies: number[] = [];
  /** Every accepted IDENTIFY with its shard, in order. */
  readonly shardIdentifies: IdentifyRecord[] = [];
  private readonly guilds = new Map<string, FakeGuild>();
  private readonly failures: { channelId: string | undefined; failure: InjectedFailure }[] = [];
  private readonly holds: (string | undefined)[] = [];
  private readonly held: (() => void)[] = [];
  private readonly lostAnswers: (string | undefined)[] = [];
  private readonly windows = new Map<string, number[]>();
  private readonly nonces = new Map<string, { message: RecordedMessage; at: number }>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly messageWaiters: (() => void)[] = [];
  /** Identified (or resumed) sockets and the shard each runs. */
  private readonly sockets = new Map<WebSocket, Shard>();
  private readonly sessions = new Map<string, Shard>();
  private readonly shardCount: number;
  private readonly maxConcurrency: number;
  private readonly limit: { limit: number; windowMs: number };
  private readonly enforceLimits: boolean;
  private server!: Server;
  private wss!: WebSocketServer;
  private wsUrl = '';
  private seq = 0;

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? 'fake-discord-token';
    this.limit = { limit: 5, windowMs: 500, ...options.messageLimit };
    this.enforceLimits = options.enforceLimits ?? false;
    this.shardCount = options.shardCount ?? 1;
    this.maxConcurrency = options.maxConcurrency ?? 1;
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.server = createServer((req, res) => {
      fake.route(req, res).catch((err: unknown) => json(res, 500, { message: String(err), code: 0 }));
    });
    fake.wss = new WebSocketServer({ server: fake.server });
    fake.wss.on('connection', (socket) => fake.onConnection(socket));
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    const { port } = fake.server.address() as AddressInfo;
    fake.apiUrl = `http://127.0.0.1:${port}/api`;
    fake.wsUrl = `ws://127.0.0.1:${port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.releaseHeld();
    for (const socket of this.sockets.keys()) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------ guilds

  /** A guild the bot is in (sent in READY, or by GUILD_CREATE when a client is connected). */
  createGuild(options: { channels?: number; name?: string; roles?: { name: string; mentionable?: boolean }[]; systemChannel?: boolean; id?: string; community?: boolean } = {}): FakeGuild {
    const id = options.id ?? snowflake();
    const channelIds = Array.from({ length: options.channels ?? 1 }, () => snowflake());
    const guild: FakeGuild = {
      id,
      name: options.name ?? `guild-${id.slice(-4)}`,
      channelIds,
      systemChannelId: options.systemChannel ? (channelIds[0] ?? null) : null,
      ...(options.community ? { community: true } : {}),
      roles: [{ id, name: '@everyone', mentionable: false }, ...(options.roles ?? []).map((r) => ({ id: snowflake(), name: r.name, mentionable: r.mentionable ?? true }))],
    };
    this.guilds.set(id, guild);
    this.broadcast('GUILD_CREATE', this.guildPayload(guild), id);
    return guild;
  }

  /** The bot was removed from the guild (GUILD_DELETE without `unavailable`). */
  guildDelete(guildId: string): void {
    this.guilds.delete(guildId);
    this.broadcast('GUILD_DELETE', { id: guildId }, guildId);
  }

  /** Forgets a guild without telling connected clients (the bot was removed while offline). */
  forgetGuild(guildId: string): void {
    this.guilds.delete(guildId);
  }

  channelDelete(channelId: string): void {
    for (const guild of this.guilds.values()) {
      const at = guild.channelIds.indexOf(channelId);
      if (at < 0) continue;
      guild.channelIds.splice(at, 1);
      this.broadcast('CHANNEL_DELETE', this.channelPayload(guild, channelId), guild.id);
    }
  }

  private channelPayload(guild: FakeGuild, channelId: string): object {
    return { id: channelId, type: 0, guild_id: guild.id, name: `alerts-${channelId.slice(-4)}`, position: 0, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, last_message_id: null, rate_limit_per_user: 0 };
  }

  private guildPayload(guild: FakeGuild): object {
    return {
      id: guild.id,
      name: guild.name,
      unavailable: false,
      owner_id: snowflake(),
      icon: null,
      joined_at: new Date().toISOString(),
      large: false,
      member_count: 2,
      system_channel_id: guild.systemChannelId,
      features: guild.community ? ['COMMUNITY'] : [],
      emojis: [],
      stickers: [],
      // Like Discord, GUILD_CREATE includes the bot's own member (its permissions come from @everyone here).
      members: [{ user: { id: this.botId, username: 'soop-alerts', discriminator: '0', avatar: null, bot: true, global_name: null }, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      presences: [],
      voice_states: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      preferred_locale: 'ko',
      roles: guild.roles.map((r, position) => ({
        id: r.id,
        name: r.name,
        permissions: r.id === guild.id ? String(MEMBER_PERMISSIONS) : '0',
        position,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: r.mentionable,
        flags: 0,
      })),
      channels: guild.channelIds.map((c) => this.channelPayload(guild, c)),
    };
  }

  // ----------------------------------------------------------------- failures / waits

  /** The next `count` message POSTs (to `channelId`, or to any channel) get this answer. */
  failNextMessages(failure: InjectedFailure, count = 1, channelId?: string): void {
    for (let i = 0; i < count; i++) this.failures.push({ channelId, failure });
  }

  /**
   * The next `count` successful message POSTs create their message but get no answer until
   * releaseHeld(): a send that reached Discord while the bot stopped (or crashed) before hearing back.
   */
  holdNextMessages(count = 1, channelId?: string): void {
    for (let i = 0; i < count; i++) this.holds.push(channelId);
  }

  /**
   * The next `count` message POSTs that succeed (a new message, or one returned for a repeated
   * nonce) get a 502 from "a proxy" instead of their answer: the message exists, the bot does not
   * know it. Models a lost response (502, timeout) after Discord created the message.
   */
  loseNextAnswers(count = 1, channelId?: string): void {
    for (let i = 0; i < count; i++) this.lostAnswers.push(channelId);
  }

  /** Answers the held message POSTs; returns how many. */
  releaseHeld(): number {
    const answers = this.held.splice(0);
    for (const answer of answers) answer();
    return answers.length;
  }

  messagesIn(channelId: string): RecordedMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }

  /** Resolves when `predicate` holds over the recorded messages (checked after each new one). */
  async waitForMessages(predicate: (messages: readonly RecordedMessage[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for messages (have ${this.messages.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.messageWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  // ------------------------------------------------------------------- gateway

  get connections(): number {
    return this.sockets.size;
  }

  /** The shard of each identified socket, in connection order. */
  get connectedShards(): Shard[] {
    return [...this.sockets.values()];
  }

  /**
   * Sends a dispatch event to every identified client, or, for a guild-scoped event (`guildId`, or
   * `d.guild_id`, or `d.id` of GUILD_CREATE/UPDATE/DELETE), to the clients of the shard owning it.
   */
  dispatch(t: string, d: unknown, guildId: string | undefined = guildOf(t, d)): void {
    this.broadcast(t, d, guildId);
  }

  private broadcast(t: string, d: unknown, guildId?: string): void {
    for (const [socket, shard] of this.sockets) {
      if (guildId === undefined || shardOfGuild(guildId, shard[1]) === shard[0]) this.send(socket, t, d);
    }
  }

  private send(socket: WebSocket, t: string, d: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  private onConnection(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { op: number; d?: { token?: string; shard?: [number, number]; session_id?: string } };
      if (message.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (message.op === 2) {
        if (message.d?.token !== this.token) {
          socket.close(4004, 'Authentication failed.');
          return;
        }
        const shard: Shard = message.d.shard ?? NO_SHARDING;
        const [shardId, shardCount] = shard;
        if (!Number.isInteger(shardCount) || shardCount < 1 || !Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
          socket.close(4010, 'Invalid shard.');
          return;
        }
        const now = Date.now();
        this.identifies.push(now);
        this.shardIdentifies.push({ at: now, shard });
        this.sockets.set(socket, shard);
        const sessionId = `session-${snowflake()}`;
        this.sessions.set(sessionId, shard);
        const guilds = [...this.guilds.values()].filter((g) => shardOfGuild(g.id, shardCount) === shardId);
        this.send(socket, 'READY', {
          v: 10,
          session_id: sessionId,
          resume_gateway_url: this.wsUrl,
          user: { id: this.botId, username: 'soop-alerts', discriminator: '0', avatar: null, bot: true, global_name: null },
          application: { id: this.appId, flags: 0 },
          guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
          shard: [shardId, shardCount],
        });
        for (const guild of guilds) this.send(socket, 'GUILD_CREATE', this.guildPayload(guild));
      }
      if (message.op === 6) {
        this.sockets.set(socket, this.sessions.get(message.d?.session_id ?? '') ?? NO_SHARDING);
        this.send(socket, 'RESUMED', {});
      }
    });
  }

  // ---------------------------------------------------------------- interactions

  /** Dispatches a chat-input INTERACTION_CREATE and resolves with the bot's (final) reply. */
  async interaction(options: InteractionOptions, timeoutMs = 5000): Promise<InteractionReply> {
    const { id, token } = this.dispatchInteraction(2, options);
    return this.replyOf(id, token, timeoutMs);
  }

  /** Dispatches an autocomplete interaction; `focused` names the option being typed. */
  async autocomplete(options: InteractionOptions & { focused: string }, timeoutMs = 5000): Promise<InteractionReply> {
    const { id, token } = this.dispatchInteraction(4, options);
    return this.replyOf(id, token, timeoutMs);
  }

  private dispatchInteraction(type: 2 | 4, options: InteractionOptions & { focused?: string }): { id: string; token: string } {
    const definition = this.commands.find((c) => c.name === options.command);
    if (!definition) throw new Error(`the bot did not register /${options.command}`);
    const id = snowflake();
    const token = `interaction-token-${id}`;
    const guild = this.guilds.get(options.guildId);
    const schema = options.subcommand ? (definition.options?.find((o) => o.name === options.subcommand)?.options ?? []) : (definition.options ?? []);
    const roles: Record<string, object> = {};
    const values = Object.entries(options.options ?? {}).map(([name, value]) => {
      const type = schema.find((o) => o.name === name)?.type;
      if (type === undefined) throw new Error(`/${options.command} has no option "${name}"`);
      if (type === 8) {
        const role = guild?.roles.find((r) => r.id === value);
        roles[String(value)] = { id: String(value), name: role?.name ?? 'role', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: role?.mentionable ?? true, flags: 0 };
      }
      return { name, type, value: type === 8 ? String(value) : value, ...(options.focused === name ? { focused: true } : {}) };
    });
    const topOptions = options.subcommand ? [{ name: options.subcommand, type: 1, options: values }] : values;
    const userId = options.userId ?? snowflake();
    this.interactions.set(id, { edits: [], followUps: [], waiters: [] });
    this.broadcast('INTERACTION_CREATE', {
      id,
      application_id: this.appId,
      type,
      token,
      version: 1,
      guild_id: options.guildId,
      channel_id: options.channelId,
      channel: { id: options.channelId, type: 0, guild_id: options.guildId, name: 'alerts' },
      member: {
        user: { id: userId, username: `user${userId.slice(-4)}`, discriminator: '0', avatar: null, global_name: null },
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        permissions: String(options.memberPermissions ?? MANAGER_PERMISSIONS),
      },
      app_permissions: String(options.appPermissions ?? BOT_PERMISSIONS),
      locale: options.locale ?? 'ko',
      guild_locale: options.guildLocale ?? 'ko',
      entitlements: [],
      authorizing_integration_owners: { 0: options.guildId },
      context: 0,
      data: { id: (definition as { id?: string }).id ?? snowflake(), name: options.command, type: 1, options: topOptions, ...(Object.keys(roles).length > 0 ? { resolved: { roles } } : {}), guild_id: options.guildId },
    }, options.guildId);
    return { id, token };
  }

  private async replyOf(id: string, token: string, timeoutMs: number): Promise<InteractionReply> {
    const record = this.interactions.get(id) as InteractionRecord;
    const done = (): boolean => record.callback !== undefined && (record.callback.type !== 5 || record.edits.length > 0);
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply to interaction ${token}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        record.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    // Follow-ups are sent right after the first reply: give them a moment to land.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const callback = record.callback as NonNullable<InteractionRecord['callback']>;
    const first = callback.type === 5 ? record.edits.at(-1)?.content : callback.data?.content;
    const raw = [first ?? '', ...record.followUps.map((f) => f.content ?? '')].filter(Boolean).join('\n');
    return {
      type: callback.type,
      content: renderMarkdownEscapes(raw),
      raw,
      ephemeral: ((callback.data?.flags ?? 0) & 64) === 64,
      allowedMentions: callback.data?.allowed_mentions,
      ...(callback.data?.choices ? { choices: callback.data.choices } : {}),
    };
  }

  private recordInteraction(token: string, update: (record: InteractionRecord) => void): void {
    const id = /^interaction-token-(\d+)$/.exec(token)?.[1];
    const record = id ? this.interactions.get(id) : undefined;
    if (!record) return;
    update(record);
    for (const wake of record.waiters.splice(0)) wake();
  }

  // ---------------------------------------------------------------------- REST

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bot ${this.token}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    let m: RegExpExecArray | null;

    // Interaction callbacks and webhooks authenticate with the interaction token, not the bot token.
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      this.recordInteraction(m[2] as string, (r) => (r.callback = body as InteractionRecord['callback']));
      res.writeHead(204);
      res.end();
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path)) && method === 'PATCH') {
      this.recordInteraction(m[2] as string, (r) => r.edits.push(body as { content?: string }));
      json(res, 200, this.messageObject(snowflake(), '0', body as MessageBody));
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      this.recordInteraction(m[2] as string, (r) => r.followUps.push(body as { content?: string }));
      json(res, 200, this.messageObject(snowflake(), '0', body as MessageBody));
      return;
    }

    if (!this.authorized(req)) {
      json(res, 401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    if (path === '/gateway/bot' && method === 'GET') {
      json(res, 200, { url: this.wsUrl, shards: this.shardCount, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: this.maxConcurrency } });
      return;
    }
    if ((m = /^\/applications\/(\d+)\/commands$/.exec(path)) && method === 'PUT') {
      this.commandPuts++;
      const list = (body as typeof this.commands).map((c) => ({ ...c, id: snowflake(), application_id: this.appId, type: 1, version: snowflake(), dm_permission: false, nsfw: false }));
      this.commands = list;
      json(res, 200, list);
      return;
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      this.createMessage(m[1] as string, body as MessageBody, res);
      return;
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      const guild = [...this.guilds.values()].find((g) => g.channelIds.includes(m?.[1] as string));
      if (!guild) json(res, 404, { message: 'Unknown Channel', code: 10003 });
      else json(res, 200, this.channelPayload(guild, m[1] as string));
      return;
    }
    json(res, 404, { message: '404: Not Found', code: 0 });
  }

  private messageObject(id: string, channelId: string, body: MessageBody): object {
    return {
      id,
      channel_id: channelId,
      type: 0,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      author: { id: this.botId, username: 'soop-alerts', discriminator: '0', avatar: null, bot: true, global_name: null },
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      flags: 0,
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    };
  }

  private createMessage(channelId: string, body: MessageBody, res: ServerResponse): void {
    const now = Date.now();
    const bucket = `channel-messages-${channelId}`;
    const window = (this.windows.get(channelId) ?? []).filter((t) => now - t < this.limit.windowMs);
    this.windows.set(channelId, window);
    const resetAfter = window.length > 0 ? (Math.max(0, (window[0] as number) + this.limit.windowMs - now) / 1000) : this.limit.windowMs / 1000;
    const rateHeaders = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(this.limit.limit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-reset': ((now + resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket,
    });
    const at = this.failures.findIndex((f) => f.channelId === undefined || f.channelId === channelId);
    const injected = at >= 0 ? this.failures.splice(at, 1)[0]?.failure : undefined;
    const fail = (status: number, payload: object, headers: Record<string, string> = {}): void => {
      this.attempts.push({ channelId, status, body });
      json(res, status, payload, headers);
    };
    if (injected?.status === 429) {
      fail(429, { message: 'You are being rate limited.', retry_after: injected.retryAfterSeconds, global: false }, { ...rateHeaders(0), 'retry-after': String(injected.retryAfterSeconds), 'x-ratelimit-scope': 'user' });
      return;
    }
    if (injected?.status === 403 || injected?.status === 404) {
      fail(injected.status, { message: FAILURE_MESSAGES[injected.code], code: injected.code });
      return;
    }
    if (injected?.status === 500) {
      fail(500, { message: 'Internal Server Error', code: 0 });
      return;
    }
    if (!this.knownChannel(channelId)) {
      fail(404, { message: 'Unknown Channel', code: 10003 });
      return;
    }
    if (this.enforceLimits && isEmptyDiscordMessage(body)) {
      fail(400, { message: 'Cannot send an empty message', code: 50006 });
      return;
    }
    const violations = this.enforceLimits ? discordBodyViolations(body) : {};
    if (Object.keys(violations).length > 0) {
      fail(400, { message: 'Invalid Form Body', code: 50035, errors: violations });
      return;
    }
    if (window.length >= this.limit.limit) {
      const retryAfter = Number(resetAfter.toFixed(3));
      fail(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: false }, { ...rateHeaders(0), 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' });
      return;
    }
    // enforce_nonce: the same nonce from the same author within a few minutes returns the first message.
    const nonceKey = body.enforce_nonce && body.nonce !== undefined ? `${channelId}:${String(body.nonce)}` : undefined;
    const seen = nonceKey ? this.nonces.get(nonceKey) : undefined;
    if (seen && now - seen.at < 300_000) {
      if (this.loseAnswer(channelId, body, res)) return;
      this.attempts.push({ channelId, status: 200, body });
      json(res, 200, this.messageObject(seen.message.id, channelId, seen.message.body), rateHeaders(this.limit.limit - window.length));
      return;
    }
    window.push(now);
    const message: RecordedMessage = { id: snowflake(), channelId, body };
    this.messages.push(message);
    if (nonceKey) this.nonces.set(nonceKey, { message, at: now });
    if (this.loseAnswer(channelId, body, res)) {
      for (const wake of this.messageWaiters.splice(0)) wake();
      return;
    }
    this.attempts.push({ channelId, status: 200, body });
    const answer = (): void => json(res, 200, this.messageObject(message.id, channelId, body), rateHeaders(this.limit.limit - window.length));
    const hold = this.holds.findIndex((c) => c === undefined || c === channelId);
    if (hold >= 0) {
      this.holds.splice(hold, 1);
      this.held.push(answer);
    } else {
      answer();
    }
    for (const wake of this.messageWaiters.splice(0)) wake();
  }

  /** A lost answer: the POST succeeded, the client gets a proxy's 502 (no Discord JSON). */
  private loseAnswer(channelId: string, body: MessageBody, res: ServerResponse): boolean {
    const at = this.lostAnswers.findIndex((c) => c === undefined || c === channelId);
    if (at < 0) return false;
    this.lostAnswers.splice(at, 1);
    this.attempts.push({ channelId, status: 502, body });
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>502 Bad Gateway</body></html>');
    return true;
  }

  private knownChannel(channelId: string): boolean {
    for (const guild of this.guilds.values()) if (guild.channelIds.includes(channelId)) return true;
    return false;
  }
}
