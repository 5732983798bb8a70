// INTERIM helper for the industrial reply readers: fixed-width text fields as sent by controllers.

/** ASCII/latin1 text of a fixed field: cut at the first NUL, control characters dropped, trimmed. */
export function fieldText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const end = nul < 0 ? bytes.length : nul;
  return Buffer.from(bytes.subarray(0, end))
    .toString('latin1')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim();
}
