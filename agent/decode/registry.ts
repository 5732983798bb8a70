// The explicit list of application and industrial decoders, in the order they are tried.
// Specific, cheaply-sniffed protocols come first; generic text sniffers (HTTP, banners) last.
import type { AppDecoder } from './types.js';

// --- discovery and IT protocols (issue 3, part 1) ---

// --- industrial protocols (issue 3, part 2) ---

export const APP_DECODERS: readonly AppDecoder[] = [
  // --- discovery and IT protocols ---
  // --- industrial protocols ---
];
