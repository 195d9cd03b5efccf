/** Console mode: one readable line per alert on a stream (stdout by default). */
import { renderConsole, renderConsoleDigest } from './format-console.js';
import type { Delivery, Sink } from './sink.js';

export function createConsoleSink(write: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): Sink {
  return {
    platform: 'console',
    async send(delivery: Delivery): Promise<void> {
      const lines = delivery.alerts.length === 1 && delivery.alerts[0] ? [renderConsole(delivery.alerts[0])] : renderConsoleDigest(delivery.alerts);
      for (const line of lines) write(line);
    },
  };
}
