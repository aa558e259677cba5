import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leaks, lintInEveryFormat } from "./all-formats.js";

const UTF8_CANARY = "Hunter2Utf8Canary";
const NUL_CANARY = "Hunter2NulCanary";
const CUT_CANARY = "Hunter2CutCanary";

describe("an undecodable file prints no secret", () => {
  it("the frame of an invalid UTF-8 byte or a NUL byte masks the password above it, in every format", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-undecodable-"));
    const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
    await writeFile(join(cwd, "utf8.yaml"), bytes(`spec:\n  password: ${UTF8_CANARY}\n  url: https://jira.example/`, [0xff, 0xfe], "\n"));
    await writeFile(join(cwd, "nul.yaml"), bytes(`spec:\n  password: ${NUL_CANARY}\n  url: x`, [0x00], "\n"));
    // The bad byte inside the secret itself: the decodable part of the secret is still a secret.
    await writeFile(join(cwd, "cut.yaml"), bytes(`spec:\n  password: ${CUT_CANARY}`, [0xc3, 0x28], "rest\n"));
    const runs = await lintInEveryFormat(["."], { cwd });
    expect(leaks(runs, { utf8: UTF8_CANARY, nul: NUL_CANARY, cut: CUT_CANARY })).toEqual([]);
    const messages = (JSON.parse(runs.json.stdout) as { results: Array<{ file: string; message: string }> }).results.map((r) => `${r.file}: ${r.message}`);
    expect(messages).toEqual([
      "cut.yaml: invalid UTF-8 byte sequence; YAML files must be UTF-8",
      "nul.yaml: binary file (NUL byte), not YAML text",
      "utf8.yaml: invalid UTF-8 byte sequence; YAML files must be UTF-8",
    ]);
    expect(runs.stylish.stdout).toMatch(/password: \*+/);
  });
});
