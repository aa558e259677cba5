/** No answer we read is larger than this: a hostile or broken server cannot exhaust memory. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export class AnswerTooLarge extends Error {
  constructor(limit: number) {
    super(`the answer is larger than ${Math.round(limit / (1024 * 1024))} MB`);
    this.name = "AnswerTooLarge";
  }
}

/**
 * A body's bytes, at most `limit` of them, in one buffer that doubles as it fills: a Buffer per chunk
 * would cost a few hundred bytes of heap per byte of a body sent one byte per chunk.
 */
export class BoundedText {
  private bytes = Buffer.alloc(0);
  private size = 0;

  constructor(private readonly limit: number) {}

  /** False, and nothing kept, once the body would pass the limit. */
  add(chunk: Uint8Array): boolean {
    if (this.size + chunk.length > this.limit) return false;
    if (this.size + chunk.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.limit, Math.max(this.size + chunk.length, 2 * this.bytes.length)));
      this.bytes.copy(grown, 0, 0, this.size);
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.size);
    this.size += chunk.length;
    return true;
  }

  toString(): string {
    return this.bytes.toString("utf8", 0, this.size);
  }
}
