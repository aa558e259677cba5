import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownText } from "../../text/markdown.js";
import { runCli } from "../helpers/run-cli.js";

// The markdown of `diff` and `log` is meant for a pull-request comment, and the pull request's
// author writes the names, values, commit subjects and author names it shows: none of them may
// become a link (autolinks included), an image, HTML, a mention, a reference or an emoji there.
const IMAGE = "![seen](https://tracker.example/pixel.png)";
const LINK = "[all clear](https://evil.example)";
let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
const link = (product: string, key: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: payments\nspec:\n  product: "${product}"\n  instance: corp-jira\n  projectKey: "${key}"\n`;

/** What GitHub would make live outside code: links, autolinks, images, HTML, mentions, references, emoji. */
const LIVE = [/!\[/, /\]\(/, /</, /@/, /#1\b/, /GH-1/, /https?:/, /www\./, /:shipit:/, /\$/];
/** A line without its inline code spans (a fence of n backticks up to the next run of exactly n). */
const outsideCode = (markdown: string) => markdown.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
const HOSTILE = `${IMAGE} ${LINK} @octocat #1 GH-1 https://evil.example/login www.evil.example ops@evil.example :shipit: $x$ \`tick\``;

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "dojo-jira-markdown-"));
  await mkdir(join(repo, "config"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "mallory@corp.example");
  git("config", "user.name", "@octocat <img src=x>");
  await writeFile(join(repo, "config/link.yaml"), link("Payments API", "PAY"));
  git("add", "-A");
  git("commit", "-qm", "first");
  await writeFile(join(repo, "config/link.yaml"), link(HOSTILE, "<a href=x>PAY</a>"));
  git("add", "-A");
  git("commit", "-qm", `Fixes #1 GH-1, see https://evil.example/x ${LINK} ${IMAGE}`);
});
afterAll(async () => rm(repo, { recursive: true, force: true }));

describe("markdown output", () => {
  it("diff shows hostile names and values as text", async () => {
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--path", "config", "--format", "markdown"], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(HOSTILE);
    for (const live of LIVE) expect(outsideCode(run.stdout)).not.toMatch(live);
  });

  it("log shows hostile subjects and author names as text", async () => {
    const run = await runCli(["log", "--path", "config", "--format", "markdown"], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(markdownText(`Fixes #1 GH-1, see https://evil.example/x ${LINK} ${IMAGE}`));
    expect(run.stdout).toMatch(/`@octocat[^`]*`/); // git keeps the name, less its angle brackets
    for (const live of LIVE) expect(outsideCode(run.stdout)).not.toMatch(live);
  });

  it("markdownText fences backticks inside with a longer run", () => {
    expect(markdownText("plain")).toBe("`plain`");
    expect(markdownText("a `b` c")).toBe("``a `b` c``");
    expect(markdownText("``x")).toBe("``` ``x ```");
    expect(outsideCode(markdownText("a ``` b @x"))).toBe("");
  });
});
