// Lint speed against peers, measured in one run on this machine:
//   - ajv-cli validating the same single-document files against the same schema (no positions,
//     no cross-file rules),
//   - the floor: reading and parsing the same files with `yaml` alone in one Node process,
//   - a single-file lint (what a pre-commit hook pays),
//   - Node starting and exiting with nothing to do (what no CLI can go below).
// Each command runs as a fresh process, as a user runs it; the median of interleaved rounds is printed.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WORK = `${ROOT}bench/.work`;
const FILES = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function generate() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(`${WORK}/tree`, { recursive: true });
  const instances = 10;
  for (let i = 0; i < FILES; i++) {
    const name = `f${String(i).padStart(4, "0")}.yaml`;
    const doc =
      i < instances
        ? `# yaml-language-server: $schema=../../../schema/defectdojo-jira.schema.json\napiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: jira-${i}\nspec:\n  configurationName: Jira ${i}\n  url: https://jira${i}.corp.example\n  username: svc-defectdojo@corp.example\n  password: { fromConfig: jira${i}Token }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n  severityMapping: { info: Lowest, low: Low, medium: Medium, high: High, critical: Highest }\n  defaultIssueType: Bug\n  acceptedResolutions: ["Won't Fix"]\n`
        : `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: product-${i}\nspec:\n  product: Product ${i}\n  instance: jira-${i % instances}\n  projectKey: P${i}\n  component: [backend, security]\n  labels: [defectdojo, appsec, team-${i % 17}]\n  pushAllIssues: true\n  pushNotes: ${i % 2 === 0}\n  defaultAssignee: triage-${i % 5}\n  customFields: { customfield_10122: [{ name: "8.0.${i}" }] }\n`;
    writeFileSync(`${WORK}/tree/${name}`, doc);
  }
  writeFileSync(
    `${WORK}/parse-floor.mjs`,
    `import { readdirSync, readFileSync } from "node:fs";\nimport { parseAllDocuments } from "yaml";\nconst dir = process.argv[2];\nlet n = 0;\nfor (const f of readdirSync(dir)) n += parseAllDocuments(readFileSync(dir + "/" + f, "utf8")).length;\nif (n !== ${FILES}) process.exit(1);\n`,
  );
}

/** Runs once as a fresh process, as a user runs it; returns wall milliseconds. */
function once(label, command, args, expectStatus) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== expectStatus) throw new Error(`${label} exited ${run.status}: ${run.stderr || run.stdout}`.slice(0, 2000));
  return ms;
}

generate();
const ajvCli = `${ROOT}node_modules/ajv-cli/dist/index.js`;
const COMMANDS = {
  ours: ["dojo-jira lint", process.execPath, ["dist/cli/dojo-jira.js", "lint", `${WORK}/tree`], 0],
  ajv: ["ajv-cli", process.execPath, [ajvCli, "validate", "--spec=draft2020", "-c", "ajv-formats", "--strict=false", "-s", "schema/defectdojo-jira.schema.json", "-d", `${WORK}/tree/*.yaml`], 0],
  floor: ["yaml parse floor", process.execPath, [`${WORK}/parse-floor.mjs`, `${WORK}/tree`], 0],
  node: ["node alone", process.execPath, ["-e", "0"], 0],
  single: ["single-file lint", process.execPath, ["dist/cli/dojo-jira.js", "lint", `${WORK}/tree/f0000.yaml`], 0],
};
// Interleaved rounds: the machine is shared, so each round runs every command once, back to back,
// and a burst of load hits all of them alike; read the ratios, not the milliseconds.
const samples = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
const loadBefore = loadavg()[0];
for (let round = 0; round < RUNS; round++) for (const [key, [label, command, args, status]] of Object.entries(COMMANDS)) samples[key].push(once(label, command, args, status));
const median = (key) => {
  const sorted = [...samples[key]].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const [ours, ajv, floor, node, single] = ["ours", "ajv", "floor", "node", "single"].map(median);

const row = (name, ms, note) => console.log(`${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${note}`);
console.log(`lint benchmark: ${FILES} single-document files, median of ${RUNS} interleaved rounds; ${cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after\n`);
row("dojo-jira lint (positions, rules)", ours, "");
row("ajv-cli validate (schema only)", ajv, `ours / ajv-cli = ${(ours / ajv).toFixed(2)}x  (target <= 1.00x)`);
row("yaml parse floor (one process)", floor, `ours / floor   = ${(ours / floor).toFixed(2)}x  (target <= 1.50x)`);
row("node -e 0", node, "");
row("dojo-jira lint, one file", single, `(target <= 150 ms; ${(single - node).toFixed(0)} ms over node alone)`);
rmSync(WORK, { recursive: true, force: true });
