import { describe, expect, it } from 'vitest';
import { Flag1, Flag2, createUserFlagsParser, parseUserFlags, parseUserFlagsUncached } from '../../src/soop/flags.js';

describe('parseUserFlags', () => {
  it('names each role bit of flag1', () => {
    const cases: [number, string][] = [
      [1, 'admin'],
      [4, 'streamer'],
      [16, 'guest'],
      [32, 'fanClub'],
      [256, 'manager'],
      [16384, 'mobile'],
      [32768, 'topFan'],
      [65536, 'realName'],
      [1 << 19, 'quickView'],
      [1 << 20, 'supporter'],
      [1 << 28, 'subscriber'],
    ];
    for (const [bit, role] of cases) expect(parseUserFlags(`${bit}|0`).roles).toEqual([role]);
  });

  it('reads staff and the subscription tier from flag2', () => {
    expect(parseUserFlags('0|1024').roles).toEqual(['staff']);
    expect(parseUserFlags(`0|${Flag2.followTier1}`)).toMatchObject({ roles: ['subscriber'], subscriberTier: 1 });
    expect(parseUserFlags(`0|${Flag2.followTier2}`)).toMatchObject({ roles: ['subscriber'], subscriberTier: 2 });
    expect(parseUserFlags(`0|${Flag2.followTier3}`)).toMatchObject({ roles: ['subscriber'], subscriberTier: 3 });
  });

  it('a flag1 follower without a flag2 tier is a subscriber of unknown tier', () => {
    expect(parseUserFlags(`${Flag1.follower}|0`)).toMatchObject({ roles: ['subscriber'], subscriberTier: 0 });
  });

  it('decodes real flag strings', () => {
    expect(parseUserFlags('16|0')).toEqual({ raw: '16|0', flag1: 16, flag2: 0, roles: ['guest'], subscriberTier: 0 });
    expect(parseUserFlags('524304|163840').roles).toEqual(['quickView', 'guest']);
    expect(parseUserFlags('65568|163840').roles).toEqual(['fanClub', 'realName']);
    expect(parseUserFlags('805912608|557056')).toMatchObject({
      roles: ['fanClub', 'subscriber', 'quickView', 'mobile', 'realName'],
      subscriberTier: 2,
    });
  });

  it('parses as unsigned 32-bit: the sign bit does not make a number negative', () => {
    const flags = parseUserFlags(`${2 ** 31 + 16}|${2 ** 32 - 1}`);
    expect(flags.flag1).toBe(2 ** 31 + 16);
    expect(flags.flag2).toBe(2 ** 32 - 1);
    expect(flags.roles).toContain('guest');
    expect(flags.roles).toContain('staff');
    expect(flags.subscriberTier).toBe(3);
  });

  it('reads a lone number as flag1', () => {
    expect(parseUserFlags('16')).toMatchObject({ flag1: 16, flag2: 0, roles: ['guest'] });
  });

  it('malformed flags give no roles and never throw', () => {
    for (const raw of ['', '|', '16|', '|16', 'abc', '1|2|3', '-1|0', '16|0x10', ' 16|0', '4294967296|0', '99999999999|0', '１６|0']) {
      const flags = parseUserFlags(raw);
      expect(flags, raw).toEqual({ raw, flag1: 0, flag2: 0, roles: [], subscriberTier: 0 });
    }
  });

  it('returns the same frozen object for the same string (cached)', () => {
    const a = parseUserFlags('65568|163840');
    expect(parseUserFlags('65568|163840')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.roles)).toBe(true);
  });

  it('a small cache evicts the least recently used string and still parses correctly', () => {
    const parse = createUserFlagsParser({ cacheSize: 2 });
    const first = parse('16|0');
    parse('32|0');
    parse('256|0');
    const again = parse('16|0');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(parseUserFlagsUncached('16|0')).toEqual(first);
  });
});
