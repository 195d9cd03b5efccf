import { describe, expect, it } from 'vitest';
import { AdminChecker, decide, isAdminStatus, type Sender } from '../../src/telegram/permissions.js';

const group = (over: Partial<Sender> = {}): Sender => ({ chatType: 'supergroup', chatId: -100, userId: 7, senderChatId: undefined, ...over });

describe('who may change subscriptions', () => {
  it('private chats: the user; channel posts: the channel admins', () => {
    expect(decide({ chatType: 'private', chatId: 7, userId: 7, senderChatId: undefined })).toBe('allow');
    expect(decide({ chatType: 'channel', chatId: -1001, userId: undefined, senderChatId: -1001 })).toBe('allow');
  });

  it('groups: anonymous admin (sender_chat is the group) allowed; other sender chats refused; users looked up', () => {
    expect(decide(group({ senderChatId: -100 }))).toBe('allow');
    expect(decide(group({ senderChatId: -1009999 }))).toBe('deny');
    expect(decide(group({ userId: undefined }))).toBe('deny');
    expect(decide(group())).toBe('lookup');
    expect(decide(group({ chatType: 'group' }))).toBe('lookup');
  });

  it('only creator and administrator count as admins', () => {
    expect(['creator', 'administrator', 'member', 'restricted', 'left', 'kicked'].map(isAdminStatus)).toEqual([true, true, false, false, false, false]);
  });

  it('caches lookups per chat and user, forgets failures and forgotten chats', async () => {
    const asked: string[] = [];
    let fail = false;
    const checker = new AdminChecker({
      memberStatus: async (chat, user) => {
        asked.push(`${chat}:${user}`);
        if (fail) throw new Error('network');
        return user === 1 ? 'administrator' : 'member';
      },
    });
    expect(await checker.mayManage(group({ userId: 1 }))).toBe(true);
    expect(await checker.mayManage(group({ userId: 1 }))).toBe(true);
    expect(await checker.mayManage(group({ userId: 2 }))).toBe(false);
    expect(asked).toEqual(['-100:1', '-100:2']);
    checker.forgetChat(-100);
    fail = true;
    await expect(checker.mayManage(group({ userId: 1 }))).rejects.toThrow('network');
    fail = false;
    expect(await checker.mayManage(group({ userId: 1 }))).toBe(true);
    expect(asked).toEqual(['-100:1', '-100:2', '-100:1', '-100:1']);
    // No lookup where none is needed.
    expect(await checker.mayManage({ chatType: 'private', chatId: 5, userId: 5, senderChatId: undefined })).toBe(true);
    expect(asked).toHaveLength(4);
  });
});
