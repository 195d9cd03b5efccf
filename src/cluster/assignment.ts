/**
 * Who should own what, computed the same way by every node from the same inputs (the live nodes
 * and the keys, both read from the database): rendezvous hashing, so a node joining or leaving
 * moves only about 1/n of the keys; with a bounded load, so no node gets more than ⌈keys/nodes⌉.
 */

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser for a well-mixed 32-bit score. */
export function score(node: string, key: string): number {
  let h = 0x811c9dc5;
  const text = `${node}\u0000${key}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The nodes for `key`, best first (highest score; ties by name). */
function rankNodes(key: string, nodes: readonly string[]): string[] {
  return nodes
    .map((node) => ({ node, s: score(node, key) }))
    .sort((a, b) => b.s - a.s || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
    .map((r) => r.node);
}

/** The node with the highest score for `key` (plain rendezvous hashing); undefined without nodes. */
export function ownerOf(key: string, nodes: readonly string[]): string | undefined {
  return rankNodes(key, nodes)[0];
}

/**
 * Places keys one by one, in a fixed order (by their own hash, so every node computes the same),
 * each on its best-ranked node that `hasRoom`, or its best node when none has; `placed` is told.
 */
function placeInTurn(keys: readonly string[], nodes: readonly string[], hasRoom: (node: string) => boolean, placed: (key: string, node: string) => void): void {
  const ordered = keys.map((key) => ({ key, order: score('', key) })).sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key } of ordered) {
    const ranked = rankNodes(key, nodes);
    const chosen = ranked.find(hasRoom) ?? ranked[0];
    if (chosen !== undefined) placed(key, chosen);
  }
}

/**
 * Assigns every key to a node: each key goes to its highest-scoring node that still has room.
 * Every node has room for ⌊keys/nodes⌋, and the first (keys mod nodes) nodes to fill up may take
 * one more, so loads differ by at most one (a bound of ⌈keys/nodes⌉ alone would let 4 keys on 3
 * nodes end up 2, 2, 0). Keys are placed in a fixed order (by their own hash) so every node
 * computes the same map. Returns key → node (empty without nodes).
 */
export function assignFairly(keys: readonly string[], nodes: readonly string[]): Map<string, string> {
  const assignment = new Map<string, string>();
  if (nodes.length === 0) return assignment;
  const sortedNodes = [...new Set(nodes)].sort();
  const unique = [...new Set(keys)];
  const base = Math.floor(unique.length / sortedNodes.length);
  let extraSlots = unique.length % sortedNodes.length;
  const load = new Map(sortedNodes.map((n) => [n, 0]));
  const hasRoom = (node: string): boolean => {
    const current = load.get(node) ?? 0;
    return current < base || (current === base && extraSlots > 0);
  };
  placeInTurn(unique, sortedNodes, hasRoom, (key, node) => {
    const current = load.get(node) ?? 0;
    if (current === base) extraSlots--;
    assignment.set(key, node);
    load.set(node, current + 1);
  });
  return assignment;
}

export interface LeasePlanInput {
  readonly me: string;
  /** Live nodes. */
  readonly nodes: readonly string[];
  /** Keys that need an owner (streamers with active subscriptions). */
  readonly keys: readonly string[];
  /** Current owner of each key with an unexpired lease (any key, any node, live or not). */
  readonly owners: ReadonlyMap<string, string>;
  /** A node keeps up to this many keys above its fair share before giving any back (default 1). */
  readonly tolerance?: number;
}

export interface LeasePlan {
  /** Keys `me` should give back: no longer needed, or more than its fair share. */
  readonly giveBack: string[];
  /** Free keys `me` should take. */
  readonly take: string[];
}

/**
 * What one node should do with its leases, sticky first: a key stays where it is as long as its
 * owner holds no more than its fair share (⌈keys/nodes⌉) plus `tolerance`, because every move is
 * a moment with nobody crawling the streamer. Only free keys (new ones, or ones whose owner died
 * or gave them back) are placed: each to its highest-scoring node with room under the fair share,
 * in a fixed order, so every node computes the same placement from the same snapshot.
 */
export function planLeases(input: LeasePlanInput): LeasePlan {
  const { me } = input;
  const nodes = [...new Set(input.nodes)].sort();
  const keys = [...new Set(input.keys)];
  const needed = new Set(keys);
  const fairShare = nodes.length === 0 ? 0 : Math.ceil(keys.length / nodes.length);
  const tolerance = input.tolerance ?? 1;

  const giveBack: string[] = [];
  const mine: string[] = [];
  const load = new Map(nodes.map((n) => [n, 0]));
  for (const [key, owner] of input.owners) {
    if (owner === me && !needed.has(key)) giveBack.push(key);
    if (!needed.has(key)) continue;
    if (owner === me) mine.push(key);
    if (load.has(owner)) load.set(owner, (load.get(owner) ?? 0) + 1);
  }
  if (mine.length > fairShare + tolerance) {
    const excess = mine.sort((a, b) => score(me, a) - score(me, b) || (a < b ? -1 : 1)).slice(0, mine.length - fairShare);
    giveBack.push(...excess);
    load.set(me, fairShare);
  }

  const free = keys.filter((k) => !input.owners.has(k));
  const take: string[] = [];
  // Every node at its share cannot happen while keys are free, except around a node's death
  // (its leases still count); then the best-scoring node takes it anyway.
  placeInTurn(
    free,
    nodes,
    (node) => (load.get(node) ?? 0) < fairShare,
    (key, node) => {
      load.set(node, (load.get(node) ?? 0) + 1);
      if (node === me) take.push(key);
    },
  );
  return { giveBack, take };
}
