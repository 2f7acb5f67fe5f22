import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, from src/utils (tsx) or dist/utils (built) alike. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Local settings and generated development secrets (git-ignored). */
export const ENV_FILE = join(PROJECT_ROOT, '.env');
