/**
 * Permission checks, as pure functions over Discord's bitfields:
 * - the member running a management command needs Manage Channels in this channel (the command's
 *   default_member_permissions is only a default server admins can override);
 * - the bot itself needs View Channel, Send Messages (Send Messages in Threads in a thread) and
 *   Embed Links in the channel it is asked to post in. Asking first costs nothing; a failed post
 *   costs one of Discord's 10,000 invalid requests per 10 minutes and pauses the channel.
 */
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { DISCORD, PERMISSION_NAMES, say, type Locale, type Phrase, type PermissionName } from '../i18n/index.js';

export interface PermissionInfo {
  readonly flag: bigint;
  /** Discord's own name of the permission (its words in each language are in src/i18n). */
  readonly name: PermissionName;
}

const VIEW: PermissionInfo = { flag: PermissionFlagsBits.ViewChannel, name: 'ViewChannel' };
const SEND: PermissionInfo = { flag: PermissionFlagsBits.SendMessages, name: 'SendMessages' };
const SEND_IN_THREADS: PermissionInfo = { flag: PermissionFlagsBits.SendMessagesInThreads, name: 'SendMessagesInThreads' };
const EMBED: PermissionInfo = { flag: PermissionFlagsBits.EmbedLinks, name: 'EmbedLinks' };
export const MANAGE_CHANNELS: PermissionInfo = { flag: PermissionFlagsBits.ManageChannels, name: 'ManageChannels' };

/** What the bot needs to post alerts in a channel (or a thread). */
export function requiredBotPermissions(inThread: boolean): readonly PermissionInfo[] {
  return [VIEW, inThread ? SEND_IN_THREADS : SEND, EMBED];
}

const bits = (permissions: PermissionsBitField | bigint | string | null | undefined): PermissionsBitField | undefined =>
  permissions === null || permissions === undefined ? undefined : permissions instanceof PermissionsBitField ? permissions : new PermissionsBitField(BigInt(permissions));

/** True when the member may manage alerts here (Administrator implies everything). */
export function memberMayManage(permissions: PermissionsBitField | bigint | string | null | undefined): boolean {
  return bits(permissions)?.has(MANAGE_CHANNELS.flag, true) ?? false;
}

/** The permissions the bot lacks in the channel; empty when it has them all (or when Discord did not say). */
export function missingBotPermissions(appPermissions: PermissionsBitField | bigint | string | null | undefined, inThread = false): PermissionInfo[] {
  const have = bits(appPermissions);
  if (!have) return [];
  return requiredBotPermissions(inThread).filter((p) => !have.has(p.flag, true));
}

/** The permissions as the reader's Discord client names them. */
export function permissionNames(list: readonly PermissionInfo[], locale: Locale): string {
  return list.map((p) => say(locale, PERMISSION_NAMES[p.name])).join(', ');
}

export function notAllowedText(locale: Locale): string {
  return say(locale, DISCORD.notAllowed, say(locale, PERMISSION_NAMES[MANAGE_CHANNELS.name]));
}

/** What to say when the bot lacks permissions; `nothingDone` says what was not done. */
export function botMissingText(missing: readonly PermissionInfo[], locale: Locale, nothingDone: Phrase): string {
  return say(locale, DISCORD.botMissing, permissionNames(missing, locale), say(locale, nothingDone));
}
