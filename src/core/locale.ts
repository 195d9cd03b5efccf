/** The two languages every sentence a person reads comes in. Korean is the bot's home. */
export type Locale = 'ko' | 'en';

export const LOCALES: readonly Locale[] = ['ko', 'en'];

/** A platform's language tag ('ko', 'en-US', 'en_GB', null) → one of ours; anything else → fallback. */
export function localeFromTag(tag: string | null | undefined, fallback: Locale = 'ko'): Locale {
  if (!tag) return fallback;
  const lower = tag.toLowerCase();
  if (lower.startsWith('ko')) return 'ko';
  if (lower.startsWith('en')) return 'en';
  return fallback;
}
