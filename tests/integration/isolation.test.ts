/**
 * Users are isolated on every protected route: user B, given user A's habit id, gets the same 404 as
 * for a habit that does not exist (never 403, never a success), changes nothing, and never sees A's
 * habit in a list, the home screen, the reminders or an export. The route table is checked against the routes the
 * app actually registers, so a new /habits/:id… route without a row here fails this file. A's habit
 * id as the client-generated id of B's POST /habits is the contract's 409 for an id in use (whoever
 * owns it): nothing is created, nothing of A's changes.
 *
 * The email routes act on the access token's user, or on whoever holds an email's link or code for
 * its purpose and address: B, given A's emails, A's id or A's address, changes nothing of A's, and A's
 * own use of the same email still works afterwards. Their table is checked against the registered
 * /auth/password… and /auth/email… routes too. The emails are read from this file's own outbox (no
 * SMTP_URL in tests: each email is an .eml file), waiting for the folder to change.
 *
 * The two-factor routes act on the access token's user (POST /auth/mfa/verify on the mfaToken's):
 * B, with A's id in the body, A's password, A's codes, A's recovery codes or A's mfaToken, changes
 * nothing of A's (factor, recovery codes, sessions), is signed in as nobody, and A's codes and
 * recovery codes still sign A in afterwards; B's own enrolment, activation, new recovery codes and
 * turning off change B only. GET /auth/events shows B only B's events, also when B pages with the id
 * of one of A's events (an empty page). Their tables are checked against the registered /auth/mfa…
 * and /auth/events… routes. TOTP codes run on the real clock: a code works once per 30-s step per
 * user, so each user's codes are taken for its next unused step (now's, or the next one).
 *
 * GET /sync shows B only B's own items and deletions, whatever B sends as `since`: none, B's own
 * cursors (with A's writes and deletions after them), A's cursors, cursors made by hand around both,
 * A's ids; a page at a time or whole. A's cursor is a number in A's feed only: B gets B's changes
 * after it, or 410, never A's. POST /sync: B's changes addressing A's habit, goal or check-in, in
 * every op, with and without a baseVersion (A's current one included), alone or among B's own
 * changes, are `rejected` with the status their single-item route answers B, never a `conflict`
 * that would carry A's copy; no reply names anything of A's, and A's data is unchanged. The sync
 * tables are checked against the registered /sync… routes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp, uniqueEmail, type SignedUpUser } from '../helpers/factories.js';
import { totpCode } from '../helpers/totp.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Row {
  method: Method;
  /** The route as registered, e.g. `/habits/:id/goal`. */
  route: string;
  url: (habitId: string) => string;
  payload?: object;
}

interface HabitReply {
  id: string;
  name: string;
}

const DAY = '2026-01-05';
const RANGE = 'from=2026-01-01&to=2026-01-31';
const AS_OF = 'asOf=2026-01-10';
const OWNER_HABIT_NAME = "Owner's secret habit";

/**
 * One row per route that takes a habit id. Mutating rows carry payloads that would visibly change
 * A's data if they got through; DELETE /habits/:id comes last so that, were isolation broken, the
 * other rows would still run against a live habit.
 */
const table: Row[] = [
  { method: 'GET', route: '/habits/:id', url: (id) => `/habits/${id}` },
  {
    method: 'PATCH',
    route: '/habits/:id',
    url: (id) => `/habits/${id}`,
    payload: { name: 'Hijacked by B', archived: true, color: '#000000' },
  },
  { method: 'GET', route: '/habits/:id/goal', url: (id) => `/habits/${id}/goal` },
  { method: 'PUT', route: '/habits/:id/goal', url: (id) => `/habits/${id}/goal`, payload: { period: 'day', target: 1 } },
  { method: 'DELETE', route: '/habits/:id/goal', url: (id) => `/habits/${id}/goal` },
  {
    method: 'PUT',
    route: '/habits/:id/tracking/:date',
    url: (id) => `/habits/${id}/tracking/${DAY}`,
    payload: { value: 1, note: 'written by B', status: 'skipped' },
  },
  { method: 'GET', route: '/habits/:id/tracking', url: (id) => `/habits/${id}/tracking?${RANGE}` },
  { method: 'GET', route: '/habits/:id/tracking/:date', url: (id) => `/habits/${id}/tracking/${DAY}` },
  { method: 'DELETE', route: '/habits/:id/tracking/:date', url: (id) => `/habits/${id}/tracking/${DAY}` },
  { method: 'GET', route: '/habits/:id/stats', url: (id) => `/habits/${id}/stats?${AS_OF}` },
  { method: 'DELETE', route: '/habits/:id', url: (id) => `/habits/${id}` },
];

const key = (method: string, route: string) => `${method} ${route}`;

// ---------------------------------------------------------------------------------------------------
// The email routes.

/** This file's outbox: the app writes every email here as an .eml file. Removed after the file. */
const OUTBOX_DIR = mkdtempSync(join(tmpdir(), 'isolation-outbox-'));
afterAll(() => rmSync(OUTBOX_DIR, { recursive: true, force: true }));
const EMAIL_TIMEOUT_MS = 15_000;

const OWNER_PASSWORD = 'the owner’s own passphrase';
const NEW_PASSWORD = 'a brand new passphrase';
const INVALID_TOKEN = 'Invalid or expired token';
const VERIFY = /^Verify your email address$/;
const RESET = /^Reset your password$/;
const CONFIRM_CHANGE = /^Confirm your new email address$/;

/** An email that asks for an action: its recipient, its subject, its link's token and its code. */
interface OutboxEmail {
  to: string;
  subject: string;
  token: string;
  code: string;
}

/** The action emails in the outbox (a file still being written may not be complete yet: it is skipped). */
async function readOutbox(): Promise<OutboxEmail[]> {
  const emails: OutboxEmail[] = [];
  for (const file of (await readdir(OUTBOX_DIR)).filter((name) => name.endsWith('.eml')).sort()) {
    const parsed = await simpleParser(await readFile(join(OUTBOX_DIR, file))).catch(() => undefined);
    if (!parsed) continue;
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(parsed.text ?? '')?.[1];
    const code = /^Code: (\d{6})$/m.exec(parsed.text ?? '')?.[1];
    const to = [parsed.to ?? []].flat().flatMap((addresses) => addresses.value.map((address) => address.address?.toLowerCase()));
    if (token !== undefined && code !== undefined && to[0] !== undefined)
      emails.push({ to: to[0], subject: parsed.subject ?? '', token, code });
  }
  return emails;
}

/**
 * The email to `to` whose subject matches, other than those in `seen`: looks in the outbox now and
 * again each time the folder changes, until it is there.
 */
function waitForEmail(to: string, subject: RegExp, seen: OutboxEmail[] = []): Promise<OutboxEmail> {
  const wanted = (email: OutboxEmail) => email.to === to && subject.test(email.subject) && !seen.some((old) => old.token === email.token);
  return new Promise((resolve, reject) => {
    let settled = false;
    let looking = Promise.resolve();
    // Watching starts before the first look, so an email written in between is not missed.
    const watcher = watch(OUTBOX_DIR);
    const timer = setTimeout(
      () => finish(new Error(`no email "${subject.source}" to ${to} within ${EMAIL_TIMEOUT_MS} ms`)),
      EMAIL_TIMEOUT_MS,
    );
    function finish(error: unknown, email?: OutboxEmail) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watcher.close();
      if (email) resolve(email);
      else reject(error instanceof Error ? error : new Error(String(error)));
    }
    const look = () => {
      looking = looking
        .then(async () => {
          if (settled) return;
          const email = (await readOutbox()).find(wanted);
          if (email) finish(undefined, email);
        })
        .catch((error: unknown) => finish(error));
    };
    watcher.on('change', look);
    watcher.on('error', (error) => finish(error));
    look();
  });
}

/** A fresh owner (A) and intruder (B) for one row, the email B is given, and an unused address. */
interface EmailScene {
  /** A request to the app, with the user's access token (none for undefined). */
  call: (user: SignedUpUser | undefined, method: 'GET' | 'POST', url: string, payload?: object) => Promise<LightMyRequestResponse>;
  owner: SignedUpUser;
  intruder: SignedUpUser;
  /** The email of the row's `given` (undefined without one). */
  email?: OutboxEmail;
  /** An address nobody has, for the rows that change one. */
  newAddress: string;
}

/**
 * One attempt of B's on an email route. After it, A's account is as it was and A's password still
 * signs A in at A's address; then A uses what B was given, and it works for A.
 */
interface EmailRow {
  method: 'POST';
  route: string;
  /** What B tries. */
  attempt: string;
  /** An email sent before B's request (what its recipient did to get it), which B is given. */
  given?: (scene: EmailScene) => Promise<OutboxEmail>;
  /** B's request: with B's access token, or (`anonymous`) none. */
  payload: (scene: EmailScene) => object;
  anonymous?: boolean;
  status: number;
  message?: string;
  /** What B's request did for B (and only for B), checked before A is. */
  then?: (scene: EmailScene) => Promise<void>;
  /** A's own request with what B was given: it works. */
  owner?: { route: string; payload: (scene: EmailScene) => object; status: number };
}

/** The `{ token }` and `{ email, code }` of the scene's email. */
const linkOf = ({ email }: EmailScene) => ({ token: email!.token });
const codeOf = ({ email }: EmailScene) => ({ email: email!.to, code: email!.code });

const expectStatusOf = (response: LightMyRequestResponse, statusCode: number) => {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(statusCode);
};

/** A asks to move to the scene's new address: the confirmation sent there. */
async function ownersEmailChange(scene: EmailScene): Promise<OutboxEmail> {
  expectStatusOf(
    await scene.call(scene.owner, 'POST', '/auth/email/change', { newEmail: scene.newAddress, password: OWNER_PASSWORD }),
    202,
  );
  return waitForEmail(scene.newAddress, CONFIRM_CHANGE);
}

/** Forgot-password for the user's address: the reset email. */
async function resetEmail(scene: EmailScene, user: SignedUpUser): Promise<OutboxEmail> {
  expectStatusOf(await scene.call(undefined, 'POST', '/auth/password/forgot', { email: user.email }), 202);
  return waitForEmail(user.email, RESET);
}

/** `GET /auth/me` of the user, which must answer. */
async function profileOf(scene: EmailScene, user: SignedUpUser): Promise<{ id: string; email: string; emailVerified: boolean }> {
  const response = await scene.call(user, 'GET', '/auth/me');
  expectStatusOf(response, 200);
  return response.json();
}

/**
 * B's attempts on the email routes, with A's emails, A's id, A's address or A's password; and B's own
 * flows, which change B only. Every route under /auth/password and /auth/email has a row.
 */
const emailTable: EmailRow[] = [
  {
    method: 'POST',
    route: '/auth/email/verify',
    attempt: 'A’s email-change link with B’s access token',
    given: ownersEmailChange,
    payload: linkOf,
    status: 401,
    owner: { route: '/auth/email/verify', payload: linkOf, status: 200 },
  },
  {
    method: 'POST',
    route: '/auth/email/verify',
    attempt: 'A’s email-change code with B’s access token',
    given: ownersEmailChange,
    payload: codeOf,
    status: 401,
    owner: { route: '/auth/email/verify', payload: codeOf, status: 200 },
  },
  {
    method: 'POST',
    route: '/auth/email/verify',
    attempt: 'A’s email-change link without an access token',
    given: ownersEmailChange,
    payload: linkOf,
    anonymous: true,
    status: 401,
    owner: { route: '/auth/email/verify', payload: linkOf, status: 200 },
  },
  {
    method: 'POST',
    route: '/auth/email/verify',
    attempt: 'A’s verification link with B’s access token (neither used nor A’s profile shown)',
    given: (scene) => waitForEmail(scene.owner.email, VERIFY),
    payload: linkOf,
    status: 401,
    owner: { route: '/auth/email/verify', payload: linkOf, status: 200 },
  },
  {
    method: 'POST',
    route: '/auth/email/verify',
    attempt: 'A’s password-reset link with B’s access token (another purpose)',
    given: (scene) => resetEmail(scene, scene.owner),
    payload: linkOf,
    status: 400,
    message: INVALID_TOKEN,
    owner: { route: '/auth/password/reset', payload: (scene) => ({ ...linkOf(scene), newPassword: NEW_PASSWORD }), status: 204 },
  },
  {
    method: 'POST',
    route: '/auth/email/verify/resend',
    attempt: 'B’s access token with A’s address in the body: a new link for B only',
    // A's signup link: a new verification email for A would kill it.
    given: (scene) => waitForEmail(scene.owner.email, VERIFY),
    payload: ({ owner }) => ({ email: owner.email }),
    status: 202,
    then: async ({ intruder }) => {
      const signupEmail = await waitForEmail(intruder.email, VERIFY);
      await waitForEmail(intruder.email, VERIFY, [signupEmail]);
    },
    owner: { route: '/auth/email/verify', payload: linkOf, status: 200 },
  },
  {
    method: 'POST',
    route: '/auth/email/change',
    attempt: 'A’s password, with A’s id in the body',
    payload: ({ owner, newAddress }) => ({ newEmail: newAddress, password: OWNER_PASSWORD, userId: owner.user.id }),
    status: 401,
    owner: { route: '/auth/email/change', payload: ({ newAddress }) => ({ newEmail: newAddress, password: OWNER_PASSWORD }), status: 202 },
  },
  {
    method: 'POST',
    route: '/auth/email/change',
    attempt: 'A’s address as B’s new one',
    payload: ({ owner, intruder }) => ({ newEmail: owner.email.toUpperCase(), password: intruder.password }),
    status: 409,
  },
  {
    method: 'POST',
    route: '/auth/email/change',
    attempt: 'B’s own change, with A’s id in the body: once B confirms it, B’s address changed',
    payload: ({ owner, intruder, newAddress }) => ({ newEmail: newAddress, password: intruder.password, userId: owner.user.id }),
    status: 202,
    then: async (scene) => {
      const confirmation = await waitForEmail(scene.newAddress, CONFIRM_CHANGE);
      const confirmed = await scene.call(scene.intruder, 'POST', '/auth/email/verify', { token: confirmation.token });
      expectStatusOf(confirmed, 200);
      expect(confirmed.json()).toMatchObject({ id: scene.intruder.user.id, email: scene.newAddress, emailVerified: true });
    },
  },
  {
    method: 'POST',
    route: '/auth/password/reset',
    attempt: 'A’s reset code with B’s address',
    given: (scene) => resetEmail(scene, scene.owner),
    payload: ({ intruder, email }) => ({ email: intruder.email, code: email!.code, newPassword: NEW_PASSWORD }),
    status: 400,
    message: INVALID_TOKEN,
    owner: { route: '/auth/password/reset', payload: (scene) => ({ ...codeOf(scene), newPassword: NEW_PASSWORD }), status: 204 },
  },
  {
    method: 'POST',
    route: '/auth/password/reset',
    attempt: 'B’s own reset link, with A’s address and id in the body: B’s password changed',
    given: (scene) => resetEmail(scene, scene.intruder),
    payload: (scene) => ({ ...linkOf(scene), email: scene.owner.email, userId: scene.owner.user.id, newPassword: NEW_PASSWORD }),
    status: 204,
    then: async ({ call, intruder }) => {
      expectStatusOf(await call(undefined, 'POST', '/auth/login', { email: intruder.email, password: NEW_PASSWORD }), 200);
      // The reset revoked every session of B's.
      expectStatusOf(await call(intruder, 'GET', '/auth/me'), 401);
    },
  },
  {
    method: 'POST',
    route: '/auth/password/forgot',
    attempt: 'A’s address, with B’s access token: the email goes to A',
    payload: ({ owner }) => ({ email: owner.email }),
    status: 202,
    then: async ({ owner, intruder }) => {
      await waitForEmail(owner.email, RESET);
      // Sent by the same job as A's, so it would be there by now.
      expect((await readOutbox()).filter((email) => email.to === intruder.email && RESET.test(email.subject))).toEqual([]);
    },
  },
];

// ---------------------------------------------------------------------------------------------------
// The two-factor routes and the security events.

const STEP_MS = 30_000;
const INVALID_CODE = 'Invalid code';

/** A request to the app, with the user's access token (none for undefined). */
type Call = (user: SignedUpUser | undefined, method: Method, url: string, payload?: object) => Promise<LightMyRequestResponse>;

/** A TOTP secret, and the last step a code of it was accepted for (none yet: -Infinity). */
interface Factor {
  secret: string;
  lastStep: number;
}

/** A user with a verified address; with a factor once enrolled, and recovery codes once it is on. */
interface MfaUser extends SignedUpUser {
  factor?: Factor;
  recoveryCodes: string[];
}
type TotpUser = MfaUser & { factor: Factor };

type SecondFactor = { code: string } | { recoveryCode: string };

/**
 * A code of the factor for a step not accepted yet: now's, or the next one when now's was (the server
 * takes ±1 step, refuses a step accepted before and any step before it). Should even the next step be
 * used, it waits for the clock to reach it.
 */
async function freshCode(factor: Factor): Promise<{ code: string; step: number }> {
  if (factor.lastStep > Math.floor(Date.now() / STEP_MS)) await sleep(factor.lastStep * STEP_MS - Date.now() + 100);
  const step = Math.max(factor.lastStep + 1, Math.floor(Date.now() / STEP_MS));
  return { code: totpCode(factor.secret, new Date(step * STEP_MS)), step };
}

/** freshCode for a request that is to accept it: its step counts as used from then on. */
async function codeToUse(factor: Factor): Promise<string> {
  const { code, step } = await freshCode(factor);
  factor.lastStep = step;
  return code;
}

/** Another user's current code, which B tries: A's step is not used by B's attempt, so A's next sign-in takes the same code. */
const currentCode = async (factor: Factor | undefined): Promise<string> => (await freshCode(factor!)).code;

type IntruderState = 'verified' | 'pending' | 'on';

/** A fresh A (TOTP on) and B (in the row's state) for one two-factor row. */
interface MfaScene {
  call: Call;
  /** A's factor, recovery codes and sessions, as stored. */
  stored: (user: SignedUpUser) => Promise<unknown>;
  /** A: TOTP on, signed in with the session that turned it on. */
  owner: TotpUser;
  /** B: a verified address; a pending factor (`pending`); TOTP on, signed in with the session that turned it on (`on`). */
  intruder: MfaUser;
  /** A password sign-in of A's, waiting for its second factor. */
  ownerMfaToken: string;
  /** B's, when B's TOTP is on. */
  intruderMfaToken?: string;
}

/**
 * One attempt of B's on a two-factor route. After it, A's factor, recovery codes and sessions are as
 * they were and A is still on; then A's recovery code and A's next code (the one B tried, if B tried
 * one) sign A in.
 */
interface MfaRow {
  method: 'POST' | 'DELETE';
  route: string;
  /** What B tries. */
  attempt: string;
  /** B's state before the attempt. */
  intruder: IntruderState;
  /** B's request: with B's access token, or (`anonymous`) none. */
  payload: (scene: MfaScene) => object | Promise<object>;
  anonymous?: boolean;
  status: number;
  message?: string;
  /** What B's request did for B (and only for B), checked before A is. */
  then?: (scene: MfaScene, response: LightMyRequestResponse) => Promise<void>;
  /** A's own use of what B was given: it works. */
  owner?: (scene: MfaScene) => Promise<void>;
}

/** `GET /auth/me` of the user, which must answer. */
async function meOf({ call }: MfaScene, user: SignedUpUser): Promise<{ id: string; email: string; mfaEnabled: boolean }> {
  const response = await call(user, 'GET', '/auth/me');
  expectStatusOf(response, 200);
  return response.json();
}

/** A password sign-in of a user with TOTP on: the `mfaToken`. */
async function mfaTokenOf({ call }: MfaScene, user: MfaUser): Promise<string> {
  const response = await call(undefined, 'POST', '/auth/login', { email: user.email, password: user.password });
  expectStatusOf(response, 200);
  const reply = response.json<{ mfaRequired?: boolean; mfaToken?: string }>();
  expect(reply.mfaRequired).toBe(true);
  return reply.mfaToken ?? expect.fail('no mfaToken');
}

/** The mfaToken and the second factor sign in the user, and no one else. */
async function expectSignIn(scene: MfaScene, user: MfaUser, mfaToken: string, factor: SecondFactor): Promise<void> {
  const response = await scene.call(undefined, 'POST', '/auth/mfa/verify', { mfaToken, ...factor });
  expectStatusOf(response, 200);
  expect(response.json()).toMatchObject({ accessToken: expect.any(String), user: { id: user.user.id, mfaEnabled: true } });
}

/** The user's TOTP is still on: GET /auth/me says so, and a password sign-in asks for the second factor. */
async function expectStillOn(scene: MfaScene, user: MfaUser): Promise<void> {
  expect(await meOf(scene, user)).toMatchObject({ id: user.user.id, mfaEnabled: true });
  await mfaTokenOf(scene, user);
}

/**
 * B's attempts on the two-factor routes, with A's id, A's password, A's codes, A's recovery codes or
 * A's mfaToken; and B's own flows, which change B only. Every route under /auth/mfa has a row.
 */
const mfaTable: MfaRow[] = [
  {
    method: 'POST',
    route: '/auth/mfa/totp',
    attempt: 'A’s password, with A’s id in the body',
    intruder: 'verified',
    payload: ({ owner }) => ({ password: OWNER_PASSWORD, userId: owner.user.id }),
    status: 401,
    then: async ({ call, intruder }) => {
      // Nothing is pending for B either.
      expectStatusOf(await call(intruder, 'POST', '/auth/mfa/totp/activate', { code: '123456' }), 400);
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/totp',
    attempt: 'B’s own enrolment, with A’s id in the body: a secret of B’s, whose code turns B’s two-factor sign-in on',
    intruder: 'verified',
    payload: ({ owner, intruder }) => ({ password: intruder.password, userId: owner.user.id }),
    status: 201,
    then: async (scene, response) => {
      const { secret } = response.json<{ secret: string }>();
      expect(secret).not.toBe(scene.owner.factor.secret);
      scene.intruder.factor = { secret, lastStep: -Infinity };
      const activated = await scene.call(scene.intruder, 'POST', '/auth/mfa/totp/activate', {
        code: await codeToUse(scene.intruder.factor),
      });
      expectStatusOf(activated, 200);
      await expectStillOn(scene, scene.intruder);
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/totp/activate',
    attempt: 'A’s current code, on B’s pending enrolment',
    intruder: 'pending',
    payload: async ({ owner }) => ({ code: await currentCode(owner.factor) }),
    status: 400,
    message: INVALID_CODE,
    then: async (scene) => {
      expect(await meOf(scene, scene.intruder)).toMatchObject({ mfaEnabled: false });
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/totp/activate',
    attempt: 'B’s own activation, with A’s id in the body: B’s recovery codes, which sign B in',
    intruder: 'pending',
    payload: async ({ owner, intruder }) => ({ code: await codeToUse(intruder.factor!), userId: owner.user.id }),
    status: 200,
    then: async (scene, response) => {
      const { recoveryCodes } = response.json<{ recoveryCodes: string[] }>();
      expect(recoveryCodes.filter((code) => scene.owner.recoveryCodes.includes(code))).toEqual([]);
      await expectStillOn(scene, scene.intruder);
      await expectSignIn(scene, scene.intruder, await mfaTokenOf(scene, scene.intruder), { recoveryCode: recoveryCodes[0]! });
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/recovery-codes',
    attempt: 'A’s current code, with B’s access token',
    intruder: 'on',
    payload: async ({ owner }) => ({ code: await currentCode(owner.factor) }),
    status: 401,
    message: INVALID_CODE,
    then: async (scene) => {
      // B's set was not replaced either.
      await expectSignIn(scene, scene.intruder, scene.intruderMfaToken!, { recoveryCode: scene.intruder.recoveryCodes[0]! });
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/recovery-codes',
    attempt: 'B’s own new set, with A’s id in the body: B’s old set is dead, the new one signs B in',
    intruder: 'on',
    payload: async ({ owner, intruder }) => ({ code: await codeToUse(intruder.factor!), userId: owner.user.id }),
    status: 200,
    then: async (scene, response) => {
      const { recoveryCodes } = response.json<{ recoveryCodes: string[] }>();
      expect(recoveryCodes.filter((code) => scene.owner.recoveryCodes.includes(code))).toEqual([]);
      const old = await scene.call(undefined, 'POST', '/auth/mfa/verify', {
        mfaToken: scene.intruderMfaToken,
        recoveryCode: scene.intruder.recoveryCodes[0],
      });
      expectStatusOf(old, 401);
      await expectSignIn(scene, scene.intruder, scene.intruderMfaToken!, { recoveryCode: recoveryCodes[0]! });
    },
  },
  {
    method: 'DELETE',
    route: '/auth/mfa/totp',
    attempt: 'A’s password and A’s current code, with B’s access token and A’s id in the body',
    intruder: 'on',
    payload: async ({ owner }) => ({ password: OWNER_PASSWORD, code: await currentCode(owner.factor), userId: owner.user.id }),
    status: 401,
    then: (scene) => expectStillOn(scene, scene.intruder),
  },
  {
    method: 'DELETE',
    route: '/auth/mfa/totp',
    attempt: 'B’s password and A’s current code',
    intruder: 'on',
    payload: async ({ owner, intruder }) => ({ password: intruder.password, code: await currentCode(owner.factor) }),
    status: 401,
    message: INVALID_CODE,
    then: (scene) => expectStillOn(scene, scene.intruder),
  },
  {
    method: 'DELETE',
    route: '/auth/mfa/totp',
    attempt: 'B’s password and A’s recovery code',
    intruder: 'on',
    payload: ({ owner, intruder }) => ({ password: intruder.password, recoveryCode: owner.recoveryCodes[0] }),
    status: 401,
    message: INVALID_CODE,
    then: (scene) => expectStillOn(scene, scene.intruder),
  },
  {
    method: 'DELETE',
    route: '/auth/mfa/totp',
    attempt: 'B turns B’s own off, with A’s id in the body: B signs in with the password alone again',
    intruder: 'on',
    payload: async ({ owner, intruder }) => ({
      password: intruder.password,
      code: await codeToUse(intruder.factor!),
      userId: owner.user.id,
    }),
    status: 204,
    then: async ({ call, intruder }) => {
      const login = await call(undefined, 'POST', '/auth/login', { email: intruder.email, password: intruder.password });
      expectStatusOf(login, 200);
      expect(login.json()).toMatchObject({ accessToken: expect.any(String), user: { id: intruder.user.id, mfaEnabled: false } });
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/verify',
    attempt: 'A’s mfaToken with B’s current code',
    intruder: 'on',
    payload: async ({ ownerMfaToken, intruder }) => ({ mfaToken: ownerMfaToken, code: await currentCode(intruder.factor) }),
    anonymous: true,
    status: 401,
    message: INVALID_CODE,
    owner: (scene) => expectSignIn(scene, scene.owner, scene.ownerMfaToken, { recoveryCode: scene.owner.recoveryCodes[1]! }),
  },
  {
    method: 'POST',
    route: '/auth/mfa/verify',
    attempt: 'A’s mfaToken with B’s recovery code, and B’s access token',
    intruder: 'on',
    payload: ({ ownerMfaToken, intruder }) => ({ mfaToken: ownerMfaToken, recoveryCode: intruder.recoveryCodes[0] }),
    status: 401,
    message: INVALID_CODE,
    then: async (scene) => {
      await expectSignIn(scene, scene.intruder, scene.intruderMfaToken!, { recoveryCode: scene.intruder.recoveryCodes[0]! });
    },
    owner: (scene) => expectSignIn(scene, scene.owner, scene.ownerMfaToken, { recoveryCode: scene.owner.recoveryCodes[1]! }),
  },
  {
    method: 'POST',
    route: '/auth/mfa/verify',
    attempt: 'B’s mfaToken with A’s recovery code',
    intruder: 'on',
    payload: ({ owner, intruderMfaToken }) => ({ mfaToken: intruderMfaToken, recoveryCode: owner.recoveryCodes[0] }),
    anonymous: true,
    status: 401,
    message: INVALID_CODE,
    then: async (scene) => {
      await expectSignIn(scene, scene.intruder, scene.intruderMfaToken!, { code: await codeToUse(scene.intruder.factor!) });
    },
  },
  {
    method: 'POST',
    route: '/auth/mfa/verify',
    attempt: 'B’s mfaToken with A’s current code',
    intruder: 'on',
    payload: async ({ owner, intruderMfaToken }) => ({ mfaToken: intruderMfaToken, code: await currentCode(owner.factor) }),
    anonymous: true,
    status: 401,
    message: INVALID_CODE,
    then: async (scene) => {
      await expectSignIn(scene, scene.intruder, scene.intruderMfaToken!, { recoveryCode: scene.intruder.recoveryCodes[0]! });
    },
  },
];

/** One security event, as GET /auth/events lists it. */
interface SecurityEventReply {
  id: string;
  type: string;
  sessionId: string | null;
}

/** What B's query is made of: A's id and A's events, newest first. */
interface EventsOwner {
  id: string;
  events: SecurityEventReply[];
}

/**
 * B's requests for security events, with A's id or A's event ids: B gets B's own events, or (`empty`)
 * an empty page, and never one of A's. GET /auth/events has rows.
 */
interface EventsRow {
  method: 'GET';
  route: string;
  attempt: string;
  /** B's queries (each one request). */
  queries: (owner: EventsOwner) => string[];
  /** An empty page, rather than some of B's own events. */
  empty: boolean;
}

const eventsTable: EventsRow[] = [
  { method: 'GET', route: '/auth/events', attempt: 'no query', queries: () => [''], empty: false },
  {
    method: 'GET',
    route: '/auth/events',
    attempt: 'A’s id as userId in the query',
    queries: ({ id }) => [`?limit=100&userId=${id}`],
    empty: false,
  },
  {
    method: 'GET',
    route: '/auth/events',
    attempt: 'the id of each of A’s events as before',
    queries: ({ events }) => events.map((event) => `?limit=100&before=${event.id}`),
    empty: true,
  },
  {
    method: 'GET',
    route: '/auth/events',
    attempt: 'A’s newest event id as before, and A’s id as userId',
    queries: ({ id, events }) => [`?before=${events[0]!.id}&userId=${id}`],
    empty: true,
  },
  // The reference: the pages above are exactly this one.
  { method: 'GET', route: '/auth/events', attempt: 'an id nobody has as before', queries: () => [`?before=${randomUUID()}`], empty: true },
];

// ---------------------------------------------------------------------------------------------------
// GET /sync.

/** A page of GET /sync, with what these tests read of it. */
interface SyncPageReply {
  cursor: string;
  hasMore: boolean;
  habits: { id: string; name: string }[];
  goals: { id: string; habitId: string }[];
  checkins: { id: string; habitId: string; date: string }[];
  deleted: { habits: string[]; goals: string[]; checkins: { habitId: string; date: string }[] };
}

/**
 * Both users' data for the GET /sync rows, made in this order: B's habits, B's first sync (its
 * cursor), A's habits (A's cursor after each write), B's deletions (a check-in, a goal, a habit),
 * then A's (the same kinds) and more writes of A's, so that A's last cursors are past anything B's
 * feed holds and A's deletions come after B's last cursor.
 */
interface SyncScene {
  owner: {
    id: string;
    /** A's cursor after each of A's writes and deletions, oldest first. */
    cursors: string[];
    /** Every id of A's: the user, habits (deleted ones included), goals, check-ins. */
    ids: string[];
    names: string[];
    /** A's habit that A deleted, and the one whose goal and check-in A deleted. */
    deletedHabitId: string;
    keptHabitId: string;
  };
  intruder: {
    /** The cursor of B's first sync, before any deletion of B's or A's. */
    firstCursor: string;
    /** B's cursor after B's deletions (only A wrote after it). */
    lastCursor: string;
    /** Every id B's replies may name: B's habits (deleted one included), goals, check-ins. */
    ids: string[];
    /** B's items now, and B's deletions after `firstCursor`. */
    current: { habits: string[]; goals: string[]; checkins: string[] };
    deleted: SyncPageReply['deleted'];
  };
}

/**
 * B's GET /sync requests, with A's cursors, A's ids or B's own cursors: every reply names only B's
 * items and deletions, never one of A's, however A's feed and B's interleave. The cursor of another
 * user is a number in that user's feed only: B gets B's changes after it, or 410 (a number B's feed
 * has not reached), never A's. GET /sync has rows.
 */
interface SyncRow {
  method: 'GET';
  route: string;
  attempt: string;
  /** B's queries (each one request, or with `pages` the first of a run that follows `cursor`). */
  queries: (scene: SyncScene) => string[];
  /**
   * `first`: B's current items and no deletions; `deletions`: B's deletions after B's first cursor
   * and no item; `empty`: nothing, and the cursor given back; `ownOrGone`: a page of B's own or a 410;
   * `malformed`: 400.
   */
  reply: 'first' | 'deletions' | 'empty' | 'ownOrGone' | 'malformed';
  /** Follow `cursor` while `hasMore`, the pages' union being the reply. */
  pages?: boolean;
}

/** A cursor made by hand, in the shape the API hands out (tests may look inside; clients may not). */
const cursorOf = (changeNumber: bigint | number) => Buffer.from(`v1:${changeNumber}`).toString('base64url');

const syncTable: SyncRow[] = [
  { method: 'GET', route: '/sync', attempt: 'no since (a first sync)', queries: () => ['', '?limit=1000'], reply: 'first' },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'no since, a page at a time',
    queries: () => ['?limit=1'],
    reply: 'first',
    pages: true,
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'A’s id as userId in the query',
    queries: ({ owner }) => [`?userId=${owner.id}`, `?limit=1000&userId=${owner.id}&user=${owner.id}`],
    reply: 'first',
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'B’s first cursor: A wrote and deleted after it too',
    queries: ({ intruder }) => [`?since=${intruder.firstCursor}`, `?since=${intruder.firstCursor}&userId=${intruder.firstCursor}`],
    reply: 'deletions',
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'B’s first cursor, a page at a time',
    queries: ({ intruder }) => [`?since=${intruder.firstCursor}&limit=1`],
    reply: 'deletions',
    pages: true,
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'B’s last cursor: only A wrote and deleted after it',
    queries: ({ intruder, owner }) => [`?since=${intruder.lastCursor}`, `?since=${intruder.lastCursor}&userId=${owner.id}`],
    reply: 'empty',
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'each of A’s cursors as since',
    queries: ({ owner }) => owner.cursors.map((cursor) => `?since=${cursor}`),
    reply: 'ownOrGone',
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'each of A’s cursors as since, a page at a time',
    queries: ({ owner }) => owner.cursors.map((cursor) => `?since=${cursor}&limit=1`),
    reply: 'ownOrGone',
    pages: true,
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'cursors made by hand around A’s and B’s numbers',
    queries: ({ owner, intruder }) =>
      [...owner.cursors, intruder.firstCursor, intruder.lastCursor].flatMap((cursor) => {
        const changeNumber = BigInt(Buffer.from(cursor, 'base64url').toString('latin1').slice('v1:'.length));
        return [changeNumber - 1n, changeNumber + 1n].map((near) => `?since=${cursorOf(near)}`);
      }),
    reply: 'ownOrGone',
  },
  {
    method: 'GET',
    route: '/sync',
    attempt: 'A’s ids as since',
    queries: ({ owner }) => owner.ids.map((id) => `?since=${id}`),
    reply: 'malformed',
  },
];

// ---------------------------------------------------------------------------------------------------
// POST /sync.

/**
 * B's POST /sync changes addressing A's habit, A's goal or A's check-in, in every op, without a
 * baseVersion and with one (A's current version, or another): each is `rejected` with the status
 * its single-item route answers B (the contract's 409 `Id already in use` for A's id as a habit
 * upsert's, else 404), never a `conflict` (which would carry A's copy), and nothing of A's changes.
 */
interface SyncPushRow {
  method: 'POST';
  route: string;
  attempt: string;
  /** B's change; `version` is A's item's current version. */
  change: (aHabitId: string, version: number) => Record<string, unknown>;
  /** The single-item route B's change stands for, with the same input. */
  single: (aHabitId: string) => { method: Method; url: string; payload?: object };
  /** The item's URL, for A's current version. */
  item: (aHabitId: string) => string;
}

const syncPushTable: SyncPushRow[] = (
  [
    ['no baseVersion', () => undefined],
    ['A’s current version as baseVersion', (version: number) => version],
    ['another version as baseVersion', (version: number) => version + 41],
  ] as const
).flatMap(([label, baseVersion]) => {
  const row = (
    attempt: string,
    change: (aHabitId: string) => Record<string, unknown>,
    single: SyncPushRow['single'],
    item: SyncPushRow['item'],
  ): SyncPushRow => ({
    method: 'POST',
    route: '/sync',
    attempt: `${attempt}, ${label}`,
    change: (aHabitId, version) => ({ ...change(aHabitId), baseVersion: baseVersion(version) }),
    single,
    item,
  });
  return [
    row(
      'a habit upsert of A’s habit id',
      (id) => ({ type: 'habit', op: 'upsert', id, data: { name: 'Hijacked by B', archived: true } }),
      (id) => ({ method: 'POST', url: '/habits', payload: { id, name: 'Hijacked by B', archived: true } }),
      (id) => `/habits/${id}`,
    ),
    row(
      'a habit delete of A’s habit',
      (id) => ({ type: 'habit', op: 'delete', id }),
      (id) => ({ method: 'DELETE', url: `/habits/${id}` }),
      (id) => `/habits/${id}`,
    ),
    row(
      'a goal upsert on A’s habit',
      (habitId) => ({ type: 'goal', op: 'upsert', habitId, data: { period: 'day', target: 1 } }),
      (habitId) => ({ method: 'PUT', url: `/habits/${habitId}/goal`, payload: { period: 'day', target: 1 } }),
      (habitId) => `/habits/${habitId}/goal`,
    ),
    row(
      'a goal delete on A’s habit',
      (habitId) => ({ type: 'goal', op: 'delete', habitId }),
      (habitId) => ({ method: 'DELETE', url: `/habits/${habitId}/goal` }),
      (habitId) => `/habits/${habitId}/goal`,
    ),
    row(
      'a check-in upsert on A’s habit',
      (habitId) => ({ type: 'checkin', op: 'upsert', habitId, date: DAY, data: { value: 1, note: 'written by B', status: 'skipped' } }),
      (habitId) => ({
        method: 'PUT',
        url: `/habits/${habitId}/tracking/${DAY}`,
        payload: { value: 1, note: 'written by B', status: 'skipped' },
      }),
      (habitId) => `/habits/${habitId}/tracking/${DAY}`,
    ),
    row(
      'a check-in delete on A’s habit',
      (habitId) => ({ type: 'checkin', op: 'delete', habitId, date: DAY }),
      (habitId) => ({ method: 'DELETE', url: `/habits/${habitId}/tracking/${DAY}` }),
      (habitId) => `/habits/${habitId}/tracking/${DAY}`,
    ),
  ];
});

/** `/habits/:id/tracking/:date` → a regexp matching a concrete URL path of that route. */
function routePattern(route: string): RegExp {
  return new RegExp(`^${route.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
}

describe('user isolation', () => {
  // Emails go to this file's own outbox, where the email rows read them.
  const ctx = useTestApp({ mail: { ...testConfig('postgresql://unused').mail, outboxDir: OUTBOX_DIR } });
  let owner: SignedUpUser;
  let intruder: SignedUpUser;
  let ownerHabit: HabitReply;
  let intruderHabit: HabitReply;

  const call = (user: SignedUpUser, method: Method, url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(user.accessToken), ...(payload !== undefined && { payload }) });

  const expectStatus = (response: LightMyRequestResponse, statusCode: number) => {
    expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(statusCode);
  };

  /** A habit with a weekly goal and one check-in on DAY, created through the API. */
  const createTrackedHabit = async (user: SignedUpUser, name: string, note: string): Promise<HabitReply> => {
    const created = await call(user, 'POST', '/habits', { name });
    expectStatus(created, 201);
    const habit = created.json<HabitReply>();
    expectStatus(await call(user, 'PUT', `/habits/${habit.id}/goal`, { period: 'week', target: 3 }), 201);
    expectStatus(await call(user, 'PUT', `/habits/${habit.id}/tracking/${DAY}`, { value: 1, note }), 201);
    return habit;
  };

  /** What A sees of a habit, through the four read routes. */
  const snapshot = async (habitId: string) => {
    const urls = [
      `/habits/${habitId}`,
      `/habits/${habitId}/goal`,
      `/habits/${habitId}/tracking?${RANGE}`,
      `/habits/${habitId}/stats?${AS_OF}`,
    ];
    const replies = await Promise.all(urls.map((url) => call(owner, 'GET', url)));
    for (const reply of replies) expectStatus(reply, 200);
    return Object.fromEntries(urls.map((url, index) => [url, replies[index]!.json<unknown>()]));
  };

  let ownerSnapshot: Record<string, unknown>;

  /** Nothing of A's habit in a reply to B. */
  const expectAbsentFrom = (text: string) => {
    expect(text).not.toContain(OWNER_HABIT_NAME);
    expect(text).not.toContain('mine');
  };

  beforeAll(async () => {
    owner = await signUp(ctx.app, { name: 'Owner' });
    intruder = await signUp(ctx.app, { name: 'Intruder' });
    ownerHabit = await createTrackedHabit(owner, OWNER_HABIT_NAME, 'mine');
    // B has data of its own, so that B's lists and exports are not trivially empty.
    intruderHabit = await createTrackedHabit(intruder, "Intruder's own habit", 'theirs');
    ownerSnapshot = await snapshot(ownerHabit.id);
  });

  describe('the route table', () => {
    it('lists every registered /habits/:id… route (HEAD aside), and only registered ones', () => {
      const registered = ctx.routes;
      const registeredKeys = new Set(registered.map(({ method, path }) => key(method, path)));
      // The onRoute hook saw them all: routes outside the table are found too.
      expect(registeredKeys).toContain('GET /health');
      expect(registeredKeys).toContain('POST /habits');
      expect(registeredKeys).toContain('PATCH /auth/me');

      const habitIdRoutes = registered
        .filter(({ method, path }) => method !== 'HEAD' && path.startsWith('/habits') && path.includes(':id'))
        .map(({ method, path }) => key(method, path));
      const tableKeys = table.map(({ method, route }) => key(method, route));
      expect(habitIdRoutes.length).toBeGreaterThan(0);
      expect(new Set(tableKeys).size, 'duplicate rows in the table').toBe(tableKeys.length);
      expect([...new Set(habitIdRoutes)].sort(), 'a /habits/:id route has no row in the isolation table').toEqual([...tableKeys].sort());
      for (const { method, route } of table) expect(ctx.app.hasRoute({ method, url: route }), key(method, route)).toBe(true);
    });

    it('lists every registered /auth/password… and /auth/email… route in the email table, and only registered ones', () => {
      const emailRoutes = ctx.routes
        .filter(({ method, path }) => method !== 'HEAD' && /^\/auth\/(password|email)\//.test(path))
        .map(({ method, path }) => key(method, path));
      const emailKeys = emailTable.map(({ method, route }) => key(method, route));
      expect(emailRoutes.length).toBeGreaterThan(0);
      expect([...new Set(emailRoutes)].sort(), 'an email route has no row in the email table').toEqual([...new Set(emailKeys)].sort());
    });

    it('lists every registered /auth/mfa… and /auth/events… route in the two-factor and events tables, and only registered ones', () => {
      const securityRoutes = ctx.routes
        .filter(({ method, path }) => method !== 'HEAD' && /^\/auth\/(mfa|events)(\/|$)/.test(path))
        .map(({ method, path }) => key(method, path));
      const securityKeys = [...mfaTable, ...eventsTable].map(({ method, route }) => key(method, route));
      expect(securityRoutes.length).toBeGreaterThan(0);
      expect([...new Set(securityRoutes)].sort(), 'a two-factor or events route has no row in its table').toEqual(
        [...new Set(securityKeys)].sort(),
      );
    });

    it('lists every registered /sync… route in the sync table, and only registered ones', () => {
      const syncRoutes = ctx.routes
        .filter(({ method, path }) => method !== 'HEAD' && /^\/sync(\/|$)/.test(path))
        .map(({ method, path }) => key(method, path));
      const syncKeys = [...syncTable, ...syncPushTable].map(({ method, route }) => key(method, route));
      expect(syncRoutes.length).toBeGreaterThan(0);
      expect([...new Set(syncRoutes)].sort(), 'a /sync route has no row in the sync table').toEqual([...new Set(syncKeys)].sort());
    });

    it.each(table)('builds a URL for $method $route that matches the route', ({ route, url }) => {
      const path = url(randomUUID()).split('?')[0]!;
      expect(path).toMatch(routePattern(route));
    });
  });

  describe('another user’s habit id', () => {
    it.each(table)('$method $route → 404, exactly as for a habit that does not exist', async ({ method, url, payload }) => {
      const response = await call(intruder, method, url(ownerHabit.id), payload);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json<{ message: string }>();
      expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
      // Not the router's "Route … not found": the route ran and refused.
      expect(body.message).not.toMatch(/^Route /);

      // Indistinguishable from an id nobody owns: the reply reveals nothing about A's habit.
      const missing = await call(intruder, method, url(randomUUID()), payload);
      expect({ statusCode: missing.statusCode, body: missing.json<unknown>() }).toEqual({ statusCode: 404, body });
    });

    it.each(table)('$method $route works for the habit’s owner (the 404 above is about ownership)', async ({ method, url, payload }) => {
      const control = await createTrackedHabit(owner, `Control ${randomUUID()}`, 'control');
      const response = await call(owner, method, url(control.id), payload);
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(200);
      expect(response.statusCode, response.body).toBeLessThan(300);
    });
  });

  describe('collections', () => {
    const expectAbsent = (text: string) => {
      expect(text).not.toContain(ownerHabit.id);
      expect(text).not.toContain(OWNER_HABIT_NAME);
    };

    it('GET /habits (archived=all) shows B its own habits, not A’s', async () => {
      const response = await call(intruder, 'GET', '/habits?archived=all');
      expectStatus(response, 200);
      const habits = response.json<HabitReply[]>();
      expect(habits.map((habit) => habit.id)).toContain(intruderHabit.id);
      expect(habits.map((habit) => habit.id)).not.toContain(ownerHabit.id);
      expect(habits.map((habit) => habit.name)).not.toContain(OWNER_HABIT_NAME);
      expectAbsent(response.body);
    });

    it('GET /today shows B its own habits, not A’s', async () => {
      const response = await call(intruder, 'GET', '/today');
      expectStatus(response, 200);
      const items = response.json<{ habit: HabitReply }[]>();
      expect(items.map((item) => item.habit.id)).toContain(intruderHabit.id);
      expect(items.map((item) => item.habit.id)).not.toContain(ownerHabit.id);
      expectAbsent(response.body);
    });

    it('GET /reminders shows B its own reminders, not A’s', async () => {
      // Habits of their own with a reminder (A's tracked habit stays as it is for the snapshot).
      const withReminder = async (user: SignedUpUser, name: string) => {
        const created = await call(user, 'POST', '/habits', { name, reminders: [{ time: '08:00' }] });
        expectStatus(created, 201);
        return created.json<HabitReply>().id;
      };
      const ownerReminded = await withReminder(owner, 'Owner’s reminded habit');
      const intruderReminded = await withReminder(intruder, 'Intruder’s reminded habit');
      const reminders = async (user: SignedUpUser) => {
        const response = await call(user, 'GET', '/reminders?from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z');
        expectStatus(response, 200);
        expect(response.body).not.toContain(user === owner ? intruderReminded : ownerReminded);
        return [...new Set(response.json<{ habitId: string }[]>().map((item) => item.habitId))];
      };
      expect(await reminders(intruder)).toEqual([intruderReminded]);
      expect(await reminders(owner)).toEqual([ownerReminded]);
    });

    it('PUT /habits/order refuses A’s habit ids in B’s order (400), and leaves A’s positions alone', async () => {
      const listed = await call(intruder, 'GET', '/habits');
      const own = listed.json<HabitReply[]>().map((habit) => habit.id);
      const before = await snapshot(ownerHabit.id);
      for (const ids of [[ownerHabit.id], [...own, ownerHabit.id], [ownerHabit.id, ...own.slice(1)]]) {
        const response = await call(intruder, 'PUT', '/habits/order', { ids });
        expectStatus(response, 400);
        expectAbsent(response.body);
      }
      expect(await snapshot(ownerHabit.id)).toEqual(before);
      expectStatus(await call(intruder, 'PUT', '/habits/order', { ids: own }), 200);
    });

    it('GET /export?format=json holds only B’s data', async () => {
      const response = await call(intruder, 'GET', '/export?format=json');
      expectStatus(response, 200);
      const document = response.json<{ user: { id: string }; habits: (HabitReply & { checkins: { note: string | null }[] })[] }>();
      expect(document.user.id).toBe(intruder.user.id);
      expect(document.habits.map((habit) => habit.id)).toContain(intruderHabit.id);
      expect(document.habits.map((habit) => habit.id)).not.toContain(ownerHabit.id);
      expect(document.habits.flatMap((habit) => habit.checkins.map((checkin) => checkin.note))).not.toContain('mine');
      expectAbsent(response.body);
      expect(response.body).not.toContain(owner.user.id);
      expect(response.body).not.toContain(owner.email);
    });

    it('GET /export?format=csv holds only B’s check-ins', async () => {
      const response = await call(intruder, 'GET', '/export?format=csv');
      expectStatus(response, 200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.body).toContain("Intruder's own habit");
      expectAbsent(response.body);
      expect(response.body).not.toMatch(/,mine\r?$/m);
    });

    it('A still sees its habit in its own list and home screen', async () => {
      const list = await call(owner, 'GET', '/habits');
      expectStatus(list, 200);
      expect(list.json<HabitReply[]>().map((habit) => habit.id)).toContain(ownerHabit.id);
      expect(list.json<HabitReply[]>().map((habit) => habit.id)).not.toContain(intruderHabit.id);
      const today = await call(owner, 'GET', '/today');
      expectStatus(today, 200);
      expect(today.json<{ habit: HabitReply }[]>().map((item) => item.habit.id)).toContain(ownerHabit.id);
    });
  });

  describe('a userId in the body', () => {
    it.each([
      ['A’s id', () => owner.user.id],
      ['B’s own id', () => intruder.user.id],
    ])('POST /habits by B with %s creates the habit for B', async (label, userId) => {
      const name = `Posted by B with ${label}`;
      const response = await call(intruder, 'POST', '/habits', { name, userId: userId() });
      expectStatus(response, 201);
      const habit = response.json<HabitReply & { userId?: unknown }>();
      expect(habit.name).toBe(name);
      expect(habit.userId).toBeUndefined();

      expectStatus(await call(intruder, 'GET', `/habits/${habit.id}`), 200);
      expectStatus(await call(owner, 'GET', `/habits/${habit.id}`), 404);
      const intruderList = await call(intruder, 'GET', '/habits?archived=all');
      expect(intruderList.json<HabitReply[]>().map((item) => item.id)).toContain(habit.id);
      const ownerList = await call(owner, 'GET', '/habits?archived=all');
      expect(ownerList.json<HabitReply[]>().map((item) => item.id)).not.toContain(habit.id);
      expect(ownerList.json<HabitReply[]>().map((item) => item.name)).not.toContain(name);
    });
  });

  describe('A’s habit id as the client-generated id of B’s POST /habits', () => {
    it.each([
      ['A’s name', () => OWNER_HABIT_NAME],
      ['a name of B’s own', () => `B’s habit under A’s id ${randomUUID()}`],
    ])('is 409 Id already in use with %s: no habit for B, A’s habit untouched', async (_label, name) => {
      const before = await call(intruder, 'GET', '/habits?archived=all');
      const response = await call(intruder, 'POST', '/habits', { id: ownerHabit.id, name: name() });
      expectStatus(response, 409);
      expect(response.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'Id already in use' });
      expectAbsentFrom(response.body);
      expect((await call(intruder, 'GET', '/habits?archived=all')).json()).toEqual(before.json());
      expectStatus(await call(intruder, 'GET', `/habits/${ownerHabit.id}`), 404);
      expect(await snapshot(ownerHabit.id)).toEqual(ownerSnapshot);
    });
  });

  describe('the email routes', () => {
    const call = (user: SignedUpUser | undefined, method: 'GET' | 'POST', url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: user ? bearer(user.accessToken) : {}, ...(payload !== undefined && { payload }) });

    // `%s` rather than `$attempt`, which vitest would cut at 40 characters.
    it.each(emailTable.map((row) => [`${row.method} ${row.route}: ${row.attempt} → ${row.status}`, row] as const))(
      '%s; A’s account is unchanged, and A’s own use still works',
      async (_name, { method, route, given, payload, anonymous, status, message, then, owner: ownerUse }) => {
        const scene: EmailScene = {
          call,
          owner: await signUp(ctx.app, { name: 'Owner', password: OWNER_PASSWORD }),
          intruder: await signUp(ctx.app, { name: 'Intruder' }),
          newAddress: uniqueEmail('new-address'),
        };
        if (given) scene.email = await given(scene);
        const ownerBefore = await profileOf(scene, scene.owner);

        const response = await call(anonymous ? undefined : scene.intruder, method, route, payload(scene));
        expectStatus(response, status);
        if (status >= 400) {
          expect(response.json()).toEqual({ statusCode: status, error: expect.any(String), message: message ?? expect.any(String) });
        }
        await then?.(scene);

        // Nothing of A's changed: not the address, not its verification, not the password, no session.
        expect(await profileOf(scene, scene.owner)).toEqual(ownerBefore);
        const { user } = await logIn(ctx.app, scene.owner.email, OWNER_PASSWORD);
        expect(user.id).toBe(scene.owner.user.id);

        if (ownerUse) expectStatus(await call(scene.owner, 'POST', ownerUse.route, ownerUse.payload(scene)), ownerUse.status);
      },
    );

    it('A confirms A’s own email change after B’s refused attempts: the address is A’s new one, B’s is untouched', async () => {
      const scene: EmailScene = {
        call,
        owner: await signUp(ctx.app, { name: 'Owner', password: OWNER_PASSWORD }),
        intruder: await signUp(ctx.app, { name: 'Intruder' }),
        newAddress: uniqueEmail('new-address'),
      };
      scene.email = await ownersEmailChange(scene);
      expectStatus(await call(scene.intruder, 'POST', '/auth/email/verify', linkOf(scene)), 401);
      expectStatus(await call(scene.intruder, 'POST', '/auth/email/verify', codeOf(scene)), 401);

      const confirmed = await call(scene.owner, 'POST', '/auth/email/verify', linkOf(scene));
      expectStatus(confirmed, 200);
      expect(confirmed.json()).toMatchObject({ id: scene.owner.user.id, email: scene.newAddress, emailVerified: true });
      expect(await profileOf(scene, scene.owner)).toMatchObject({ email: scene.newAddress });
      expect(await profileOf(scene, scene.intruder)).toMatchObject({ id: scene.intruder.user.id, email: scene.intruder.email });
    });
  });

  describe('the two-factor routes', () => {
    const call: Call = (user, method, url, payload) =>
      ctx.app.inject({ method, url, headers: user ? bearer(user.accessToken) : {}, ...(payload !== undefined && { payload }) });

    /** The user's factor, recovery codes and sessions, as stored. */
    const stored = async (user: SignedUpUser) => {
      const query = async (sql: string): Promise<unknown[]> => (await ctx.app.pg.query<Record<string, unknown>>(sql, [user.user.id])).rows;
      return {
        factor: await query(`SELECT "secretEncrypted", "activatedAt", "lastUsedStep" FROM "MfaFactor" WHERE "userId" = $1`),
        recoveryCodes: await query(`SELECT id, "codeHash", "usedAt" FROM "RecoveryCode" WHERE "userId" = $1 ORDER BY id`),
        sessions: await query(`SELECT id, aal, "revokedAt" FROM "Session" WHERE "userId" = $1 ORDER BY id`),
      };
    };

    /** A new user with a verified address (by the link of the verification email, as its owner would). */
    const verifiedUser = async (name: string, password?: string): Promise<MfaUser> => {
      const user = await signUp(ctx.app, { name, ...(password !== undefined && { password }) });
      const verification = await waitForEmail(user.email, VERIFY);
      expectStatus(await call(undefined, 'POST', '/auth/email/verify', { token: verification.token }), 200);
      return { ...user, recoveryCodes: [] };
    };

    /** Enrols the user: a pending factor. */
    const enrol = async (user: MfaUser): Promise<void> => {
      const enrolled = await call(user, 'POST', '/auth/mfa/totp', { password: user.password });
      expectStatus(enrolled, 201);
      user.factor = { secret: enrolled.json<{ secret: string }>().secret, lastStep: -Infinity };
    };

    /** Activates the user's pending factor with its session: TOTP on, and the recovery codes. */
    const activate = async (user: MfaUser): Promise<void> => {
      const activated = await call(user, 'POST', '/auth/mfa/totp/activate', { code: await codeToUse(user.factor!) });
      expectStatus(activated, 200);
      user.recoveryCodes = activated.json<{ recoveryCodes: string[] }>().recoveryCodes;
    };

    const userIn = async (state: IntruderState, name: string, password?: string): Promise<MfaUser> => {
      const user = await verifiedUser(name, password);
      if (state !== 'verified') await enrol(user);
      if (state === 'on') await activate(user);
      return user;
    };

    const sceneFor = async (state: IntruderState): Promise<MfaScene> => {
      const [owner, intruder] = await Promise.all([userIn('on', 'Owner', OWNER_PASSWORD), userIn(state, 'Intruder')]);
      const scene: MfaScene = { call, stored, owner: owner as TotpUser, intruder, ownerMfaToken: '' };
      scene.ownerMfaToken = await mfaTokenOf(scene, owner);
      if (state === 'on') scene.intruderMfaToken = await mfaTokenOf(scene, intruder);
      return scene;
    };

    it.each(mfaTable.map((row) => [`${row.method} ${row.route}: ${row.attempt} → ${row.status}`, row] as const))(
      '%s; A’s factor, recovery codes and sessions are unchanged, and A’s codes still sign A in',
      async (_name, { method, route, intruder: state, payload, anonymous, status, message, then, owner: ownerUse }) => {
        const scene = await sceneFor(state);
        const { owner } = scene;
        const ownerBefore = { me: await meOf(scene, owner), stored: await stored(owner) };
        expect(ownerBefore.me.mfaEnabled).toBe(true);

        const response = await call(anonymous ? undefined : scene.intruder, method, route, await payload(scene));
        expectStatus(response, status);
        if (status >= 400) {
          expect(response.json()).toEqual({ statusCode: status, error: expect.any(String), message: message ?? expect.any(String) });
        } else {
          // B's own request, not a sign-in (of A's or anyone's).
          expect(response.body).not.toContain(owner.user.id);
          expect(response.body).not.toMatch(/accessToken|refreshToken/);
        }
        await then?.(scene, response);

        // Nothing of A's changed: the factor, its last used step, the recovery codes, the sessions.
        expect({ me: await meOf(scene, owner), stored: await stored(owner) }).toEqual(ownerBefore);
        await ownerUse?.(scene);

        // A's recovery code and A's next code (the one B tried, if B tried one) still sign A in.
        await expectSignIn(scene, owner, await mfaTokenOf(scene, owner), { recoveryCode: owner.recoveryCodes[0]! });
        await expectSignIn(scene, owner, await mfaTokenOf(scene, owner), { code: await codeToUse(owner.factor) });
      },
    );
  });

  describe('the security events', () => {
    const call: Call = (user, method, url, payload) =>
      ctx.app.inject({ method, url, headers: user ? bearer(user.accessToken) : {}, ...(payload !== undefined && { payload }) });
    let eventsOwner: SignedUpUser;
    let eventsIntruder: SignedUpUser;
    let ownerEvents: SecurityEventReply[];
    let intruderEvents: SecurityEventReply[];

    const eventsOf = async (user: SignedUpUser, query = '?limit=100'): Promise<SecurityEventReply[]> => {
      const response = await call(user, 'GET', `/auth/events${query}`);
      expectStatus(response, 200);
      return response.json<SecurityEventReply[]>();
    };

    beforeAll(async () => {
      // B first, so that B has events older than all of A's: were A's event id taken as a place in
      // B's events, B's page would not be empty.
      eventsIntruder = await signUp(ctx.app, { name: 'Intruder' });
      eventsOwner = await signUp(ctx.app, { name: 'Owner', password: OWNER_PASSWORD });
      // Events of A's of several kinds, some caused by B's requests (a wrong password for A's address).
      expectStatus(await call(eventsIntruder, 'POST', '/auth/login', { email: eventsOwner.email, password: 'not A’s password' }), 401);
      await logIn(ctx.app, eventsOwner.email, OWNER_PASSWORD);
      expectStatus(
        await call(eventsOwner, 'POST', '/auth/email/verify', { token: (await waitForEmail(eventsOwner.email, VERIFY)).token }),
        200,
      );
      // And B's after them.
      await logIn(ctx.app, eventsIntruder.email, eventsIntruder.password);
      expectStatus(await call(undefined, 'POST', '/auth/login', { email: eventsIntruder.email, password: 'not B’s password' }), 401);

      ownerEvents = await eventsOf(eventsOwner);
      intruderEvents = await eventsOf(eventsIntruder);
      expect(ownerEvents.map((event) => event.type).sort()).toEqual(['email_verified', 'login', 'login_failed', 'signup']);
      expect(intruderEvents.map((event) => event.type).sort()).toEqual(['login', 'login_failed', 'signup']);
    });

    it.each(
      eventsTable.map(
        (row) => [`${row.method} ${row.route}: ${row.attempt} → ${row.empty ? 'an empty page' : 'B’s own events'}`, row] as const,
      ),
    )('%s, never one of A’s', async (_name, { route, queries, empty }) => {
      const owner = { id: eventsOwner.user.id, events: ownerEvents };
      const ownerIds = ownerEvents.map((event) => event.id);
      const ownerSessions = ownerEvents.flatMap((event) => event.sessionId ?? []);
      for (const query of queries(owner)) {
        const response = await call(eventsIntruder, 'GET', `${route}${query}`);
        expectStatus(response, 200);
        const events = response.json<SecurityEventReply[]>();
        for (const id of [...ownerIds, ...ownerSessions, eventsOwner.user.id]) expect(response.body, query).not.toContain(id);
        if (empty) expect(events, query).toEqual([]);
        else expect(events, query).toEqual(intruderEvents);
      }
    });

    it('A’s event ids are live places in A’s own events (the empty pages above are about ownership)', async () => {
      expect(await eventsOf(eventsOwner, `?limit=100&before=${ownerEvents[0]!.id}`)).toEqual(ownerEvents.slice(1));
      expect(await eventsOf(eventsOwner, `?limit=100&before=${ownerEvents.at(-2)!.id}`)).toEqual(ownerEvents.slice(-1));
      // B's own ids work for B.
      expect(await eventsOf(eventsIntruder, `?limit=100&before=${intruderEvents[0]!.id}`)).toEqual(intruderEvents.slice(1));
    });

    it('A’s events hold none of B’s, and B’s none of A’s', async () => {
      const intruderIds = new Set(intruderEvents.map((event) => event.id));
      expect(ownerEvents.filter((event) => intruderIds.has(event.id))).toEqual([]);
      expect(await eventsOf(eventsOwner)).toEqual(ownerEvents);
      expect(await eventsOf(eventsIntruder)).toEqual(intruderEvents);
    });
  });

  describe('GET /sync', () => {
    const scene = {} as SyncScene;
    let syncOwner: SignedUpUser;
    let syncIntruder: SignedUpUser;

    const sync = async (user: SignedUpUser, query = ''): Promise<SyncPageReply> => {
      const response = await call(user, 'GET', `/sync${query}`);
      expectStatus(response, 200);
      return response.json<SyncPageReply>();
    };
    const created = async (user: SignedUpUser, method: Method, url: string, payload: object) => {
      const response = await call(user, method, url, payload);
      expectStatus(response, 201);
      return response.json<{ id: string }>().id;
    };
    const deleted = async (user: SignedUpUser, url: string) => expectStatus(await call(user, 'DELETE', url), 204);

    beforeAll(async () => {
      // B first: B's first items are numbered before A's first ones.
      syncIntruder = await signUp(ctx.app, { name: 'Sync intruder' });
      syncOwner = await signUp(ctx.app, { name: 'Sync owner' });
      const b = syncIntruder;
      const bKept = await created(b, 'POST', '/habits', { name: 'B’s kept habit' });
      const bGoal = await created(b, 'PUT', `/habits/${bKept}/goal`, { period: 'week', target: 3 });
      const bCheckin = await created(b, 'PUT', `/habits/${bKept}/tracking/${DAY}`, { note: 'B’s' });
      const bCheckin2 = await created(b, 'PUT', `/habits/${bKept}/tracking/2026-01-06`, { note: 'B’s' });
      const bGone = await created(b, 'POST', '/habits', { name: 'B’s deleted habit' });
      const bGoneCheckin = await created(b, 'PUT', `/habits/${bGone}/tracking/${DAY}`, { note: 'B’s' });
      const bFirst = await sync(b);
      expect(bFirst.hasMore).toBe(false);

      // A's writes, with A's cursor after each.
      const a = syncOwner;
      const aCursors: string[] = [];
      const aIds: string[] = [a.user.id];
      const aWrite = async (method: Method, url: string, payload: object) => {
        aIds.push(await created(a, method, url, payload));
        aCursors.push((await sync(a)).cursor);
      };
      const aDelete = async (url: string) => {
        await deleted(a, url);
        aCursors.push((await sync(a)).cursor);
      };
      await aWrite('POST', '/habits', { name: 'A’s secret kept habit' });
      const aKept = aIds.at(-1)!;
      await aWrite('PUT', `/habits/${aKept}/goal`, { period: 'day', target: 1 });
      await aWrite('PUT', `/habits/${aKept}/tracking/${DAY}`, { note: 'A’s secret' });
      await aWrite('PUT', `/habits/${aKept}/tracking/2026-01-06`, { note: 'A’s secret' });
      await aWrite('POST', '/habits', { name: 'A’s secret deleted habit' });
      const aGone = aIds.at(-1)!;
      await aWrite('PUT', `/habits/${aGone}/goal`, { period: 'week', target: 2 });
      await aWrite('PUT', `/habits/${aGone}/tracking/${DAY}`, { note: 'A’s secret' });

      // B's deletions, then B's last cursor.
      await deleted(b, `/habits/${bKept}/tracking/2026-01-06`);
      await deleted(b, `/habits/${bKept}/goal`);
      await deleted(b, `/habits/${bGone}`);
      const bLast = await sync(b, `?since=${bFirst.cursor}`);
      expect(bLast.hasMore).toBe(false);

      // A's deletions after it, and more writes than B made: A's last cursors are past B's feed.
      await aDelete(`/habits/${aKept}/tracking/2026-01-06`);
      await aDelete(`/habits/${aKept}/goal`);
      await aDelete(`/habits/${aGone}`);
      for (const day of ['2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10']) {
        await aWrite('PUT', `/habits/${aKept}/tracking/${day}`, { note: 'A’s secret' });
      }

      scene.owner = {
        id: a.user.id,
        cursors: aCursors,
        ids: aIds,
        names: ['A’s secret kept habit', 'A’s secret deleted habit', 'A’s secret'],
        deletedHabitId: aGone,
        keptHabitId: aKept,
      };
      scene.intruder = {
        firstCursor: bFirst.cursor,
        lastCursor: bLast.cursor,
        ids: [b.user.id, bKept, bGoal, bCheckin, bCheckin2, bGone, bGoneCheckin],
        current: { habits: [bKept], goals: [], checkins: [bCheckin] },
        deleted: { habits: [bGone], goals: [bKept], checkins: [{ habitId: bKept, date: '2026-01-06' }] },
      };
    });

    /** B's reply to a query (with `pages`, the union of the pages): a page, or the error status. */
    const intruderReply = async (query: string, pages: boolean): Promise<{ status: number; bodies: string[]; page?: SyncPageReply }> => {
      const bodies: string[] = [];
      let union: SyncPageReply | undefined;
      let url = query;
      for (let page = 0; page < 100; page += 1) {
        const response = await call(syncIntruder, 'GET', `/sync${url}`);
        bodies.push(response.body);
        if (response.statusCode !== 200) return { status: response.statusCode, bodies, page: union };
        const reply = response.json<SyncPageReply>();
        union = union
          ? {
              ...reply,
              habits: [...union.habits, ...reply.habits],
              goals: [...union.goals, ...reply.goals],
              checkins: [...union.checkins, ...reply.checkins],
              deleted: {
                habits: [...union.deleted.habits, ...reply.deleted.habits],
                goals: [...union.deleted.goals, ...reply.deleted.goals],
                checkins: [...union.deleted.checkins, ...reply.deleted.checkins],
              },
            }
          : reply;
        if (!pages || !reply.hasMore) return { status: 200, bodies, page: union };
        url = `?since=${reply.cursor}&limit=1`;
      }
      throw new Error(`more than 100 pages for ${query}`);
    };

    const idsOf = (page: SyncPageReply) => ({
      habits: page.habits.map((habit) => habit.id).sort(),
      goals: page.goals.map((goal) => goal.habitId).sort(),
      checkins: page.checkins.map((checkin) => checkin.id).sort(),
    });
    const sortedDeletions = (deletions: SyncPageReply['deleted']) => ({
      habits: [...deletions.habits].sort(),
      goals: [...deletions.goals].sort(),
      checkins: deletions.checkins.map(({ habitId, date }) => `${habitId} ${date}`).sort(),
    });

    it.each(syncTable.map((row) => [`${row.method} ${row.route}: ${row.attempt} → ${row.reply}`, row] as const))(
      '%s, never one of A’s items or deletions',
      async (_name, { queries, reply, pages }) => {
        const { owner, intruder } = scene;
        const outcomes = new Set<number>();
        for (const query of queries(scene)) {
          const { status, bodies, page } = await intruderReply(query, pages ?? false);
          outcomes.add(status);
          for (const body of bodies) for (const secret of [...owner.ids, ...owner.names]) expect(body, query).not.toContain(secret);
          if (reply === 'malformed') {
            expect(status, query).toBe(400);
            continue;
          }
          if (status === 410 && reply === 'ownOrGone') continue;
          expect(status, `${query}: ${bodies.at(-1)}`).toBe(200);
          // Only B's items and deletions, whatever the reply.
          const named = [
            ...page!.habits.map((habit) => habit.id),
            ...page!.goals.flatMap((goal) => [goal.id, goal.habitId]),
            ...page!.checkins.flatMap((checkin) => [checkin.id, checkin.habitId]),
            ...page!.deleted.habits,
            ...page!.deleted.goals,
            ...page!.deleted.checkins.map((checkin) => checkin.habitId),
          ];
          for (const id of named) expect(intruder.ids, query).toContain(id);
          const deletions = sortedDeletions(page!.deleted);
          const allDeletions = sortedDeletions(intruder.deleted);
          if (reply === 'first') {
            expect(idsOf(page!), query).toEqual({
              habits: [...intruder.current.habits].sort(),
              goals: [],
              checkins: [...intruder.current.checkins].sort(),
            });
            // A first sync lists no deletion; its later pages (after a cursor) may list B's own.
            if (!pages) expect(deletions, query).toEqual({ habits: [], goals: [], checkins: [] });
            for (const kind of ['habits', 'goals', 'checkins'] as const) {
              for (const item of deletions[kind]) expect(allDeletions[kind], query).toContain(item);
            }
          } else if (reply === 'deletions') {
            expect(idsOf(page!), query).toEqual({ habits: [], goals: [], checkins: [] });
            expect(deletions, query).toEqual(allDeletions);
          } else if (reply === 'empty') {
            expect(page, query).toEqual({
              cursor: intruder.lastCursor,
              hasMore: false,
              habits: [],
              goals: [],
              checkins: [],
              deleted: { habits: [], goals: [], checkins: [] },
            });
          }
        }
        if (reply === 'ownOrGone') expect([...outcomes].every((status) => status === 200 || status === 410)).toBe(true);
      },
    );

    it('A’s cursors are live places in A’s own feed (the replies above are about ownership)', async () => {
      const { owner } = scene;
      const page = await sync(syncOwner, `?since=${owner.cursors[0]!}`);
      expect(page.deleted.habits).toEqual([owner.deletedHabitId]);
      expect(page.deleted.goals).toEqual([owner.keptHabitId]);
      expect(page.deleted.checkins).toEqual([{ habitId: owner.keptHabitId, date: '2026-01-06' }]);
      expect(page.checkins.map((checkin) => checkin.date).sort()).toEqual([DAY, '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10']);
      // A's last cursor: nothing after it for A.
      expect(await sync(syncOwner, `?since=${owner.cursors.at(-1)!}`)).toMatchObject({ habits: [], checkins: [], hasMore: false });
    });

    it('A’s first sync holds A’s items only, and none of B’s', async () => {
      const page = await sync(syncOwner);
      expect(page.habits.map((habit) => habit.id)).toEqual([scene.owner.keptHabitId]);
      for (const id of scene.intruder.ids) expect(JSON.stringify(page)).not.toContain(id);
    });
  });

  describe('POST /sync', () => {
    /** Nothing of A's in a reply to B: not A's habit's name, note, id, nor A's id. */
    const expectNothingOfOwner = (text: string) => {
      expectAbsentFrom(text);
      expect(text).not.toContain(ownerHabit.id);
      expect(text).not.toContain(owner.user.id);
    };

    it.each(syncPushTable.map((row) => [`${row.method} ${row.route}: ${row.attempt}`, row] as const))(
      '%s → rejected as its route answers B, never a conflict',
      async (_name, { change, single, item }) => {
        const version = (await call(owner, 'GET', item(ownerHabit.id))).json<{ version: number }>().version;
        const route = single(ownerHabit.id);
        const answer = await call(intruder, route.method, route.url, route.payload);
        expect([404, 409]).toContain(answer.statusCode);

        // A's id as sent, in capitals (the same uuid to PostgreSQL), and alone or among B's own changes.
        const sent = change(ownerHabit.id, version);
        const shouted = change(ownerHabit.id.toUpperCase(), version);
        const own = { type: 'checkin', op: 'upsert', habitId: intruderHabit.id, date: '2026-01-06', data: { note: 'theirs too' } };
        for (const changes of [[sent], [shouted], [own, sent, own]]) {
          const response = await call(intruder, 'POST', '/sync', { changes });
          expectStatus(response, 200);
          expectNothingOfOwner(response.body);
          const results = response.json<{ results: { status: string; error?: { statusCode: number } }[] }>().results;
          const mine = results.filter((_result, index) => changes[index] !== own);
          expect(mine).toEqual([{ status: 'rejected', error: { statusCode: answer.statusCode, message: expect.any(String) } }]);
          // B's own changes beside it are applied.
          expect(results.filter((_result, index) => changes[index] === own).map((result) => result.status)).toEqual(
            changes.filter((each) => each === own).map(() => 'applied'),
          );
        }
        // Without baseVersion (where an id nobody has is not a create), exactly what B gets for an id nobody has.
        if (sent.baseVersion === undefined && !(sent.type === 'habit' && sent.op === 'upsert')) {
          const nobodys = change(randomUUID(), version);
          const [mine, nobody] = (
            await Promise.all([sent, nobodys].map((each) => call(intruder, 'POST', '/sync', { changes: [each] })))
          ).map((response) => response.json<unknown>());
          expect(mine).toEqual(nobody);
        }
        expect(await snapshot(ownerHabit.id)).toEqual(ownerSnapshot);
      },
    );

    it('A’s own changes to the same items are applied (the rejections above are about ownership)', async () => {
      const control = await createTrackedHabit(owner, `Sync control ${randomUUID()}`, 'control');
      const changes = syncPushTable
        .filter((row) => row.attempt.endsWith('no baseVersion'))
        .map((row) => row.change(control.id, 1))
        // Deletes last: the habit's goes with everything.
        .sort((x, y) => Number(x.op === 'delete') - Number(y.op === 'delete') || Number(x.type === 'habit') - Number(y.type === 'habit'));
      const response = await call(owner, 'POST', '/sync', {
        changes: changes.map((each) =>
          each.type === 'habit' && each.op === 'upsert' ? { ...each, data: { name: 'A’s own rename' } } : each,
        ),
      });
      expectStatus(response, 200);
      expect(response.json<{ results: { status: string }[] }>().results.map((result) => result.status)).toEqual(
        changes.map(() => 'applied'),
      );
    });
  });

  describe('POST /import', () => {
    /**
     * A file holding A's items (A's ids, A's user id, A's habit name), imported by C, a third user (so
     * B's own data stays as the tests above left it): written into C's account only, A's unchanged.
     */
    const importTable: {
      method: 'POST';
      route: string;
      attempt: string;
      /** What C has before the import: a habit of A's habit's name, which the file's then merges into. */
      mergesIntoOwn: boolean;
      file: () => Promise<{ habits: { name: string }[] }>;
    }[] = [
      {
        method: 'POST',
        route: '/import',
        attempt: 'A’s own export (A’s ids and user part)',
        mergesIntoOwn: false,
        file: async () => (await call(owner, 'GET', '/export')).json(),
      },
      {
        method: 'POST',
        route: '/import',
        attempt: 'A’s habit id, goal and check-in day, with A’s id as userId, into C’s habit of the same name',
        mergesIntoOwn: true,
        file: async () => ({
          userId: owner.user.id,
          habits: [
            {
              id: ownerHabit.id,
              userId: owner.user.id,
              name: OWNER_HABIT_NAME,
              kind: 'numeric',
              goal: null,
              checkins: [{ habitId: ownerHabit.id, date: DAY, value: 7, note: 'written by C', status: 'skipped' }],
            },
          ],
        }),
      },
    ];

    it('lists every registered /import… route in the import table, and only registered ones', () => {
      const importRoutes = ctx.routes
        .filter(({ method, path }) => method !== 'HEAD' && /^\/import(\/|$)/.test(path))
        .map(({ method, path }) => key(method, path));
      expect(importRoutes.length).toBeGreaterThan(0);
      expect([...new Set(importRoutes)].sort(), 'an /import route has no row in the import table').toEqual(
        [...new Set(importTable.map(({ method, route }) => key(method, route)))].sort(),
      );
    });

    it.each(importTable.map((row) => [`${row.method} ${row.route}: ${row.attempt}`, row] as const))(
      '%s → into the caller’s account only, A’s data unchanged',
      async (_name, { file, mergesIntoOwn }) => {
        const importer = await signUp(ctx.app, { name: 'Importer' });
        const own = mergesIntoOwn ? (await call(importer, 'POST', '/habits', { name: OWNER_HABIT_NAME })).json<HabitReply>() : undefined;
        const content = await file();
        const response = await call(importer, 'POST', '/import', content);
        expectStatus(response, 200);
        const count = content.habits.length;
        expect(response.json()).toMatchObject({ habits: { created: mergesIntoOwn ? 0 : count, merged: mergesIntoOwn ? count : 0 } });

        expect(await snapshot(ownerHabit.id)).toEqual(ownerSnapshot);
        const copies = (await call(importer, 'GET', '/habits?archived=all&limit=100')).json<HabitReply[]>();
        expect(copies.map((habit) => habit.name).sort()).toEqual(content.habits.map((habit) => habit.name).sort());
        expect(copies.map((habit) => habit.id)).not.toContain(ownerHabit.id);
        if (own) expect(copies.map((habit) => habit.id)).toContain(own.id);
        expectStatus(await call(importer, 'GET', `/habits/${ownerHabit.id}`), 404);
        const ownerList = (await call(owner, 'GET', '/habits?archived=all&limit=100')).json<HabitReply[]>();
        for (const copy of copies) expect(ownerList.map((habit) => habit.id)).not.toContain(copy.id);
      },
    );
  });

  describe('after every attempt by B', () => {
    it('A’s habit, goal, check-ins and statistics are unchanged', async () => {
      expect(await snapshot(ownerHabit.id)).toEqual(ownerSnapshot);
    });

    it('B’s own habit is untouched too (but for B’s own POST /sync check-in)', async () => {
      expectStatus(await call(intruder, 'GET', `/habits/${intruderHabit.id}`), 200);
      const tracking = await call(intruder, 'GET', `/habits/${intruderHabit.id}/tracking?${RANGE}`);
      expect(tracking.json<{ note: string | null }[]>().map((checkin) => checkin.note)).toEqual(['theirs', 'theirs too']);
    });
  });
});
