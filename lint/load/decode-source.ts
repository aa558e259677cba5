import type { OffsetRange } from "../model.js";

/** Why a file cannot be read as YAML text, with the byte where the trouble starts. */
export interface UndecodableSource {
  problem: string;
  byteOffset: number;
}

/** One decoder for every file: a call without `stream` starts afresh, a failed one too. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8192;

/**
 * Bytes → text, refusing what is not UTF-8 YAML. The BOM is dropped so that
 * columns on line 1 match what editors show.
 */
export function decodeSource(
  bytes: Uint8Array,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): { text: string } | UndecodableSource {
  if (bytes.byteLength > maxBytes) return { problem: tooLarge(bytes.byteLength, maxBytes), byteOffset: 0 };
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul !== -1) return { problem: "binary file (NUL byte), not YAML text", byteOffset: nul };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: "invalid UTF-8 byte sequence; YAML files must be UTF-8", byteOffset: firstInvalidUtf8(bytes) };
  }
  return { text };
}

export function tooLarge(size: number, maxBytes: number): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `file is ${mb(size)} MB, over the ${mb(maxBytes)} MB limit (--max-file-size)`;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if (bytes[i + k]! >> 6 !== 0b10) return i;
    i += len;
  }
  return i;
}

/** Character offset in `text` of a byte offset in its UTF-8 encoding (for bytes before the bad one). */
export function byteToCharOffset(bytes: Uint8Array, byteOffset: number): number {
  return new TextDecoder("utf-8").decode(bytes.subarray(0, byteOffset)).length;
}

export const WHOLE_FILE: OffsetRange = [0, 0];
