// Bearer tokens: 256 random bits, shown once, stored as SHA-256. A slow password hash (scrypt,
// argon2) protects guessable passwords from offline brute force; a 2^256 search space needs no
// stretching, and a plain hash keeps the per-request check at a few microseconds.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROLES = ['admin', 'analyst', 'regulator', 'agent', 'enroll', 'metrics'] as const;
export type Role = (typeof ROLES)[number];

/** What a verified token lets its bearer do. */
export interface Principal {
  tokenId: number;
  role: Role;
  /** analyst: the operator it reads; regulator: one overseen operator (or null with a sector). */
  operatorId: number | null;
  /** analyst (optional) and agent: the one site it is limited to. */
  siteId: number | null;
  /** regulator: the sector it oversees (every operator of that sector). */
  sector: string | null;
  /** agent and enroll: the agent the token belongs to. */
  agentId: number | null;
}

// "om_" + base64url: recognisable by secret scanners, safe in headers and shells.
const PREFIX = 'om_';
// 43 characters = 256 bits; longer is allowed for operator-made bootstrap tokens.
const TOKEN_RE = /^om_[A-Za-z0-9_-]{43,128}$/;

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Syntax only: rejects junk before any database work. */
export function looksLikeToken(text: string): boolean {
  return TOKEN_RE.test(text);
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The part of a token shown in listings: the prefix and 6 characters, ~36 bits, not a secret. */
export function tokenHint(token: string): string {
  return token.slice(0, PREFIX.length + 6);
}

/** Constant-time comparison of two hashes (the stored one and the presented one). */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from an Authorization header, or null when there is none or it is not "Bearer <token>". */
export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m ? m[1]! : null;
}
