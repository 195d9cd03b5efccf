/** Phrases of the alert renderings that are not alert words themselves (digest and fallback tails). */
import { phrase } from './phrase.js';

/** The last line when a message has no room for every alert of a batch. */
export const andMore = phrase(
  (count: number) => `…외 ${count}건`,
  (count: number) => `…and ${count} more`,
);
