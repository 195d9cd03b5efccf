/**
 * Permission checks, as pure functions over Discord's bitfields:
 * - the member running a management command needs Manage Channels in this channel (the command's
 *   default_member_permissions is only a default server admins can override);
 * - the bot itself needs View Channel, Send Messages (Send Messages in Threads in a thread) and
 *   Embed Links in the channel it is asked to post in. Asking first costs nothing; a failed post
 *   costs one of Discord's 10,000 invalid requests per 10 minutes and pauses the channel.
 */
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';

type Locale = 'ko' | 'en';

export interface PermissionInfo {
  readonly flag: bigint;
  readonly en: string;
  readonly ko: string;
}

const VIEW: PermissionInfo = { flag: PermissionFlagsBits.ViewChannel, en: 'View Channel', ko: '채널 보기' };
const SEND: PermissionInfo = { flag: PermissionFlagsBits.SendMessages, en: 'Send Messages', ko: '메시지 보내기' };
const SEND_IN_THREADS: PermissionInfo = { flag: PermissionFlagsBits.SendMessagesInThreads, en: 'Send Messages in Threads', ko: '스레드에서 메시지 보내기' };
const EMBED: PermissionInfo = { flag: PermissionFlagsBits.EmbedLinks, en: 'Embed Links', ko: '링크 첨부' };
export const MANAGE_CHANNELS: PermissionInfo = { flag: PermissionFlagsBits.ManageChannels, en: 'Manage Channels', ko: '채널 관리' };

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

export function permissionNames(list: readonly PermissionInfo[], locale: Locale): string {
  return list.map((p) => (locale === 'ko' ? `${p.ko} (${p.en})` : p.en)).join(', ');
}

export function notAllowedText(locale: Locale): string {
  return locale === 'ko'
    ? `이 명령은 이 채널에서 '${MANAGE_CHANNELS.ko}' 권한이 있는 사람만 쓸 수 있습니다.`
    : `You need the ${MANAGE_CHANNELS.en} permission in this channel to use this command.`;
}

/** What to say when the bot lacks permissions; `nothingDone` says what was not done. */
export function botMissingText(missing: readonly PermissionInfo[], locale: Locale, nothingDone: { ko: string; en: string }): string {
  return locale === 'ko'
    ? `봇에게 이 채널 권한이 없습니다: ${permissionNames(missing, locale)}. 채널 설정 → 권한에서 봇(또는 봇 역할)에 허용한 뒤 다시 시도하세요. ${nothingDone.ko}`
    : `The bot is missing permissions in this channel: ${permissionNames(missing, locale)}. Allow them for the bot (or its role) in the channel settings → Permissions, then try again. ${nothingDone.en}`;
}
