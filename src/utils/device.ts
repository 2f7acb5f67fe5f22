/**
 * A short human name for the client behind a user agent, for the session list and the security
 * activity (`device`): "Chrome 131 on macOS", parsed by ua-parser-js when listing (never stored).
 *
 * - a browser and its OS: "<browser> <major version> on <OS>" ("Safari 17 on iOS", "Edge 131 on Windows");
 * - what ua-parser-js does not know as a browser (an app, curl, a library) is named by the user
 *   agent's first product token, `name/version` (RFC 9110): "curl 8", "okhttp 4", and "HabitTracker 2
 *   on iOS" when the OS is recognised too;
 * - only an OS: the OS ("iOS"); nothing recognisable (no product token, e.g. "lightMyRequest"): null.
 */
import { UAParser } from 'ua-parser-js';

/** Names as ua-parser-js 1.x gives them → as people say them. */
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };
/** `name/version` at the start: a letter, then up to 31 name characters, then a version starting with a digit. */
const PRODUCT = /^([A-Za-z][\w.-]{0,31})\/(\d+)/;

const majorOf = (version: string | undefined): string | undefined => /^\d+/.exec(version ?? '')?.[0];

function browserOf(userAgent: string, browser: { name?: string | undefined; version?: string | undefined }): string | undefined {
  if (browser.name) {
    const major = majorOf(browser.version);
    // "Mobile Safari" and "Mobile Firefox": the OS already says it is a phone.
    const name = browser.name.replace(/^Mobile /, '');
    return major ? `${name} ${major}` : name;
  }
  const product = PRODUCT.exec(userAgent);
  // "Mozilla/5.0" alone says nothing.
  if (!product || product[1] === 'Mozilla') return undefined;
  return `${product[1]} ${product[2]}`;
}

export function deviceName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const { browser, os } = new UAParser(userAgent).getResult();
  const client = browserOf(userAgent, browser);
  const system = os.name ? (OS_NAMES[os.name] ?? os.name) : undefined;
  if (client && system) return `${client} on ${system}`;
  return client ?? system ?? null;
}
