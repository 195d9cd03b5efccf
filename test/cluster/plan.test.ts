/** planLeases: sticky, fair lease placement computed alike by every node. */
import { describe, expect, it } from 'vitest';
import { planLeases, type LeasePlanInput } from '../../src/cluster/assignment.js';

const keys = (n: number, prefix = 'bj'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Runs every node's plan on one snapshot, applies give-backs then takes, like one round of lease passes. */
function round(nodes: readonly string[], all: readonly string[], owners: Map<string, string>): Map<string, string> {
  const plans = nodes.map((me) => ({ me, plan: planLeases({ me, nodes, keys: all, owners }) }));
  const next = new Map(owners);
  for (const { plan } of plans) for (const key of plan.giveBack) next.delete(key);
  for (const { me, plan } of plans) for (const key of plan.take) if (!next.has(key)) next.set(key, me);
  return next;
}

function loads(owners: ReadonlyMap<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const owner of owners.values()) out.set(owner, (out.get(owner) ?? 0) + 1);
  return out;
}

describe('planLeases', () => {
  it('splits free keys exactly fairly when the nodes start together, every key placed once', () => {
    const nodes = ['a', 'b', 'c'];
    const owners = round(nodes, keys(300), new Map());
    expect(owners.size).toBe(300);
    expect([...loads(owners).values()]).toEqual([100, 100, 100]);
  });

  it('gives every node the same answer for the same snapshot (no key taken by two)', () => {
    const nodes = ['a', 'b', 'c', 'd'];
    const input = (me: string): LeasePlanInput => ({ me, nodes, keys: keys(101), owners: new Map() });
    const takes = nodes.flatMap((me) => planLeases(input(me)).take);
    expect(new Set(takes).size).toBe(101);
    expect(takes).toHaveLength(101);
  });

  it('moves nothing when a streamer is added or removed within the tolerance', () => {
    const nodes = ['a', 'b', 'c'];
    const start = round(nodes, keys(300), new Map());
    const added = round(nodes, [...keys(300), 'newbj'], start);
    for (const [key, owner] of start) expect(added.get(key)).toBe(owner);
    expect(added.has('newbj')).toBe(true);
    const removed = round(nodes, keys(299), added);
    for (const [key, owner] of removed) expect(start.get(key) ?? owner).toBe(owner);
    expect(removed.has('bj299')).toBe(false);
  });

  it('gives back streamers nobody watches any more', () => {
    const plan = planLeases({ me: 'a', nodes: ['a'], keys: ['x'], owners: new Map([['x', 'a'], ['gone', 'a']]) });
    expect(plan.giveBack).toEqual(['gone']);
    expect(plan.take).toEqual([]);
  });

  it("spreads a dead node's keys over the survivors, touching nobody else's", () => {
    const nodes = ['a', 'b', 'c'];
    const start = round(nodes, keys(300), new Map());
    const survivors = ['a', 'c'];
    const alive = new Map([...start].filter(([, owner]) => owner !== 'b')); // b's leases expired
    const after = round(survivors, keys(300), alive);
    expect(after.size).toBe(300);
    for (const [key, owner] of alive) expect(after.get(key)).toBe(owner);
    expect([...loads(after).values()]).toEqual([150, 150]);
  });

  it('hands a joining node its share: the others give back their excess, it takes them next round', () => {
    const start = round(['a', 'b'], keys(300), new Map());
    const nodes = ['a', 'b', 'c'];
    const released = round(nodes, keys(300), start);
    const settled = round(nodes, keys(300), released);
    expect([...loads(settled)].sort()).toEqual([
      ['a', 100],
      ['b', 100],
      ['c', 100],
    ]);
    const moved = [...settled].filter(([key, owner]) => start.get(key) !== owner).length;
    expect(moved).toBe(100); // only what the new node needed
  });

  it('leases held by a node that is no longer listed still count as taken', () => {
    const plan = planLeases({ me: 'a', nodes: ['a'], keys: ['x', 'y'], owners: new Map([['x', 'zombie']]) });
    expect(plan.take).toEqual(['y']);
  });
});
