import { ALL_ALERT_KINDS, type Destination, type NewSubscription } from '../store/types.js';

/** A new subscription with the defaults everyone starts from: every alert kind, no filters, Korean. */
export function subscriptionRequest(
  destination: Destination,
  streamerId: string,
  createdBy: string,
  settings: Partial<Omit<NewSubscription, 'destination' | 'streamerId' | 'createdBy'>> = {},
): NewSubscription {
  return {
    destination,
    streamerId,
    createdBy,
    events: ALL_ALERT_KINDS,
    minBalloons: 0,
    loudAbove: undefined,
    mentionRoleId: undefined,
    keywords: [],
    excludeWords: [],
    onlyFromRoles: [],
    locale: 'ko',
    ...settings,
  };
}
