/**
 * An RFC 6238 TOTP code written from the RFC, independent of the library the server uses, so the
 * tests compute codes the way any authenticator app does (checked against the RFC's test vectors in
 * tests/unit/totp.test.ts).
 */
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The HOTP value (RFC 4226) of `key` for `counter`, HMAC-SHA1, `digits` digits. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, '0');
}

/** The TOTP code of a base32 secret at `time` (30-second steps), shifted by `stepOffset` steps. */
export function totpCode(secretBase32: string, time = new Date(), stepOffset = 0): string {
  return hotp(base32Decode(secretBase32), Math.floor(time.getTime() / 1000 / 30) + stepOffset);
}
