/**
 * Outside production, missing secrets (the JWT secrets, MFA_ENCRYPTION_KEY) are generated once and appended to the project's .env
 * (git-ignored), so tokens and sessions survive restarts without any setup.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const SECRET_NAMES = ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'MFA_ENCRYPTION_KEY'] as const;

/**
 * Fills in missing secrets in `env` (and persists them to `envFile`) unless NODE_ENV is production.
 * Returns the names it generated.
 */
export function ensureDevSecrets(env: Record<string, string | undefined>, envFile: string): string[] {
  if (env.NODE_ENV === 'production') return [];
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (missing.length === 0) return [];

  const lines = missing.map((name) => {
    const secret = randomBytes(48).toString('base64url');
    env[name] = secret;
    return `${name}=${secret}`;
  });
  const existing = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  appendFileSync(envFile, `${separator}# Generated for development on first start\n${lines.join('\n')}\n`, { mode: 0o600 });
  return missing;
}
