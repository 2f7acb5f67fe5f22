/** Validation keywords and formats the schemas use beyond JSON Schema's own. */

/** The part of Ajv 8 (Fastify's validator) used here. */
interface Ajv {
  addKeyword(definition: unknown): unknown;
  addFormat(name: string, format: unknown): unknown;
}

/** `maxBytes`: a string's length in UTF-8 bytes (bcrypt reads at most 72 bytes of a password). */
function addMaxBytesKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'maxBytes',
    type: 'string',
    schemaType: 'number',
    errors: true,
    validate: function validateMaxBytes(limit: number, value: string): boolean {
      const valid = Buffer.byteLength(value, 'utf8') <= limit;
      if (!valid) {
        (validateMaxBytes as unknown as { errors: object[] }).errors = [
          {
            keyword: 'maxBytes',
            message: `must be at most ${limit} bytes in UTF-8 (bcrypt ignores anything longer, so longer passwords are refused rather than truncated)`,
            params: { limit },
          },
        ];
      }
      return valid;
    },
  });
}

/**
 * `iana-timezone`: a zone the runtime knows. Constructing Intl.DateTimeFormat accepts `UTC`, which
 * Intl.supportedValuesOf('timeZone') does not list.
 */
function isIanaTimezone(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function addCustomValidation<T extends Ajv>(ajv: T): T {
  addMaxBytesKeyword(ajv);
  ajv.addFormat('iana-timezone', { type: 'string', validate: isIanaTimezone });
  return ajv;
}
