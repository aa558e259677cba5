import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownText } from "../../text/markdown.js";
import { runCli } from "../helpers/run-cli.js";

// The markdown of `diff` and `log` is meant for a pull-request comment, and the pull request's
// author writes the names, values, commit subjects and author names it shows: none of them may
// become a link, an image, HTML, a mention or an issue reference there.
const IMAGE = "![seen](https://tracker.example/pixel.png)";
const LINK = "[all clear](https://evil.example)";
let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
const link = (product: string, key: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: payments\nspec:\n  product: "${product}"\n  instance: corp-jira\n  projectKey: "${key}"\n`;

/** What a markdown renderer would turn into something live: links, images, raw HTML, mentions, references. */
const LIVE = [/(?<!\\)!\[/, /(?<!\\)\]\(/, /<img/i, /<a /i, /(?<!\\)@octocat/, /(?<!\\)#1\b/];

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "dojo-jira-markdown-"));
  await mkdir(join(repo, "config"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "mallory@corp.example");
  git("config", "user.name", "@octocat <img src=x>");
  await writeFile(join(repo, "config/link.yaml"), link("Payments API", "PAY"));
  git("add", "-A");
  git("commit", "-qm", "first");
  await writeFile(join(repo, "config/link.yaml"), link(`${IMAGE} ${LINK} @octocat #1`, "<a href=x>PAY</a>"));
  git("add", "-A");
  git("commit", "-qm", `Fixes #1 ${LINK} ${IMAGE}`);
});
afterAll(async () => rm(repo, { recursive: true, force: true }));

describe("markdown output", () => {
  it("diff shows hostile names and values as text", async () => {
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--path", "config", "--format", "markdown"], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(markdownText(IMAGE));
    for (const live of LIVE) expect(run.stdout).not.toMatch(live);
  });

  it("log shows hostile subjects and author names as text", async () => {
    const run = await runCli(["log", "--path", "config", "--format", "markdown"], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(markdownText(`Fixes #1 ${LINK}`));
    for (const live of LIVE) expect(run.stdout).not.toMatch(live);
  });

  it("markdownText leaves plain names as they are", () => {
    expect(markdownText("ProductJiraLink identity-service (Identity Service): pushAllIssues turned off")).toBe("ProductJiraLink identity-service (Identity Service): pushAllIssues turned off");
  });
});
