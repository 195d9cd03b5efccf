/**
 * Slash command and autocomplete interactions → CommandService. Replies are ephemeral, escaped
 * (stream titles and keywords are other people's text) and mention nobody (the client sets
 * allowedMentions parse: []). Who may: Manage Channels in this channel, checked here at run time;
 * what the bot may: checked before anything that makes it post (/watch, /resume, /test).
 */
import { GuildFeature, MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { describeError } from '../core/errors.js';
import type { CommandContext } from '../commands/ports.js';
import { failureText, parseEvents, parseWords, type CommandService, type Reply, type WatchOptions } from '../commands/service.js';
import { DISCORD, localeFromTag, say, type Locale, type Phrase } from '../i18n/index.js';
import { escapeDiscord, packLines, DISCORD_LIMITS } from '../route/format-discord.js';
import { botMissingText, memberMayManage, missingBotPermissions, notAllowedText } from './permissions.js';

export interface InteractionLogger {
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Discord locales 'en-US' / 'en-GB' → English; everything else gets Korean (the bot's home). */
export function localeOf(discordLocale: string | null | undefined): Locale {
  return localeFromTag(discordLocale, 'ko');
}

/** Most ephemeral messages one reply is split into (a long /watches list). */
const MAX_REPLY_MESSAGES = 5;

/**
 * The language a channel's alerts start in: the server's (guild_locale). Only Community servers
 * choose one ("primary language"); every other server reports Discord's default, en-US, which
 * nobody chose — there the language of whoever subscribes the channel first stands in.
 */
function alertLocaleOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): Locale {
  const community = interaction.guild?.features.includes(GuildFeature.Community) ?? true;
  return localeOf(community ? interaction.guildLocale : interaction.locale);
}

function contextOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): CommandContext | undefined {
  if (!interaction.inGuild()) return undefined;
  return {
    destination: { platform: 'discord', id: interaction.channelId, guildId: interaction.guildId },
    userId: interaction.user.id,
    locale: localeOf(interaction.locale),
    alertLocale: alertLocaleOf(interaction),
  };
}

/** Escaped text; a channel id written as "#<id>" becomes a clickable channel link (it pings nobody). */
function escapeReplyLine(line: string): string {
  return escapeDiscord(line).replace(/\\#(\d{17,20})\b/g, '<#$1>');
}

/** Escaped reply text in messages of at most 2,000 characters. */
export function replyPages(text: string): string[] {
  const pages = packLines(text.split('\n').map(escapeReplyLine), DISCORD_LIMITS.content);
  return pages.length > 0 ? pages.slice(0, MAX_REPLY_MESSAGES) : ['…'];
}

async function respond(interaction: ChatInputCommandInteraction, text: string): Promise<void> {
  const [first = '…', ...rest] = replyPages(text);
  if (interaction.deferred) await interaction.editReply({ content: first });
  else await interaction.reply({ content: first, flags: MessageFlags.Ephemeral });
  for (const page of rest) await interaction.followUp({ content: page, flags: MessageFlags.Ephemeral });
}

/** Input the options parser itself rejects (bad event names, over-long keywords) → a reply. */
async function parsed(locale: Locale, run: () => Promise<Reply> | Reply): Promise<Reply> {
  try {
    return await run();
  } catch (err) {
    return { ok: false, text: failureText(locale, err) };
  }
}

/** The bot's own permissions for posting here; undefined when it has them all. */
function botCannotPost(interaction: ChatInputCommandInteraction, locale: Locale, nothingDone: Phrase): string | undefined {
  const missing = missingBotPermissions(interaction.appPermissions, interaction.channel?.isThread() ?? false);
  return missing.length > 0 ? botMissingText(missing, locale, nothingDone) : undefined;
}

async function watch(interaction: ChatInputCommandInteraction, ctx: CommandContext, commands: CommandService): Promise<Reply> {
  const { locale } = ctx;
  const refusal = botCannotPost(interaction, locale, DISCORD.nothingSaved);
  if (refusal) return { ok: false, text: refusal };
  const o = interaction.options;
  const role = o.getRole('mention_role');
  if (role && role.id === interaction.guildId) {
    return { ok: false, text: say(locale, DISCORD.everyoneRole) };
  }
  const keywords = o.getString('keywords');
  const events = o.getString('events');
  const minBalloons = o.getInteger('min_balloons');
  const loudAbove = o.getInteger('loud_above');
  const options: WatchOptions = {
    streamer: o.getString('streamer', true),
    ...(keywords !== null ? { keywords: parseWords(keywords) } : {}),
    ...(events !== null ? { events: parseEvents(events) } : {}),
    ...(minBalloons !== null ? { minBalloons } : {}),
    ...(role ? { mentionRoleId: role.id } : {}),
    ...(loudAbove !== null ? { loudAbove } : {}),
  };
  // Checking the stream can take a few seconds; Discord wants an answer within 3.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reply = await commands.watch(ctx, options);
  if (!reply.ok || !role) return reply;
  const hints: string[] = [];
  if (loudAbove === null) hints.push(say(locale, DISCORD.roleNeedsLoudAbove, role.name));
  if (!role.mentionable && !interaction.appPermissions.has('MentionEveryone')) hints.push(say(locale, DISCORD.roleNotMentionable, role.name));
  return { ok: true, text: [reply.text, ...hints].join('\n') };
}

async function runCommand(interaction: ChatInputCommandInteraction, ctx: CommandContext, commands: CommandService): Promise<Reply> {
  const o = interaction.options;
  const { locale } = ctx;
  switch (interaction.commandName) {
    case 'watch':
      return watch(interaction, ctx, commands);
    case 'unwatch':
      return commands.unwatch(ctx, o.getString('streamer', true));
    case 'watches':
      return commands.list(ctx, { wholeGuild: o.getBoolean('server') ?? false });
    case 'keywords': {
      const action = o.getSubcommand(true);
      if (action !== 'add' && action !== 'remove' && action !== 'list') break;
      return commands.keywords(ctx, o.getString('streamer', true), action, action === 'list' ? [] : parseWords(o.getString('words', true)));
    }
    case 'pause':
      return commands.pause(ctx, o.getString('streamer') ?? undefined);
    case 'resume': {
      const refusal = botCannotPost(interaction, locale, DISCORD.nothingResumed);
      return refusal ? { ok: false, text: refusal } : commands.resume(ctx, o.getString('streamer') ?? undefined);
    }
    case 'status':
      return commands.status(ctx, o.getString('streamer', true));
    case 'test': {
      const refusal = botCannotPost(interaction, locale, DISCORD.noTestSent);
      return refusal ? { ok: false, text: refusal } : commands.test(ctx, o.getString('streamer') ?? undefined);
    }
    case 'settings':
      if (o.getSubcommand(true) !== 'language') break;
      return commands.language(ctx, o.getString('language') ?? undefined);
    case 'help':
      return commands.help(ctx, 'discord');
    default:
      break;
  }
  return { ok: false, text: say(locale, DISCORD.unknownCommand) };
}

async function onChatInput(interaction: ChatInputCommandInteraction, commands: CommandService): Promise<void> {
  const ctx = contextOf(interaction);
  const locale = ctx?.locale ?? localeOf(interaction.locale);
  if (!ctx) {
    await respond(interaction, say(locale, DISCORD.notInGuild));
    return;
  }
  if (interaction.commandName !== 'help' && !memberMayManage(interaction.memberPermissions)) {
    await respond(interaction, notAllowedText(locale));
    return;
  }
  const reply = await parsed(locale, () => runCommand(interaction, ctx, commands));
  await respond(interaction, reply.text);
}

async function onAutocomplete(interaction: AutocompleteInteraction, commands: CommandService): Promise<void> {
  const ctx = contextOf(interaction);
  if (!ctx || !memberMayManage(interaction.memberPermissions)) {
    await interaction.respond([]);
    return;
  }
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value);
  let values: string[] = [];
  if (focused.name === 'streamer') {
    values = commands.streamersOf(ctx, typed.trim());
  } else if (focused.name === 'events') {
    // "star,l" → "star,live": complete the last name of a comma-separated list.
    const parts = typed.split(',');
    const last = (parts.pop() ?? '').trim().toLowerCase();
    const done = parts.map((p) => p.trim()).filter(Boolean);
    values = ['all', ...parseEvents('all')].filter((k) => k.startsWith(last) && !done.includes(k)).map((k) => [...done, k].join(','));
  } else if (focused.name === 'words') {
    const streamer = interaction.options.getString('streamer') ?? '';
    const sub = commands.subscriptionsOf(ctx).find((s) => s.streamerId === streamer.trim().toLowerCase());
    values = (sub?.keywords ?? []).filter((k) => k.includes(typed.trim()));
  }
  await interaction.respond(values.slice(0, 25).map((v) => ({ name: v.slice(0, 100), value: v.slice(0, 100) })));
}

/** Handles one interaction; never throws (a reply that fails is logged). */
export async function handleInteraction(interaction: Interaction, commands: CommandService, logger: InteractionLogger): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await onAutocomplete(interaction, commands);
    else if (interaction.isChatInputCommand()) await onChatInput(interaction, commands);
  } catch (err) {
    logger.warn({ err: describeError(err), interaction: interaction.id }, 'could not answer a Discord interaction');
  }
}
