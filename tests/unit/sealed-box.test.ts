/** src/auth/sealed-box.ts: sealing with the current secret, opening with it or the previous one (a rotation of JWT_REFRESH_SECRET). */
import { describe, expect, it } from 'vitest';
import { createSealedBox } from '../../src/auth/sealed-box.js';

const PURPOSE = 'test purpose';

describe('createSealedBox', () => {
  it('opens what it sealed, and never seals the same plaintext twice alike', () => {
    const box = createSealedBox('current-secret', PURPOSE);
    const [first, second] = [box.seal('token'), box.seal('token')];

    expect(first).not.toBe(second);
    expect(box.open(first)).toBe('token');
    expect(box.open(second)).toBe('token');
  });

  it('opens values sealed under the previous secret after a rotation, and seals only with the current one', () => {
    const before = createSealedBox('old-secret', PURPOSE);
    const after = createSealedBox(['new-secret', 'old-secret'], PURPOSE);
    const sealedBefore = before.seal('queued before the deploy');

    expect(after.open(sealedBefore)).toBe('queued before the deploy');
    expect(createSealedBox('new-secret', PURPOSE).open(after.seal('after'))).toBe('after');
    expect(() => before.open(after.seal('after'))).toThrow();
  });

  it('refuses a value sealed under another secret or purpose, or altered', () => {
    const box = createSealedBox(['new-secret', 'old-secret'], PURPOSE);
    const sealed = box.seal('secret');
    const altered = Buffer.from(sealed, 'base64');
    altered[altered.length - 1]! ^= 1;

    expect(() => createSealedBox('unrelated-secret', PURPOSE).open(sealed)).toThrow();
    expect(() => createSealedBox('new-secret', 'another purpose').open(sealed)).toThrow();
    expect(() => box.open(altered.toString('base64'))).toThrow();
  });
});
