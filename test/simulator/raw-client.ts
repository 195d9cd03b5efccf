/** A tiny raw websocket client for the simulator's own tests (not the project's chat client). */
import { Buffer } from 'node:buffer';
import WebSocket from 'ws';
import type { RawPacket } from '../../src/core/packet.js';
import { PacketFramer, joinPacket, loginPacket, splitFields } from '../../src/soop/codec.js';

export interface ReceivedPacket {
  readonly code: number;
  readonly returnCode: number;
  readonly fields: string[];
  readonly body: Buffer;
}

export class RawClient {
  readonly messages: Buffer[] = [];
  readonly packets: ReceivedPacket[] = [];
  readonly framer = new PacketFramer();
  closed = false;
  closeCode: number | undefined;
  private listeners: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) throw new Error('the simulator must send binary messages');
      this.messages.push(Buffer.from(data));
      this.framer.push(data, (p: RawPacket) =>
        this.packets.push({ code: p.code, returnCode: p.returnCode, fields: splitFields(p.body), body: Buffer.from(p.body) }),
      );
      this.notify();
    });
    ws.on('close', (code: number) => {
      this.closed = true;
      this.closeCode = code;
      this.notify();
    });
    ws.on('error', () => {});
  }

  static connect(url: string, protocol = 'chat'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocol);
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  /** Connects, logs in and joins with `chatNo`; resolves after the 0002 reply. */
  static async joined(url: string, chatNo: string): Promise<RawClient> {
    const client = await RawClient.connect(url);
    client.send(loginPacket());
    await client.waitFor((c) => c.packets.some((p) => p.code === 1));
    client.send(joinPacket(chatNo));
    await client.waitFor((c) => c.packets.some((p) => p.code === 2));
    return client;
  }

  send(data: Buffer): void {
    this.ws.send(data);
  }

  codes(): number[] {
    return this.packets.map((p) => p.code);
  }

  waitFor(predicate: (client: RawClient) => boolean, timeoutMs = 3000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`timed out; got codes ${this.codes().join(',')}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export function websocketUrl(port: number, streamerId: string): string {
  return `ws://127.0.0.1:${port}/Websocket/${encodeURIComponent(streamerId)}`;
}
