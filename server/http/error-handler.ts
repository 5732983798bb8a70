// The one error handler: every failure leaves as `{ code, message, requestId, details }` with a
// code from server/errors.ts. 4xx say what was wrong; 5xx say only "internal" and the request id,
// and the details go to the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ERRORS, type ErrorCode } from '../errors.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'OM_ERR_REQ_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'OM_ERR_REQ_UNSUPPORTED_MEDIA',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'OM_ERR_REQ_BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'OM_ERR_REQ_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'OM_ERR_REQ_BAD_JSON',
  // zlib: a corrupt or truncated gzip body.
  Z_DATA_ERROR: 'OM_ERR_REQ_BAD_ENCODING',
  Z_BUF_ERROR: 'OM_ERR_REQ_BAD_ENCODING',
  ERR_STREAM_PREMATURE_CLOSE: 'OM_ERR_REQ_BAD_ENCODING',
  // The router's own refusals (reach us through frameworkErrors, app.ts); Fastify's text quotes the URL.
  FST_ERR_BAD_URL: 'OM_ERR_REQ_VALIDATION',
  FST_ERR_MAX_PARAM_LENGTH: 'OM_ERR_REQ_VALIDATION',
};

const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_BAD_URL: 'url: a path segment is not valid percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: 'url: a path parameter is longer than the router accepts',
};

const MAX_DETAILS = 20;

/** Maps any thrown value to a registered code, details safe to show, and extra headers. */
export function classify(err: unknown): {
  code: ErrorCode;
  details: string[];
  headers: Record<string, string>;
} {
  if (err instanceof ApiError) return { code: err.code, details: err.details, headers: err.headers };
  const e = err as FastifyError & { validation?: { instancePath?: string; message?: string }[] };
  if (Array.isArray(e.validation)) {
    const where = e.validationContext ?? 'request';
    return {
      code: 'OM_ERR_REQ_VALIDATION',
      details: e.validation
        .slice(0, MAX_DETAILS)
        .map((v) => `${where}${v.instancePath || ''}: ${v.message ?? 'invalid'}`),
      headers: {},
    };
  }
  const mapped = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) {
    const detail = FASTIFY_DETAILS[e.code];
    return { code: mapped, details: detail ? [detail] : [], headers: {} };
  }
  // JSON.parse and secure-json-parse (prototype poisoning) throw SyntaxError with a 400 status.
  if (e instanceof SyntaxError && e.statusCode === 400) {
    return { code: 'OM_ERR_REQ_BAD_JSON', details: [e.message.slice(0, 200)], headers: {} };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const byStatus: Record<number, ErrorCode> = {
      401: 'OM_ERR_AUTH_MISSING',
      404: 'OM_ERR_REQ_NOT_FOUND',
      413: 'OM_ERR_REQ_BODY_TOO_LARGE',
      415: 'OM_ERR_REQ_UNSUPPORTED_MEDIA',
      429: 'OM_ERR_REQ_RATE_LIMITED',
    };
    return {
      code: byStatus[e.statusCode] ?? 'OM_ERR_REQ_VALIDATION',
      details: [e.message.slice(0, 200)],
      headers: {},
    };
  }
  if (e.statusCode === 503) return { code: 'OM_ERR_SERVER_UNAVAILABLE', details: [], headers: {} };
  return { code: 'OM_ERR_SERVER_INTERNAL', details: [], headers: {} };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, err: unknown): FastifyReply {
  const { code, details, headers } = classify(err);
  const spec = ERRORS[code];
  if (spec.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code, details }, 'request rejected');
  return reply
    .code(spec.status)
    .headers(headers)
    .send({
      code,
      message: spec.message,
      requestId: String(request.id),
      details: spec.status >= 500 ? [] : details,
    });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendError(reply, request, err));
  app.setNotFoundHandler((request, reply) => sendError(reply, request, new ApiError('OM_ERR_REQ_NOT_FOUND')));
}
