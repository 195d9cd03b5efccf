/**
 * Aho–Corasick over the normalised keywords and exclude words of every subscription of one
 * streamer: one pass per chat line, whatever the number of keywords.
 *
 * Matching is on UTF-16 units of normalised text, on both sides. Keywords that are not well-formed
 * UTF-16 (a lone surrogate) are dropped, so a match always starts and ends on a code point boundary:
 * a well-formed keyword cannot match half of an emoji. Keywords that normalise to nothing are ignored.
 *
 * The automaton is immutable; rebuild it when subscriptions change.
 */
import { SKIP, SLOW, foldTable, normalizeFast, normalizeForMatch } from './normalize.js';

export interface KeywordEntry {
  readonly subscriptionId: number;
  readonly keywords: readonly string[];
  readonly excludeWords: readonly string[];
}

export interface KeywordMatcher {
  /** Subscription ids (in entry order) with a keyword in `text` and none of their exclude words. */
  match(text: string): number[];
  /** Distinct (word, subscription) pairs in the automaton. */
  readonly patternCount: number;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function usableWords(words: readonly string[]): string[] {
  const out = new Set<string>();
  for (const word of words) {
    const normalised = normalizeFast(word);
    if (normalised.length > 0 && !LONE_SURROGATE.test(normalised)) out.add(normalised);
  }
  return [...out];
}

/** Output codes pack the subscription index and whether the word is an exclude word. */
const encode = (subIndex: number, exclude: boolean): number => subIndex * 2 + (exclude ? 1 : 0);

/** A trie under construction: root children dense, other children as sibling lists. */
class Trie {
  readonly rootNext = new Int32Array(0x10000);
  readonly label: number[] = [0];
  readonly firstChild: number[] = [-1];
  readonly nextSibling: number[] = [-1];
  /** Per node: its output codes, or undefined (most nodes have none). */
  readonly outputs: (number[] | undefined)[] = [undefined];
  outputCount = 0;

  get size(): number {
    return this.label.length;
  }

  insert(word: string, code: number): void {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const unit = word.charCodeAt(i);
      let next = node === 0 ? (this.rootNext[unit] as number) || -1 : this.findChild(node, unit);
      if (next < 0) {
        next = this.label.length;
        this.label.push(unit);
        this.firstChild.push(-1);
        this.outputs.push(undefined);
        if (node === 0) {
          this.rootNext[unit] = next;
          this.nextSibling.push(-1);
        } else {
          this.nextSibling.push(this.firstChild[node] as number);
          this.firstChild[node] = next;
        }
      }
      node = next;
    }
    const outputs = this.outputs[node];
    if (outputs) outputs.push(code);
    else this.outputs[node] = [code];
    this.outputCount++;
  }

  private findChild(node: number, unit: number): number {
    for (let c = this.firstChild[node] as number; c >= 0; c = this.nextSibling[c] as number) {
      if (this.label[c] === unit) return c;
    }
    return -1;
  }
}

export function buildKeywordMatcher(entries: readonly KeywordEntry[]): KeywordMatcher {
  const subscriptionIds: number[] = [];
  const trie = new Trie();
  let patternCount = 0;
  for (const entry of entries) {
    const keywords = usableWords(entry.keywords);
    if (keywords.length === 0) continue;
    const subIndex = subscriptionIds.length;
    subscriptionIds.push(entry.subscriptionId);
    for (const word of keywords) trie.insert(word, encode(subIndex, false));
    const excludes = usableWords(entry.excludeWords);
    for (const word of excludes) trie.insert(word, encode(subIndex, true));
    patternCount += keywords.length + excludes.length;
  }
  return new AhoCorasick(trie, subscriptionIds, patternCount);
}

class AhoCorasick implements KeywordMatcher {
  private readonly fold = foldTable();
  /** Root transitions, dense: the automaton sits at the root most of the time. */
  private readonly rootNext: Int32Array;
  /** Other nodes' transitions: edges of node n are [edgeStart[n], edgeStart[n+1]), sorted by label. */
  private readonly edgeStart: Int32Array;
  private readonly edgeLabel: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly fail: Int32Array;
  /** First node on the suffix chain (the node itself included) that has outputs, or -1. */
  private readonly report: Int32Array;
  /** Next node with outputs on the suffix chain strictly below a node with outputs, or -1. */
  private readonly nextReport: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outCodes: Int32Array;

  private generation = 0;
  private readonly keywordSeen: Int32Array;
  private readonly excludeSeen: Int32Array;
  private readonly hits: Int32Array;
  private hitCount = 0;

  constructor(
    trie: Trie,
    private readonly subscriptionIds: readonly number[],
    readonly patternCount: number,
  ) {
    const nodes = trie.size;
    this.rootNext = trie.rootNext;

    // Flatten the sibling lists into sorted edge ranges (the root keeps its dense table).
    this.edgeStart = new Int32Array(nodes + 1);
    this.edgeLabel = new Uint16Array(nodes);
    this.edgeTarget = new Int32Array(nodes);
    let edges = 0;
    const children: number[] = [];
    for (let n = 0; n < nodes; n++) {
      this.edgeStart[n] = edges;
      if (n === 0) continue;
      children.length = 0;
      for (let c = trie.firstChild[n] as number; c >= 0; c = trie.nextSibling[c] as number) children.push(c);
      if (children.length > 1) children.sort((a, b) => (trie.label[a] as number) - (trie.label[b] as number));
      for (const c of children) {
        this.edgeLabel[edges] = trie.label[c] as number;
        this.edgeTarget[edges] = c;
        edges++;
      }
    }
    this.edgeStart[nodes] = edges;

    this.outStart = new Int32Array(nodes + 1);
    this.outCodes = new Int32Array(trie.outputCount);
    let outs = 0;
    for (let n = 0; n < nodes; n++) {
      this.outStart[n] = outs;
      const own = trie.outputs[n];
      if (own) {
        this.outCodes.set(own, outs);
        outs += own.length;
      }
    }
    this.outStart[nodes] = outs;

    // Failure and report links, breadth first so a node's failure target is done before it.
    this.fail = new Int32Array(nodes);
    this.report = new Int32Array(nodes).fill(-1);
    this.nextReport = new Int32Array(nodes).fill(-1);
    const queue = new Int32Array(Math.max(0, nodes - 1));
    let tail = 0;
    for (let unit = 0; unit < 0x10000; unit++) {
      const child = this.rootNext[unit] as number;
      if (child > 0) queue[tail++] = child;
    }
    for (let head = 0; head < tail; head++) {
      const node = queue[head] as number;
      const below = this.report[this.fail[node] as number] as number;
      if ((this.outStart[node + 1] as number) > (this.outStart[node] as number)) {
        this.report[node] = node;
        this.nextReport[node] = below;
      } else {
        this.report[node] = below;
      }
      const end = this.edgeStart[node + 1] as number;
      for (let e = this.edgeStart[node] as number; e < end; e++) {
        const child = this.edgeTarget[e] as number;
        this.fail[child] = this.step(this.fail[node] as number, this.edgeLabel[e] as number);
        queue[tail++] = child;
      }
    }

    const subs = subscriptionIds.length;
    this.keywordSeen = new Int32Array(subs);
    this.excludeSeen = new Int32Array(subs);
    this.hits = new Int32Array(subs);
  }

  /** Goto-with-failure from `state` on `unit`. */
  private step(state: number, unit: number): number {
    let s = state;
    for (;;) {
      if (s === 0) return this.rootNext[unit] as number;
      const next = this.child(s, unit);
      if (next >= 0) return next;
      s = this.fail[s] as number;
    }
  }

  private child(node: number, unit: number): number {
    const start = this.edgeStart[node] as number;
    const end = this.edgeStart[node + 1] as number;
    if (end - start <= 8) {
      for (let e = start; e < end; e++) if (this.edgeLabel[e] === unit) return this.edgeTarget[e] as number;
      return -1;
    }
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const label = this.edgeLabel[mid] as number;
      if (label === unit) return this.edgeTarget[mid] as number;
      if (label < unit) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  match(text: string): number[] {
    if (this.subscriptionIds.length === 0) return [];
    if (!this.scan(text, true)) this.scan(normalizeForMatch(text), false);
    const result: number[] = [];
    for (let i = 0; i < this.hitCount; i++) {
      const sub = this.hits[i] as number;
      if (this.excludeSeen[sub] !== this.generation) result.push(sub);
    }
    result.sort((a, b) => a - b);
    return result.map((sub) => this.subscriptionIds[sub] as number);
  }

  /** One pass; with `folding`, folds unit by unit and gives up (false) on a unit that needs the slow path. */
  private scan(text: string, folding: boolean): boolean {
    this.nextGeneration();
    const fold = this.fold;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let unit = text.charCodeAt(i);
      if (folding) {
        unit = fold[unit] as number;
        if (unit === SKIP) continue;
        if (unit === SLOW) return false;
      }
      state = this.step(state, unit);
      for (let r = this.report[state] as number; r >= 0; r = this.nextReport[r] as number) this.emit(r);
    }
    return true;
  }

  private emit(node: number): void {
    const gen = this.generation;
    const end = this.outStart[node + 1] as number;
    for (let o = this.outStart[node] as number; o < end; o++) {
      const code = this.outCodes[o] as number;
      const sub = code >>> 1;
      if ((code & 1) === 1) this.excludeSeen[sub] = gen;
      else if (this.keywordSeen[sub] !== gen) {
        this.keywordSeen[sub] = gen;
        this.hits[this.hitCount++] = sub;
      }
    }
  }

  private nextGeneration(): void {
    this.hitCount = 0;
    if (this.generation === 0x7fffffff) {
      this.generation = 0;
      this.keywordSeen.fill(0);
      this.excludeSeen.fill(0);
    }
    this.generation++;
  }
}
