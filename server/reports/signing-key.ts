// The collector's Ed25519 report-signing key, kept in its data directory: made on `originmap
// server --init` or at the first start (private key mode 0600 from creation, never overwritten),
// refused when others can read it, as ssh does. The public key is written next to it for admins and
// regulators (also served by GET /v1/reports/signing-key).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeys, keyIdOf, loadPrivateKey, SignatureError } from '../../core/report/signing.js';

export const KEY_FILE = 'report-signing.key';
export const PUB_FILE = 'report-signing.pub';

export interface CollectorKey {
  privateKey: KeyObject;
  /** SPKI PEM. */
  publicPem: string;
  keyId: string;
  /** Where the key files are. */
  dir: string;
}

export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

/** Loads the key from `dir`, or makes it there when there is none; `created` says which. */
export function loadOrCreateSigningKey(dir: string): { key: CollectorKey; created: boolean } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, KEY_FILE);
  const created = createIfMissing(path);
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    throw new SigningKeyError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  // POSIX modes only: on Windows the mode bits do not say who may read.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new SigningKeyError(
      `report signing key ${path} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  let privateKey: KeyObject;
  try {
    privateKey = loadPrivateKey(readFileSync(path));
  } catch (err) {
    if (err instanceof SignatureError)
      throw new SigningKeyError(`bad report signing key ${path}: ${err.message}`);
    throw err;
  }
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const pubPath = join(dir, PUB_FILE);
  let onDisk: string | null = null;
  try {
    onDisk = readFileSync(pubPath, 'utf8');
  } catch {
    onDisk = null;
  }
  if (onDisk !== publicPem) {
    writeFileSync(pubPath, publicPem, { mode: 0o644 });
    chmodSync(pubPath, 0o644);
  }
  return { key: { privateKey, publicPem, keyId: keyIdOf(privateKey), dir }, created };
}

/**
 * Makes a key file atomically: written whole to a private temporary file, then hard-linked into
 * place, which fails when a key is already there (so a key that signed reports is never replaced,
 * and a concurrent start never reads half a file).
 */
function createIfMissing(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, generateSigningKeys().privatePem, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}
