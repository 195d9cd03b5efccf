/**
 * A phrase is one sentence (or label) a person reads, in both languages, next to each other so that
 * neither can be forgotten. Arguments are plain values; whoever renders escapes them for the platform.
 */
import type { Locale } from '../core/locale.js';

export type Phrase<A extends readonly unknown[] = []> = { readonly [L in Locale]: (...args: A) => string };

/** A phrase whose words depend on arguments. */
export function phrase<A extends readonly unknown[]>(ko: (...args: A) => string, en: (...args: A) => string): Phrase<A> {
  return { ko, en };
}

/** A fixed phrase. */
export function fixed(ko: string, en: string): Phrase {
  return { ko: () => ko, en: () => en };
}

/** The phrase in one language. */
export function say<A extends readonly unknown[]>(locale: Locale, p: Phrase<A>, ...args: A): string {
  return p[locale](...args);
}
