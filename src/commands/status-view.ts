/**
 * An engine's status as /status shows it, serialised so that the node crawling a streamer can
 * publish it and a node answering /status elsewhere can read it back.
 */
import type { StreamerStatusView } from './ports.js';

export function serializeStatusView(view: StreamerStatusView): string {
  const { state, since, broadcastNo, title, restrictedReason, lastError, cause, lastChatAt, lastDonationAt, reconnects } = view;
  return JSON.stringify({ state, since, broadcastNo, title, restrictedReason, lastError, cause, lastChatAt, lastDonationAt, reconnects });
}

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const optionalNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The view back from its text; undefined when the text is not one (never throws). */
export function parseStatusView(text: string): StreamerStatusView | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const since = optionalNumber(v.since);
  if (typeof v.state !== 'string' || since === undefined) return undefined;
  return {
    state: v.state,
    since,
    broadcastNo: optionalString(v.broadcastNo),
    title: optionalString(v.title),
    restrictedReason: optionalString(v.restrictedReason),
    lastError: optionalString(v.lastError),
    cause: optionalString(v.cause),
    lastChatAt: optionalNumber(v.lastChatAt),
    lastDonationAt: optionalNumber(v.lastDonationAt),
    reconnects: optionalNumber(v.reconnects) ?? 0,
  };
}
