// Test helpers for the industrial decoders: asserting a decoder error's type and field.
import { expect } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';

export type ErrorType = 'decode' | 'truncated';

/** Runs `fn` and asserts it threw a DecodeError (not a TruncatedError) or a TruncatedError naming `field`. */
export function expectDecoderError(fn: () => unknown, type: ErrorType, field: string): DecodeError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DecodeError);
  expect(caught instanceof TruncatedError).toBe(type === 'truncated');
  expect((caught as DecodeError).field).toBe(field);
  return caught as DecodeError;
}
