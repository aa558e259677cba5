// Provider speed with the real pulumi CLI: 2 instances + 200 product links against the DefectDojo
// emulator with 20 ms latency per call. Prints wall time and HTTP calls per resource for
// `up` from empty, a no-op `up`, and `refresh`, and the state size per resource.
// Targets: create <= 2 calls per resource, no-op up 0 writes, refresh 1 GET per resource, state <= 4 KB per resource.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDefectDojoEmulator } from "../dist/emulators/defectdojo/server.js";
import { LocalStack } from "../dist/provider/local-stack.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const LINKS = Number(process.env.BENCH_LINKS ?? 200);
const bin = await LocalStack.installCli(root);
const dojo = await startDefectDojoEmulator();
dojo.seed({ products: Array.from({ length: LINKS }, (_, i) => ({ name: `Product ${i}` })) });
dojo.faults.configure({ rate: 0, latencyMs: 20 });

const work = await mkdtemp(join(root, ".demo-bench-"));
const config = join(work, "config");
await mkdir(config);
const instance = (n) => `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: jira-${n}\nspec:\n  url: https://jira${n}.corp.example\n  username: svc\n  password: { fromConfig: jiraToken }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`;
await writeFile(join(config, "instances.yaml"), `${instance(0)}---\n${instance(1)}`);
const links = Array.from({ length: LINKS }, (_, i) => `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: product-${i}\nspec:\n  product: Product ${i}\n  instance: jira-${i % 2}\n  projectKey: P${i}\n  pushAllIssues: true\n`);
await writeFile(join(config, "links.yaml"), links.join("---\n"));

const stack = new LocalStack(root, work, LocalStack.uniqueName("bench"), bin);
const resources = LINKS + 2;
try {
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": config }, { "defectdojo:apiToken": dojo.token, jiraToken: "bench-token" });
  const measure = async (label, args) => {
    dojo.log.length = 0;
    const started = Date.now();
    const result = await stack.run(args);
    if (result.code !== 0) throw new Error(`${label} failed:\n${result.output.slice(-3000)}`);
    const seconds = (Date.now() - started) / 1000;
    const writes = dojo.log.filter((r) => r.method !== "GET").length;
    const gets = dojo.log.length - writes;
    console.log(`${label.padEnd(14)} ${seconds.toFixed(1).padStart(6)} s   ${(dojo.log.length / resources).toFixed(2)} calls/resource (${gets} GET, ${writes} writes)`);
  };
  console.log(`pulumi bench: 2 instances + ${LINKS} product links, emulator latency 20 ms per call\n`);
  await measure("up from empty", ["up", "--yes", "--skip-preview"]);
  await measure("no-op up", ["up", "--yes", "--skip-preview"]);
  await measure("refresh", ["refresh", "--yes", "--skip-preview"]);
  const ours = (await stack.resources()).filter((r) => r.type.startsWith("defectdojo-jira:index:"));
  const bytes = ours.map((r) => JSON.stringify(r).length);
  const avg = (list) => list.reduce((a, b) => a + b, 0) / list.length;
  console.log(`state          ${(avg(bytes) / 1024).toFixed(2)} KB/resource`);
} finally {
  await stack.remove();
  await dojo.close();
}
