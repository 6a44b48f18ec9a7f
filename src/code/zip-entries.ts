/** The "end of central directory" record every zip archive ends with (PK\x05\x06). */
const END_SIGNATURE = 0x06054b50;
/** The record's fixed size; a comment of up to 65535 bytes may follow it. */
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;

/**
 * The number of entries of a zip archive, from its end record; undefined when the bytes are no zip
 * archive. Enough to tell a zip from a tarball or a text file before Lambda is asked to unpack it.
 */
export function countZipEntries(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = bytes.length - END_RECORD_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) !== END_SIGNATURE) continue;
    const commentBytes = view.getUint16(at + 20, true);
    // The comment must end exactly at the end of the file, else this is a false match in the data.
    if (at + END_RECORD_BYTES + commentBytes === bytes.length) return view.getUint16(at + 10, true);
  }
  return undefined;
}
