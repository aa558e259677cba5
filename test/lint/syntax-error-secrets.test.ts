import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leaks, lintInEveryFormat } from "./all-formats.js";

const FRAME_CANARY = "Hunter2FrameCanary";
const TOKEN_CANARY = "Hunter2TokenCanary";
const QUOTED_CANARY = "Hunter2QuotedCanary";

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dojo-jira-syntax-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe("a file with syntax errors prints no secret", () => {
  it("the code frame masks a password next to a syntax error, and yaml's messages quote no token, in every format", async () => {
    const cwd = await tree({
      // Bad indentation on the line after the password: the frame shows the password line.
      "frame.yaml": `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: corp-jira\nspec:\n  url: https://corp.atlassian.net\n  password: ${FRAME_CANARY}\n   username: svc\n`,
      // A mapping after a sequence: yaml reports the stray scalar, quoting it.
      "token.yaml": `- item\npassword: ${TOKEN_CANARY}\n`,
      // A broken double-quoted scalar: the frame sits on the secret's line.
      "quoted.yaml": `spec:\n  webhookSecret: "${QUOTED_CANARY}\n`,
    });
    const runs = await lintInEveryFormat(["."], { cwd });
    expect(leaks(runs, { frame: FRAME_CANARY, token: TOKEN_CANARY, quoted: QUOTED_CANARY })).toEqual([]);
    const messages = (JSON.parse(runs.json.stdout) as { results: Array<{ file: string; message: string }> }).results.map((r) => `${r.file}: ${r.message}`);
    expect(messages).toContain('token.yaml: line 2 is a key among the "- " list items above it (line 1); one indentation level holds either keys or "- " items, not both');
    expect(messages.filter((m) => m.startsWith("frame.yaml"))).not.toEqual([]);
    expect(runs.stylish.stdout).toMatch(/password: \*{18}/);
    expect(runs.json.status).toBe(1);
  });
});
