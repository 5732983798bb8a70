// Files a user names, read with the cap enforced while reading: regular files, pipes, devices and
// directories, each with its own answer and none read past the cap.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTooLargeError, readBounded } from '../../core/read-bounded.js';

const dir = mkdtempSync(join(tmpdir(), 'om-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readBounded', () => {
  it('reads a regular file up to the cap, and refuses one byte more with its size', () => {
    const path = join(dir, 'ten');
    writeFileSync(path, '0123456789');
    expect(readBounded(path, 10).toString()).toBe('0123456789');
    expect(readBounded(path, 1_000_000).toString()).toBe('0123456789');
    expect(() => readBounded(path, 9)).toThrow(new FileTooLargeError(path, 10, 9));
    writeFileSync(join(dir, 'empty'), '');
    expect(readBounded(join(dir, 'empty'), 0).length).toBe(0);
  });

  it('stops an endless device at the cap instead of reading it until memory runs out', () => {
    // stat() says 0 bytes for /dev/zero: a size check before reading let readFileSync run forever.
    if (!existsSync('/dev/zero')) return;
    const err = (() => {
      try {
        readBounded('/dev/zero', 200_000);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect((err as FileTooLargeError).size).toBeNull();
    expect((err as Error).message).toBe('/dev/zero: more than 200000 bytes, above the 200000 limit');
  });

  it('reads a pipe whole when it fits (a shell process substitution)', async () => {
    if (process.platform === 'win32') return;
    const fifo = join(dir, 'fifo');
    const made = spawn('mkfifo', [fifo]);
    await new Promise((resolve) => made.on('close', resolve));
    if (!existsSync(fifo)) return;
    const writer = spawn('sh', ['-c', `printf 'policy: x\\n%.0s' $(seq 1 20000) > '${fifo}'`]);
    const closed = new Promise((resolve) => writer.on('close', resolve));
    expect(readBounded(fifo, 1_000_000).toString()).toBe('policy: x\n'.repeat(20_000));
    await closed;
  });

  it('fails on a directory with EISDIR, as reading one does', () => {
    const sub = join(dir, 'folder.yaml');
    mkdirSync(sub);
    expect(() => readBounded(sub, 100)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(() => readBounded(join(dir, 'missing'), 100)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
