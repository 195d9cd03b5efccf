/**
 * `player_live_api.php` and chapi `station` bodies shaped like the real captured ones
 * (test/fixtures/soop-real/live-info/), pointing the chat server at the simulator.
 */
import { Buffer } from 'node:buffer';
import type { RoomState } from './api.js';

export interface RoomSnapshot {
  readonly streamerId: string;
  readonly nickname: string;
  readonly state: RoomState;
  readonly broadcastNo: string;
  readonly chatNo: string;
  readonly title: string;
  readonly roomPassword: string | undefined;
}

export interface ChatServerAddress {
  /** CHDOMAIN / CHIP: where the simulator listens. */
  readonly host: string;
  readonly port: number;
}

export interface LiveInfoRequest {
  /** `live` (default) or `aid` (stream key; checks the room password). */
  readonly type: string;
  readonly password: string;
}

const GEO = { geo_cc: 'KR', geo_rc: '11', acpt_lang: '', svc_lang: 'ko_KR', ISSP: 0 } as const;

/** The body SOOP sends for offline and non-existent streamers alike. */
export const OFFLINE_BODY = { CHANNEL: { ...GEO, RESULT: 0, GDPR: false } };

function fakeFtk(room: RoomSnapshot): string {
  const hash = Buffer.from(`${room.streamerId}:${room.broadcastNo}`).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hash}_${room.streamerId}_${room.broadcastNo}_html5_1`;
}

function isLiveState(state: RoomState): boolean {
  return state === 'live' || state === 'password';
}

/** The JSON reply of `player_live_api.php` for a room (undefined room = no such streamer). */
export function liveInfoBody(room: RoomSnapshot | undefined, server: ChatServerAddress, request: LiveInfoRequest): object {
  if (!room) return OFFLINE_BODY;
  if (request.type === 'aid') return aidBody(room, request);
  switch (room.state) {
    case 'live':
    case 'password':
      return liveBody(room, server);
    case 'adult':
    case 'adultPassword':
      return {
        CHANNEL: {
          ...GEO,
          TITLE: room.title,
          CATE: '00130000',
          RESOLUTION: '1920x1080',
          BPS: '8000',
          BTIME: 14665,
          RESULT: room.state === 'adult' ? -6 : -8,
          GDPR: false,
        },
      };
    case 'subscribersOnly':
      return { CHANNEL: { IS_EARN_LIMIT: 0, RESULT: -14, P_MIN_TIER: '2', TIER_TYPE: 0, GDPR: false } };
    case 'offline':
    case 'missing':
      return OFFLINE_BODY;
  }
}

function aidBody(room: RoomSnapshot, request: LiveInfoRequest): object {
  if (room.state === 'adult' || room.state === 'adultPassword') return { CHANNEL: { RESULT: -6, GDPR: false } };
  if (!isLiveState(room.state)) return { CHANNEL: { RESULT: 0, GDPR: false } };
  if (room.state === 'password' && room.roomPassword !== undefined && request.password !== room.roomPassword) {
    return { CHANNEL: { RESULT: 0, GDPR: false } };
  }
  return { CHANNEL: { RESULT: 1, AID: `.SIM.${room.streamerId}.${room.broadcastNo}`, AID_H: '', GDPR: false } };
}

function liveBody(room: RoomSnapshot, server: ChatServerAddress): object {
  return {
    CHANNEL: {
      ...GEO,
      LOWLAYTENCYBJ: 0,
      VIEWPRESET: [
        { label: '360p', label_resolution: '360', name: 'sd', bps: 500, vcodec: 'h264' },
        { label: '540p', label_resolution: '540', name: 'hd', bps: 1000, vcodec: 'h264' },
        { label: '720p', label_resolution: '720', name: 'hd4k', bps: 4000, vcodec: 'h264' },
        { label: '1080p', label_resolution: '1080', name: 'original', bps: 8000, vcodec: 'h264' },
        { label: '자동', label_resolution: '', name: 'auto', bps: 8000, vcodec: '' },
      ],
      RESULT: 1,
      PBNO: '0',
      BNO: room.broadcastNo,
      BJID: room.streamerId,
      BJNICK: room.nickname,
      BJGRADE: 1,
      STNO: '11165615',
      ISFAV: 'N',
      CATE: '00130000',
      CPNO: 0,
      GRADE: '0',
      BTYPE: '31',
      CHATNO: room.chatNo,
      BPWD: room.state === 'password' ? 'Y' : 'N',
      TITLE: room.title,
      TITLE_TRANSLATE: room.title,
      BPS: '8000',
      RESOLUTION: '1920x1080',
      CTIP: server.host,
      CTPT: '18000',
      VBT: '1',
      STRM_LANG_TYPE: 'ko_KR',
      CTUSER: 50000,
      AUTO_HASHTAGS: [],
      CATEGORY_TAGS: ['토크/캠방'],
      LANG_TAGS: ['한국어'],
      HASH_TAGS: ['시뮬레이터'],
      P_MIN_TIER: '0',
      BSTATUS: 'BROADING',
      CHIP: server.host,
      CHPT: String(server.port),
      CHDOMAIN: server.host,
      CDN: 'gcp_cdn',
      GWIP: server.host,
      GWPT: '3456',
      STYPE: '0',
      ORG: 'N',
      BTIME: 455474,
      PCON_OBJECT: null,
      TIER_TYPE: 0,
      FTK: fakeFtk(room),
      TIER1_NICK: '베이직',
      TIER2_NICK: '플러스',
      IS_EARN_LIMIT: 0,
      GDPR: false,
    },
  };
}

/** chapi `GET /api/<id>/station`: status and body. Missing streamers get 515 + code 9000. */
export function stationBody(room: RoomSnapshot | undefined): { status: number; body: object } {
  if (!room || room.state === 'missing') {
    return { status: 515, body: { code: 9000, message: 'The channel does not exist.' } };
  }
  const live = isLiveState(room.state) || room.state === 'adult' || room.state === 'adultPassword' || room.state === 'subscribersOnly';
  return {
    status: 200,
    body: {
      station: { user_id: room.streamerId, user_nick: room.nickname, station_name: `${room.nickname}의 방송국` },
      broad: live
        ? {
            user_id: room.streamerId,
            broad_no: Number(room.broadcastNo),
            broad_title: room.title,
            current_sum_viewer: 1234,
            broad_grade: room.state === 'adult' || room.state === 'adultPassword' ? 19 : 0,
            is_password: room.state === 'password' || room.state === 'adultPassword',
          }
        : null,
    },
  };
}
