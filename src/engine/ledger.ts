/**
 * Remembers which broadcasts were already announced, so a restart of the bot or a flapping socket
 * never announces the same broadcast twice. The app backs it with the store; tests use memory.
 */
export interface BroadcastLedger {
  /** Returns true the first time a key is claimed, false ever after. */
  claim(key: string): boolean;
}

export function createMemoryLedger(): BroadcastLedger {
  const seen = new Set<string>();
  return {
    claim(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
}

export const liveKey = (streamerId: string, broadcastNo: string): string => `live:${streamerId}:${broadcastNo}`;
export const offlineKey = (streamerId: string, broadcastNo: string): string => `offline:${streamerId}:${broadcastNo}`;
