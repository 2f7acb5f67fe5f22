import { fileURLToPath } from 'node:url';

/** The project root, from src/utils (tsx) or dist/utils (built) alike. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
