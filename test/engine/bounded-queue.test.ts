import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../src/engine/bounded-queue.js';
import type { PacketPriority } from '../../src/core/packet.js';

function drain<T>(q: BoundedQueue<T>): T[] {
  const out: T[] = [];
  for (let item = q.shift(); item; item = q.shift()) out.push(item.value);
  return out;
}

describe('BoundedQueue', () => {
  it('keeps FIFO order across priorities', () => {
    const q = new BoundedQueue<string>(10);
    const input: [string, PacketPriority][] = [['a', 'noise'], ['b', 'chat'], ['c', 'critical'], ['d', 'noise'], ['e', 'chat']];
    for (const [v, p] of input) q.push(v, p);
    expect(drain(q)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('sheds membership noise first, then chat, never critical', () => {
    const q = new BoundedQueue<string>(3);
    q.push('n1', 'noise');
    q.push('c1', 'chat');
    q.push('n2', 'noise');
    expect(q.push('c2', 'chat')).toBe(true); // evicts n1
    expect(q.push('n3', 'noise')).toBe(false); // full: new noise dropped
    expect(q.push('d1', 'critical')).toBe(true); // evicts n2
    expect(q.push('d2', 'critical')).toBe(true); // evicts c1 (no noise left)
    expect(q.push('c3', 'chat')).toBe(false); // nothing sheddable below chat: dropped
    expect(q.shed).toEqual({ critical: 0, chat: 2, noise: 3 });
    expect(drain(q)).toEqual(['c2', 'd1', 'd2']);
  });

  it('goes over capacity rather than lose a critical item', () => {
    const q = new BoundedQueue<number>(2);
    for (let i = 0; i < 5; i++) expect(q.push(i, 'critical')).toBe(true);
    expect(q.size).toBe(5);
    expect(drain(q)).toEqual([0, 1, 2, 3, 4]);
    expect(q.shed.critical).toBe(0);
  });

  it('stays bounded and ordered under a long random stream', () => {
    const q = new BoundedQueue<number>(100);
    const priorities: PacketPriority[] = ['critical', 'chat', 'noise'];
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const criticalIn: number[] = [];
    const out: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const p = priorities[Math.floor(rand() * 3)] as PacketPriority;
      if (p === 'critical' && rand() > 0.05) continue; // critical is rare
      if (p === 'critical') criticalIn.push(i);
      q.push(i, p);
      expect(q.size).toBeLessThanOrEqual(100 + criticalIn.length);
      if (rand() < 0.3) {
        const item = q.shift();
        if (item) out.push(item.value);
      }
    }
    out.push(...drain(q));
    expect(out).toEqual([...out].sort((a, b) => a - b));
    expect(criticalIn.every((i) => out.includes(i))).toBe(true);
  });
});
