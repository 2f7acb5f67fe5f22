/**
 * Request validation. Two Ajv instances: JSON bodies are validated strictly (a number is not a
 * string), while path and query values, which are always text, are coerced to their schema types.
 * Both know the extra keyword and format below, and drop unknown properties (never stored).
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

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
  // strictNumbers: Infinity and NaN ("1e400" in a query string) are not numbers.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: 'all', allErrors: false, addUsedSchema: false, strictNumbers: true });
  addFormats(ajv);
  addMaxBytesKeyword(ajv);
  ajv.addFormat('iana-timezone', { type: 'string', validate: isIanaTimezone });
  return ajv;
}

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

/** The path of the first number that is not finite, if any. */
function findNonFinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findNonFinite(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Ajv lets a coerced "1e400" through as Infinity even past `maximum` (and JSON.parse makes 1e400
 * Infinity too), so every validated value is also checked to hold only finite numbers.
 */
function requireFiniteNumbers(validate: Validate): Validate {
  const validateFinite: Validate = (data) => {
    if (!validate(data)) {
      validateFinite.errors = validate.errors ?? null;
      return false;
    }
    const path = findNonFinite(data, '');
    if (path === undefined) return true;
    validateFinite.errors = [{ instancePath: path, schemaPath: '#', keyword: 'finite', params: {}, message: 'must be a finite number' }];
    return false;
  };
  return validateFinite;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = createAjv(false);
  const coercing = createAjv('array');
  return ({ schema, httpPart }) => requireFiniteNumbers((httpPart === 'body' ? strict : coercing).compile(schema as object) as Validate);
}
