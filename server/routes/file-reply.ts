// Files sent from routes: CSV exports streamed as attachments (listings walk every page; a report
// table is one string), and whole files (a signed report, its HTML, a public key) sent as bytes,
// so that nothing re-serialises them on the way out.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function sendCsv(
  reply: FastifyReply,
  name: string,
  rows: AsyncGenerator<string> | string,
): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(typeof rows === 'string' ? Buffer.from(rows, 'utf8') : Readable.from(rows));
}

export function sendFile(
  reply: FastifyReply,
  type: string,
  text: string,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.type(type).headers(headers).send(Buffer.from(text, 'utf8'));
}
