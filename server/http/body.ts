// Request body decoding: gzip accepted (DESIGN.md §3 "gzip on the wire"), anything else refused.
// Both the encoded and the inflated size are capped by the route's bodyLimit; inflation stops at
// the cap, so a gzip bomb costs at most bodyLimit bytes of work. Runs after authentication
// (onRequest), so an anonymous client never gets a byte inflated.
import { pipeline, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

type Payload = NodeJS.ReadableStream & { receivedEncodedLength?: number };

export function decodeBody(request: FastifyRequest, payload: Payload): Payload {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip')
    throw new ApiError('OM_ERR_REQ_UNSUPPORTED_ENCODING', [encoding]);
  const limit = request.routeOptions.bodyLimit ?? 1_048_576;
  let encoded = 0;
  let inflated = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      encoded += chunk.length;
      limited.receivedEncodedLength = encoded;
      done(
        encoded > limit ? new ApiError('OM_ERR_REQ_BODY_TOO_LARGE', [`more than ${limit} bytes`]) : null,
        chunk,
      );
    },
  });
  const limited: Transform & { receivedEncodedLength?: number } = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inflated += chunk.length;
      if (inflated > limit)
        done(new ApiError('OM_ERR_REQ_BODY_TOO_LARGE', [`inflates to more than ${limit} bytes`]));
      else done(null, chunk);
    },
  });
  limited.receivedEncodedLength = 0;
  // pipeline destroys every stage on the first error: a bomb stops inflating at once.
  pipeline(payload, meter, createGunzip(), limited, () => {});
  return limited;
}
