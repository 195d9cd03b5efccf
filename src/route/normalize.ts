/**
 * Text normalisation for keyword matching (Korean and English), substring semantics.
 *
 * `normalizeForMatch` is the definition: ignorable characters removed (whitespace, zero-width
 * U+200B–U+200D, U+2060, U+FEFF, soft hyphen U+00AD, ...), full-width ASCII folded to ASCII,
 * lower-cased, then NFC.
 *
 * Why not NFKC: it turns the compatibility jamo Korean chat is full of (ㅋㅋㅋ, ㅎㅇ, ㄱㄱ) into
 * conjoining jamo, which then compose with their neighbours (`ㅋㅏ` would become `카`), and it also
 * rewrites ①, ㎏, ligatures and so on. NFC only composes what is canonically equal (decomposed
 * Hangul `ᄒ` + `ᅡ` → `하`), and the full-width Latin that NFKC would have given us is folded by hand.
 *
 * Removal happens first, so a zero-width space between decomposed jamo cannot defeat composition.
 *
 * `foldUnit` is the per-UTF-16-unit fast path the matcher uses on chat lines: for a unit it returns
 * the folded unit, SKIP for an ignorable unit, or SLOW when the unit needs context (combining marks,
 * conjoining jamo, final sigma, characters that change under NFC, lower-casing that is not one unit).
 * A text without SLOW units folds unit by unit to exactly `normalizeForMatch(text)` (tested).
 */

// U+034F (combining grapheme joiner) sits outside the class: a mark inside a class is misleading.
const IGNORABLE = /[\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]|\u034F/gu;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/gu;
const FULL_WIDTH_OFFSET = 0xfee0;

export function normalizeForMatch(text: string): string {
  return text
    .replace(IGNORABLE, '')
    .replace(FULL_WIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .toLowerCase()
    .normalize('NFC');
}

/** Marker values of the fold table (0xFFFF itself is a noncharacter and takes the slow path). */
export const SKIP = 0;
export const SLOW = 0xffff;

const MARK = /^\p{M}$/u;
/** High surrogates of the supplementary planes that have upper-case letters (Deseret, Osage, Adlam, ...). */
const CASED_HIGH_SURROGATES = new Set([0xd801, 0xd803, 0xd806, 0xd81b, 0xd83a]);

let table: Uint16Array | undefined;

function foldOne(code: number): number {
  if (code === 0 || code === SLOW) return SLOW; // U+0000 would collide with SKIP
  if (code >= 0xd800 && code <= 0xdfff) return CASED_HIGH_SURROGATES.has(code) ? SLOW : code;
  if (code === 0x03a3) return SLOW; // Σ lower-cases to ς or σ depending on what follows.
  if ((code >= 0x1100 && code <= 0x11ff) || (code >= 0xa960 && code <= 0xa97f) || (code >= 0xd7b0 && code <= 0xd7ff)) return SLOW;
  // Variation selectors (❤️) and the keycap mark (1️⃣) are marks that never compose or reorder
  // (combining class 0, in no composition): common in emoji, so keep them on the fast path.
  if ((code >= 0xfe00 && code <= 0xfe0f) || code === 0x20e3) return code;
  const ch = String.fromCharCode(code);
  if (MARK.test(ch) || ch.normalize('NFC') !== ch) return SLOW;
  const folded = normalizeForMatch(ch);
  if (folded.length === 0) return SKIP;
  if (folded.length !== 1) return SLOW;
  const unit = folded.charCodeAt(0);
  // The folded unit must itself be stable, or folding twice would differ from folding once.
  return unit === SLOW || normalizeForMatch(folded) !== folded ? SLOW : unit;
}

/** Big blocks with no case, no marks and no NFC change: CJK ideographs, Yi, Hangul syllables. */
function isKnownStable(c: number): boolean {
  return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa48c) || (c >= 0xac00 && c <= 0xd7a3);
}

/** The per-unit fold table, built once on first use (a few tens of ms). */
export function foldTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    t[c] = isKnownStable(c) ? c : foldOne(c);
  }
  table = t;
  return t;
}

/** `normalizeForMatch`, through the fold table when the text allows it (most keywords and chat lines). */
export function normalizeFast(text: string): string {
  const fold = foldTable();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = fold[text.charCodeAt(i)] as number;
    if (unit === SLOW) return normalizeForMatch(text);
    if (unit !== SKIP) out += String.fromCharCode(unit);
  }
  return out;
}
