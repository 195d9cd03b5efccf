/**
 * Who may change subscriptions. Private chat: the user owns it. Channel posts come from the
 * channel's admins by definition. Groups and supergroups: administrators only — an anonymous
 * admin posts as the group itself (`sender_chat.id === chat.id`); anyone else is looked up with
 * getChatMember, cached briefly.
 */
import { LRUCache } from 'lru-cache';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface Sender {
  readonly chatType: ChatType;
  readonly chatId: number;
  /** Undefined for channel posts. */
  readonly userId: number | undefined;
  /** Set when the message was sent on behalf of a chat (anonymous admin, linked channel). */
  readonly senderChatId: number | undefined;
}

export type Decision = 'allow' | 'deny' | 'lookup';

/** What can be decided without asking Telegram. */
export function decide(sender: Sender): Decision {
  switch (sender.chatType) {
    case 'private':
    case 'channel':
      return 'allow';
    case 'group':
    case 'supergroup':
      if (sender.senderChatId !== undefined) return sender.senderChatId === sender.chatId ? 'allow' : 'deny';
      return sender.userId === undefined ? 'deny' : 'lookup';
  }
}

export const isAdminStatus = (status: string): boolean => status === 'creator' || status === 'administrator';

export interface AdminCheckerOptions {
  /** getChatMember(chat, user).status */
  readonly memberStatus: (chatId: number, userId: number) => Promise<string>;
  readonly ttlMs?: number;
  readonly maxEntries?: number;
}

/** Decides, looking admins up through Telegram at most once per chat and user per `ttlMs`. */
export class AdminChecker {
  private readonly cache: LRUCache<string, Promise<boolean>>;

  constructor(private readonly options: AdminCheckerOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 10_000, ttl: options.ttlMs ?? 60_000 });
  }

  /** True when the sender may change this chat's subscriptions; a failed lookup rejects (and is not cached). */
  async mayManage(sender: Sender): Promise<boolean> {
    const decision = decide(sender);
    if (decision !== 'lookup' || sender.userId === undefined) return decision === 'allow';
    const key = `${sender.chatId}:${sender.userId}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.options.memberStatus(sender.chatId, sender.userId).then(isAdminStatus);
      this.cache.set(key, pending);
      pending.catch(() => this.cache.delete(key));
    }
    return pending;
  }

  /** Forget a chat's answers (e.g. after the bot was removed and re-added). */
  forgetChat(chatId: number): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${chatId}:`)) this.cache.delete(key);
  }
}
