/**
 * Generated — do not edit; run `npm run client:generate`.
 * The types of the Habit Tracker API's OpenAPI document (GET /docs/json), made by openapi-typescript.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and database readiness */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
                /** @description Service Unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 503,
                         *       "error": "Service Unavailable",
                         *       "message": "Service temporarily unavailable"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public keys of access tokens (JWK Set, RFC 7517)
         * @description Each key has `kid` (its RFC 7638 thumbprint), `alg` and `use: "sig"`. Empty when JWT_ALGORITHM is HS256.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: {
                                /** @description `OKP` (Ed25519) or `EC` (P-256) */
                                kty: string;
                                /** @description `Ed25519` or `P-256` */
                                crv: string;
                                x: string;
                                /** @description EC keys only */
                                y?: string;
                                /** @description The RFC 7638 thumbprint of the key: the `kid` in the header of the tokens it verifies */
                                kid: string;
                                alg: "EdDSA" | "ES256";
                                /** @enum {string} */
                                use: "sig";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account and start a session
         * @description Also sends the verification email. With REQUIRE_EMAIL_VERIFICATION the reply is `{ user, verificationRequired: true }` and no session starts until the address is verified.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        email: string;
                        /**
                         * @description 8 characters to 72 bytes in UTF-8 (bcrypt's limit; longer is refused, never truncated)
                         * @example correct horse battery staple
                         */
                        password: string;
                        /** @example Alice */
                        name?: string;
                        /**
                         * Format: iana-timezone
                         * @description IANA time zone, e.g. Europe/Berlin or UTC
                         * @example Europe/Berlin
                         */
                        timezone?: string;
                        /** @description Browser apps: set the refresh token as the HttpOnly cookie `refresh_token` (Path=/auth) and leave `refreshToken` out of the reply */
                        useCookie?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description JWT, 15 minutes; send as `Authorization: Bearer <token>` */
                            accessToken?: string;
                            /** @description JWT, 7 days; exchange at POST /auth/refresh. Absent in cookie mode: it is in the `refresh_token` cookie */
                            refreshToken?: string;
                            /** User */
                            user: {
                                /** Format: uuid */
                                id: string;
                                /** Format: email */
                                email: string;
                                name: string | null;
                                timezone: string;
                                dayStartHour: number;
                                /** @description Whether the user proved they receive mail at `email` */
                                emailVerified: boolean;
                                /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                                mfaEnabled: boolean;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                            };
                            /**
                             * @description Only with REQUIRE_EMAIL_VERIFICATION: no tokens; verify the address, then log in
                             * @enum {boolean}
                             */
                            verificationRequired?: true;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a session with email and password */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        email: string;
                        password: string;
                        /** @description Browser apps: set the refresh token as the HttpOnly cookie `refresh_token` (Path=/auth) and leave `refreshToken` out of the reply */
                        useCookie?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description JWT, 15 minutes; send as `Authorization: Bearer <token>` */
                            accessToken?: string;
                            /** @description JWT, 7 days; exchange at POST /auth/refresh. Absent in cookie mode: it is in the `refresh_token` cookie */
                            refreshToken?: string;
                            /** User */
                            user?: {
                                /** Format: uuid */
                                id: string;
                                /** Format: email */
                                email: string;
                                name: string | null;
                                timezone: string;
                                dayStartHour: number;
                                /** @description Whether the user proved they receive mail at `email` */
                                emailVerified: boolean;
                                /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                                mfaEnabled: boolean;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                            };
                            /**
                             * @description Two-factor sign-in is on: send a code to POST /auth/mfa/verify
                             * @enum {boolean}
                             */
                            mfaRequired?: true;
                            /** @description For POST /auth/mfa/verify: 5 minutes, single use, dead after 5 wrong codes */
                            mfaToken?: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Second step of a sign-in with two-factor on: the mfaToken and a code (or recovery code)
         * @description Issues the tokens of an aal-2 session. A wrong code is a 401 and counts as a failed sign-in of the address; after 5 the mfaToken is dead. A code accepted once is refused again; a recovery code works once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description `mfaToken`, and `code` or `recoveryCode`; `useCookie` as at login */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description From the login reply */
                        mfaToken: string;
                        /**
                         * @description The 6-digit code of the authenticator app
                         * @example 123456
                         */
                        code?: string;
                        /**
                         * @description One of the recovery codes, e.g. ABCDE-FGHJK
                         * @example ABCDE-FGHJK
                         */
                        recoveryCode?: string;
                        /** @description Browser apps: set the refresh token as the HttpOnly cookie `refresh_token` (Path=/auth) and leave `refreshToken` out of the reply */
                        useCookie?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description JWT, 15 minutes; send as `Authorization: Bearer <token>` */
                            accessToken: string;
                            /** @description JWT, 7 days; exchange at POST /auth/refresh. Absent in cookie mode: it is in the `refresh_token` cookie */
                            refreshToken?: string;
                            /** User */
                            user: {
                                /** Format: uuid */
                                id: string;
                                /** Format: email */
                                email: string;
                                name: string | null;
                                timezone: string;
                                dayStartHour: number;
                                /** @description Whether the user proved they receive mail at `email` */
                                emailVerified: boolean;
                                /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                                mfaEnabled: boolean;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                            };
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Service Unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 503,
                         *       "error": "Service Unavailable",
                         *       "message": "Service temporarily unavailable"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for a new pair (rotation)
         * @description The presented token is rotated. Presented again within REFRESH_REUSE_GRACE_SECONDS it gets a new access token and the same successor refresh token (while that one is unrotated); otherwise it counts as reuse and revokes the whole session. Without `refreshToken` in the body, the `refresh_token` cookie is used (with an allowed Origin and `X-Requested-With: fetch`, else 403): the reply is then `{ accessToken }` and the rotated token goes into the cookie; a refused one clears it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description JWT, 15 minutes; send as `Authorization: Bearer <token>` */
                            accessToken: string;
                            /** @description JWT, 7 days; exchange at POST /auth/refresh. Absent in cookie mode: it is in the `refresh_token` cookie */
                            refreshToken?: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke the session of the given refresh token (if yours), else the current one
         * @description Without `refreshToken` in the body, the `refresh_token` cookie names the session (with an allowed Origin and `X-Requested-With: fetch`, else 403). The reply clears the cookie.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken?: string;
                    };
                };
            };
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a password-reset email (link and code)
         * @description Always 202, also for an unknown address and beyond the limits (FORGOT_RATE_LIMIT_PER_IP, FORGOT_RATE_LIMIT_PER_EMAIL, 10 per address per hour), which then send nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with the token or code of a reset email
         * @description Revokes every session of the user, counts the address as verified, and sends a "password changed" notice.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Send `token`, or `email` and `code` */
            requestBody: {
                content: {
                    "application/json": {
                        /** @example q9Zc3bW1xT0aHk2mYvR8sJ5nLpE4uD7fGiO6wQrAyNc */
                        token?: string;
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        email?: string;
                        /**
                         * @description The 6-digit code of the same email
                         * @example 123456
                         */
                        code?: string;
                        /**
                         * @description 8 characters to 72 bytes in UTF-8 (bcrypt's limit; longer is refused, never truncated)
                         * @example correct horse battery staple
                         */
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an address with the token or code of its email
         * @description An email-change token or code needs the access token of the same user: the account then switches to the new address.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Send `token`, or `email` and `code` */
            requestBody: {
                content: {
                    "application/json": {
                        /** @example q9Zc3bW1xT0aHk2mYvR8sJ5nLpE4uD7fGiO6wQrAyNc */
                        token?: string;
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        email?: string;
                        /**
                         * @description The 6-digit code of the same email
                         * @example 123456
                         */
                        code?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            name: string | null;
                            timezone: string;
                            dayStartHour: number;
                            /** @description Whether the user proved they receive mail at `email` */
                            emailVerified: boolean;
                            /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                            mfaEnabled: boolean;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/verify/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a new verification email
         * @description With an access token: to the caller (409 when already verified). Without: body `{ email }`, always 202, sent only to an existing unverified account, limited like forgot-password.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description `email` only without an access token */
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        email?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unsupported Media Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 415,
                         *       "error": "Unsupported Media Type",
                         *       "message": "Unsupported Media Type: 'text/plain'"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller’s account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            name: string | null;
                            timezone: string;
                            dayStartHour: number;
                            /** @description Whether the user proved they receive mail at `email` */
                            emailVerified: boolean;
                            /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                            mfaEnabled: boolean;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete the account and all its data (password required) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                    };
                };
            };
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change name or time zone */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @example Alice */
                        name?: string | null;
                        /**
                         * Format: iana-timezone
                         * @description IANA time zone, e.g. Europe/Berlin or UTC
                         * @example Europe/Berlin
                         */
                        timezone?: string;
                        /** @description The hour (in `timezone`) at which your day begins: with 4, 02:30 still belongs to the day before. Default 0. */
                        dayStartHour?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            name: string | null;
                            timezone: string;
                            dayStartHour: number;
                            /** @description Whether the user proved they receive mail at `email` */
                            emailVerified: boolean;
                            /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                            mfaEnabled: boolean;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/auth/change-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the password; every other session is revoked */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        /**
                         * @description 8 characters to 72 bytes in UTF-8 (bcrypt's limit; longer is refused, never truncated)
                         * @example correct horse battery staple
                         */
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email/change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the address: a confirmation goes to the new one
         * @description The account changes only once the new address confirms (POST /auth/email/verify with the same user’s access token).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example alice@example.com
                         */
                        newEmail: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke every session of the caller
         * @description Also clears the `refresh_token` cookie (cookie mode).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller’s active sessions, most recently used first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description The `sid` carried by this session’s tokens
                             */
                            id: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            lastUsedAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            expiresAt: string;
                            userAgent: string | null;
                            /**
                             * @description A short name parsed from the user agent, e.g. `Chrome 131 on macOS` or `curl 8`; null when nothing useful can be read
                             * @example Chrome 131 on macOS
                             */
                            device: string | null;
                            /** @description The client address the session was last used from (its login or latest refresh) */
                            ip: string | null;
                            /** @description Authenticator assurance level: 1 = password, 2 = password and a second factor */
                            aal: number;
                            /** @description Whether this is the caller’s own session */
                            current: boolean;
                        }[];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of the caller’s sessions */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start enrolling an authenticator app (TOTP): a pending factor
         * @description Needs the password and a verified address. A new call replaces a pending factor. The secret is shown only here.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Base32, for typing into an authenticator app */
                            secret: string;
                            /** @description otpauth://totp/… for authenticator apps */
                            otpauthUrl: string;
                            /** @description The otpauth URL as an SVG QR code, in a data: URL */
                            qrSvg: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        /** Turn two-factor sign-in off (password and a code or recovery code) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The password, and `code` or `recoveryCode` */
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                        /**
                         * @description The 6-digit code of the authenticator app
                         * @example 123456
                         */
                        code?: string;
                        /**
                         * @description One of the recovery codes, e.g. ABCDE-FGHJK
                         * @example ABCDE-FGHJK
                         */
                        recoveryCode?: string;
                    };
                };
            };
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Forbidden */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 403,
                         *       "error": "Forbidden",
                         *       "message": "Forbidden"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Service Unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 503,
                         *       "error": "Service Unavailable",
                         *       "message": "Service temporarily unavailable"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/totp/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn two-factor sign-in on with the first code
         * @description Returns 10 single-use recovery codes, shown this once. This session becomes aal 2; every other session is revoked.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description The 6-digit code of the authenticator app
                         * @example 123456
                         */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Shown this once; each works once */
                            recoveryCodes: string[];
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Service Unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 503,
                         *       "error": "Service Unavailable",
                         *       "message": "Service temporarily unavailable"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new set of 10 recovery codes for a current code; the old set stops working */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description The 6-digit code of the authenticator app
                         * @example 123456
                         */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Shown this once; each works once */
                            recoveryCodes: string[];
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Too Many Requests */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 429,
                         *       "error": "Too Many Requests",
                         *       "message": "Too many requests: retry in 60 s"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Service Unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 503,
                         *       "error": "Service Unavailable",
                         *       "message": "Service temporarily unavailable"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller’s security activity (sign-ins, sign-outs, password and address changes), newest first
         * @description Kept 90 days. Page with `limit` and `before` (the `id` of the last event seen); a page shorter than `limit` is the last.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description The `id` of the last event of the previous page: the page then holds the events older than it (an id that is not one of your events, e.g. one deleted after 90 days, gives an empty page) */
                    before?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /** @description What happened */
                            type: "signup" | "login" | "login_failed" | "mfa_failed" | "refresh_reuse_detected" | "logout" | "logout_all" | "session_revoked" | "password_changed" | "password_reset_requested" | "password_reset" | "email_verified" | "email_changed" | "mfa_enabled" | "mfa_disabled";
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /** @description The client address of the request that caused it */
                            ip: string | null;
                            /**
                             * @description A short name parsed from the user agent, e.g. `Chrome 131 on macOS` or `curl 8`; null when nothing useful can be read
                             * @example Chrome 131 on macOS
                             */
                            device: string | null;
                            /**
                             * Format: uuid
                             * @description The session it is about: the one started (signup, login), ended (logout, session_revoked, refresh_reuse_detected) or acted from (logout_all, password_changed, email_changed, email_verified with an access token); otherwise null
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            sessionId: string | null;
                        }[];
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/habits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List habits, ordered by position then creation */
        get: {
            parameters: {
                query?: {
                    /** @description Archived habits are hidden unless asked for */
                    archived?: "false" | "true" | "all";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            name: string;
                            description: string | null;
                            color: string | null;
                            icon: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind: "boolean" | "numeric";
                            unit: string | null;
                            position: number;
                            archived: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /**
                             * Format: date
                             * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                             */
                            startDate: string | null;
                            reminders: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        }[];
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a habit
         * @description An optional client-generated `id` makes the create idempotent: repeated with the same fields → 200 and the habit unchanged; the same id with other fields, or the id of another user’s habit → 409 `Id already in use`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description Client-generated (offline-first apps): the same POST repeated → 200 with the habit unchanged; the id with another body, or another user’s → 409
                         * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                         */
                        id?: string;
                        /** @example Read 20 pages */
                        name: string;
                        description?: string | null;
                        /**
                         * @description #RRGGBB, returned lower-case
                         * @example #22aa88
                         */
                        color?: string | null;
                        /** @example book */
                        icon?: string | null;
                        /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                        kind?: "boolean" | "numeric";
                        /** @example pages */
                        unit?: string | null;
                        /** @description The client’s ordering */
                        position?: number;
                        archived?: boolean;
                        /**
                         * Schedule
                         * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                         * @example {
                         *       "type": "weekdays",
                         *       "days": [
                         *         1,
                         *         3,
                         *         5
                         *       ]
                         *     }
                         */
                        schedule?: {
                            type: "daily" | "weekdays" | "interval";
                            /** @description `weekdays` only (required): the days it is due */
                            days?: number[];
                            /** @description `interval` only (required): due every N days */
                            every?: number;
                            /**
                             * Format: date
                             * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                             */
                            anchor?: string;
                        };
                        /** @description Days before it are not due; null: none */
                        startDate?: string | (never | null);
                        reminders?: {
                            /**
                             * @description HH:MM, the user’s local time
                             * @example 07:30
                             */
                            time: string;
                            /** @description Only on these ISO weekdays (and only when the habit is due) */
                            days?: number[];
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            name: string;
                            description: string | null;
                            color: string | null;
                            icon: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind: "boolean" | "numeric";
                            unit: string | null;
                            position: number;
                            archived: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /**
                             * Format: date
                             * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                             */
                            startDate: string | null;
                            reminders: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            name: string;
                            description: string | null;
                            color: string | null;
                            icon: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind: "boolean" | "numeric";
                            unit: string | null;
                            position: number;
                            archived: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /**
                             * Format: date
                             * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                             */
                            startDate: string | null;
                            reminders: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/habits/order": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Reorder your non-archived habits: positions 0, 1, 2… in the order of `ids`
         * @description `ids` must be exactly your non-archived habits, each once (else 400, nothing changed); archived habits keep their positions. One transaction. Answers the habits in their new order.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Every one of your non-archived habits, each once, in the new order (`[]` when you have none) */
                        ids: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            name: string;
                            description: string | null;
                            color: string | null;
                            icon: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind: "boolean" | "numeric";
                            unit: string | null;
                            position: number;
                            archived: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /**
                             * Format: date
                             * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                             */
                            startDate: string | null;
                            reminders: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        }[];
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/habits/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One habit */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            name: string;
                            description: string | null;
                            color: string | null;
                            icon: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind: "boolean" | "numeric";
                            unit: string | null;
                            position: number;
                            archived: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /**
                             * Format: date
                             * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                             */
                            startDate: string | null;
                            reminders: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a habit with its goal and check-ins
         * @description With `If-Match`, only if the habit still has that ETag (else 412).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state. */
                    "if-match"?: string;
                };
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Precondition Failed */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 412,
                         *       "error": "Precondition Failed",
                         *       "message": "The item has changed since you read it (If-Match does not match its ETag): nothing was changed"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change any of a habit’s writable fields
         * @description `kind` cannot change once the habit has check-ins (409). With `If-Match`, only if the habit still has that ETag (else 412).
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state. */
                    "if-match"?: string;
                };
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @example Read 20 pages */
                        name?: string;
                        description?: string | null;
                        /**
                         * @description #RRGGBB, returned lower-case
                         * @example #22aa88
                         */
                        color?: string | null;
                        /** @example book */
                        icon?: string | null;
                        /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                        kind?: "boolean" | "numeric";
                        /** @example pages */
                        unit?: string | null;
                        /** @description The client’s ordering */
                        position?: number;
                        archived?: boolean;
                        /**
                         * Schedule
                         * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                         * @example {
                         *       "type": "weekdays",
                         *       "days": [
                         *         1,
                         *         3,
                         *         5
                         *       ]
                         *     }
                         */
                        schedule?: {
                            type: "daily" | "weekdays" | "interval";
                            /** @description `weekdays` only (required): the days it is due */
                            days?: number[];
                            /** @description `interval` only (required): due every N days */
                            every?: number;
                            /**
                             * Format: date
                             * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                             */
                            anchor?: string;
                        };
                        /** @description Days before it are not due; null: none */
                        startDate?: string | (never | null);
                        reminders?: {
                            /**
                             * @description HH:MM, the user’s local time
                             * @example 07:30
                             */
                            time: string;
                            /** @description Only on these ISO weekdays (and only when the habit is due) */
                            days?: number[];
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            name: string;
                            description: string | null;
                            color: string | null;
                            icon: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind: "boolean" | "numeric";
                            unit: string | null;
                            position: number;
                            archived: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /**
                             * Format: date
                             * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                             */
                            startDate: string | null;
                            reminders: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Precondition Failed */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 412,
                         *       "error": "Precondition Failed",
                         *       "message": "The item has changed since you read it (If-Match does not match its ETag): nothing was changed"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/habits/{id}/goal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The habit’s goal (404 when it has none) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /** @description `week` is an ISO week, Monday first */
                            period: "day" | "week" | "month";
                            target: number;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        /**
         * Set the habit’s goal: 201 created, 200 replaced
         * @description With `If-Match`, only replaces a goal that still has that ETag (else 412, also when there is no goal yet).
         */
        put: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state. */
                    "if-match"?: string;
                };
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description `week` is an ISO week, Monday first */
                        period: "day" | "week" | "month";
                        /** @description Boolean habit: days done per period (≤ 1 per day, ≤ 7 per week, ≤ 31 per month). Numeric habit: amount per period. */
                        target: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /** @description `week` is an ISO week, Monday first */
                            period: "day" | "week" | "month";
                            target: number;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /** @description `week` is an ISO week, Monday first */
                            period: "day" | "week" | "month";
                            target: number;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Precondition Failed */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 412,
                         *       "error": "Precondition Failed",
                         *       "message": "The item has changed since you read it (If-Match does not match its ETag): nothing was changed"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        /**
         * Remove the habit’s goal (it then counts as daily, target 1)
         * @description With `If-Match`, only if the goal still has that ETag (else 412).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state. */
                    "if-match"?: string;
                };
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Precondition Failed */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 412,
                         *       "error": "Precondition Failed",
                         *       "message": "The item has changed since you read it (If-Match does not match its ETag): nothing was changed"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/habits/{id}/tracking/{date}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The check-in of one day (404 when there is none) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                    /**
                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                     * @example 2026-11-29
                     */
                    date: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /**
                             * Format: date
                             * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                             * @example 2026-11-29
                             */
                            date: string;
                            /** @description A skipped day neither counts nor breaks a streak */
                            status: "done" | "skipped";
                            value: number;
                            note: string | null;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        /**
         * Check in for a day: 201 created, 200 replaced (idempotent, safe to retry)
         * @description The day must be between 2000-01-01 and your local today + 1 day (in your time zone). With `If-Match`, only replaces a check-in that still has that ETag (else 412, also when there is none yet).
         */
        put: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state. */
                    "if-match"?: string;
                };
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                    /**
                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                     * @example 2026-11-29
                     */
                    date: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A skipped day neither counts nor breaks a streak */
                        status?: "done" | "skipped";
                        /** @description The amount for a numeric habit (default 1) */
                        value?: number;
                        note?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /**
                             * Format: date
                             * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                             * @example 2026-11-29
                             */
                            date: string;
                            /** @description A skipped day neither counts nor breaks a streak */
                            status: "done" | "skipped";
                            value: number;
                            note: string | null;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /**
                             * Format: date
                             * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                             * @example 2026-11-29
                             */
                            date: string;
                            /** @description A skipped day neither counts nor breaks a streak */
                            status: "done" | "skipped";
                            value: number;
                            note: string | null;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Precondition Failed */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 412,
                         *       "error": "Precondition Failed",
                         *       "message": "The item has changed since you read it (If-Match does not match its ETag): nothing was changed"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        post?: never;
        /**
         * Remove the check-in of a day
         * @description With `If-Match`, only if the check-in still has that ETag (else 412).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state. */
                    "if-match"?: string;
                };
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                    /**
                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                     * @example 2026-11-29
                     */
                    date: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Precondition Failed */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 412,
                         *       "error": "Precondition Failed",
                         *       "message": "The item has changed since you read it (If-Match does not match its ETag): nothing was changed"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/habits/{id}/tracking": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check-ins by date, `from` to `to` inclusive (at most 366 days; default the last 30) */
        get: {
            parameters: {
                query?: {
                    /**
                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                     * @example 2026-11-29
                     */
                    from?: string;
                    /**
                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                     * @example 2026-11-29
                     */
                    to?: string;
                };
                header?: never;
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /**
                             * Format: date
                             * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                             * @example 2026-11-29
                             */
                            date: string;
                            /** @description A skipped day neither counts nor breaks a streak */
                            status: "done" | "skipped";
                            value: number;
                            note: string | null;
                            /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                            version: number;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            updatedAt: string;
                        }[];
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/habits/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Streaks, completion rate, habit strength (score) and the current period of a habit */
        get: {
            parameters: {
                query?: {
                    /**
                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                     * @example 2026-11-29
                     */
                    asOf?: string;
                };
                header?: never;
                path: {
                    /** @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            currentStreak: number;
                            bestStreak: number;
                            /** @description `week` is an ISO week, Monday first */
                            streakUnit: "day" | "week" | "month";
                            /** @description Satisfied ÷ eligible days in the 30 days ending today (null when no day is eligible) */
                            completionRate: number | null;
                            /** @description Satisfied days ever */
                            totalDone: number;
                            /** @description Habit strength (Loop Habit Tracker’s): a moving average of the due days (done 1, missed 0), recent ones weighing most; 4 decimals */
                            score: number;
                            period: {
                                /**
                                 * Format: date
                                 * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                 * @example 2026-11-29
                                 */
                                start: string;
                                /**
                                 * Format: date
                                 * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                 * @example 2026-11-29
                                 */
                                end: string;
                                /** @description Days done (boolean habit) or the summed amount (numeric habit) in this period */
                                progress: number;
                                target: number;
                                met: boolean;
                            };
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/today": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The home screen: every active habit with its goal, today’s check-in, progress and whether it is due today */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Habit */
                            habit: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                name: string;
                                description: string | null;
                                color: string | null;
                                icon: string | null;
                                /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                                kind: "boolean" | "numeric";
                                unit: string | null;
                                position: number;
                                archived: boolean;
                                /**
                                 * Schedule
                                 * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                                 * @example {
                                 *       "type": "weekdays",
                                 *       "days": [
                                 *         1,
                                 *         3,
                                 *         5
                                 *       ]
                                 *     }
                                 */
                                schedule: {
                                    type: "daily" | "weekdays" | "interval";
                                    /** @description `weekdays` only (required): the days it is due */
                                    days?: number[];
                                    /** @description `interval` only (required): due every N days */
                                    every?: number;
                                    /**
                                     * Format: date
                                     * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                     */
                                    anchor?: string;
                                };
                                /**
                                 * Format: date
                                 * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                                 */
                                startDate: string | null;
                                reminders: {
                                    /**
                                     * @description HH:MM, the user’s local time
                                     * @example 07:30
                                     */
                                    time: string;
                                    /** @description Only on these ISO weekdays (and only when the habit is due) */
                                    days?: number[];
                                }[];
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                            };
                            /** Goal */
                            goal: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                habitId: string;
                                /** @description `week` is an ISO week, Monday first */
                                period: "day" | "week" | "month";
                                target: number;
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                            } | null;
                            /** Check-in */
                            checkin: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                habitId: string;
                                /**
                                 * Format: date
                                 * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                 * @example 2026-11-29
                                 */
                                date: string;
                                /** @description A skipped day neither counts nor breaks a streak */
                                status: "done" | "skipped";
                                value: number;
                                note: string | null;
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                            } | null;
                            /** @description The current period’s progress, in the goal’s unit */
                            progress: number;
                            /** @description Whether the habit is due today (the user’s day): its schedule, and not before its startDate */
                            due: boolean;
                        }[];
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reminders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every reminder of your active habits in a range of time, to schedule as local notifications
         * @description Each reminder (`{ time, days? }` of a habit) fires on every one of your days on which its habit is due (and, with `days`, is one of those ISO weekdays), at `time` in your time zone: `at` is that instant in UTC, `localDate` your day it is for, `localTime` the reminder's time, `done` whether that day is already satisfied by a check-in. A time earlier than your `dayStartHour` belongs to the day that started the evening before (with 4, Monday's 01:00 reminder fires on Tuesday's date). A time a DST change skips fires shifted forward by the gap (02:30 → 03:30); one that occurs twice fires once, at the first. The range is [`from`, `to`), at most 7 days; sorted by `at`, then `habitId`. Archived habits have none.
         */
        get: {
            parameters: {
                query?: {
                    /**
                     * @description Inclusive. Default: now, or 24 h before `to` when only `to` is given
                     * @example 2026-03-29T00:00:00Z
                     */
                    from?: string;
                    /**
                     * @description Exclusive; after `from` and at most 7 days later. Default: 24 h after `from`
                     * @example 2026-03-29T00:00:00Z
                     */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                             */
                            habitId: string;
                            /**
                             * Format: date-time
                             * @description When to fire: the local time in the user’s time zone, as a UTC instant
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            at: string;
                            /**
                             * Format: date
                             * @description The user’s day the reminder is for (its schedule, `days` and `done` are that day’s). With `dayStartHour` 4, a 01:00 reminder of Monday fires early on Tuesday’s calendar date
                             * @example 2026-11-29
                             */
                            localDate: string;
                            /**
                             * @description The reminder’s configured time (HH:MM)
                             * @example 07:30
                             */
                            localTime: string;
                            /** @description Whether `localDate` is already satisfied by a check-in */
                            done: boolean;
                        }[];
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All your data, as JSON or CSV (habit,date,status,value,note) */
        get: {
            parameters: {
                query?: {
                    format?: "json" | "csv";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description With format=csv: text/csv with the header habit,date,status,value,note */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @example 2026-11-29T22:42:44.000Z
                             */
                            exportedAt: string;
                            /** User */
                            user: {
                                /** Format: uuid */
                                id: string;
                                /** Format: email */
                                email: string;
                                name: string | null;
                                timezone: string;
                                dayStartHour: number;
                                /** @description Whether the user proved they receive mail at `email` */
                                emailVerified: boolean;
                                /** @description Whether signing in asks for a code of an authenticator app (TOTP) */
                                mfaEnabled: boolean;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                            };
                            habits: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                name: string;
                                description: string | null;
                                color: string | null;
                                icon: string | null;
                                /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                                kind: "boolean" | "numeric";
                                unit: string | null;
                                position: number;
                                archived: boolean;
                                /**
                                 * Schedule
                                 * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                                 * @example {
                                 *       "type": "weekdays",
                                 *       "days": [
                                 *         1,
                                 *         3,
                                 *         5
                                 *       ]
                                 *     }
                                 */
                                schedule: {
                                    type: "daily" | "weekdays" | "interval";
                                    /** @description `weekdays` only (required): the days it is due */
                                    days?: number[];
                                    /** @description `interval` only (required): due every N days */
                                    every?: number;
                                    /**
                                     * Format: date
                                     * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                     */
                                    anchor?: string;
                                };
                                /**
                                 * Format: date
                                 * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                                 */
                                startDate: string | null;
                                reminders: {
                                    /**
                                     * @description HH:MM, the user’s local time
                                     * @example 07:30
                                     */
                                    time: string;
                                    /** @description Only on these ISO weekdays (and only when the habit is due) */
                                    days?: number[];
                                }[];
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                                /** Goal */
                                goal: {
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    id: string;
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    habitId: string;
                                    /** @description `week` is an ISO week, Monday first */
                                    period: "day" | "week" | "month";
                                    target: number;
                                    /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                    version: number;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    createdAt: string;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    updatedAt: string;
                                } | null;
                                checkins: {
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    id: string;
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    habitId: string;
                                    /**
                                     * Format: date
                                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                     * @example 2026-11-29
                                     */
                                    date: string;
                                    /** @description A skipped day neither counts nor breaks a streak */
                                    status: "done" | "skipped";
                                    value: number;
                                    note: string | null;
                                    /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                    version: number;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    createdAt: string;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    updatedAt: string;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a JSON export of this API (up to 10 MiB) into your account, all or nothing
         * @description The body is what GET /export?format=json answers (ids, versions, timestamps, `exportedAt` and `user` are ignored). Habits are matched by name (trimmed): a match takes the file’s fields, another name is a new habit. Check-ins are matched by habit and date: the file’s replaces the habit’s; the habit’s other check-ins stay. A goal replaces the habit’s goal, `goal: null` removes it. Each item is checked as its own route checks it; the first one refused is a 400 naming the habit (and the date), or a 409 for a kind change of a habit that has check-ins, and nothing is written. A 503 (with Retry-After) when other requests kept changing the same items: nothing is written, send it again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description A JSON export of this API (GET /export?format=json). Ids, versions, timestamps, `exportedAt` and `user` are accepted and ignored. */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Names unique (trimmed) within the file */
                        habits: {
                            /** @example Read 20 pages */
                            name: string;
                            description?: string | null;
                            /**
                             * @description #RRGGBB, returned lower-case
                             * @example #22aa88
                             */
                            color?: string | null;
                            /** @example book */
                            icon?: string | null;
                            /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                            kind?: "boolean" | "numeric";
                            /** @example pages */
                            unit?: string | null;
                            /** @description The client’s ordering */
                            position?: number;
                            archived?: boolean;
                            /**
                             * Schedule
                             * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                             * @example {
                             *       "type": "weekdays",
                             *       "days": [
                             *         1,
                             *         3,
                             *         5
                             *       ]
                             *     }
                             */
                            schedule?: {
                                type: "daily" | "weekdays" | "interval";
                                /** @description `weekdays` only (required): the days it is due */
                                days?: number[];
                                /** @description `interval` only (required): due every N days */
                                every?: number;
                                /**
                                 * Format: date
                                 * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                 */
                                anchor?: string;
                            };
                            /** @description Days before it are not due; null: none */
                            startDate?: string | (never | null);
                            reminders?: {
                                /**
                                 * @description HH:MM, the user’s local time
                                 * @example 07:30
                                 */
                                time: string;
                                /** @description Only on these ISO weekdays (and only when the habit is due) */
                                days?: number[];
                            }[];
                            /** @description The goal (the body of PUT /habits/:id/goal) replaces the habit’s; null removes it; left out: the goal stays as it is */
                            goal?: {
                                /** @description `week` is an ISO week, Monday first */
                                period: "day" | "week" | "month";
                                /** @description Boolean habit: days done per period (≤ 1 per day, ≤ 7 per week, ≤ 31 per month). Numeric habit: amount per period. */
                                target: number;
                            } | null;
                            /** @description At most one per date */
                            checkins?: {
                                /**
                                 * Format: date
                                 * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                 * @example 2026-11-29
                                 */
                                date: string;
                                /** @description A skipped day neither counts nor breaks a streak */
                                status?: "done" | "skipped";
                                /** @description The amount for a numeric habit (default 1) */
                                value?: number;
                                note?: string | null;
                            }[];
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "habits": {
                         *         "created": 3,
                         *         "merged": 1
                         *       },
                         *       "checkins": {
                         *         "created": 412,
                         *         "updated": 7
                         *       }
                         *     }
                         */
                        "application/json": {
                            habits: {
                                /** @description Habits of the file that the account did not have (by name) */
                                created: number;
                                /** @description Habits of the file that matched one of the account’s by name, which took the file’s fields */
                                merged: number;
                            };
                            checkins: {
                                /** @description Check-ins on days the habit had none */
                                created: number;
                                /** @description Check-ins on days the habit had one, replaced by the file’s */
                                updated: number;
                            };
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Not Found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 404,
                         *       "error": "Not Found",
                         *       "message": "Habit not found"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 409,
                         *       "error": "Conflict",
                         *       "message": "You already have a habit with this name"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Service Unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 503,
                         *       "error": "Service Unavailable",
                         *       "message": "Service temporarily unavailable"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller’s habits, goals and check-ins changed or deleted after a cursor
         * @description Without `since`: every current item, no deletions. Follow `cursor` while `hasMore`; keep the last `cursor` for the next sync. No change is ever skipped, even when two writes commit in the opposite order to the one they started in. A cursor older than the deletions kept (30 days) → 410: sync again from scratch.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The `cursor` of the previous page; none for a first (full) sync */
                    since?: string;
                    /** @description Items per page, counting every array, deletions included */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Opaque: the `since` of the next call (the next page while `hasMore`, else the next sync) */
                            cursor: string;
                            hasMore: boolean;
                            habits: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                name: string;
                                description: string | null;
                                color: string | null;
                                icon: string | null;
                                /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                                kind: "boolean" | "numeric";
                                unit: string | null;
                                position: number;
                                archived: boolean;
                                /**
                                 * Schedule
                                 * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                                 * @example {
                                 *       "type": "weekdays",
                                 *       "days": [
                                 *         1,
                                 *         3,
                                 *         5
                                 *       ]
                                 *     }
                                 */
                                schedule: {
                                    type: "daily" | "weekdays" | "interval";
                                    /** @description `weekdays` only (required): the days it is due */
                                    days?: number[];
                                    /** @description `interval` only (required): due every N days */
                                    every?: number;
                                    /**
                                     * Format: date
                                     * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                     */
                                    anchor?: string;
                                };
                                /**
                                 * Format: date
                                 * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                                 */
                                startDate: string | null;
                                reminders: {
                                    /**
                                     * @description HH:MM, the user’s local time
                                     * @example 07:30
                                     */
                                    time: string;
                                    /** @description Only on these ISO weekdays (and only when the habit is due) */
                                    days?: number[];
                                }[];
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                            }[];
                            goals: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                habitId: string;
                                /** @description `week` is an ISO week, Monday first */
                                period: "day" | "week" | "month";
                                target: number;
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                            }[];
                            checkins: {
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                 */
                                habitId: string;
                                /**
                                 * Format: date
                                 * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                 * @example 2026-11-29
                                 */
                                date: string;
                                /** @description A skipped day neither counts nor breaks a streak */
                                status: "done" | "skipped";
                                value: number;
                                note: string | null;
                                /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                version: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-29T22:42:44.000Z
                                 */
                                updatedAt: string;
                            }[];
                            deleted: {
                                /** @description Deleted habits (their goals and check-ins went with them) */
                                habits: string[];
                                /** @description The habits whose goal was deleted */
                                goals: string[];
                                checkins: {
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    habitId: string;
                                    /**
                                     * Format: date
                                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                     * @example 2026-11-29
                                     */
                                    date: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Gone */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 410,
                         *       "error": "Gone",
                         *       "message": "Gone"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Apply a device’s queued changes (1 to 500), one by one in order
         * @description Each change stands alone and gets one result: `applied` (with the new `version` for an upsert), `conflict` (its `baseVersion` is not the server’s, or the item is gone: `current` is the server’s copy or null, nothing changed) or `rejected` (`error` is what the single-item route would answer: 400, 404, 409). Another user’s item is always `rejected`. The reply has no cursor: keep pulling from your last GET /sync cursor (your own changes come back there too).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        changes: {
                            type: "habit" | "goal" | "checkin";
                            op: "upsert" | "delete";
                            /** @description A habit’s id (required for habit changes; a new habit is created with it) */
                            id?: string;
                            /** @description The habit of a goal or check-in */
                            habitId?: string;
                            /** @description A check-in’s day, YYYY-MM-DD */
                            date?: string;
                            /** @description An upsert’s body, as the single-item route takes it: `POST /habits` (new habit) or `PATCH /habits/:id` (existing), `PUT /habits/:id/goal`, `PUT /habits/:id/tracking/:date` */
                            data?: unknown;
                            /** @description The version the change was made on: if the server’s differs (or the item is gone) → `conflict`, nothing changed. Without it the last write wins. */
                            baseVersion?: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description One per change, in order */
                            results: {
                                status: "applied" | "conflict" | "rejected";
                                /** @description `applied` upserts: the item’s new version */
                                version?: number;
                                /** @description `conflict`: the server’s copy, null when the item is gone */
                                current?: {
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    id: string;
                                    name: string;
                                    description: string | null;
                                    color: string | null;
                                    icon: string | null;
                                    /** @description `boolean`: done or not each day; `numeric`: an amount per day (e.g. glasses of water) */
                                    kind: "boolean" | "numeric";
                                    unit: string | null;
                                    position: number;
                                    archived: boolean;
                                    /**
                                     * Schedule
                                     * @description `{ type: "daily" }` (default), `{ type: "weekdays", days }` or `{ type: "interval", every, anchor }`
                                     * @example {
                                     *       "type": "weekdays",
                                     *       "days": [
                                     *         1,
                                     *         3,
                                     *         5
                                     *       ]
                                     *     }
                                     */
                                    schedule: {
                                        type: "daily" | "weekdays" | "interval";
                                        /** @description `weekdays` only (required): the days it is due */
                                        days?: number[];
                                        /** @description `interval` only (required): due every N days */
                                        every?: number;
                                        /**
                                         * Format: date
                                         * @description `interval` only: a day it is due; set by the server when left out (`startDate`, else the current day) and fixed
                                         */
                                        anchor?: string;
                                    };
                                    /**
                                     * Format: date
                                     * @description YYYY-MM-DD, from 2000-01-01 to 2999-12-31
                                     */
                                    startDate: string | null;
                                    reminders: {
                                        /**
                                         * @description HH:MM, the user’s local time
                                         * @example 07:30
                                         */
                                        time: string;
                                        /** @description Only on these ISO weekdays (and only when the habit is due) */
                                        days?: number[];
                                    }[];
                                    /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                    version: number;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    createdAt: string;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    updatedAt: string;
                                } | {
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    id: string;
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    habitId: string;
                                    /** @description `week` is an ISO week, Monday first */
                                    period: "day" | "week" | "month";
                                    target: number;
                                    /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                    version: number;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    createdAt: string;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    updatedAt: string;
                                } | {
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    id: string;
                                    /**
                                     * Format: uuid
                                     * @example 3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b
                                     */
                                    habitId: string;
                                    /**
                                     * Format: date
                                     * @description A calendar day, YYYY-MM-DD, in the years 1900–2999
                                     * @example 2026-11-29
                                     */
                                    date: string;
                                    /** @description A skipped day neither counts nor breaks a streak */
                                    status: "done" | "skipped";
                                    value: number;
                                    note: string | null;
                                    /** @description 1 when created, larger after every change (offline sync: GET /sync) */
                                    version: number;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    createdAt: string;
                                    /**
                                     * Format: date-time
                                     * @example 2026-11-29T22:42:44.000Z
                                     */
                                    updatedAt: string;
                                } | (never | null);
                                /** @description `rejected`: what the single-item route would have answered */
                                error?: {
                                    statusCode: number;
                                    message: string;
                                };
                            }[];
                        };
                    };
                };
                /** @description Bad Request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 400,
                         *       "error": "Bad Request",
                         *       "message": "body/name must NOT have fewer than 1 characters"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Unauthorized */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 401,
                         *       "error": "Unauthorized",
                         *       "message": "Missing or malformed bearer token"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
                /** @description Payload Too Large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "statusCode": 413,
                         *       "error": "Payload Too Large",
                         *       "message": "Request body is too large"
                         *     }
                         */
                        "application/json": {
                            statusCode: number;
                            error: string;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
