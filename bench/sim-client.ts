/** Starts bench/sim-process.ts as a child and sends it commands one at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SimReply {
  readonly ok: boolean;
  readonly liveInfoUrl?: string;
  readonly sent?: Record<string, number>;
}

export class SimProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly liveInfoUrl: string,
  ) {}

  static async start(): Promise<SimProcess> {
    const child = fork(fileURLToPath(new URL('./sim-process.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const hello = await new Promise<SimReply>((resolve) => child.once('message', (m) => resolve(m as SimReply)));
    return new SimProcess(child, hello.liveInfoUrl ?? '');
  }

  command(message: object): Promise<SimReply> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as SimReply));
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
