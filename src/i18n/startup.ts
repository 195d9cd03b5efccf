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
  demoRunning: phrase(
    (streamer: string, keywords: readonly string[]) => `데모: SOOP 시뮬레이터가 돌고 있고, 콘솔 모드의 봇이 ${streamer}의 후원과 '${keywords.join(', ')}' 채팅을 봅니다`,
    (streamer: string, keywords: readonly string[]) => `demo: the SOOP simulator is running; the bot in console mode watches ${streamer} for donations and chats with ${keywords.join(', ')}`,
  ),
  demoFinished: fixed('데모가 끝났습니다', 'demo finished'),
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

  joinedCluster: fixed('클러스터에 합류했습니다', 'joined the cluster'),
  httpListening: phrase(
    (address: string) => `HTTP 엔드포인트가 ${address}에서 듣고 있습니다 (/healthz, /readyz, /metrics)`,
    (address: string) => `http endpoint listening on ${address} (/healthz, /readyz, /metrics)`,
  ),
  httpCannotListen: phrase(
    (address: string, why: string) => `HTTP 엔드포인트가 ${address}에서 들을 수 없습니다: ${why}. HTTP_PORT를 비어 있는 포트로 바꾸거나 0으로 두어 끄세요.`,
    (address: string, why: string) => `The HTTP endpoint cannot listen on ${address}: ${why}. Set HTTP_PORT to a free port, or to 0 to turn the endpoint off.`,
  ),
  portInUse: fixed('포트를 이미 다른 프로그램이 쓰고 있습니다', 'the port is already in use'),

  // --- platforms while running ---------------------------------------------------------------
  discordConnected: phrase(
    (user: string, guilds: number) => `Discord에 연결되었습니다 (${user}, 서버 ${guilds}개)`,
    (user: string, guilds: number) => `Discord connected (${user}, ${guilds} server(s))`,
  ),
  discordCommandsRegistered: phrase(
    (count: number) => `Discord 슬래시 명령 ${count}개를 등록했습니다`,
    (count: number) => `Discord slash commands registered (${count})`,
  ),
  discordCommandsFailed: fixed('Discord 슬래시 명령을 등록하지 못했습니다', 'could not register the Discord slash commands'),
  discordLeasedShards: phrase(
    (count: number) => `Discord 샤드 ${count}개는 임대(lease)로 나눠 맡습니다; 그동안 알림은 REST로 보냅니다`,
    (count: number) => `the ${count} Discord shards are taken by lease; alerts go over REST meanwhile`,
  ),
  discordClientError: fixed('Discord 클라이언트 오류', 'Discord client error'),
  discordDisconnected: fixed('Discord 게이트웨이 연결이 끊겼습니다 (discord.js가 다시 연결합니다)', 'Discord gateway disconnected (discord.js reconnects)'),
  discordResumed: fixed('Discord 게이트웨이 연결이 이어졌습니다', 'Discord gateway resumed'),
  discordChannelDeleted: phrase(
    (removed: number) => `Discord 채널이 삭제되어 구독 ${removed}개를 지웠습니다`,
    (removed: number) => `a Discord channel was deleted; its ${removed} subscription(s) were removed`,
  ),
  discordGuildLeft: phrase(
    (removed: number) => `봇이 Discord 서버에서 제거되어 구독 ${removed}개를 지웠습니다`,
    (removed: number) => `the bot was removed from a Discord server; its ${removed} subscription(s) were removed`,
  ),
  discordGuildGoneAtStart: phrase(
    (removed: number) => `저장된 Discord 서버에 봇이 더 이상 없어 구독 ${removed}개를 지웠습니다`,
    (removed: number) => `the bot is no longer in a stored Discord server; its ${removed} subscription(s) were removed`,
  ),
  discordChannelDisabled: fixed(
    'Discord 채널에 보낼 수 없어 그 구독을 멈췄습니다; 원인을 고친 뒤 /resume 하면 다시 시작합니다',
    'Discord channel disabled: its subscriptions are paused until someone fixes the cause and runs /resume',
  ),
  telegramStarted: phrase(
    (username: string, mode: string) => `Telegram 봇을 시작했습니다 (@${username}, ${mode === 'webhook' ? '웹훅' : '롱 폴링'})`,
    (username: string, mode: string) => `Telegram bot started (@${username}, ${mode === 'webhook' ? 'webhook' : 'long polling'})`,
  ),
  telegramMenuFailed: fixed('Telegram 명령 메뉴를 설정하지 못했습니다', 'could not set the Telegram command menu'),
  telegramPollingStopped: fixed('Telegram 업데이트 받기(폴링)가 멈췄습니다', 'Telegram polling stopped'),
  telegramPollingTaken: fixed('이 노드가 이제 Telegram 업데이트를 받습니다', 'this node now takes the Telegram updates'),
  telegramHandlerFailed: fixed('Telegram 업데이트 처리 중 오류가 났습니다', 'a Telegram update handler failed'),
  telegramWebhookFailed: fixed('웹훅 요청을 처리하지 못했습니다', 'webhook request failed'),
  telegramChatMoved: fixed('채팅이 옮겨져 구독도 따라갑니다', 'chat moved; subscriptions follow it'),
  telegramChatStopped: fixed('채팅으로 알림을 보낼 수 없어 그 구독을 멈췄습니다', 'alerts to a chat stopped; its subscriptions are paused'),

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
