// The decoders probe replies go through: the same registry the passive pipeline uses, by id.
import { APP_DECODERS } from '../decode/registry.js';
import type { AppDecoder } from '../decode/types.js';

const BY_ID = new Map(APP_DECODERS.map((d) => [d.id, d]));

/** The registered decoder with this id (a probe definition's `decoder`), or undefined. */
export function replyDecoder(id: string): AppDecoder | undefined {
  return BY_ID.get(id);
}
