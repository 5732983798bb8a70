// The one registry of coded errors the collector answers with (STYLE.md "errors as a registry").
// docs/errors.md lists the same codes; test/server/errors.test.ts keeps the two in sync.

export interface ErrorSpec {
  readonly status: number;
  /** The message sent to the client; 5xx messages never carry details. */
  readonly message: string;
}

function codes<T extends Record<string, ErrorSpec>>(table: T): T {
  return table;
}

export const ERRORS = codes({
  OM_ERR_AUTH_MISSING: { status: 401, message: 'a bearer token is required (Authorization: Bearer <token>)' },
  OM_ERR_AUTH_INVALID: { status: 401, message: 'the token is unknown, revoked or expired' },
  OM_ERR_AUTH_FORBIDDEN: { status: 403, message: "this token's role may not use this route" },
  OM_ERR_AUTH_SCOPE: { status: 403, message: 'this token may not act on that operator, site or agent' },
  OM_ERR_REQ_VALIDATION: { status: 400, message: 'the request does not match the schema' },
  OM_ERR_REQ_BAD_JSON: { status: 400, message: 'the body is not valid JSON' },
  OM_ERR_REQ_BAD_ENCODING: { status: 400, message: 'the body could not be decoded (corrupt gzip)' },
  OM_ERR_REQ_UNSUPPORTED_ENCODING: {
    status: 415,
    message: 'unsupported Content-Encoding (use gzip or identity)',
  },
  OM_ERR_REQ_UNSUPPORTED_MEDIA: { status: 415, message: 'unsupported Content-Type (use application/json)' },
  OM_ERR_REQ_BODY_TOO_LARGE: { status: 413, message: 'the body is larger than this route accepts' },
  OM_ERR_REQ_BAD_CURSOR: { status: 400, message: 'the pagination cursor is not one this server issued' },
  OM_ERR_REQ_NOT_FOUND: { status: 404, message: 'no such route' },
  OM_ERR_REQ_RATE_LIMITED: { status: 429, message: 'too many requests: slow down and retry after the delay' },
  OM_ERR_TENANT_NOT_FOUND: { status: 404, message: 'no such operator, site, agent or token in your scope' },
  OM_ERR_TENANT_CONFLICT: { status: 409, message: 'a resource with that name already exists' },
  OM_ERR_TENANT_INVALID: { status: 400, message: 'the scope does not fit the role' },
  OM_ERR_DEVICE_NOT_FOUND: { status: 404, message: 'no such device in your scope' },
  OM_ERR_INGEST_AGENT_MISMATCH: { status: 403, message: "the batch's agentId is not the uploading agent" },
  OM_ERR_INGEST_INVALID: { status: 400, message: 'the batch is inconsistent; nothing was written' },
  OM_ERR_ENROLL_USED: { status: 401, message: 'the enrollment token was already used or has expired' },
  OM_ERR_POLICY_INVALID: {
    status: 400,
    message: 'the policy configuration has problems; nothing was changed',
  },
  OM_ERR_FINDING_NOT_FOUND: { status: 404, message: 'no such finding in your scope' },
  OM_ERR_FINDING_TRANSITION: {
    status: 409,
    message: "the finding's current status does not allow this action",
  },
  OM_ERR_FINDING_INVALID: { status: 400, message: 'the action is incomplete or its terms are not allowed' },
  OM_ERR_REPORT_NOT_FOUND: { status: 404, message: 'no such report in your scope' },
  OM_ERR_REPORT_SCHEDULE_INVALID: {
    status: 400,
    message: 'the report schedule is not valid; nothing was changed',
  },
  OM_ERR_REPORT_UNAVAILABLE: {
    status: 503,
    message: 'reports are not available: the collector has no signing key (no data directory)',
  },
  OM_ERR_SERVER_UNAVAILABLE: { status: 503, message: 'the server is shutting down; retry shortly' },
  OM_ERR_SERVER_INTERNAL: {
    status: 500,
    message: 'internal error; the server log has the details under this request id',
  },
});

export type ErrorCode = keyof typeof ERRORS;

/** An error the handler turns into `{ code, message, requestId, details }` with the registry's status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Specifics the client may see (which field, which value); never secrets or internals. */
    readonly details: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

export function apiError(code: ErrorCode, ...details: string[]): ApiError {
  return new ApiError(code, details);
}
