/**
 * The engine's state lines: what the operator reads when a watched streamer's connection changes
 * state (one line per change, never one per retry). The streamer id is prefixed by the caller.
 */
import type { Locale } from '../core/locale.js';
import { fixed, phrase } from './phrase.js';

/** "in 12 s" / "12초 후"; below 10 s with one decimal; 0 is "now". */
function inSeconds(locale: Locale, ms: number): string {
  const s = ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000);
  if (locale === 'ko') return s === 0 ? '지금' : `${s}초 후`;
  return s === 0 ? 'now' : `in ${s} s`;
}

function seconds(locale: Locale, ms: number): string {
  const s = ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000);
  return locale === 'ko' ? `${s}초` : `${s} s`;
}

export const engineLines = {
  joined: phrase(
    (title: string) => (title ? `채팅에 연결됨 — 방송 중: ${title}` : '채팅에 연결됨 — 방송 중'),
    (title: string) => (title ? `connected to the chat — live: ${title}` : 'connected to the chat — live'),
  ),
  rejoined: phrase(
    (gapMs: number) => `채팅에 다시 연결됨 (${seconds('ko', gapMs)} 끊김)`,
    (gapMs: number) => `reconnected to the chat (a ${seconds('en', gapMs)} gap)`,
  ),
  offline: fixed('방송 중이 아님 — 방송이 시작되면 알려 드림', 'not live — watching for the stream to start'),
  ended: fixed('방송이 끝남 — 다음 방송을 기다리는 중', 'the stream ended — waiting for the next one'),
  unreachable: phrase(
    (retryMs: number) => `SOOP에 연결할 수 없음 — ${inSeconds('ko', retryMs)} 다시 시도`,
    (retryMs: number) => `cannot reach SOOP — retrying ${inSeconds('en', retryMs)}`,
  ),
  refused: phrase(
    (retryMs: number) => `SOOP이 채팅 접속을 거절함 — ${inSeconds('ko', retryMs)} 다시 시도`,
    (retryMs: number) => `SOOP refused the chat connection — retrying ${inSeconds('en', retryMs)}`,
  ),
  dropped: phrase(
    (retryMs: number) => `채팅 연결이 끊김 — ${inSeconds('ko', retryMs)} 다시 연결`,
    (retryMs: number) => `the chat connection dropped — reconnecting ${inSeconds('en', retryMs)}`,
  ),
  hostGone: phrase(
    (retryMs: number) => `SOOP 주소가 옮겨졌거나 더 이상 없음 — SOOP_LIVE_INFO_URL 설정을 확인하세요 (${inSeconds('ko', retryMs)} 다시 확인)`,
    (retryMs: number) => `SOOP's address has moved or no longer exists — check SOOP_LIVE_INFO_URL (checking again ${inSeconds('en', retryMs)})`,
  ),
  restricted: {
    adult: fixed('19세 이상 방송 — 로그인 없이는 채팅을 읽을 수 없음, 나중에 다시 확인', '19+ stream — its chat cannot be read without a login; checking again later'),
    adultPassword: fixed(
      '19세 이상·비밀번호 방송 — 채팅을 읽을 수 없음, 나중에 다시 확인',
      '19+ stream with a password — its chat cannot be read; checking again later',
    ),
    subscribersOnly: fixed('구독자 전용 방송 — 채팅을 읽을 수 없음, 나중에 다시 확인', 'subscribers-only stream — its chat cannot be read; checking again later'),
    password: fixed('비밀번호 방송 — 채팅을 읽을 수 없음, 나중에 다시 확인', 'password-protected stream — its chat cannot be read; checking again later'),
    unknown: fixed('SOOP이 알 수 없는 상태를 알려 옴 — 나중에 다시 확인', 'SOOP reports an unknown state — checking again later'),
  },
  stopped: fixed('감시를 멈춤', 'stopped watching'),
} as const;
