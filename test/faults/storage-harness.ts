/** Shared by the storage fault tests: a free port, /readyz polling, donations tagged and counted in the fake Discord. */
import { createServer } from 'node:net';
import type { SimulatedRoom, SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import type { FakeDiscord } from '../fakes/discord.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What every storage fault test's bot process needs besides its database: Discord, the simulator, HTTP. */
export function storageBotEnv(discord: FakeDiscord, sim: SoopSimulator, port: number): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
    SOOP_CHAT_TRANSPORT: 'ws',
    LIVE_INFO_RPS: '100',
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
}

/** The /readyz status code, or 0 when nothing answers. */
export async function readyz(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

/** Donations with a tag each (the nickname), and how often each tag arrived in a channel. */
export class TaggedDonations {
  readonly sent: string[] = [];
  private seq = 0;

  constructor(
    private readonly discord: FakeDiscord,
    private readonly channel: string,
    private readonly prefix: string,
  ) {}

  send(room: SimulatedRoom, streamerId: string): string {
    const tag = `${this.prefix}${String(++this.seq).padStart(4, '0')}Z`;
    room.send(starBalloonPacket({ streamerId, userId: `fan${this.seq}`, nickname: tag, count: 10 }));
    this.sent.push(tag);
    return tag;
  }

  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    const pattern = new RegExp(`${this.prefix}\\d{4}Z`, 'g');
    for (const message of this.discord.messagesIn(this.channel)) {
      for (const match of JSON.stringify(message.body).matchAll(pattern)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
    }
    return counts;
  }

  delivered(tags: readonly string[]): boolean {
    const counts = this.counts();
    return tags.every((t) => (counts.get(t) ?? 0) >= 1);
  }
}
