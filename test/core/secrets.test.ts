import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/core/secrets.js';

describe('maskSecrets', () => {
  it('masks tokens wherever they were pasted', () => {
    expect(maskSecrets('MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ab')).toBe('***');
    expect(maskSecrets('https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe')).toBe('https://api.telegram.org/***/getMe');
    expect(maskSecrets('x 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw y')).toBe('x *** y');
    expect(maskSecrets('key sk_live_51H8aZ2eZvKYlo2C0aBcDeFgHiJk')).toBe('key ***');
  });

  it('masks URL passwords and credential query parameters, keeping the rest readable', () => {
    expect(maskSecrets('postgres://soop:hunter2@db.internal:5432/soop')).toBe('postgres://soop:***@db.internal:5432/soop');
    expect(maskSecrets('https://example.test/hook?token=abc&x=1')).toBe('https://example.test/hook?token=***&x=1');
    expect(maskSecrets('see ftp://user:pa55word@host/x for details')).toBe('see ftp://user:***@host/x for details');
  });

  it('leaves ordinary values alone', () => {
    for (const plain of ['https://live.sooplive.co.kr/afreeca/player_live_api.php', 'chatty', 'abc', 'http://127.0.0.1:8080/api', 'khm11903', 'MAX_SUBSCRIPTIONS_PER_CHANNEL']) {
      expect(maskSecrets(plain)).toBe(plain);
    }
  });
});
