import { describe, expect, it } from 'vitest';
import type { StreamerStatusView } from '../../src/commands/ports.js';
import { parseStatusView, serializeStatusView } from '../../src/commands/status-view.js';

const view: StreamerStatusView = {
  state: 'joined',
  since: 1_700_000_000_000,
  broadcastNo: '297314125',
  title: '방송 제목 "따옴표"',
  restrictedReason: undefined,
  lastError: undefined,
  lastChatAt: 1_700_000_001_000,
  lastDonationAt: undefined,
  reconnects: 2,
};

describe('status view across nodes', () => {
  it('reads back what was published, the fields /status shows only', () => {
    const text = serializeStatusView({ ...view, crawledBy: { node: 'x', ageMs: 1 } });
    expect(parseStatusView(text)).toEqual(view);
    expect(text).not.toContain('crawledBy');
  });

  it('reads garbage as no status rather than throwing', () => {
    expect(parseStatusView('not json')).toBeUndefined();
    expect(parseStatusView('null')).toBeUndefined();
    expect(parseStatusView('{"state":3,"since":1}')).toBeUndefined();
    expect(parseStatusView('{"state":"joined"}')).toBeUndefined();
    expect(parseStatusView('{"state":"joined","since":5,"reconnects":"x","title":7}')).toEqual({
      state: 'joined',
      since: 5,
      broadcastNo: undefined,
      title: undefined,
      restrictedReason: undefined,
      lastError: undefined,
      lastChatAt: undefined,
      lastDonationAt: undefined,
      reconnects: 0,
    });
  });
});
