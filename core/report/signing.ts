// Ed25519 signatures over the canonical JSON (RFC 8785) of a report, with node:crypto.
// A signed report file is exactly canonicalJson(document with its `signature` member) + "\n", so
// any changed byte either changes the signed content or breaks the canonical form: both fail.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export interface ReportSignature {
  alg: 'Ed25519';
  canonicalization: 'RFC8785';
  /** "ed25519:" + the first 32 hex digits of SHA-256 over the public key's SPKI DER. */
  keyId: string;
  /** Base64 of the 64-byte signature over canonicalJson(document without `signature`). */
  value: string;
}

export class SignatureError extends Error {
  override readonly name = 'SignatureError';
}

export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 32)}`;
}

export interface SigningKeys {
  /** PKCS#8 PEM: keep it with mode 0600. */
  privatePem: string;
  /** SPKI PEM: give it to whoever verifies. */
  publicPem: string;
  keyId: string;
}

export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SignatureError(`${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key, not Ed25519`);
  return key;
}

export function loadPrivateKey(pem: string | Buffer): KeyObject {
  try {
    return ed25519(createPrivateKey(pem), 'the private key');
  } catch (err) {
    if (err instanceof SignatureError) throw err;
    throw new SignatureError(`not a PEM private key (${(err as Error).message})`);
  }
}

export function loadPublicKey(pem: string | Buffer): KeyObject {
  const text = Buffer.isBuffer(pem) ? pem.toString('utf8') : pem;
  if (/PRIVATE KEY/.test(text))
    throw new SignatureError('this is a private key; verify with the public key (.pub)');
  try {
    return ed25519(createPublicKey(text), 'the public key');
  } catch (err) {
    if (err instanceof SignatureError) throw err;
    throw new SignatureError(`not a PEM public key (${(err as Error).message})`);
  }
}

/** Signs a document (which must not already carry `signature`); returns the file's exact text. */
export function signDocument(document: Record<string, unknown>, privateKey: KeyObject): string {
  if (Object.hasOwn(document, 'signature'))
    throw new SignatureError('document already has a signature member');
  const payload = Buffer.from(canonicalJson(document), 'utf8');
  const value = sign(null, payload, ed25519(privateKey, 'the private key')).toString('base64');
  const signature: ReportSignature = {
    alg: 'Ed25519',
    canonicalization: 'RFC8785',
    keyId: keyIdOf(privateKey),
    value,
  };
  return `${canonicalJson({ ...document, signature })}\n`;
}

export interface Verified {
  keyId: string;
  /** The document without its signature member. */
  document: Record<string, unknown>;
}

/** Checks a signed report's exact bytes; throws SignatureError with one clear reason. */
export function verifyDocument(bytes: Uint8Array, publicKey: KeyObject): Verified {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SignatureError('the report is not valid UTF-8: it was changed or is not a report');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SignatureError(
      `the report is not valid JSON (${(err as Error).message}): it was changed or truncated`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SignatureError('the report is not a JSON object');
  const { signature, ...document } = parsed as Record<string, unknown>;
  const sig = signature as Partial<ReportSignature> | undefined;
  if (!sig || typeof sig !== 'object') throw new SignatureError('the report has no signature');
  if (sig.alg !== 'Ed25519' || sig.canonicalization !== 'RFC8785')
    throw new SignatureError(
      `unsupported signature (alg ${quote(sig.alg)}, canonicalization ${quote(sig.canonicalization)})`,
    );
  const value =
    typeof sig.value === 'string' && /^[A-Za-z0-9+/]{86}==$/.test(sig.value)
      ? Buffer.from(sig.value, 'base64')
      : null;
  // Canonical base64 only: the last character's unused bits must not give a second spelling.
  if (value === null || value.length !== 64 || value.toString('base64') !== sig.value)
    throw new SignatureError('the signature value is not 64 bytes of canonical base64');
  const expectedKey = keyIdOf(ed25519(publicKey, 'the public key'));
  if (sig.keyId !== expectedKey)
    throw new SignatureError(
      `the report was signed with key ${quote(sig.keyId)}, not with the given key ${expectedKey}`,
    );
  let payload: Buffer;
  try {
    payload = Buffer.from(canonicalJson(document), 'utf8');
  } catch (err) {
    throw new SignatureError(`the report cannot be canonicalised: ${(err as Error).message}`);
  }
  if (!verify(null, payload, publicKey, value))
    throw new SignatureError('signature does not match: the report was changed after it was signed');
  if (text !== `${canonicalJson(parsed)}\n`)
    throw new SignatureError(
      'the signed content is intact but the file is not byte for byte what was signed (re-formatted or edited)',
    );
  return { keyId: expectedKey, document };
}

/** A value read from the report, for an error message: JSON-quoted, short, one line. */
function quote(value: unknown): string {
  const text = JSON.stringify(String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}
