/**
 * Request validation. Two Ajv instances: JSON bodies are validated strictly (a number is not a
 * string), while path and query values, which are always text, are coerced to their schema types.
 * Both know the extra keyword and format below, and drop unknown properties (never stored); headers,
 * validated only where a route documents one, keep theirs.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

// ajv-formats is CommonJS with a `default` property; under NodeNext the import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * `x-maxBytes`: a string's length in UTF-8 bytes (bcrypt reads at most 72 bytes of a password). The
 * `x-` prefix keeps the OpenAPI document valid.
 */
function addMaxBytesKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'x-maxBytes',
    type: 'string',
    schemaType: 'number',
    errors: true,
    validate: function validateMaxBytes(limit: number, value: string): boolean {
      const valid = Buffer.byteLength(value, 'utf8') <= limit;
      if (!valid) {
        (validateMaxBytes as unknown as { errors: object[] }).errors = [
          {
            keyword: 'x-maxBytes',
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

function createAjv(coerceTypes: false | 'array', removeAdditional: 'all' | false = 'all'): Ajv {
  // allErrors stays false: reporting every error of a hostile body is a DoS vector.
  // strictNumbers: Infinity and NaN ("1e400" in a query string) are not numbers.
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional,
    allErrors: false,
    addUsedSchema: false,
    strictNumbers: true,
  });
  addFormats(ajv);
  addMaxBytesKeyword(ajv);
  ajv.addFormat('iana-timezone', { type: 'string', validate: isIanaTimezone });
  return ajv;
}

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

interface Unstorable {
  path: string;
  message: string;
}

/**
 * The first value PostgreSQL could not store, if any: a number that is not finite (Ajv lets a
 * coerced "1e400" through as Infinity even past `maximum`, and JSON.parse makes 1e400 Infinity), or
 * a string with a NUL or an unpaired surrogate (not valid UTF-8 text).
 */
function findUnstorable(value: unknown, path: string): Unstorable | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, message: 'must be a finite number' };
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed()
      ? { path, message: 'must not contain NUL or unpaired surrogate characters' }
      : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findUnstorable(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Validates with the schema, then rejects what the schema cannot express (see findUnstorable). */
function rejectUnstorable(validate: Validate): Validate {
  const validateStorable: Validate = (data) => {
    if (!validate(data)) {
      validateStorable.errors = validate.errors ?? null;
      return false;
    }
    const found = findUnstorable(data, '');
    if (found === undefined) return true;
    validateStorable.errors = [{ instancePath: found.path, schemaPath: '#', keyword: 'storable', params: {}, message: found.message }];
    return false;
  };
  return validateStorable;
}

/**
 * `storable: false` leaves out the check for what PostgreSQL cannot store: only for a route whose
 * values are each validated again, with it, before use (POST /sync: every change by its own route's
 * validators, so one change's NUL is that change's 400, not the batch's).
 */
export function createValidatorCompiler({ storable = true }: { storable?: boolean } = {}): FastifySchemaCompiler<unknown> {
  const strict = createAjv(false);
  const coercing = createAjv('array');
  // A headers schema names the few headers a route reads; the others (Authorization…) must stay.
  const headers = createAjv('array', false);
  const forPart = (httpPart: string | undefined) => (httpPart === 'body' ? strict : httpPart === 'headers' ? headers : coercing);
  return ({ schema, httpPart }) => {
    const validate = forPart(httpPart).compile(schema as object) as Validate;
    return storable ? rejectUnstorable(validate) : validate;
  };
}
