/**
 * The one catalogue of every sentence a person reads, in Korean and English. Each area keeps its
 * phrases in its own file here (replies, alerts, start-up, engine states, …); code elsewhere imports
 * only this index.
 */
export type { Locale } from '../core/locale.js';
export { LOCALES, localeFromTag } from '../core/locale.js';
export { fixed, phrase, say, type Phrase } from './phrase.js';
export * from './render.js';
export * from './storage.js';
export * from './alerts.js';
export * from './commands.js';
export * from './replies.js';
export * from './startup.js';
export * from './engine.js';
export * from './delivery.js';
