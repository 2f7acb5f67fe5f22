/** The emails' contents (src/mail/render.ts): subjects, the link and code lines clients read, and safe HTML. */
import { describe, expect, it } from 'vitest';
import type { ActionEmail, EmailMessage } from '../../src/mail/messages.js';
import { renderEmail } from '../../src/mail/render.js';

const APP_URL = 'http://localhost:3000';
const TOKEN = 'q7Zx-K_3vYb2Lm9NpR4sT6uW8yA0cE1gH5jJ7kM2nP4';
const HOSTILE_NAME = '<script>alert(1)</script> & "x"';

const action = (kind: ActionEmail['kind'], overrides: Partial<ActionEmail> = {}): ActionEmail => ({
  kind,
  to: 'alice@example.com',
  name: 'Alice',
  token: TOKEN,
  code: '123456',
  ...overrides,
});

const passwordChanged = (overrides: { name?: string | null } = {}): EmailMessage => ({
  kind: 'password-changed',
  to: 'alice@example.com',
  name: 'Alice',
  ...overrides,
});

const emailChanged = (overrides: { name?: string | null; newEmail?: string } = {}): EmailMessage => ({
  kind: 'email-changed',
  to: 'alice@example.com',
  name: 'Alice',
  newEmail: 'alice@new.example',
  ...overrides,
});

const allMessages = (overrides: { name?: string | null } = {}): EmailMessage[] => [
  action('verify-email', overrides),
  action('reset-password', overrides),
  action('confirm-email-change', overrides),
  passwordChanged(overrides),
  emailChanged(overrides),
];

const lines = (text: string) => text.split('\n');

describe('renderEmail', () => {
  it.each([
    ['verify-email', 'Verify your email address'],
    ['reset-password', 'Reset your password'],
    ['confirm-email-change', 'Confirm your new email address'],
    ['password-changed', 'Your password was changed'],
    ['email-changed', 'Your email address was changed'],
  ])('gives %s the subject "%s"', (kind, subject) => {
    const message = allMessages().find((candidate) => candidate.kind === kind)!;
    expect(renderEmail(message, APP_URL).subject).toBe(subject);
  });

  it('addresses each email to its recipient, with a text part and an HTML part', () => {
    for (const message of allMessages()) {
      const email = renderEmail(message, APP_URL);
      expect(email.to).toBe('alice@example.com');
      expect(email.text.length).toBeGreaterThan(0);
      expect(email.html).toMatch(/^<!DOCTYPE html>/);
    }
  });

  it.each([
    ['verify-email', 'verify-email'],
    ['reset-password', 'reset-password'],
    ['confirm-email-change', 'verify-email'],
  ] as const)('puts the link (action %s → /%s) and the code each alone on a line of the text part', (kind, path) => {
    const text = renderEmail(action(kind), APP_URL).text;
    expect(lines(text)).toContain(`http://localhost:3000/${path}?token=${TOKEN}`);
    expect(lines(text)).toContain('Code: 123456');
  });

  it.each([
    ['an origin', 'http://localhost:3000', `http://localhost:3000/verify-email?token=${TOKEN}`],
    ['an origin with a trailing slash', 'https://app.example/', `https://app.example/verify-email?token=${TOKEN}`],
    ['a deep-link base', 'habits://', `habits://verify-email?token=${TOKEN}`],
  ])('builds the link on %s', (_what, appUrl, link) => {
    const email = renderEmail(action('verify-email'), appUrl);
    expect(lines(email.text)).toContain(link);
    expect(email.html).toContain(`href="${link}"`);
  });

  it('encodes the token in the link', () => {
    const text = renderEmail(action('reset-password', { token: 'a+b/c=' }), APP_URL).text;
    expect(lines(text)).toContain('http://localhost:3000/reset-password?token=a%2Bb%2Fc%3D');
  });

  it.each([
    ['verify-email', '24 hours'],
    ['reset-password', '30 minutes'],
    ['confirm-email-change', '24 hours'],
  ] as const)('states how long the %s link and code are valid (%s)', (kind, validity) => {
    const email = renderEmail(action(kind), APP_URL);
    expect(email.text).toContain(validity);
    expect(email.html).toContain(validity);
  });

  it('shows the code in the HTML part too', () => {
    expect(renderEmail(action('verify-email'), APP_URL).html).toContain('123456');
  });

  it('greets by name, or neutrally without one', () => {
    expect(lines(renderEmail(action('verify-email'), APP_URL).text)[0]).toBe('Hi Alice,');
    expect(lines(renderEmail(action('verify-email', { name: null }), APP_URL).text)[0]).toBe('Hello,');
    expect(renderEmail(passwordChanged({ name: null }), APP_URL).html).toContain('>Hello,</p>');
  });

  it('keeps a name with line breaks on the greeting line, so it cannot add a code line', () => {
    const text = renderEmail(action('verify-email', { name: 'Alice\nCode: 000000' }), APP_URL).text;
    expect(lines(text).filter((line) => line.startsWith('Code: '))).toEqual(['Code: 123456']);
  });

  it('sends notices without a link or a code', () => {
    for (const message of [passwordChanged(), emailChanged()]) {
      const email = renderEmail(message, APP_URL);
      expect(email.text).not.toContain('Code:');
      expect(email.text).not.toContain(APP_URL);
      expect(email.html).not.toContain('href=');
    }
  });

  it('tells the reader of "password changed" to reset the password if it was not them', () => {
    const text = renderEmail(passwordChanged(), APP_URL).text;
    expect(text).toMatch(/did not.*reset your password/is);
  });

  it('sends "email changed" to the old address, naming the new one, and says to contact support if it was not them', () => {
    const email = renderEmail(emailChanged(), APP_URL);
    expect(email.to).toBe('alice@example.com');
    expect(email.text).toContain('alice@new.example');
    expect(email.html).toContain('alice@new.example');
    expect(email.text).toMatch(/did not.*contact support/is);
  });

  it('escapes the name in the HTML part of every email', () => {
    for (const message of allMessages({ name: HOSTILE_NAME })) {
      const { html, text } = renderEmail(message, APP_URL);
      expect(html).not.toContain('<script');
      expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;,');
      expect(text).toContain(`Hi ${HOSTILE_NAME},`);
    }
  });

  it('escapes the addresses in the HTML part', () => {
    const html = renderEmail(emailChanged({ newEmail: `"<b>o'neil</b>"@example.com` }), APP_URL).html;
    expect(html).not.toContain('<b>');
    expect(html).toContain('&quot;&lt;b&gt;o&#39;neil&lt;/b&gt;&quot;@example.com');
  });

  it('loads nothing remote: no images, no stylesheets, no scripts, no links but the action link', () => {
    for (const message of allMessages()) {
      const { html } = renderEmail(message, APP_URL);
      expect(html).not.toMatch(/<img|<link|<script|<iframe|\bsrc=|url\(|@import/i);
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
      if ('token' in message)
        expect(new Set(hrefs)).toEqual(
          new Set([`http://localhost:3000/${message.kind === 'reset-password' ? 'reset-password' : 'verify-email'}?token=${TOKEN}`]),
        );
      else expect(hrefs).toEqual([]);
    }
  });
});

describe('two-factor notices', () => {
  it.each([
    ['mfa-enabled', 'Two-factor sign-in was turned on'],
    ['mfa-disabled', 'Two-factor sign-in was turned off'],
  ] as const)('%s: says what changed, with no link and no code, and what to do if it was not the user', (kind, subject) => {
    const email = renderEmail({ kind, to: 'ada@example.com', name: '<b>Ada</b>' }, 'https://app.example.com');
    expect(email.subject).toBe(subject);
    expect(email.text).not.toMatch(/https?:\/\/|Code:/);
    expect(email.text).toContain('reset your password');
    expect(email.html).not.toContain('<b>Ada</b>');
  });
});
