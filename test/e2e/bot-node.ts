/** One `src/main.ts` process for the cluster tests, its output kept, and a polling wait. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

export interface BotNode {
  readonly id: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  logs: string;
}

/** Starts `src/main.ts` with only PATH, NODE_ID and `env` in its environment. */
export function startBotNode(id: string, env: Readonly<Record<string, string>>): BotNode {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', NODE_ID: id, ...env } });
  const node: BotNode = { id, child, exited: new Promise((resolve) => child.on('exit', resolve)), logs: '' };
  child.stdout.on('data', (c: Buffer) => (node.logs += c.toString()));
  child.stderr.on('data', (c: Buffer) => (node.logs += c.toString()));
  return node;
}

export async function until(check: () => boolean, what: string, ms: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
