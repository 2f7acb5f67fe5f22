/** The committed client types (examples/client/schema.d.ts) are those of the app's current OpenAPI document. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { documentFromApp, SCHEMA_FILE, schemaSource } from '../../examples/client/generate.js';

describe('examples/client/schema.d.ts', () => {
  it('equals the types generated from the current OpenAPI document', async () => {
    const generated = await schemaSource(await documentFromApp());
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed, 'examples/client/schema.d.ts is out of date: run npm run client:generate').toBe(generated);
  });
});
