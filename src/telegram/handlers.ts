/**
 * The bot's update handlers: commands, the /list buttons, and membership changes. Each command
 * checks who may run it, parses its arguments (a bad one gets the usage text) and calls the
 * platform-neutral CommandService, whose plain-text reply is sent WITHOUT parse_mode, so nothing
 * a user typed can turn into markup.
 */
import { Composer, InlineKeyboard, type Context } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { CommandContext } from '../commands/ports.js';
import { failureText, parseWords, type CommandService, type Reply } from '../commands/service.js';
import { TELEGRAM, USAGE, say, type Locale, type UsageKey } from '../i18n/index.js';
import type { Logger } from '../log.js';
import { describeTelegramError } from './errors.js';
import {
  CALLBACK_ANSWER_LIMIT,
  decodeCallback,
  encodeCallback,
  firstArg,
  localeOf,
  parseKeywords,
  parseMinBalloons,
  parseSettings,
  parseSubscribe,
  splitPlain,
  truncate,
  type ListAction,
} from './parse.js';
import type { AdminChecker, ChatType, Sender } from './permissions.js';

export interface HandlerDeps {
  readonly commands: CommandService;
  readonly admins: AdminChecker;
  readonly token: string;
  readonly logger: Logger;
}

type ReplyExtra = { readonly keyboard?: InlineKeyboard };

const destinationOf = (chatId: number): CommandContext['destination'] => ({ platform: 'telegram', id: String(chatId) });

/**
 * Replies follow the sender's language. A chat's alerts start in the language of whoever subscribes
 * it first: in a private chat that is its owner; in a group, Telegram does not tell a bot the
 * creator's language, so the first admin to subscribe stands in (until /language changes it).
 */
function contextOf(ctx: Context, chatId: number): CommandContext {
  const locale = localeOf(ctx.from?.language_code);
  return {
    destination: destinationOf(chatId),
    userId: String(ctx.from?.id ?? ctx.senderChat?.id ?? chatId),
    locale,
    alertLocale: locale,
  };
}

function senderOf(ctx: Context, chatId: number, chatType: ChatType): Sender {
  return { chatType, chatId, userId: ctx.from?.id, senderChatId: ctx.senderChat?.id };
}

const adminsOnly = (locale: Locale): string => say(locale, TELEGRAM.adminsOnly);
const couldNotCheck = (locale: Locale): string => say(locale, TELEGRAM.couldNotCheck);
const outdatedButton = (locale: Locale): string => say(locale, TELEGRAM.outdatedButton);
const usage = (locale: Locale, key: UsageKey): string => say(locale, USAGE[key]);

function helpText(commands: CommandService, cc: CommandContext, chatType: ChatType): string {
  const base = commands.help(cc, 'telegram').text;
  const options = say(cc.locale, TELEGRAM.helpOptions);
  return chatType === 'private' ? `${base}\n\n${options}` : `${base}\n\n${options}\n${say(cc.locale, TELEGRAM.helpGroups)}`;
}

function listKeyboard(commands: CommandService, cc: CommandContext): InlineKeyboard | undefined {
  const subs = commands.subscriptionsOf(cc);
  if (subs.length === 0) return undefined;
  const keyboard = new InlineKeyboard();
  for (const sub of subs) {
    const toggle: ListAction = sub.paused ? 'resume' : 'pause';
    const toggleLabel = say(cc.locale, sub.paused ? TELEGRAM.buttonResume : TELEGRAM.buttonPause, sub.streamerId);
    keyboard
      .text(toggleLabel, encodeCallback(toggle, sub.streamerId))
      .text(say(cc.locale, TELEGRAM.buttonStop, sub.streamerId), encodeCallback('unsubscribe', sub.streamerId))
      .row();
  }
  return keyboard;
}

/** A CommandService call that threw anyway (it should not): a clear sentence, never a stack. */
async function safely(locale: Locale, run: () => Promise<Reply> | Reply): Promise<Reply> {
  try {
    return await run();
  } catch (err) {
    return { ok: false, text: failureText(locale, err) };
  }
}

export function createHandlers(deps: HandlerDeps): Composer<Context> {
  const { commands, admins, logger, token } = deps;
  const composer = new Composer<Context>();

  async function reply(ctx: Context, text: string, extra: ReplyExtra = {}): Promise<void> {
    const chat = ctx.chat;
    if (!chat) return;
    const chunks = splitPlain(text);
    const replyTo = chat.type !== 'private' ? ctx.msg?.message_id : undefined;
    for (const [i, chunk] of chunks.entries()) {
      const last = i === chunks.length - 1;
      try {
        await ctx.api.sendMessage(chat.id, chunk, {
          link_preview_options: { is_disabled: true },
          ...(i === 0 && replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
          ...(ctx.msg?.is_topic_message && ctx.msg.message_thread_id !== undefined ? { message_thread_id: ctx.msg.message_thread_id } : {}),
          ...(last && extra.keyboard ? { reply_markup: extra.keyboard } : {}),
        });
      } catch (err) {
        logger.warn({ chat: chat.id, err: describeTelegramError(err, token) }, 'could not send a command reply');
        return;
      }
    }
  }

  type Handler = (ctx: Context, cc: CommandContext, args: string, chatType: ChatType) => Promise<void>;

  /** Registers a command; `manage` commands are refused to non-admins in groups. */
  function command(name: string, access: 'anyone' | 'manage', handler: Handler): void {
    composer.command(name, async (ctx) => {
      const chat = ctx.chat;
      const cc = contextOf(ctx, chat.id);
      if (access === 'manage') {
        let allowed: boolean;
        try {
          allowed = await admins.mayManage(senderOf(ctx, chat.id, chat.type));
        } catch (err) {
          logger.warn({ chat: chat.id, err: describeTelegramError(err, token) }, 'admin check failed');
          await reply(ctx, couldNotCheck(cc.locale));
          return;
        }
        if (!allowed) {
          await reply(ctx, adminsOnly(cc.locale));
          return;
        }
      }
      await handler(ctx, cc, typeof ctx.match === 'string' ? ctx.match : '', chat.type);
    });
  }

  const send = async (ctx: Context, cc: CommandContext, run: () => Promise<Reply> | Reply, extra?: ReplyExtra): Promise<void> =>
    reply(ctx, (await safely(cc.locale, run)).text, extra);

  command('start', 'anyone', async (ctx, cc, _args, chatType) => {
    await reply(ctx, `${say(cc.locale, TELEGRAM.hello)}\n\n${helpText(commands, cc, chatType)}`);
  });

  command('help', 'anyone', async (ctx, cc, _args, chatType) => reply(ctx, helpText(commands, cc, chatType)));

  command('subscribe', 'manage', async (ctx, cc, args) => {
    const parsed = parseSubscribe(args);
    if (!parsed) return reply(ctx, usage(cc.locale, 'subscribe'));
    await send(ctx, cc, () =>
      commands.watch(cc, {
        streamer: parsed.streamer,
        ...(parsed.keywordText ? { keywords: parseWords(parsed.keywordText) } : {}),
        ...(parsed.minBalloons !== undefined ? { minBalloons: parsed.minBalloons } : {}),
        ...(parsed.loudAbove !== undefined ? { loudAbove: parsed.loudAbove } : {}),
      }),
    );
  });

  command('unsubscribe', 'manage', async (ctx, cc, args) => {
    const streamer = firstArg(args);
    if (streamer === undefined) return reply(ctx, usage(cc.locale, 'unsubscribe'));
    await send(ctx, cc, () => commands.unwatch(cc, streamer));
  });

  command('list', 'anyone', async (ctx, cc) => {
    const result = await safely(cc.locale, () => commands.list(cc));
    const keyboard = result.ok ? listKeyboard(commands, cc) : undefined;
    await reply(ctx, result.text, keyboard ? { keyboard } : {});
  });

  composer.command('keywords', async (ctx, next) => {
    // Listing is for anyone; changing needs an admin (checked by the 'manage' registration below).
    const parsed = parseKeywords(typeof ctx.match === 'string' ? ctx.match : '');
    if ('error' in parsed || parsed.action !== 'list') return next();
    const cc = contextOf(ctx, ctx.chat.id);
    await send(ctx, cc, () => commands.keywords(cc, parsed.streamer, 'list'));
  });
  command('keywords', 'manage', async (ctx, cc, args) => {
    const parsed = parseKeywords(args);
    if ('error' in parsed) {
      const head = parsed.error === 'action' ? `${say(cc.locale, TELEGRAM.unknownKeywordAction, parsed.given ?? '')}\n` : '';
      return reply(ctx, head + usage(cc.locale, 'keywords'));
    }
    await send(ctx, cc, () => commands.keywords(cc, parsed.streamer, parsed.action, parseWords(parsed.wordText)));
  });

  command('minballoons', 'manage', async (ctx, cc, args) => {
    const parsed = parseMinBalloons(args);
    if (!parsed) return reply(ctx, usage(cc.locale, 'minballoons'));
    await send(ctx, cc, () => commands.minBalloons(cc, parsed.streamer, parsed.count));
  });

  command('pause', 'manage', async (ctx, cc, args) => send(ctx, cc, () => commands.pause(cc, firstArg(args))));
  command('resume', 'manage', async (ctx, cc, args) => send(ctx, cc, () => commands.resume(cc, firstArg(args))));

  command('status', 'anyone', async (ctx, cc, args) => {
    const given = firstArg(args);
    const only = commands.subscriptionsOf(cc);
    // With one subscription here, "/status" alone means that one.
    const streamer = given ?? (only.length === 1 ? only[0]?.streamerId : undefined);
    if (streamer === undefined) return reply(ctx, usage(cc.locale, 'status'));
    await send(ctx, cc, () => commands.status(cc, streamer));
  });

  command('test', 'manage', async (ctx, cc, args) => send(ctx, cc, () => commands.test(cc, firstArg(args))));

  // The chat's alert language: anyone may see it, admins change it.
  const language = async (ctx: Context, cc: CommandContext, value: string, chatType: ChatType): Promise<void> => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    if (value !== '') {
      let allowed: boolean;
      try {
        allowed = await admins.mayManage(senderOf(ctx, chatId, chatType));
      } catch (err) {
        logger.warn({ chat: chatId, err: describeTelegramError(err, token) }, 'admin check failed');
        return reply(ctx, couldNotCheck(cc.locale));
      }
      if (!allowed) return reply(ctx, adminsOnly(cc.locale));
    }
    await send(ctx, cc, () => commands.language(cc, value));
  };
  command('language', 'anyone', async (ctx, cc, args, chatType) => language(ctx, cc, firstArg(args) ?? '', chatType));
  command('settings', 'anyone', async (ctx, cc, args, chatType) => {
    const value = parseSettings(args);
    if (value === undefined) return reply(ctx, usage(cc.locale, 'language'));
    await language(ctx, cc, value, chatType);
  });

  // The /list buttons.
  composer.on('callback_query:data', async (ctx) => {
    const locale = localeOf(ctx.from.language_code);
    let answer: { text: string; show_alert?: boolean } = { text: outdatedButton(locale), show_alert: true };
    try {
      const data = decodeCallback(ctx.callbackQuery.data);
      const chat = ctx.chat;
      if (!data || !chat) return;
      const cc = contextOf(ctx, chat.id);
      let allowed: boolean;
      try {
        allowed = await admins.mayManage({ chatType: chat.type, chatId: chat.id, userId: ctx.from.id, senderChatId: undefined });
      } catch (err) {
        logger.warn({ chat: chat.id, err: describeTelegramError(err, token) }, 'admin check failed');
        answer = { text: couldNotCheck(locale), show_alert: true };
        return;
      }
      if (!allowed) {
        answer = { text: adminsOnly(locale), show_alert: true };
        return;
      }
      const result = await safely(locale, () =>
        data.action === 'unsubscribe' ? commands.unwatch(cc, data.streamerId) : data.action === 'pause' ? commands.pause(cc, data.streamerId) : commands.resume(cc, data.streamerId),
      );
      answer = { text: result.text, ...(result.ok ? {} : { show_alert: true }) };
      await refreshList(ctx, cc);
    } finally {
      try {
        await ctx.answerCallbackQuery({ ...answer, text: truncate(answer.text, CALLBACK_ANSWER_LIMIT) });
      } catch (err) {
        logger.debug({ err: describeTelegramError(err, token) }, 'could not answer a callback query');
      }
    }
  });

  async function refreshList(ctx: Context, cc: CommandContext): Promise<void> {
    const message = ctx.callbackQuery?.message;
    if (!message) return;
    const list = await safely(cc.locale, () => commands.list(cc));
    const keyboard = listKeyboard(commands, cc) ?? new InlineKeyboard();
    try {
      await ctx.api.editMessageText(message.chat.id, message.message_id, truncate(list.text, 4096), {
        reply_markup: keyboard,
        link_preview_options: { is_disabled: true },
      });
    } catch (err) {
      // "message is not modified" and old messages that can no longer be edited are fine.
      logger.debug({ err: describeTelegramError(err, token) }, 'could not refresh a /list message');
    }
  }

  // The bot was removed, blocked, or (re-)added.
  composer.on('my_chat_member', async (ctx) => {
    const { chat, new_chat_member: now, old_chat_member: before } = ctx.myChatMember;
    const destination = destinationOf(chat.id);
    if (isGone(now)) {
      const reason = chat.type === 'private' ? 'the user blocked the bot' : now.status === 'kicked' ? 'the bot was removed from the chat' : 'the bot left the chat';
      const paused = commands.destinationGone(destination, reason, false);
      admins.forgetChat(chat.id);
      logger.info({ chat: chat.id, status: now.status, paused }, 'bot lost access to a chat; its subscriptions are paused');
      return;
    }
    if (isGone(before) && chat.type !== 'channel') {
      const cc = contextOf(ctx, chat.id);
      const waiting = commands.subscriptionsOf(cc).filter((s) => s.paused).length;
      const greeting = helpText(commands, cc, chat.type);
      const resumeHint = say(cc.locale, TELEGRAM.resumeHint, waiting);
      if (chat.type === 'private' && waiting === 0) return;
      await reply(ctx, waiting > 0 ? resumeHint : greeting);
    }
  });

  // A group became a supergroup: both chats get a service message; either one moves the subscriptions.
  composer.on('message:migrate_to_chat_id', (ctx) => {
    const moved = commands.destinationMoved(destinationOf(ctx.chat.id), String(ctx.msg.migrate_to_chat_id));
    if (moved > 0) logger.info({ from: ctx.chat.id, to: ctx.msg.migrate_to_chat_id, moved }, 'group upgraded to a supergroup; subscriptions moved');
  });
  composer.on('message:migrate_from_chat_id', (ctx) => {
    const moved = commands.destinationMoved(destinationOf(ctx.msg.migrate_from_chat_id), String(ctx.chat.id));
    if (moved > 0) logger.info({ from: ctx.msg.migrate_from_chat_id, to: ctx.chat.id, moved }, 'group upgraded to a supergroup; subscriptions moved');
  });

  // An unknown command in a private chat gets a pointer to /help (in groups it may be for another bot).
  composer.chatType('private').on('message:entities:bot_command', async (ctx) => {
    if (ctx.msg.entities[0]?.offset !== 0) return;
    const cc = contextOf(ctx, ctx.chat.id);
    await reply(ctx, say(cc.locale, TELEGRAM.unknownCommand));
  });

  return composer;
}

function isGone(member: ChatMember): boolean {
  return member.status === 'kicked' || member.status === 'left';
}
