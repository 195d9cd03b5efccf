/**
 * Named, scripted scenarios for `simulate --scenario NAME` and the offline demo. `live` runs a
 * lively stream forever; `demo` plays a ~30 s scripted stream (chat, keyword hits, every kind of
 * gift, a mission, an end, a restart with a new CHATNO, more traffic, a final end). Timing is
 * divided by `speed`, so tests can run the demo in a fraction of a second.
 */
import type { Buffer } from 'node:buffer';
import { sleep } from '../core/async.js';
import type { RoomState, SimulatedRoom } from './api.js';
import {
  adBalloonPacket,
  challengeGift,
  chatPacket,
  consecutiveSubscriptionPacket,
  giftSubscriptionPacket,
  missionPacket,
  starBalloonPacket,
  streamerNoticePacket,
  streamerStatusPacket,
  subscriptionPacket,
  systemNoticePacket,
  userFlagsPacket,
  videoBalloonPacket,
} from './packets.js';
import { seededRandom } from './traffic.js';

export const scenarioNames = ['live', 'offline', 'adult', 'subscribers', 'missing', 'password', 'demo'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export function isScenarioName(name: string): name is ScenarioName {
  return (scenarioNames as readonly string[]).includes(name);
}

export interface ScenarioOptions {
  readonly signal?: AbortSignal;
  /** Divides every delay (default 1). */
  readonly speed?: number;
  /** Demo only: wait for a joined client before each broadcast's script (default true). */
  readonly waitForClients?: boolean;
  /** Called with a short line for each scripted step (the CLI prints them). */
  readonly onStep?: (description: string) => void;
}

const STILL_STATES: Partial<Record<ScenarioName, RoomState>> = {
  offline: 'offline',
  adult: 'adult',
  subscribers: 'subscribersOnly',
  missing: 'missing',
};

const VIEWERS = [
  { userId: 'viewer01', nickname: '테스터' },
  { userId: 'viewer02(2)', nickname: '구독|시청자' },
  { userId: 'starfairy', nickname: '별풍요정' },
  { userId: 'potato77', nickname: '감자' },
  { userId: 'nightowl', nickname: '밤샘러' },
] as const;

const LIVE_CHATS = ['안녕하세요~', '안녕 ㅎㅎ', 'ㅋㅋㅋㅋ', '대박', '와 대박이다 🔥', '오늘도 화이팅!', '1', '-1', 'ㅋㅋ 미쳤다', '굿굿 👍'];

/** Runs a scenario until it finishes (demo) or `signal` aborts (the others). Never rejects on abort. */
export async function runScenario(room: SimulatedRoom, name: ScenarioName, options: ScenarioOptions = {}): Promise<void> {
  try {
    await run(room, name, options);
  } catch (err) {
    if (options.signal?.aborted) return;
    throw err;
  }
}

async function run(room: SimulatedRoom, name: ScenarioName, options: ScenarioOptions): Promise<void> {
  const still = STILL_STATES[name];
  if (still) {
    room.setState(still);
    return waitForAbort(options.signal);
  }
  switch (name) {
    case 'password':
      room.setState('password');
      return livelyStream(room, options);
    case 'live':
      room.goLive({ title: '시뮬레이터 라이브 방송' });
      return livelyStream(room, options);
    case 'demo':
      return demo(room, options);
    default:
      throw new Error(`Unknown scenario "${String(name)}". Known: ${scenarioNames.join(', ')}.`);
  }
}

function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** About 5 chats per second and a balloon every few seconds, forever. */
async function livelyStream(room: SimulatedRoom, options: ScenarioOptions): Promise<void> {
  const random = seededRandom(7);
  const speed = options.speed ?? 1;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let tick = 0;
  for (;;) {
    await sleep(200 / speed, options.signal);
    tick++;
    const viewer = pick(VIEWERS);
    room.send(chatPacket({ message: pick(LIVE_CHATS), ...viewer }));
    if (tick % 15 === 0) {
      const donor = pick(VIEWERS);
      const count = pick([1, 10, 10, 50, 100]);
      const gift = random() < 0.7
        ? starBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count, ...donor })
        : adBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count, ...donor });
      room.send(gift);
      options.onStep?.(`balloon ×${count} from ${donor.nickname}`);
    }
  }
}

interface Step {
  /** Delay before this step, in ms at speed 1. */
  readonly after: number;
  readonly describe: string;
  readonly packets: (room: SimulatedRoom) => Buffer | Buffer[];
}

const chat = (message: string, who: (typeof VIEWERS)[number] = VIEWERS[0]): ((room: SimulatedRoom) => Buffer) => () =>
  chatPacket({ message, ...who });

const FIRST_BROADCAST: readonly Step[] = [
  { after: 1000, describe: 'chat: 안녕하세요', packets: chat('안녕하세요 방송 보러 왔어요~ 👋') },
  { after: 800, describe: 'chat: ㅋㅋㅋ', packets: chat('ㅋㅋㅋㅋㅋ', VIEWERS[3]) },
  { after: 800, describe: 'chat: 대박', packets: chat('와 대박 오늘 텐션 미쳤다 🔥', VIEWERS[4]) },
  {
    after: 1200,
    describe: 'star balloon ×10 from 별풍요정',
    packets: (room) => starBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count: 10, ...VIEWERS[2] }),
  },
  { after: 900, describe: 'chat: thanks', packets: chat('별풍선 대박 ㅋㅋ', VIEWERS[1]) },
  {
    after: 1500,
    describe: 'ad balloon ×500 from 감자',
    packets: (room) => adBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count: 500, ...VIEWERS[3] }),
  },
  { after: 900, describe: 'chat: 1', packets: chat('1') },
  {
    after: 1200,
    describe: 'video balloon ×20 from 밤샘러',
    packets: (room) => videoBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count: 20, ...VIEWERS[4] }),
  },
  {
    after: 1500,
    describe: 'new subscription from 테스터',
    packets: (room) => subscriptionPacket({ streamerId: room.streamerId, chatNo: room.chatNo, ...VIEWERS[0] }),
  },
  {
    after: 1200,
    describe: '12th-month subscription from 구독|시청자',
    packets: (room) =>
      consecutiveSubscriptionPacket({ streamerId: room.streamerId, chatNo: room.chatNo, months: 12, tier: 2, itemType: 201, ...VIEWERS[1] }),
  },
  {
    after: 1200,
    describe: 'gift subscription 감자 → 밤샘러',
    packets: (room) =>
      giftSubscriptionPacket({
        streamerId: room.streamerId,
        userId: VIEWERS[3].userId,
        nickname: VIEWERS[3].nickname,
        recipientId: VIEWERS[4].userId,
        recipientNickname: VIEWERS[4].nickname,
      }),
  },
  {
    after: 1500,
    describe: 'challenge mission gift ×100 from 별풍요정',
    packets: (room) =>
      missionPacket(challengeGift({ streamerId: room.streamerId, chatNo: room.chatNo, count: 100, title: '노래 한 곡', ...VIEWERS[2] })),
  },
  {
    after: 1000,
    describe: 'streamer status 1 and notices (not an end)',
    packets: () => [streamerStatusPacket(1), streamerNoticePacket('오늘 방송은 밤 12시까지! 📢'), systemNoticePacket('방송이 실시간 핫이슈에 선정되었습니다.')],
  },
  {
    after: 1200,
    describe: 'star balloon ×100 that makes 밤샘러 fan #777 and a new top fan',
    packets: (room) => [
      starBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count: 100, fanOrder: 777, topFan: true, ...VIEWERS[4] }),
      userFlagsPacket({ ...VIEWERS[4], flags: '557088|163840', previousFlags: '524304|163840' }),
    ],
  },
  { after: 900, describe: 'chat: -1', packets: chat('-1', VIEWERS[3]) },
  { after: 900, describe: 'chat: 대박', packets: chat('대박 감사합니다 ㅋㅋ', VIEWERS[4]) },
];

const SECOND_BROADCAST: readonly Step[] = [
  { after: 800, describe: 'chat: 다시 안녕', packets: chat('다시 왔다 안녕~', VIEWERS[1]) },
  {
    after: 1000,
    describe: 'star balloon ×50 from 테스터',
    packets: (room) => starBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count: 50, ...VIEWERS[0] }),
  },
  { after: 800, describe: 'chat: ㅋㅋ', packets: chat('ㅋㅋ 재방송 가즈아', VIEWERS[3]) },
  {
    after: 1200,
    describe: 'ad balloon ×10 from 구독|시청자',
    packets: (room) => adBalloonPacket({ streamerId: room.streamerId, chatNo: room.chatNo, count: 10, ...VIEWERS[1] }),
  },
  { after: 800, describe: 'chat: 대박', packets: chat('대박 잘자요', VIEWERS[2]) },
];

async function waitForClient(room: SimulatedRoom, options: ScenarioOptions): Promise<void> {
  if (options.waitForClients === false) return;
  options.onStep?.('waiting for a client to join');
  while (room.joinedClients === 0) await sleep(25, options.signal);
}

async function playSteps(room: SimulatedRoom, steps: readonly Step[], options: ScenarioOptions): Promise<void> {
  const speed = options.speed ?? 1;
  for (const step of steps) {
    await sleep(step.after / speed, options.signal);
    const packets = step.packets(room);
    room.send(Array.isArray(packets) ? packets : [packets]);
    options.onStep?.(step.describe);
  }
}

/** ~30 s at speed 1 (plus the time clients take to join). */
async function demo(room: SimulatedRoom, options: ScenarioOptions): Promise<void> {
  const speed = options.speed ?? 1;
  room.goLive({ title: '시뮬레이터 데모 방송' });
  options.onStep?.(`live: broadcast ${room.broadcastNo}, CHATNO ${room.chatNo}`);
  await waitForClient(room, options);
  await playSteps(room, FIRST_BROADCAST, options);
  await sleep(1500 / speed, options.signal);
  room.end();
  options.onStep?.('broadcast ended (0007, 0088, close)');
  await sleep(3000 / speed, options.signal);
  room.goLive({ title: '시뮬레이터 데모 방송 2부' });
  options.onStep?.(`live again: broadcast ${room.broadcastNo}, new CHATNO ${room.chatNo}`);
  await waitForClient(room, options);
  await playSteps(room, SECOND_BROADCAST, options);
  await sleep(1500 / speed, options.signal);
  room.end();
  options.onStep?.('broadcast ended; demo over');
}
