/**
 * Text helpers shared by the renderings. Lengths are UTF-16 units: Telegram counts those, and for
 * Discord (which counts characters) it is a safe upper bound. Cuts never split a surrogate pair.
 */

// C0/C1 controls, and the bidi controls that can make text read backwards.
const CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Removes control characters. Line breaks become `\n` when `keepNewlines`, else spaces (like tabs,
 * always); every other control character is dropped.
 */
export function stripControls(text: string, keepNewlines = true): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(CONTROLS, (c) => {
    if (c === '\t') return ' ';
    if (c === '\n') return keepNewlines ? '\n' : ' ';
    return '';
  });
}

/** The longest prefix of at most `maxUnits` UTF-16 units that does not end inside a surrogate pair. */
export function prefixByCodePoints(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits <= 0) return '';
  const last = text.charCodeAt(maxUnits - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxUnits - 1 : maxUnits);
}

export const ELLIPSIS = '…';

/** `text` itself when it fits, else a code point prefix and '…' within `maxUnits`. */
export function truncate(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  return prefixByCodePoints(text, maxUnits - ELLIPSIS.length) + ELLIPSIS;
}

/**
 * Escapes `raw` with `escape` and fits the result in `maxUnits`: when too long, the *raw* text is
 * cut (so no escape sequence or entity is ever split) at the longest prefix that still fits, and '…'
 * appended. `escape` must never make a text shorter (`escape(t).length >= t.length`), and must not
 * shrink when its input grows (true of every escaping here, on control-free text). Returns '' when
 * not even '…' fits.
 */
export function escapeAndFit(raw: string, maxUnits: number, escape: (text: string) => string): string {
  // Escaping never shortens, so nothing past the first maxUnits units can be shown: a 20,000-unit
  // text costs no more than a short one.
  const head = prefixByCodePoints(raw, maxUnits + 1);
  const whole = escape(head);
  if (head.length === raw.length && whole.length <= maxUnits) return whole;
  if (maxUnits < ELLIPSIS.length) return '';
  const fits = (keep: number): boolean => escape(prefixByCodePoints(head, keep)).length + ELLIPSIS.length <= maxUnits;
  // The longest fitting prefix is at most maxUnits long: binary search.
  let lo = 0;
  let hi = Math.min(head.length, maxUnits);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return escape(trimDanglingJoiner(prefixByCodePoints(head, lo))) + ELLIPSIS;
}

/** A cut right after a zero-width joiner or a variation selector would glue '…' onto half an emoji. */
function trimDanglingJoiner(text: string): string {
  return text.replace(/(?:\u200D|\uFE0E|\uFE0F)+$/, '');
}

// Whitespace and the characters that show nothing (zero-width spaces and joiners, fillers, ...).
const BLANK = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** True when `text` would show nothing at all: Telegram refuses such a message as empty. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}
