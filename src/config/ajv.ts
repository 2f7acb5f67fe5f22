/**
 * Request validation. Two Ajv instances: JSON bodies are validated strictly (a number is not a
 * string), while path and query values, which are always text, are coerced to their schema types.
 * Both know the extra keyword and format below, and drop unknown properties (never stored).
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a `default` property; under NodeNext the import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

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

function createAjv(coerceTypes: false | 'array'): Ajv {
  // allErrors stays false: reporting every error of a hostile body is a DoS vector.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: 'all', allErrors: false, addUsedSchema: false });
  addFormats(ajv);
  addMaxBytesKeyword(ajv);
  ajv.addFormat('iana-timezone', { type: 'string', validate: isIanaTimezone });
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = createAjv(false);
  const coercing = createAjv('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
