/**
 * Authenticated encryption of small secrets at rest: AES-256-GCM under a key derived with HKDF-SHA256
 * from a configured secret and a purpose (so one secret never keys two uses). A sealed value is
 * base64 of IV (12 bytes) ‖ tag (16 bytes) ‖ ciphertext; opening fails on any change to it.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedBox {
  seal(plaintext: string): string;
  /** Throws when `sealed` was not sealed with this key, or was altered. */
  open(sealed: string): string;
}

/**
 * Seals with the first of `secrets`; opens with any of them, so that values sealed before a rotation of
 * the secret (the previous one listed second) still open.
 */
export function createSealedBox(secrets: string | readonly string[], purpose: string): SealedBox {
  const [key, ...olderKeys] = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) =>
    Buffer.from(hkdfSync('sha256', secret, '', purpose, 32)),
  );
  if (!key) throw new Error('createSealedBox needs a secret');
  const openWith = (sealingKey: Buffer, bytes: Buffer): string => {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  };
  return {
    seal: (plaintext) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
    },
    open: (sealed) => {
      const bytes = Buffer.from(sealed, 'base64');
      try {
        return openWith(key, bytes);
      } catch (error) {
        for (const olderKey of olderKeys) {
          try {
            return openWith(olderKey, bytes);
          } catch {
            // Not sealed with this one either.
          }
        }
        throw error;
      }
    },
  };
}
