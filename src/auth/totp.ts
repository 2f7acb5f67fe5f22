/**
 * TOTP (RFC 6238) with otpauth: SHA-1, 6 digits, 30-second steps, ±1 step of clock skew, 160-bit
 * secrets in base32. `matchStep` returns the time step a code belongs to, so the caller can refuse
 * a step already used (replay).
 */
import * as OTPAuth from 'otpauth';

const PERIOD_SECONDS = 30;
const DIGITS = 6;
const SECRET_BYTES = 20;
/** Steps of clock skew accepted either side of now. */
const WINDOW = 1;
const ISSUER = 'Habit Tracker';

const totpOf = (secret: string, label = '') =>
  new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secret),
  });

/** A new random secret, base32. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: SECRET_BYTES }).base32;
}

/** What an authenticator app scans: the otpauth:// URL and the same as an SVG QR code in a data URL. */
export async function enrolment(secret: string, accountName: string): Promise<{ otpauthUrl: string; qrSvg: string }> {
  const otpauthUrl = totpOf(secret, accountName).toString();
  // Loaded on the first enrolment: most instances never draw a QR code (~0.4 MB of heap).
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUrl, qrSvg: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The time step of `now` (seconds since the epoch ÷ 30). */
export const stepAt = (now: Date): number => Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);

/** The time step `code` is valid for, within ±1 step of `now`, or null. */
export function matchStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  return delta === null ? null : stepAt(now) + delta;
}
