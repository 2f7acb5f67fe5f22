/** Errors services throw; the error handler turns each into its HTTP status. Services know no HTTP. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Unauthorized') {
    super(401, message);
  }
}

/** 429: a rate limit or the login throttle. The error handler sends `Retry-After` from it. */
export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, `Too many requests: retry in ${retryAfterSeconds} s`);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, message);
  }
}

/** 503: the service cannot do this now (a dependency or its configuration), not the client's fault. */
export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, message);
  }
}

/** 412: a conditional write (If-Match, or a sync change's baseVersion) found the item changed or gone. */
export class PreconditionFailedError extends AppError {
  constructor() {
    super(412, 'The item has changed since you read it (If-Match does not match its ETag): nothing was changed');
  }
}
