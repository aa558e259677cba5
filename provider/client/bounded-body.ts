/** No answer we read is larger than this: a hostile or broken server cannot exhaust memory. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export class AnswerTooLarge extends Error {
  constructor(limit: number) {
    super(`the answer is larger than ${Math.round(limit / (1024 * 1024))} MB`);
    this.name = "AnswerTooLarge";
  }
}

/** The body as text, read chunk by chunk and abandoned (the connection cancelled) past `limit` bytes. */
export async function readBounded(response: Response, limit = MAX_ANSWER_BYTES): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AnswerTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
