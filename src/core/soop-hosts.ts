/**
 * SOOP's public hosts. SOOP moved from afreecatv.com to sooplive.co.kr in October 2024 and from
 * sooplive.co.kr to sooplive.com in March 2026; some old hosts no longer resolve, and a cookie set
 * on one domain is not sent to the other. The defaults follow the current hosts; each is
 * configurable (SOOP_LIVE_INFO_URL, SOOP_PLAYER_URL).
 */
export const DEFAULT_SOOP_LIVE_INFO_URL = 'https://live.sooplive.com/afreeca/player_live_api.php';
export const DEFAULT_SOOP_PLAYER_URL = 'https://play.sooplive.com';

let playerUrl = DEFAULT_SOOP_PLAYER_URL;

/**
 * Sets the player site once at start-up (config SOOP_PLAYER_URL). One process-wide value because
 * three layers use it — the live-info request's Origin, the chat socket's Origin and the links in
 * alerts — and an alert is rendered long after any configuration could be passed to it.
 */
export function configureSoopPlayerUrl(url: string = DEFAULT_SOOP_PLAYER_URL): void {
  playerUrl = url.replace(/\/+$/, '');
}

/** The player site, without a trailing slash (e.g. https://play.sooplive.com). */
export function soopPlayerUrl(): string {
  return playerUrl;
}

/** A streamer's player page, e.g. https://play.sooplive.com/khm11903. */
export function playerPageUrl(streamerId: string): string {
  return `${playerUrl}/${encodeURIComponent(streamerId)}`;
}
