/**
 * `npm run keys:generate -- ed25519|p256`: a fresh key pair for access tokens, printed as the lines of
 * a .env file: JWT_ALGORITHM and JWT_PRIVATE_KEY (PKCS#8 PEM on one line, `\n` escaped, which the server
 * and dotenv both read), then the public key and its kid, to keep for JWT_PUBLIC_KEYS_PREVIOUS at the
 * next rotation (docs/operations.md, "Rotating the signing keys"). Nothing is written to disk.
 */
import { generateKeyPairSync } from 'node:crypto';
import { asymmetricKeySet } from '../auth/signing-keys.js';

const KINDS = {
  ed25519: { algorithm: 'EdDSA', generate: () => generateKeyPairSync('ed25519') },
  p256: { algorithm: 'ES256', generate: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) },
} as const;

const kind = process.argv[2];
if (kind !== 'ed25519' && kind !== 'p256') {
  process.stderr.write('Usage: npm run keys:generate -- ed25519|p256\n');
  process.exit(2);
}

const { algorithm, generate } = KINDS[kind];
const { privateKey, publicKey } = generate();
const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
// Read back the way the server reads it: the printed key is known to load, and its kid is the server's.
const { kid } = asymmetricKeySet(algorithm, oneLine(privatePem)).current;

process.stdout.write(
  [
    `# ${algorithm} signing key, kid ${kid}, generated ${new Date().toISOString()}`,
    `JWT_ALGORITHM=${algorithm}`,
    `JWT_PRIVATE_KEY="${oneLine(privatePem)}"`,
    '# Its public key: at the next rotation, move it into JWT_PUBLIC_KEYS_PREVIOUS.',
    `# JWT_PUBLIC_KEYS_PREVIOUS="${oneLine(publicPem)}"`,
    '',
  ].join('\n'),
);
