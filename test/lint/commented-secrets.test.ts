import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leaks, lintInEveryFormat } from "./all-formats.js";

// Commenting out an old password is the most common way to keep one "for later": the code frames
// around any result show that comment, clean file or broken.
const CANARIES = { commentedPassword: "CommentedCanary-c1x", pastedToken: "ghp_CommentCanary0123456789abcd", trailing: "TrailingCanary-c2y" };

describe("secrets in comments are masked like any other", () => {
  it.each([
    ["a clean file", "  url: https://jira.example\n"],
    ["a broken file", "  bad: [\n"],
  ])("%s, in every format", async (_label, last) => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-commented-"));
    const text = `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: x\nspec:\n  # password: ${CANARIES.commentedPassword}\n  # the old token was ${CANARIES.pastedToken}\n  username: svc # apiToken: ${CANARIES.trailing}\n${last}`;
    await writeFile(join(cwd, "instance.yaml"), text);
    const runs = await lintInEveryFormat(["instance.yaml"], { cwd });
    expect(runs.stylish.stdout).toMatch(/# (?:password|apiToken): \*+/);
    expect(leaks(runs, CANARIES)).toEqual([]);
  });
});
