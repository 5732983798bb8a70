// A TCP proxy between the agent and the collector that lets a test pick its moment: it notices when
// an upload (POST /v1/ingest) has been forwarded whole, and can hold the collector's answers so an
// upload stays "in flight" while the test kills a process.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class CollectorProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Hold every answer of a connection that carried an upload (released by pass()). */
  holdUploads = false;
  /** Uploads forwarded whole to the collector so far. */
  uploadsForwarded = 0;
  /** Called when an upload has been forwarded whole. */
  onUpload: (() => void) | null = null;
  /** Milliseconds from an upload forwarded whole to the first byte of the collector's answer. */
  readonly answerMs: number[] = [];
  port = 0;

  constructor(readonly target: () => number) {
    this.#server = createServer((client) => this.#handle(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.#server.address() as { port: number }).port;
    return this.port;
  }

  /** Stops holding; answers held so far are dropped (their connections are closed). */
  pass(): void {
    this.holdUploads = false;
    for (const s of this.#sockets) if ((s as Socket & { held?: boolean }).held) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  #handle(client: Socket): void {
    const upstream = connect(this.target(), '127.0.0.1');
    const held = client as Socket & { held?: boolean };
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    // Requests: a small HTTP/1.1 framer (headers, then Content-Length bytes), to see uploads end.
    let head = '';
    let bodyLeft = -1;
    let isUpload = false;
    let forwardedAt = 0;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      let data = chunk;
      while (data.length > 0) {
        if (bodyLeft < 0) {
          head += data.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          const headers = head.slice(0, end);
          isUpload = headers.startsWith('POST /v1/ingest');
          bodyLeft = Number(/content-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0);
          data = Buffer.from(head.slice(end + 4), 'latin1');
          head = '';
        }
        const take = Math.min(bodyLeft, data.length);
        bodyLeft -= take;
        data = data.subarray(take);
        if (bodyLeft === 0) {
          bodyLeft = -1;
          if (isUpload) {
            forwardedAt = performance.now();
            if (this.holdUploads) held.held = true;
            this.uploadsForwarded++;
            this.onUpload?.();
          }
        }
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (forwardedAt) {
        this.answerMs.push(performance.now() - forwardedAt);
        forwardedAt = 0;
      }
      if (!held.held) client.write(chunk);
    });
  }
}
