/** One behaviour contract every SubscriptionStore must pass (sqlite and memory run it). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetentionJob } from '../../src/store/retention.js';
import { ManualTimers } from './manual-timers.js';
import { AppError } from '../../src/core/errors.js';
import { DuplicateError, LimitError } from '../../src/store/errors.js';
import type { Destination, NewOutboxEntry, NewSubscription, SubscriptionStore } from '../../src/store/types.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';

const general: Destination = { platform: 'discord', id: 'chan-1', guildId: 'guild-1' };
const lounge: Destination = { platform: 'discord', id: 'chan-2', guildId: 'guild-1' };
const elsewhere: Destination = { platform: 'discord', id: 'chan-9', guildId: 'guild-9' };
const group: Destination = { platform: 'telegram', id: '-100123' };

function newSub(destination: Destination, streamerId: string, extra: Partial<NewSubscription> = {}): NewSubscription {
  return subscriptionRequest(destination, streamerId, 'user-1', { events: ['star', 'live'], ...extra });
}

let keySeq = 0;
function newEntry(destination: Destination, extra: Partial<NewOutboxEntry> = {}): NewOutboxEntry {
  keySeq++;
  return {
    idempotencyKey: `streamer:${keySeq}:${destination.platform}:${destination.id}`,
    subscriptionId: 1,
    destination,
    priority: 0,
    payload: JSON.stringify({ text: `alert ${keySeq}` }),
    createdAt: 1_000 + keySeq,
    ...extra,
  };
}

export function describeStoreContract(name: string, open: () => SubscriptionStore): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    let store: SubscriptionStore;
    beforeEach(() => {
      store = open();
    });
    afterEach(() => {
      store.close();
    });

    describe('subscriptions', () => {
      it('adds a subscription with an id, defaults and a creation time, and reads it back', () => {
        const before = Date.now();
        const sub = store.add(newSub(general, 'streamer1', { minBalloons: 10, loudAbove: 100, mentionRoleId: 'role-7', locale: 'en' }));
        expect(sub.id).toBeGreaterThan(0);
        expect(sub.createdAt).toBeGreaterThanOrEqual(before);
        expect(sub.createdAt).toBeLessThanOrEqual(Date.now());
        expect(sub).toMatchObject({ destination: general, streamerId: 'streamer1', createdBy: 'user-1', paused: false, pausedReason: undefined });
        expect(store.get(sub.id)).toEqual(sub);
        expect(store.get(sub.id + 1000)).toBeUndefined();
      });

      it('gives each subscription its own id', () => {
        const a = store.add(newSub(general, 'streamer1'));
        const b = store.add(newSub(general, 'streamer2'));
        expect(a.id).not.toBe(b.id);
      });

      it('finds by destination (platform + id, whatever the guild) and streamer', () => {
        const sub = store.add(newSub(general, 'streamer1'));
        expect(store.find({ platform: 'discord', id: 'chan-1' }, 'streamer1')).toEqual(sub);
        expect(store.find(general, 'streamer2')).toBeUndefined();
        expect(store.find({ platform: 'telegram', id: 'chan-1' }, 'streamer1')).toBeUndefined();
      });

      it('keeps a destination without guild without a guildId key', () => {
        const sub = store.add(newSub(group, 'streamer1'));
        expect(sub.destination).toEqual({ platform: 'telegram', id: '-100123' });
        expect(Object.keys(store.get(sub.id)?.destination ?? {})).not.toContain('guildId');
      });

      it('updates only the fields given and returns the new version', () => {
        const sub = store.add(newSub(general, 'streamer1', { minBalloons: 5, loudAbove: 50, mentionRoleId: 'role-1' }));
        const updated = store.update(sub.id, { minBalloons: 20, events: ['star'], locale: 'en' });
        expect(updated).toEqual({ ...sub, minBalloons: 20, events: ['star'], locale: 'en' });
        expect(store.get(sub.id)).toEqual(updated);
        expect(store.update(sub.id, {})).toEqual(updated);
      });

      it('clears loudAbove, mentionRoleId and pausedReason when the key is given as undefined', () => {
        const sub = store.add(newSub(general, 'streamer1', { loudAbove: 50, mentionRoleId: 'role-1', paused: true, pausedReason: 'muted' }));
        const updated = store.update(sub.id, { loudAbove: undefined, mentionRoleId: undefined, pausedReason: undefined });
        expect(updated).toMatchObject({ loudAbove: undefined, mentionRoleId: undefined, pausedReason: undefined, paused: true });
        expect(store.get(sub.id)).toEqual(updated);
      });

      it('returns undefined when updating a subscription that does not exist', () => {
        expect(store.update(4242, { minBalloons: 1 })).toBeUndefined();
      });

      it('removes a subscription once', () => {
        const sub = store.add(newSub(general, 'streamer1'));
        expect(store.remove(sub.id)).toBe(true);
        expect(store.get(sub.id)).toBeUndefined();
        expect(store.find(general, 'streamer1')).toBeUndefined();
        expect(store.remove(sub.id)).toBe(false);
      });

      it('lets the same streamer be added again after removal', () => {
        const first = store.add(newSub(general, 'streamer1'));
        store.remove(first.id);
        const again = store.add(newSub(general, 'streamer1'));
        expect(again.id).not.toBe(first.id);
      });

      it('round-trips paused state and its reason', () => {
        const sub = store.add(newSub(general, 'streamer1', { paused: true, pausedReason: 'Missing Access' }));
        expect(store.get(sub.id)).toMatchObject({ paused: true, pausedReason: 'Missing Access' });
        expect(store.update(sub.id, { paused: false })).toMatchObject({ paused: false, pausedReason: undefined });
        expect(store.update(sub.id, { paused: true, pausedReason: 'by admin' })).toMatchObject({ paused: true, pausedReason: 'by admin' });
        expect(store.get(sub.id)).toMatchObject({ paused: true, pausedReason: 'by admin' });
      });

      it('round-trips the list fields, Korean, emoji and quotes included', () => {
        const keywords = ['후원', '🎈 풍선 터짐', 'say "hi"', 'back\\slash', ''];
        const sub = store.add(
          newSub(general, 'streamer1', {
            keywords,
            excludeWords: ['광고', 'spam'],
            onlyFromRoles: ['manager', 'fanClub', 'topFan'],
            events: ['star', 'ad', 'video', 'subscription', 'mission', 'live', 'offline', 'chat'],
          }),
        );
        const read = store.get(sub.id);
        expect(read?.keywords).toEqual(keywords);
        expect(read?.excludeWords).toEqual(['광고', 'spam']);
        expect(read?.onlyFromRoles).toEqual(['manager', 'fanClub', 'topFan']);
        expect(read?.events).toEqual(['star', 'ad', 'video', 'subscription', 'mission', 'live', 'offline', 'chat']);
        const updated = store.update(sub.id, { keywords: ['별풍선'], onlyFromRoles: [], events: [] });
        expect(store.get(sub.id)).toEqual(updated);
        expect(updated).toMatchObject({ keywords: ['별풍선'], onlyFromRoles: [], events: [] });
      });

      it('does not let callers change stored data through the arrays they pass or get back', () => {
        const keywords = ['a'];
        const sub = store.add(newSub(general, 'streamer1', { keywords }));
        keywords.push('b');
        (store.get(sub.id)?.keywords as string[] | undefined)?.push('c');
        expect(store.get(sub.id)?.keywords).toEqual(['a']);
      });
    });

    describe('uniqueness and limits', () => {
      it('refuses a second subscription of one destination to one streamer with a DuplicateError', () => {
        const first = store.add(newSub(general, 'streamer1'));
        const attempt = (): unknown => store.add(newSub({ platform: 'discord', id: 'chan-1', guildId: 'guild-1' }, 'streamer1'));
        expect(attempt).toThrow(DuplicateError);
        expect(attempt).toThrow('This channel already watches streamer1.');
        try {
          attempt();
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect(err).toMatchObject({ code: 'SUBSCRIPTION_DUPLICATE', streamerId: 'streamer1', existingId: first.id });
        }
        expect(store.listByDestination(general)).toHaveLength(1);
      });

      it('says "chat" for a Telegram duplicate', () => {
        store.add(newSub(group, 'streamer1'));
        expect(() => store.add(newSub(group, 'streamer1'))).toThrow('This chat already watches streamer1.');
      });

      it('allows the same streamer in other destinations and on other platforms', () => {
        store.add(newSub(general, 'streamer1'));
        store.add(newSub(lounge, 'streamer1'));
        store.add(newSub({ platform: 'telegram', id: 'chan-1' }, 'streamer1'));
        expect(store.listByStreamer('streamer1')).toHaveLength(3);
      });

      it('enforces the per-destination limit without saving anything', () => {
        const limits = { perDestination: 2, perGuild: 100 };
        store.add(newSub(general, 'streamer1'), limits);
        store.add(newSub(general, 'streamer2'), limits);
        const attempt = (): unknown => store.add(newSub(general, 'streamer3'), limits);
        expect(attempt).toThrow(LimitError);
        expect(attempt).toThrow('This channel has reached its limit of 2 subscriptions.');
        expect(store.listByDestination(general).map((s) => s.streamerId)).toEqual(['streamer1', 'streamer2']);
        expect(store.find(general, 'streamer3')).toBeUndefined();
        expect(store.listStreamers()).not.toContain('streamer3');
        // Another destination still has room.
        expect(store.add(newSub(lounge, 'streamer3'), limits).streamerId).toBe('streamer3');
      });

      it('enforces the per-guild limit across the channels of a guild only', () => {
        const limits = { perDestination: 10, perGuild: 3 };
        store.add(newSub(general, 'streamer1'), limits);
        store.add(newSub(general, 'streamer2'), limits);
        store.add(newSub(lounge, 'streamer3'), limits);
        const attempt = (): unknown => store.add(newSub(lounge, 'streamer4'), limits);
        expect(attempt).toThrow(LimitError);
        expect(attempt).toThrow('This server has reached its limit of 3 subscriptions.');
        try {
          attempt();
        } catch (err) {
          expect(err).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', scope: 'guild', limit: 3 });
        }
        expect(store.listByGuild('guild-1')).toHaveLength(3);
        expect(store.add(newSub(elsewhere, 'streamer4'), limits).destination).toEqual(elsewhere);
      });

      it('ignores the guild limit for destinations without a guild', () => {
        const limits = { perDestination: 5, perGuild: 0 };
        expect(store.add(newSub(group, 'streamer1'), limits).id).toBeGreaterThan(0);
      });

      it('uses the singular for a limit of one', () => {
        store.add(newSub(group, 'streamer1'), { perDestination: 1, perGuild: 1 });
        expect(() => store.add(newSub(group, 'streamer2'), { perDestination: 1, perGuild: 1 })).toThrow(
          'This chat has reached its limit of 1 subscription.',
        );
      });

      it('reports a duplicate before a full limit', () => {
        const limits = { perDestination: 1, perGuild: 1 };
        store.add(newSub(general, 'streamer1'), limits);
        expect(() => store.add(newSub(general, 'streamer1'), limits)).toThrow(DuplicateError);
      });

      it('adds without limits when none are given', () => {
        for (let i = 0; i < 30; i++) store.add(newSub(general, `streamer${i}`));
        expect(store.listByDestination(general)).toHaveLength(30);
      });
    });

    describe('listing', () => {
      it('lists by destination, guild and streamer, in id order', () => {
        const a = store.add(newSub(general, 'streamer2'));
        const b = store.add(newSub(lounge, 'streamer1'));
        const c = store.add(newSub(general, 'streamer1'));
        const d = store.add(newSub(group, 'streamer1'));
        const e = store.add(newSub(elsewhere, 'streamer3'));
        const ids = (subs: { id: number }[]): number[] => subs.map((s) => s.id);
        expect(ids(store.listByDestination(general))).toEqual([a.id, c.id]);
        expect(ids(store.listByDestination({ platform: 'discord', id: 'chan-2' }))).toEqual([b.id]);
        expect(ids(store.listByGuild('guild-1'))).toEqual([a.id, b.id, c.id]);
        expect(ids(store.listByGuild('guild-9'))).toEqual([e.id]);
        expect(ids(store.listByStreamer('streamer1'))).toEqual([b.id, c.id, d.id]);
        expect(store.listByStreamer('nobody')).toEqual([]);
        expect(store.listByGuild('nowhere')).toEqual([]);
        expect(store.listByDestination({ platform: 'console', id: 'x' })).toEqual([]);
        expect(store.listByStreamer('streamer3')).toEqual([e]);
      });

      it('lists each subscribed streamer once, sorted, paused ones included', () => {
        expect(store.listStreamers()).toEqual([]);
        store.add(newSub(general, 'zeta'));
        store.add(newSub(lounge, 'alpha'));
        store.add(newSub(group, 'zeta'));
        store.add(newSub(elsewhere, 'mid', { paused: true, pausedReason: 'x' }));
        expect(store.listStreamers()).toEqual(['alpha', 'mid', 'zeta']);
      });
    });

    describe('destinations', () => {
      it('remembers the batched message pending rows went out in, for the next start', () => {
        const [a, b, c] = store.enqueueOutbox([newEntry(group), newEntry(group), newEntry(group)]);
        store.markBatch([a!.id, b!.id], 'k1+2');
        store.markSent(c!.id, 3);
        store.markBatch([c!.id], 'ignored: already sent');
        expect(store.pendingOutbox(10).map((row) => [row.id, row.batchKey])).toEqual([
          [a!.id, 'k1+2'],
          [b!.id, 'k1+2'],
        ]);
      });

      it('marks the rows of one batched message sent at once, leaving failed and other rows alone', () => {
        const [a, b, c, d] = store.enqueueOutbox([newEntry(group), newEntry(group), newEntry(group), newEntry(group)]);
        store.markFailed(c!.id, 'gone');
        store.markSentMany([a!.id, b!.id, c!.id], 7);
        store.markSentMany([], 8);
        expect(store.pendingOutbox(10).map((row) => row.id)).toEqual([d!.id]);
        expect(store.outboxBacklog()).toBe(1);
      });

      it('moves every subscription and pending outbox row of a destination to a new id', () => {
        const oldChat: Destination = { platform: 'telegram', id: '-1' };
        const s1 = store.add(newSub(oldChat, 'streamer1'));
        const s2 = store.add(newSub(oldChat, 'streamer2'));
        const other = store.add(newSub(group, 'streamer1'));
        const [pending, sent] = store.enqueueOutbox([newEntry(oldChat), newEntry(oldChat)]);
        const [otherRow] = store.enqueueOutbox([newEntry(group)]);
        store.markSent(sent!.id, 5);

        expect(store.moveDestination(oldChat, '-1009')).toBe(2);
        const moved: Destination = { platform: 'telegram', id: '-1009' };
        expect(store.listByDestination(oldChat)).toEqual([]);
        expect(store.listByDestination(moved).map((s) => s.id)).toEqual([s1.id, s2.id]);
        expect(store.get(s1.id)?.destination).toEqual(moved);
        expect(store.get(other.id)?.destination).toEqual(group);
        const rows = store.pendingOutbox(10);
        expect(rows.map((r) => [r.id, r.destination.id])).toEqual([
          [pending!.id, '-1009'],
          [otherRow!.id, group.id],
        ]);
        expect(rows[0]?.idempotencyKey).toBe(pending!.idempotencyKey);
      });

      it('keeps the guild of moved subscriptions and moves nothing on another platform', () => {
        const sub = store.add(newSub(general, 'streamer1'));
        expect(store.moveDestination({ platform: 'telegram', id: 'chan-1' }, 'x')).toBe(0);
        expect(store.moveDestination(general, 'chan-new')).toBe(1);
        expect(store.get(sub.id)?.destination).toEqual({ platform: 'discord', id: 'chan-new', guildId: 'guild-1' });
      });

      it('keeps the target subscription when both destinations watch the same streamer', () => {
        const oldChat: Destination = { platform: 'telegram', id: '-1' };
        const newChat: Destination = { platform: 'telegram', id: '-1009' };
        store.add(newSub(oldChat, 'streamer1'));
        const onlyOld = store.add(newSub(oldChat, 'streamer2'));
        const already = store.add(newSub(newChat, 'streamer1', { minBalloons: 77 }));
        expect(store.moveDestination(oldChat, newChat.id)).toBe(1);
        expect(store.listByDestination(oldChat)).toEqual([]);
        expect(store.listByDestination(newChat).map((s) => s.id)).toEqual([onlyOld.id, already.id]);
        expect(store.find(newChat, 'streamer1')?.minBalloons).toBe(77);
      });

      it('treats a move to the same id as nothing to do', () => {
        store.add(newSub(group, 'streamer1'));
        expect(store.moveDestination(group, group.id)).toBe(0);
        expect(store.listByDestination(group)).toHaveLength(1);
      });

      it('pauses every subscription of a destination with a reason, leaving others alone', () => {
        const a = store.add(newSub(general, 'streamer1'));
        const b = store.add(newSub(general, 'streamer2', { paused: true, pausedReason: 'by admin' }));
        const c = store.add(newSub(lounge, 'streamer1'));
        expect(store.disableDestination(general, 'Missing Access')).toBe(2);
        expect(store.get(a.id)).toMatchObject({ paused: true, pausedReason: 'Missing Access' });
        expect(store.get(b.id)).toMatchObject({ paused: true, pausedReason: 'Missing Access' });
        expect(store.get(c.id)).toMatchObject({ paused: false, pausedReason: undefined });
        expect(store.listStreamers()).toEqual(['streamer1', 'streamer2']);
      });

      it('removes every subscription of a destination when asked to', () => {
        store.add(newSub(general, 'streamer1'));
        store.add(newSub(general, 'streamer2'));
        const c = store.add(newSub(lounge, 'streamer1'));
        expect(store.disableDestination(general, 'Unknown Channel', true)).toBe(2);
        expect(store.listByDestination(general)).toEqual([]);
        expect(store.listByGuild('guild-1')).toEqual([c]);
        expect(store.listStreamers()).toEqual(['streamer1']);
        expect(store.disableDestination(general, 'again', true)).toBe(0);
      });
    });

    describe('destination language', () => {
      it('has none until set; setting it changes every subscription of that destination only, and sticks', () => {
        expect(store.getDestinationLocale(general)).toBeUndefined();
        store.add(newSub(general, 'streamer1', { locale: 'ko' }));
        store.add(newSub(general, 'streamer2', { locale: 'ko' }));
        store.add(newSub(lounge, 'streamer1', { locale: 'ko' }));
        store.add(newSub(group, 'streamer1', { locale: 'ko' }));
        expect(store.setDestinationLocale(general, 'en')).toBe(2);
        expect(store.getDestinationLocale(general)).toBe('en');
        expect(store.getDestinationLocale(lounge)).toBeUndefined();
        expect(store.getDestinationLocale({ platform: 'telegram', id: general.id })).toBeUndefined();
        expect(store.listByDestination(general).map((s) => s.locale)).toEqual(['en', 'en']);
        expect(store.find(lounge, 'streamer1')?.locale).toBe('ko');
        expect(store.find(group, 'streamer1')?.locale).toBe('ko');
        expect(store.setDestinationLocale(general, 'ko')).toBe(2);
        expect(store.getDestinationLocale(general)).toBe('ko');
        expect(store.setDestinationLocale(elsewhere, 'en')).toBe(0);
        expect(store.getDestinationLocale(elsewhere)).toBe('en');
      });
    });

    describe('outbox', () => {
      it('inserts new rows and returns them with ids, zero attempts and no delay', () => {
        const entries = [newEntry(general), newEntry(lounge, { priority: 2 }), newEntry(group, { priority: 1 })];
        const inserted = store.enqueueOutbox(entries);
        expect(inserted).toHaveLength(3);
        inserted.forEach((row, i) => {
          const entry = entries[i]!;
          expect(row).toEqual({ ...entry, id: row.id, attempts: 0, notBefore: 0 });
        });
        expect(new Set(inserted.map((r) => r.id)).size).toBe(3);
        expect(store.outboxBacklog()).toBe(3);
      });

      it('inserts an idempotency key once: a repeat returns nothing and changes nothing', () => {
        const entry = newEntry(general);
        const [first] = store.enqueueOutbox([entry]);
        expect(store.enqueueOutbox([entry])).toEqual([]);
        expect(store.enqueueOutbox([{ ...entry, payload: 'different', priority: 0 }])).toEqual([]);
        expect(store.pendingOutbox(10)).toEqual([first]);
      });

      it('returns only the rows of a batch that were new, including a key repeated inside the batch', () => {
        const known = newEntry(general);
        store.enqueueOutbox([known]);
        const fresh = newEntry(lounge);
        const inserted = store.enqueueOutbox([known, fresh, { ...fresh, payload: 'dup' }]);
        expect(inserted.map((r) => r.idempotencyKey)).toEqual([fresh.idempotencyKey]);
        expect(inserted[0]?.payload).toBe(fresh.payload);
        expect(store.outboxBacklog()).toBe(2);
      });

      it('keeps a key even after the row is sent or failed', () => {
        const sent = newEntry(general);
        const failed = newEntry(general);
        const [a, b] = store.enqueueOutbox([sent, failed]);
        store.markSent(a!.id, 10);
        store.markFailed(b!.id, 'Missing Access');
        expect(store.enqueueOutbox([sent, failed])).toEqual([]);
        expect(store.outboxBacklog()).toBe(0);
      });

      it('accepts an empty batch', () => {
        expect(store.enqueueOutbox([])).toEqual([]);
      });

      it('hands out pending rows by priority, then oldest first, up to the limit', () => {
        const chat = store.enqueueOutbox([newEntry(general, { priority: 2 })]);
        const donation1 = store.enqueueOutbox([newEntry(general, { priority: 0 })]);
        const live = store.enqueueOutbox([newEntry(general, { priority: 1 })]);
        const donation2 = store.enqueueOutbox([newEntry(lounge, { priority: 0 })]);
        const order = [donation1, donation2, live, chat].map((rows) => rows[0]!.id);
        expect(store.pendingOutbox(10).map((r) => r.id)).toEqual(order);
        expect(store.pendingOutbox(2).map((r) => r.id)).toEqual(order.slice(0, 2));
        expect(store.pendingOutbox(0)).toEqual([]);
      });

      it('takes sent and failed rows out of the pending list and the backlog', () => {
        const [a, b, c] = store.enqueueOutbox([newEntry(general), newEntry(general), newEntry(general)]);
        store.markSent(a!.id, 2_000);
        store.markFailed(b!.id, 'Unknown Channel');
        expect(store.pendingOutbox(10).map((r) => r.id)).toEqual([c!.id]);
        expect(store.outboxBacklog()).toBe(1);
      });

      it('ignores marks for unknown rows and repeated or conflicting marks', () => {
        const [a] = store.enqueueOutbox([newEntry(general)]);
        store.markSent(9999, 1);
        store.markFailed(9999, 'x');
        store.deferOutbox(9999, 1);
        store.markSent(a!.id, 1);
        store.markFailed(a!.id, 'late failure');
        store.deferOutbox(a!.id, 5);
        store.markSent(a!.id, 2);
        expect(store.pendingOutbox(10)).toEqual([]);
        expect(store.outboxBacklog()).toBe(0);
      });

      it('defers a row: counts the attempt and holds it back until notBefore when asked with now', () => {
        const [a, b] = store.enqueueOutbox([newEntry(general), newEntry(general)]);
        store.deferOutbox(a!.id, 5_000);
        store.deferOutbox(a!.id, 6_000);
        expect(store.pendingOutbox(10, 5_999).map((r) => r.id)).toEqual([b!.id]);
        expect(store.pendingOutbox(10, 6_000).map((r) => [r.id, r.attempts, r.notBefore])).toEqual([
          [a!.id, 2, 6_000],
          [b!.id, 0, 0],
        ]);
        // Without `now`, deferred rows are listed too (and they still count as backlog).
        expect(store.pendingOutbox(10).map((r) => r.id)).toEqual([a!.id, b!.id]);
        expect(store.outboxBacklog()).toBe(2);
      });

      it('keeps the time of the first attempt, whatever later attempts say (the give-up window counts from it)', () => {
        const [a, b] = store.enqueueOutbox([newEntry(general), newEntry(general)]);
        store.deferOutbox(a!.id, 5_000, 1_000);
        store.deferOutbox(a!.id, 6_000, 4_000);
        store.deferOutbox(b!.id, 6_000);
        const rows = store.pendingOutbox(10);
        expect(rows.map((r) => [r.id, r.attempts, r.firstAttemptAt])).toEqual([
          [a!.id, 2, 1_000],
          [b!.id, 1, undefined],
        ]);
      });

      it('prunes finished rows created before a time, never pending ones, and frees their keys', () => {
        const oldSent = newEntry(general, { createdAt: 100 });
        const oldFailed = newEntry(general, { createdAt: 100 });
        const oldPending = newEntry(general, { createdAt: 100 });
        const newSent = newEntry(general, { createdAt: 900 });
        const [a, b, , d] = store.enqueueOutbox([oldSent, oldFailed, oldPending, newSent]);
        store.markSent(a!.id, 150);
        store.markFailed(b!.id, 'gone');
        store.markSent(d!.id, 950);
        expect(store.pruneOutbox(500)).toBe(2);
        expect(store.pruneOutbox(500)).toBe(0);
        expect(store.outboxBacklog()).toBe(1);
        expect(store.enqueueOutbox([oldSent])).toHaveLength(1);
        expect(store.enqueueOutbox([newSent])).toEqual([]);
      });
    });

    describe('retention', () => {
      it('prunes in bounded batches, oldest first', () => {
        const rows = store.enqueueOutbox([1, 2, 3, 4, 5].map((i) => newEntry(general, { createdAt: 100 + i })));
        for (const row of rows) store.markSent(row.id, 200);
        expect(store.pruneOutbox(1_000, 2)).toBe(2);
        expect(store.pruneOutbox(1_000, 2)).toBe(2);
        expect(store.pruneOutbox(1_000, 2)).toBe(1);
        expect(store.pruneOutbox(1_000, 2)).toBe(0);
        // The oldest went first: the newest key was still there after the first batch.
        expect(store.enqueueOutbox([newEntry(general, { idempotencyKey: rows[4]!.idempotencyKey })])).toHaveLength(1);
      });

      it('prunes state entries of a prefix whose time is older, nothing else', () => {
        store.setState('live:bj1:100', '1000');
        store.setState('live:bj1:101', '5000');
        store.setState('offline:bj1:100', '1000');
        store.setState('lively', '1');
        store.setState('live:bj2:7', 'not a time');
        expect(store.pruneState('live:', 2_000)).toBe(1);
        expect(store.getState('live:bj1:100')).toBeUndefined();
        expect(store.getState('live:bj1:101')).toBe('5000');
        expect(store.getState('offline:bj1:100')).toBe('1000');
        expect(store.getState('lively')).toBe('1');
        expect(store.getState('live:bj2:7')).toBe('not a time');
        store.setState('offline:bj1:101', '1500');
        expect(store.pruneState('offline:', 2_000, 1)).toBe(1);
        expect(store.pruneState('offline:', 2_000, 1)).toBe(1);
        expect(store.pruneState('offline:', 2_000, 1)).toBe(0);
      });

      it('the retention job, on a fake clock: first run soon after start, then hourly; keeps pending rows, recent rows and broadcasts seen recently', async () => {
        const DAY = 86_400_000;
        let now = 100 * DAY;
        const timers = new ManualTimers();
        const lines: string[] = [];
        const job = new RetentionJob({
          store,
          retentionMs: 7 * DAY,
          statePrefixes: ['live:', 'offline:'],
          clock: { now: () => now },
          logger: { info: (_o, msg) => lines.push(msg ?? ''), warn: (_o, msg) => lines.push(`warn ${msg ?? ''}`) },
          timers,
          batch: 2,
        });
        const at = (days: number): number => now - days * DAY;
        const [oldSent, oldFailed, oldPending, recentSent, ...moreOld] = store.enqueueOutbox([
          newEntry(general, { createdAt: at(8) }),
          newEntry(general, { createdAt: at(30) }),
          newEntry(general, { createdAt: at(30) }),
          newEntry(general, { createdAt: at(6) }),
          newEntry(lounge, { createdAt: at(9) }),
          newEntry(lounge, { createdAt: at(9) }),
          newEntry(lounge, { createdAt: at(9) }),
        ]);
        store.markSent(oldSent!.id, at(8));
        store.markFailed(oldFailed!.id, 'gone');
        store.markSent(recentSent!.id, at(6));
        store.markSentMany(moreOld.map((r) => r.id), at(9));
        store.setState('live:bj1:1', String(at(10))); // announced 10 days ago, not seen since
        store.setState('live:bj1:2', String(at(1))); // on air (seen at its last join)
        store.setState('offline:bj1:1', String(at(10)));

        job.start();
        expect(timers.pending.map((t) => t.ms)).toEqual([60_000]);
        expect(store.outboxBacklog()).toBe(1);
        timers.fire();
        await job.runOnce(); // joins the run the timer started
        expect(timers.pending.map((t) => t.ms)).toEqual([3_600_000]);
        // 5 finished rows older than 7 days, 2 per batch; the pending 30-day-old row stays.
        expect(store.enqueueOutbox([oldSent, oldFailed, ...moreOld].map((r) => ({ ...newEntry(general), idempotencyKey: r!.idempotencyKey })))).toHaveLength(5);
        expect(store.enqueueOutbox([{ ...newEntry(general), idempotencyKey: recentSent!.idempotencyKey }])).toEqual([]);
        expect(store.pendingOutbox(10).map((r) => r.id)).toContain(oldPending!.id);
        expect(store.getState('live:bj1:1')).toBeUndefined();
        expect(store.getState('offline:bj1:1')).toBeUndefined();
        expect(store.getState('live:bj1:2')).toBe(String(at(1)));
        expect(lines).toEqual(['pruned old outbox rows and broadcasts']);

        // Two days on, the hourly run: the 6-day-old row is now past the retention.
        now += 2 * DAY;
        timers.fire();
        await job.runOnce();
        expect(store.enqueueOutbox([{ ...newEntry(general), idempotencyKey: recentSent!.idempotencyKey }])).toHaveLength(1);
        await job.stop();
        expect(timers.pending).toEqual([]);
      });
    });

    describe('state', () => {
      it('stores, overwrites and reads small values by key', () => {
        expect(store.getState('broadcast:streamer1')).toBeUndefined();
        store.setState('broadcast:streamer1', '281234567');
        store.setState('broadcast:streamer2', '한국어 ✓');
        expect(store.getState('broadcast:streamer1')).toBe('281234567');
        store.setState('broadcast:streamer1', '281234568');
        expect(store.getState('broadcast:streamer1')).toBe('281234568');
        expect(store.getState('broadcast:streamer2')).toBe('한국어 ✓');
        store.setState('empty', '');
        expect(store.getState('empty')).toBe('');
      });
    });
  });
}
