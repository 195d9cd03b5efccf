/**
 * What the operator reads while the bot starts, waits for a platform, stops or fails: one sentence
 * each, in the language of LOCALE (config). Values (URLs, reasons) arrive already masked.
 */
import { fixed, phrase } from './phrase.js';

const seconds = (ms: number): string => String(Math.max(1, Math.round(ms / 1000)));

export const startupText = {
  // --- configuration -------------------------------------------------------------------------
  configInvalid: phrase(
    (problems: readonly string[]) => `설정이 잘못되었습니다:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    (problems: readonly string[]) => `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  ),
  wholeNumber: phrase(
    (name: string, min: number, max: number, got: string) => `${name}은(는) ${min}부터 ${max}까지의 정수여야 합니다 (입력값 "${got}")`,
    (name: string, min: number, max: number, got: string) => `${name} must be a whole number from ${min} to ${max} (got "${got}")`,
  ),
  number: phrase(
    (name: string, min: number, max: number, got: string) => `${name}은(는) ${min}부터 ${max}까지의 숫자여야 합니다 (입력값 "${got}")`,
    (name: string, min: number, max: number, got: string) => `${name} must be a number from ${min} to ${max} (got "${got}")`,
  ),
  oneOf: phrase(
    (name: string, allowed: readonly string[], got: string) => `${name}은(는) ${allowed.join(', ')} 중 하나여야 합니다 (입력값 "${got}")`,
    (name: string, allowed: readonly string[], got: string) => `${name} must be one of ${allowed.join(', ')} (got "${got}")`,
  ),
  httpUrl: phrase(
    (name: string, got: string) => `${name}은(는) http(s) URL이어야 합니다 (입력값 "${got}")`,
    (name: string, got: string) => `${name} must be an http(s) URL (got "${got}")`,
  ),
  postgresUrl: phrase(
    (name: string) => `${name}은(는) postgres:// URL이어야 합니다`,
    (name: string) => `${name} must be a postgres:// URL`,
  ),
  nodeId: phrase(
    (name: string, got: string) => `${name}은(는) 영문자, 숫자, 점, 대시, 밑줄, 콜론으로 된 1~64자여야 합니다 (입력값 "${got}")`,
    (name: string, got: string) => `${name} must be 1 to 64 letters, digits, dots, dashes, underscores or colons (got "${got}")`,
  ),
  shardsNeedCount: phrase(
    (ids: string, count: string) => `${ids}에는 ${count}(모든 프로세스를 합친 샤드 수)이(가) 필요합니다`,
    (ids: string, count: string) => `${ids} needs ${count} (the total number of shards across every process)`,
  ),
  shardIds: phrase(
    (ids: string, max: number, got: string) => `${ids}에는 0부터 ${max}까지의 샤드 번호를 적어야 합니다 (입력값 "${got}")`,
    (ids: string, max: number, got: string) => `${ids} must list shard ids from 0 to ${max} (got "${got}")`,
  ),
  autoShardsNeedCount: phrase(
    (ids: string, count: string) => `${ids}=auto에는 ${count}(전체 샤드 수)이(가) 필요합니다`,
    (ids: string, count: string) => `${ids}=auto needs ${count} (the total number of shards)`,
  ),
  autoShardsNeedDatabase: phrase(
    (ids: string, db: string) => `${ids}=auto에는 ${db}이(가) 필요합니다: 노드들이 데이터베이스로 샤드를 나눕니다`,
    (ids: string, db: string) => `${ids}=auto needs ${db}: the nodes share the shards through the database`,
  ),
  httpHost: phrase(
    (name: string, got: string) => `${name}은(는) IP 주소나 호스트 이름이어야 합니다 (입력값 "${got}")`,
    (name: string, got: string) => `${name} must be an IP address or a host name (got "${got}")`,
  ),
  badStreamer: phrase(
    (name: string, why: string) => `${name}: ${why}`,
    (name: string, why: string) => `${name}: ${why}`,
  ),

  // --- start-up ------------------------------------------------------------------------------
  runningDemo: fixed(
    '플랫폼 토큰도, 볼 스트리머도 없습니다 (WATCH=, 또는 npm start -- <스트리머>): 오프라인 데모를 실행합니다',
    'no platform token and nothing to watch (WATCH=, or npm start -- <streamer>): running the offline demo',
  ),
  nothingConfigured: fixed(
    '할 일이 없습니다: DISCORD_TOKEN, TELEGRAM_TOKEN, WATCH 중 하나를 .env에 설정한 뒤 컨테이너를 다시 시작하세요. 그때까지 아무것도 하지 않고 기다립니다 (docker stop으로 끝납니다).',
    'nothing to do: set DISCORD_TOKEN, TELEGRAM_TOKEN or WATCH in .env, then restart the container. Until then the bot waits and does nothing (docker stop ends it).',
  ),
  consoleMode: phrase(
    (streamers: readonly string[], data: string) => `콘솔 모드: ${streamers.join(', ')}의 알림을 출력합니다; 데이터는 ${data}`,
    (streamers: readonly string[], data: string) => `console mode: printing alerts for ${streamers.join(', ')}; data in ${data}`,
  ),
  botMode: phrase(
    (platforms: readonly string[], data: string) => `봇 모드 (${platforms.join(', ')}); 데이터는 ${data}`,
    (platforms: readonly string[], data: string) => `bot mode (${platforms.join(', ')}); data in ${data}`,
  ),
  discordTokenRejected: fixed(
    'Discord가 DISCORD_TOKEN을 거부했습니다 (401 Unauthorized). Developer Portal → Bot에서 토큰을 확인하세요.',
    'Discord rejected DISCORD_TOKEN (401 Unauthorized); check the token in the Developer Portal → Bot.',
  ),
  telegramTokenRejected: phrase(
    (status: number) => `Telegram이 TELEGRAM_TOKEN을 거부했습니다 (${status}). @BotFather에서 토큰을 확인하세요.`,
    (status: number) => `Telegram rejected TELEGRAM_TOKEN (${status}); check the token with @BotFather.`,
  ),
  platformUnreachable: phrase(
    (platform: string, url: string, reason: string) => `${platform}에 연결할 수 없습니다 (${url}: ${reason}). 연결될 때까지 점점 간격을 늘려 다시 시도합니다.`,
    (platform: string, url: string, reason: string) => `${platform} is unreachable (${url}: ${reason}); retrying with backoff until it answers.`,
  ),
  platformReachable: phrase(
    (platform: string, downMs: number) => `${platform}에 다시 연결되었습니다 (${seconds(downMs)}초 동안 연결할 수 없었음).`,
    (platform: string, downMs: number) => `${platform} answers again (it was unreachable for ${seconds(downMs)} s).`,
  ),
  startFailed: phrase(
    (reason: string) => `soop-alerts를 시작하지 못했습니다: ${reason}`,
    (reason: string) => `soop-alerts could not start: ${reason}`,
  ),
  failed: phrase(
    (reason: string) => `soop-alerts가 멈췄습니다: ${reason}`,
    (reason: string) => `soop-alerts failed: ${reason}`,
  ),

  // --- stopping ------------------------------------------------------------------------------
  stopping: phrase(
    (signal: string) => `${signal}을(를) 받았습니다: 알림을 마저 보내고 멈춥니다`,
    (signal: string) => `${signal} received: flushing alerts, then stopping`,
  ),
  stopped: fixed('멈췄습니다', 'stopped'),
  stopTimedOut: phrase(
    (ms: number) => `${seconds(ms)}초 안에 깨끗하게 멈추지 못해 지금 끝냅니다; 못 보낸 알림은 다음 시작 때 보냅니다`,
    (ms: number) => `could not stop cleanly within ${seconds(ms)} s, exiting now; unsent alerts go out on the next start`,
  ),
  secondSignal: phrase(
    (signal: string) => `${signal}을(를) 다시 받았습니다: 바로 끝냅니다`,
    (signal: string) => `${signal} received again: exiting now`,
  ),

  // --- last resort ---------------------------------------------------------------------------
  unhandledRejection: phrase(
    (reason: string) => `내부 오류(버그): 처리되지 않은 비동기 오류 — ${reason}`,
    (reason: string) => `internal error (a bug): an unhandled rejection — ${reason}`,
  ),
  uncaughtException: phrase(
    (reason: string) => `내부 오류(버그): 처리되지 않은 예외로 끝냅니다 — ${reason}`,
    (reason: string) => `internal error (a bug): an uncaught exception, exiting — ${reason}`,
  ),
} as const;
