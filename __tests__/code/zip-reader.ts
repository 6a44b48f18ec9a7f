/** Reads a zip's central directory, to check what the action wrote (names, modes, times, order). */
export interface CentralEntry {
  readonly name: string;
  /** Unix mode from the high 16 bits of the external attributes. */
  readonly mode: number;
  /** "Made by" host: 3 is Unix. */
  readonly madeBy: number;
  /** DOS date and time fields, as stored. */
  readonly dosDate: number;
  readonly dosTime: number;
  /** General purpose flags of the local header (bit 3: sizes in a data descriptor). */
  readonly localFlags: number;
}

export function centralEntries(zip: Uint8Array): CentralEntry[] {
  const bytes = Buffer.from(zip);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localAt = bytes.readUInt32LE(at + 42);
    entries.push({
      name: bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      mode: bytes.readUInt32LE(at + 38) >>> 16,
      madeBy: bytes.readUInt8(at + 5),
      dosTime: bytes.readUInt16LE(at + 12),
      dosDate: bytes.readUInt16LE(at + 14),
      localFlags: bytes.readUInt16LE(localAt + 6)
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
