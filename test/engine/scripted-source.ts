/** A ChatSource driven by the test: push packets and states by hand. */
import type { ChatSource, ChatSourceHandlers, ChatSourceState } from '../../src/engine/chat-source.js';
import type { RawPacket } from '../../src/core/packet.js';

export class ScriptedSource implements ChatSource {
  private handlers: ChatSourceHandlers | undefined;
  runs = 0;
  stopped = false;

  run(handlers: ChatSourceHandlers, signal: AbortSignal): Promise<void> {
    this.runs++;
    this.handlers = handlers;
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        this.stopped = true;
        handlers.onState({ state: 'stopped' });
        resolve();
      });
    });
  }

  state(s: ChatSourceState): void {
    this.handlers?.onState(s);
  }

  packet(code: number, body = '', returnCode = 0): void {
    const p: RawPacket = { code, returnCode, body: Buffer.from(body) };
    this.handlers?.onPacket(p, performance.now());
  }
}
