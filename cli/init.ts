import { lstatSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { printable } from "../text/printable.js";
import { parseCommandArgs } from "./args.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";
import { VERSION } from "./version.js";

export const INIT_HELP = `Usage: dojo-jira init [DIR] [--force]

Scaffolds a config repo in DIR (default: the current folder): a Pulumi project that applies config/,
one example document of each kind, .dojo-jira.yaml, a GitHub Actions workflow that lints pull
requests with SARIF upload, and a pre-commit config. Existing files are never overwritten unless
--force is given; the command lists them and stops.
`;

const SCHEMA = "node_modules/dojo-jira/schema/defectdojo-jira.schema.json";
const header = `# yaml-language-server: $schema=../${SCHEMA}\n`;

/** Every file of a new config repo, by path. Kept as data: the scaffold reads like what it writes. */
export function scaffold(projectName: string): Record<string, string> {
  return {
    "package.json": `${JSON.stringify(
      {
        name: projectName,
        private: true,
        type: "module",
        scripts: { lint: "dojo-jira lint config/", preview: "pulumi preview", up: "pulumi up" },
        dependencies: { "dojo-jira": `^${VERSION}`, "@pulumi/pulumi": "3.248.0" },
      },
      null,
      2,
    )}\n`,
    "Pulumi.yaml": `# Applies the documents under config/ to DefectDojo (the program ships with dojo-jira).
name: ${projectName}
runtime:
  name: nodejs
  options:
    typescript: false   # the program is JavaScript: no TypeScript compiler to load
main: node_modules/dojo-jira/dist/program/index.js
description: DefectDojo's Jira integration as code
# The program's resources are those of the provider plugin that ships with dojo-jira.
plugins:
  providers:
    - name: defectdojo-jira
      path: node_modules/dojo-jira/bin
`,
    ".dojo-jira.yaml": `# dojo-jira lint settings (data only, never code). See: dojo-jira lint --list-rules
rules:
  project-key-format: error
site:
  extraIssueTypes: []        # DefectDojo's DD_JIRA_EXTRA_ISSUE_TYPES
  extraPriorityNames: []     # priorities your Jira has beyond the defaults
`,
    ".gitignore": "node_modules/\n*.sarif\n",
    "config/jira-settings.yaml": `${header}# Jira and its webhook switched on in DefectDojo's System Settings.
apiVersion: defectdojo-jira/v1
kind: JiraSettings
metadata:
  name: jira-settings
spec:
  enableJira: true
  enableWebhook: true
  webhookSecret: { fromConfig: jiraWebhookSecret }
  minimumSeverity: Medium
`,
    "config/jira-instance.yaml": `${header}# The Jira site DefectDojo pushes to. Find the ids with: dojo-jira discover --jira-url … --issue-key …
apiVersion: defectdojo-jira/v1
kind: JiraInstance
metadata:
  name: corp-jira
spec:
  configurationName: Corp Jira
  url: https://corp.atlassian.net
  username: svc-defectdojo@corp.example
  password: { fromConfig: corpJiraToken }
  authKind: cloudApiToken
  epicNameId: 10011
  transitions: { reopen: 11, close: 31 }
  defaultIssueType: Bug
`,
    "config/product-links.yaml": `${header}apiVersion: defectdojo-jira/v1
kind: ProductJiraLink
metadata:
  name: payments-api
spec:
  product: Payments API
  instance: corp-jira
  projectKey: PAY
  pushAllIssues: true
`,
    "config/engagement-links.yaml": `${header}# An engagement that files its findings in a project of its own.
apiVersion: defectdojo-jira/v1
kind: EngagementJiraLink
metadata:
  name: payments-pentest
spec:
  engagement: { product: Payments API, name: Q3 pentest }
  instance: corp-jira
  projectKey: PENT
`,
    "config/jira-webhook.yaml": `${header}# Registers DefectDojo's webhook in Jira, so comments and resolutions flow back.
apiVersion: defectdojo-jira/v1
kind: JiraWebhook
metadata:
  name: defectdojo-webhook
spec:
  instance: corp-jira
  settings: jira-settings
  defectDojoUrl: https://dojo.corp.example
  jql: project in (PAY, PENT)
`,
    ".github/workflows/dojo-jira.yml": `name: dojo-jira
on: [pull_request]
permissions: { contents: read, security-events: write }
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm install --no-save dojo-jira@^${VERSION}   # the linter alone: no Pulumi needed
      - run: npx dojo-jira lint config/ --format sarif --output dojo-jira.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with: { sarif_file: dojo-jira.sarif }
      - run: npx dojo-jira lint config/ --format github   # inline annotations
`,
    ".pre-commit-config.yaml": `repos:
  - repo: local
    hooks:
      - id: dojo-jira-lint
        name: dojo-jira lint
        entry: npx dojo-jira lint config/
        language: system
        files: ^config/.*\\.ya?ml$
        pass_filenames: false   # the whole tree: references cross files
`,
  };
}

export async function initCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs({
    command: "init",
    onlyOutput: "it writes files and prints the next steps",
    config: { args: argv, options: { force: { type: "boolean" }, help: { type: "boolean", short: "h" } }, allowPositionals: true },
  });
  if (parsed.values.help) {
    io.stdout(INIT_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 1) throw new CliUsageError("init takes one folder");
  const target = resolve(io.cwd, parsed.positionals[0] ?? ".");
  const projectName = (target.split("/").pop() || "dojo-jira-config").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "dojo-jira-config";
  const files = scaffold(projectName);
  const existing = Object.keys(files).filter((path) => present(join(target, path)));
  if (existing.length > 0 && !parsed.values.force) {
    io.stderr(`dojo-jira init: these files exist and were left alone (nothing written; --force overwrites): ${existing.map((p) => printable(p)).join(", ")}\n`);
    return EXIT.problems;
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), text);
  }
  const where = relative(io.cwd, target) || ".";
  io.stdout(`Wrote a config repo in ${printable(where)}: ${Object.keys(files).length} files.

Next:
  cd ${printable(where)} && npm install             # dojo-jira and the Pulumi SDK
  npx dojo-jira lint config/                         # the pull-request check, locally
  pulumi login --local                               # or your Pulumi backend (a fresh user otherwise gets "PULUMI_ACCESS_TOKEN must be set")
  pulumi stack init prod
  pulumi config set defectdojo:url https://dojo.corp.example
  pulumi config set --secret defectdojo:apiToken     # a DefectDojo API v2 token of a superuser
  pulumi config set --secret corpJiraToken           # what password: { fromConfig: corpJiraToken } names
  pulumi config set --secret jiraWebhookSecret
  pulumi config set defectdojo-jira:configDir config
  pulumi preview && pulumi up
The pulumi CLI must be on PATH (3.216.0 or later): https://www.pulumi.com/docs/install/
`);
  return EXIT.ok;
}

/** Anything at `path`, a dangling symbolic link included (writing through one would land elsewhere). */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
