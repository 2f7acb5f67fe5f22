/** The mailer without SMTP_URL (development and test): each email logged as one block and saved as an .eml file. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../src/mail/mailer.js';
import { renderEmail } from '../../src/mail/render.js';

const FROM = 'Habit Tracker <no-reply@localhost>';
const LINK = 'http://localhost:3000/verify-email?token=q7Zx-K_3vYb2';

const verification = () =>
  renderEmail(
    { kind: 'verify-email', to: 'alice@example.com', name: 'Alice', token: 'q7Zx-K_3vYb2', code: '123456' },
    'http://localhost:3000',
  );

describe('the outbox mailer', () => {
  let root: string;
  let outboxDir: string;
  let logged: { obj: object; msg: string }[];
  let mailer: Mailer;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mail-outbox-'));
    // Not there yet: the mailer creates it, parents included.
    outboxDir = join(root, '.data', 'outbox');
    logged = [];
    mailer = createMailer({ smtpUrl: undefined, from: FROM, outboxDir, log: { info: (obj, msg) => logged.push({ obj, msg }) } });
  });

  afterEach(() => {
    mailer.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('saves each email as an .eml file named by the time it was sent', async () => {
    await mailer.send(verification());
    await mailer.send(verification());
    const files = readdirSync(outboxDir);
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f]{6}\.eml$/);
  });

  it('writes a complete message that a mail parser reads back', async () => {
    const email = verification();
    await mailer.send(email);
    const [file] = readdirSync(outboxDir);
    const parsed = await simpleParser(readFileSync(join(outboxDir, file!)));
    expect(parsed.subject).toBe('Verify your email address');
    expect(parsed.from?.text).toBe('"Habit Tracker" <no-reply@localhost>');
    expect(parsed.to).toMatchObject({ text: 'alice@example.com' });
    expect(parsed.messageId).toBeTruthy();
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.text?.split(/\r?\n/)).toEqual(expect.arrayContaining([LINK, 'Code: 123456']));
    expect(parsed.html).toBe(email.html);
  });

  it('logs each email as one block with the recipient, the subject, the link and the code', async () => {
    await mailer.send(verification());
    expect(logged).toHaveLength(1);
    const [{ obj, msg }] = logged as [{ obj: object; msg: string }];
    expect(obj).toEqual({ to: 'alice@example.com', subject: 'Verify your email address' });
    const lines = msg.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['To: alice@example.com', 'Subject: Verify your email address', LINK, 'Code: 123456']));
    expect(msg).toContain(join(outboxDir, readdirSync(outboxDir)[0]!));
  });
});
