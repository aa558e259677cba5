import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback server whose answer never ends (up to `limitBytes`, so a broken client cannot make the
 * test run away), written as fast as the reader drains it. A path containing "silent" is never answered.
 */
export async function startEndlessServer(limitBytes: number, contentType = "application/json") {
  let served = 0;
  const server = createServer((req, res) => {
    if (req.url?.includes("silent")) return;
    res.writeHead(200, { "Content-Type": contentType });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      // Counted as written, whether or not the socket wants more now: `write` returns false for a
      // chunk larger than its buffer, and the limit must still be reached.
      while (served < limitBytes) {
        served += chunk.length;
        if (!res.write(chunk)) return;
      }
      res.end();
    };
    res.on("drain", pump);
    res.on("close", () => res.off("drain", pump));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served: () => served, close: () => server.close() };
}
