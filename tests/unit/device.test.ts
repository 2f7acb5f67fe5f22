import { describe, expect, it } from 'vitest';
import { deviceName } from '../../src/utils/device.js';

describe('deviceName: a short name for a user agent', () => {
  it.each([
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome 131 on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
      'Safari 17 on iOS',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox 133 on Windows'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
      'Edge 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36',
      'Chrome 131 on Android',
    ],
  ])('names a browser and its OS: %s', (userAgent, expected) => {
    expect(deviceName(userAgent)).toBe(expected);
  });

  it('names a client ua-parser-js does not know by its first product token, with the OS when it is recognised', () => {
    expect(deviceName('curl/8.4.0')).toBe('curl 8');
    expect(deviceName('okhttp/4.12.0')).toBe('okhttp 4');
    expect(deviceName('HabitTracker/2.1 (iPhone; iOS 17.2; Scale/3.00)')).toBe('HabitTracker 2 on iOS');
  });

  it('is null when nothing useful can be read', () => {
    expect(deviceName(null)).toBeNull();
    expect(deviceName('')).toBeNull();
    expect(deviceName('lightMyRequest')).toBeNull();
    expect(deviceName('Mozilla/5.0')).toBeNull();
    expect(deviceName('/1.0 ???')).toBeNull();
  });
});
