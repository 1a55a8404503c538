import { describe, expect, it } from 'vitest';
import { GmailQuota } from '../../shared/imports/gmail-quota.js';

describe('the Gmail quota pacer', () => {
  it('spends a burst at once, then paces calls to the per-minute budget of each account separately', async () => {
    let now = 0;
    const waits: number[] = [];
    const quota = new GmailQuota({
      unitsPerMinute: 600, burstUnits: 10, now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    await quota.take('a', 'messages.get');
    await quota.take('a', 'messages.attachments.get');
    expect(waits).toEqual([]); // 10 units of burst
    await quota.take('a', 'messages.get');
    expect(waits).toEqual([500]); // 600 units/min = 10 per second: 5 units take 500 ms
    await quota.take('b', 'messages.get');
    expect(waits).toEqual([500]); // another account has its own bucket
  });
});
