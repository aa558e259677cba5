// Our Pulumi provider and the Terraform peer (mkutlak/terraform-provider-defectdojo) side by side:
// 2 Jira instances + LINKS product links, products pre-seeded, 20 ms emulator latency per call, one
// emulator per tool, steps interleaved (the tool that goes first alternates per round). Prints the
// median and minimum wall time of each step, each tool's requests, ours / peer, state size per
// resource and the machine's load. On a shared machine read the ratios, not the seconds.
//
//   npm run build && node bench/side-by-side.bench.mjs
//   BENCH_ROUNDS=3 BENCH_LINKS=200 BENCH_PARALLEL=10 node bench/side-by-side.bench.mjs
//   BENCH_STEPS=create BENCH_PARALLEL=1 node bench/side-by-side.bench.mjs   # scaling: one step only
//   BENCH_PARALLEL=1,10,50 node bench/side-by-side.bench.mjs   # every setting in every round, and a scaling table
//
// The peer's provider binary comes from DOJO_JIRA_BENCH_PEER (the binary or its directory), else from
// Terraform's plugin directories (registry.terraform.io/mkutlak/defectdojo/<version>/<os>_<arch>/);
// Terraform is pointed at it with dev_overrides in a generated CLI config. Without one, the peer is
// skipped with one line. Not a test: `npm test` does not run it.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { homedir, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDefectDojoEmulator } from "../dist/emulators/defectdojo/server.js";
import { LocalStack } from "../dist/provider/local-stack.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const LINKS = Number(process.env.BENCH_LINKS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// undefined: each tool's default. Several settings run in every round, their order alternating, so
// that a machine's drift in load does not pass for a difference between them.
const PARALLELS = process.env.BENCH_PARALLEL ? process.env.BENCH_PARALLEL.split(",").map(Number) : [undefined];
const RESOURCES = LINKS + 2;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

// ---- the peer's binary ------------------------------------------------------------------------

function findPeer() {
  const fromEnv = process.env.DOJO_JIRA_BENCH_PEER;
  if (fromEnv) {
    if (!existsSync(fromEnv)) return { missing: `DOJO_JIRA_BENCH_PEER=${fromEnv} does not exist` };
    return { binary: statSync(fromEnv).isDirectory() ? providerIn(fromEnv) : fromEnv };
  }
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const dirs = [
    join(homedir(), ".terraform.d/plugins"),
    join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local/share"), "terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  for (const dir of dirs) {
    const base = join(dir, "registry.terraform.io/mkutlak/defectdojo");
    if (!existsSync(base)) continue;
    for (const version of readdirSync(base).sort().reverse()) {
      const binary = providerIn(join(base, version, platform));
      if (binary) return { binary };
    }
  }
  return {};
}

function providerIn(dir) {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((f) => f.startsWith("terraform-provider-defectdojo"));
  return name ? join(dir, name) : undefined;
}

// ---- one tool's run of a step -----------------------------------------------------------------

function timed(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, options);
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-3000)}`));
      else resolve(seconds);
    });
  });
}

/** "4 GET + 202 POST" from an emulator's request log. */
function requests(log) {
  const counts = new Map();
  for (const r of log) {
    const what = r.method === "GET" && r.path.includes("delete_preview") ? "delete_preview" : r.method;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return counts.size === 0 ? "0" : [...counts].map(([m, n]) => `${n} ${m}`).join(" + ");
}

const instanceDoc = (n) => `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: jira-${n}\nspec:\n  url: https://jira${n}.corp.example\n  username: svc\n  password: { fromConfig: jiraToken }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`;
const linkDoc = (i, key) => `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: product-${i}\nspec:\n  product: Product ${i}\n  instance: jira-${i % 2}\n  projectKey: ${key}\n  pushAllIssues: true\n`;

async function emulator() {
  const dojo = await startDefectDojoEmulator();
  const { products } = dojo.seed({ products: Array.from({ length: LINKS }, (_, i) => ({ name: `Product ${i}` })) });
  dojo.faults.configure({ rate: 0, latencyMs: 20 });
  return { dojo, products };
}

async function ours(bin) {
  const { dojo } = await emulator();
  const work = await mkdtemp(join(root, ".demo-bench-"));
  const config = join(work, "config");
  await mkdir(config);
  await writeFile(join(config, "instances.yaml"), `${instanceDoc(0)}---\n${instanceDoc(1)}`);
  const writeLinks = (changed) => writeFile(join(config, "links.yaml"), Array.from({ length: LINKS }, (_, i) => linkDoc(i, changed && i === 0 ? "CHANGED" : `P${i}`)).join("---\n"));
  await writeLinks(false);
  // A stack name as short as a person's ("prod"): it is part of every URN in state.
  const stack = new LocalStack(root, work, `b${randomBytes(3).toString("hex")}`, bin);
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": config }, { "defectdojo:apiToken": dojo.token, jiraToken: "bench-token" });
  const pulumi = (args, parallel) => timed("pulumi", [...args, "--yes", "--skip-preview", ...(parallel ? ["--parallel", String(parallel)] : []), "--stack", stack.stack, "--non-interactive"], { cwd: root, env: stack.env });
  return {
    dojo,
    steps: {
      create: (parallel) => pulumi(["up"], parallel),
      noop: (parallel) => pulumi(["up"], parallel),
      noopNoRefresh: (parallel) => pulumi(["up"], parallel),
      refresh: (parallel) => pulumi(["refresh"], parallel),
      change: async (parallel) => (await writeLinks(true), pulumi(["up"], parallel)),
      destroy: (parallel) => pulumi(["destroy"], parallel),
    },
    async stateKb() {
      const mine = (await stack.resources()).filter((r) => r.type.startsWith("defectdojo-jira:index:"));
      return { kb: mine.reduce((n, r) => n + JSON.stringify(r).length, 0) / mine.length / 1024, note: `${mine.length} resources` };
    },
    async close() {
      await stack.remove();
      await dojo.close();
    },
  };
}

async function peer(binary) {
  const { dojo, products } = await emulator();
  const work = await mkdtemp(join(tmpdir(), "dojo-jira-bench-peer-"));
  const plugins = join(work, "plugins");
  await mkdir(plugins);
  await symlink(binary, join(plugins, "terraform-provider-defectdojo"));
  const cli = join(work, "terraform.rc");
  await writeFile(cli, `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/mkutlak/defectdojo" = "${plugins}"\n  }\n  direct {}\n}\n`);
  const project = join(work, "project");
  await mkdir(project);
  const instances = [0, 1].map((n) => `resource "defectdojo_jira_instance" "jira_${n}" {\n  configuration_name = "jira-${n}"\n  url = "https://jira${n}.corp.example"\n  username = "svc"\n  password = var.jira_token\n  epic_name_id = 10011\n  open_status_key = 11\n  close_status_key = 31\n  info_mapping_severity = "Lowest"\n  low_mapping_severity = "Low"\n  medium_mapping_severity = "Medium"\n  high_mapping_severity = "High"\n  critical_mapping_severity = "Highest"\n  default_issue_type = "Bug"\n}\n`);
  const writeMain = (changed) => {
    const links = Array.from({ length: LINKS }, (_, i) => `    "product-${i}" = { product = "${products[`Product ${i}`]}", instance = ${i % 2}, key = "${changed && i === 0 ? "CHANGED" : `P${i}`}" }`);
    return writeFile(
      join(project, "main.tf"),
      `terraform {\n  required_providers {\n    defectdojo = { source = "mkutlak/defectdojo" }\n  }\n}\nprovider "defectdojo" {}\nvariable "jira_token" {\n  type = string\n  sensitive = true\n}\n${instances.join("")}locals {\n  instance_ids = [defectdojo_jira_instance.jira_0.id, defectdojo_jira_instance.jira_1.id]\n  links = {\n${links.join("\n")}\n  }\n}\nresource "defectdojo_jira_product_configuration" "link" {\n  for_each = local.links\n  product_id = each.value.product\n  jira_instance_id = local.instance_ids[each.value.instance]\n  project_key = each.value.key\n  push_all_issues = true\n}\n`,
    );
  };
  await writeMain(false);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cli, TF_IN_AUTOMATION: "1", TF_VAR_jira_token: "bench-token", DEFECTDOJO_BASEURL: dojo.url, DEFECTDOJO_APIKEY: dojo.token, CHECKPOINT_DISABLE: "1" };
  const terraform = (args, parallel) => timed("terraform", [...args, "-input=false", "-no-color", "-auto-approve", ...(parallel ? [`-parallelism=${parallel}`] : [])], { cwd: project, env });
  return {
    dojo,
    steps: {
      create: (parallel) => terraform(["apply"], parallel),
      noop: (parallel) => terraform(["apply"], parallel),
      noopNoRefresh: (parallel) => terraform(["apply", "-refresh=false"], parallel),
      refresh: (parallel) => terraform(["apply", "-refresh-only"], parallel),
      change: async (parallel) => (await writeMain(true), terraform(["apply"], parallel)),
      destroy: (parallel) => terraform(["destroy"], parallel),
    },
    async stateKb() {
      const state = JSON.parse(await readFile(join(project, "terraform.tfstate"), "utf8"));
      const instances = state.resources.flatMap((r) => r.instances);
      return { kb: Buffer.byteLength(await readFile(join(project, "terraform.tfstate"))) / instances.length / 1024, note: "terraform.tfstate" };
    },
    async close() {
      await rm(work, { recursive: true, force: true });
      await dojo.close();
    },
  };
}

// ---- the run ----------------------------------------------------------------------------------

const ALL_STEPS = [
  ["create", "apply from empty"],
  ["noop", "no-op, each tool's default"],
  ["noopNoRefresh", "no-op, peer with -refresh=false"],
  ["refresh", "refresh"],
  ["change", "change one field on one link"],
  ["destroy", "destroy"],
];
// Steps run in this order whatever BENCH_STEPS says; a later one runs on the state the earlier left.
const STEPS = process.env.BENCH_STEPS ? ALL_STEPS.filter(([step]) => process.env.BENCH_STEPS.split(",").includes(step)) : ALL_STEPS;

const bin = await LocalStack.installCli(root);
const found = findPeer();
const hasTerraform = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
const peerSkipped = !found.binary ? `peer skipped: ${found.missing ?? "no terraform-provider-defectdojo in DOJO_JIRA_BENCH_PEER or Terraform's plugin directories"}` : !hasTerraform ? "peer skipped: terraform is not on PATH" : undefined;
if (peerSkipped) console.log(peerSkipped);

const parallelLabel = (parallel) => `--parallel ${parallel ?? "default (pulumi 8, terraform 10)"}`;
console.log(`side by side: 2 instances + ${LINKS} product links, 20 ms emulator latency, ${ROUNDS} rounds, ${PARALLELS.map(parallelLabel).join(" and ")}; load at start ${load()}`);
// By --parallel setting, then tool, then step: each run's seconds, and the requests of its first run.
const times = new Map(PARALLELS.map((parallel) => [parallel, { ours: {}, peer: {} }]));
const calls = new Map(PARALLELS.map((parallel) => [parallel, { ours: {}, peer: {} }]));
const state = {};
for (let round = 0; round < ROUNDS; round++) {
  const parallels = round % 2 === 1 ? [...PARALLELS].reverse() : PARALLELS;
  for (const parallel of parallels) {
    const tools = { ours: await ours(bin), ...(peerSkipped ? {} : { peer: await peer(found.binary) }) };
    const order = Object.keys(tools);
    if (round % 2 === 1) order.reverse();
    try {
      for (const [step] of STEPS) {
        for (const name of order) {
          const tool = tools[name];
          tool.dojo.log.length = 0;
          const seconds = await tool.steps[step](parallel);
          (times.get(parallel)[name][step] ??= []).push(seconds);
          calls.get(parallel)[name][step] ??= requests(tool.dojo.log);
          if (step === "create" && !state[name]) state[name] = await tool.stateKb();
        }
      }
    } finally {
      for (const tool of Object.values(tools)) await tool.close();
    }
  }
  console.log(`round ${round + 1}/${ROUNDS} done; load ${load()}`);
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const cell = (list) => (list ? `${median(list).toFixed(2)} (${Math.min(...list).toFixed(2)}) s` : "-");
for (const parallel of PARALLELS) {
  const { peer: p, ours: o } = times.get(parallel);
  const { peer: peerCalls, ours: ourCalls } = calls.get(parallel);
  console.log(`\n${parallelLabel(parallel)}\n| step | Terraform (peer) | ours | peer requests | our requests | ours / peer |\n|---|---|---|---|---|---|`);
  for (const [step, label] of STEPS) {
    console.log(`| ${label} | ${cell(p[step])} | ${cell(o[step])} | ${peerCalls[step] ?? "-"} | ${ourCalls[step]} | ${p[step] ? `${(median(o[step]) / median(p[step])).toFixed(2)}×` : "-"} |`);
  }
}
if (PARALLELS.length > 1) {
  const rest = PARALLELS.slice(1);
  console.log(`\nscaling: median seconds at each --parallel, and each setting's speed-up over the one before it (over 1.00× = faster)`);
  console.log(`| step | tool | ${PARALLELS.map((parallel) => `at ${parallel}`).join(" | ")} | ${rest.map((parallel, i) => `${PARALLELS[i]} → ${parallel}`).join(" | ")} |`);
  console.log(`|---|---|${PARALLELS.map(() => "---|").join("")}${rest.map(() => "---|").join("")}`);
  for (const [step, label] of STEPS) {
    for (const name of ["ours", "peer"]) {
      const medians = PARALLELS.map((parallel) => times.get(parallel)[name][step]).map((list) => (list ? median(list) : undefined));
      if (medians.includes(undefined)) continue;
      const speedups = rest.map((_, i) => `${(medians[i] / medians[i + 1]).toFixed(2)}×`);
      console.log(`| ${label} | ${name} | ${medians.map((m) => m.toFixed(2)).join(" | ")} | ${speedups.join(" | ")} |`);
    }
  }
}
if (state.ours) console.log(`\nstate per resource (after apply from empty): ours ${state.ours.kb.toFixed(2)} KB (${state.ours.note})${state.peer ? `, peer ${state.peer.kb.toFixed(2)} KB (${state.peer.note})` : ""}`);
console.log(`median and (minimum) of ${ROUNDS} rounds; ours' no-op rows are two runs of the same no-op up; load at end ${load()}`);
