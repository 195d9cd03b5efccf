/**
 * Alert → one readable console line, control characters stripped, e.g.
 * `[별풍선] khm11903 ← 닉네임 (viewer01) ×100 · 팬클럽 #1234` or `[chat] khm11903 닉네임 (viewer01): 안녕하세요`.
 */
import type { Alert } from './alert.js';
import { summarize } from './card.js';
import { stripControls } from './text.js';

export function renderConsole(alert: Alert): string {
  const s = summarize(alert);
  const notes = s.notes.map((n) => `[${n}] `).join('');
  let line = `${notes}[${s.label}] ${s.streamerId}`;
  if (alert.kind === 'chat') {
    line += ` ${s.who ?? '?'}: ${s.quote ?? ''}`;
  } else {
    if (s.who !== undefined) line += ` ← ${s.who}`;
    if (s.amount !== undefined) line += ` ${s.amount}`;
    const details = s.details.filter((d) => d);
    if (details.length > 0) line += ` · ${details.join(' · ')}`;
    if (s.quote !== undefined) line += ` · "${s.quote}"`;
  }
  return stripControls(line, false);
}

/** Console has no message limits: a digest is one line per alert. */
export function renderConsoleDigest(alerts: readonly Alert[]): string[] {
  return alerts.map(renderConsole);
}
