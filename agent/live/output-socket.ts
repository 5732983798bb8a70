// A capture child's stdout as one end of a Unix socket pair whose other end we read into a single
// reused buffer. Why not the usual stdout pipe: Node gives each pipe read its own 64 KiB buffer, and
// at capture rates (60 MB/s at 100 k packets/s) the ones already consumed wait for V8's next
// collection, which external memory alone triggers only after tens of MB (measured: 32 MB of
// arrayBuffers held while reading a capture through `cat`). With `onread` and one buffer that garbage
// does not exist. The pair is made through an abstract-namespace socket (Linux): nothing on disk.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';

/** Bytes read at once from the child's output. */
export const OUTPUT_READ_BYTES = 1024 * 1024;

export interface OutputSocket {
  /** Give this to spawn() as the child's stdout, then call childSpawned(). */
  readonly childEnd: Socket;
  /** Closes our copy of the child's end: EOF then comes when the child (and its children) exit. */
  childSpawned(): void;
  /** Resolves once everything the child wrote has been handed to onData (EOF or error). */
  readonly ended: Promise<void>;
  /** Stops reading and closes both ends. */
  close(): void;
}

/**
 * `onData` gets views into one reused buffer, valid only during the call: it must consume or copy
 * them before returning (CaptureStream does: records cut by a read boundary are copied).
 */
export async function openOutputSocket(onData: (bytes: Uint8Array) => void): Promise<OutputSocket> {
  const name = `\0originmap-capture-${process.pid}-${randomBytes(8).toString('hex')}`;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const buffer = Buffer.allocUnsafe(OUTPUT_READ_BYTES);
  try {
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const reader = connect({
      path: name,
      onread: {
        buffer,
        callback: (n: number, buf: Uint8Array) => {
          onData(buf.subarray(0, n));
          return true;
        },
      },
    });
    await new Promise<void>((resolve, reject) => {
      reader.once('connect', resolve);
      reader.once('error', reject);
    });
    // Never half-closed from our side: the child's end would answer a FIN by closing too.
    const childEnd = await accepted;
    const ended = new Promise<void>((resolve) => {
      reader.once('end', resolve);
      reader.once('error', () => resolve());
      reader.once('close', () => resolve());
    });
    return {
      childEnd,
      childSpawned: () => childEnd.destroy(),
      ended,
      close: () => {
        childEnd.destroy();
        reader.destroy();
      },
    };
  } finally {
    server.close();
  }
}
