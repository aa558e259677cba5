// npm run demo: the whole story in one command, against the bundled emulators.
//   1. starts emulated DefectDojo and Jira on loopback and seeds three products,
//   2. runs a real `pulumi up` on examples/basic (one Jira instance, three product links),
//   3. shows the safety net: with Jira issues under one link, removing that link is refused,
//   4. shows the safe way out: `enabled: false` disconnects without losing anything,
//   5. cleans up.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDefectDojoEmulator } from "../dist/emulators/defectdojo/server.js";
import { LocalStack } from "../dist/provider/local-stack.js";

const root = fileURLToPath(new URL("../", import.meta.url));
// Bold only on a terminal that wants it (NO_COLOR, TERM=dumb and pipes get plain text).
const bold = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";
const say = (text) => process.stdout.write(bold ? `\n\u001b[1m== ${text}\u001b[0m\n` : `\n== ${text}\n`);
const indent = (text) => process.stdout.write(text.replace(/^/gm, "   "));

say("Finding the Pulumi CLI (3.216.0 or later; without one, the first run builds it from Go modules: 5–15 minutes, with progress)");
let pulumiBin;
try {
  pulumiBin = await LocalStack.installCli(root);
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exit(1);
}
console.log(`   pulumi: ${pulumiBin}`);

const dojo = await startDefectDojoEmulator();
const { products } = dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] });
say(`Emulated DefectDojo at ${dojo.url} with products: ${Object.keys(products).join(", ")}`);

const work = await mkdtemp(join(root, ".demo-"));
const stack = new LocalStack(root, work, LocalStack.uniqueName("demo"), pulumiBin);
let failed = false;
try {
  await stack.init(
    { "defectdojo:url": dojo.url, "defectdojo-jira:configDir": "examples/basic" },
    { "defectdojo:apiToken": dojo.token, corpJiraToken: "demo-jira-api-token" },
  );

  say("pulumi up on examples/basic");
  const up = await stack.up({ echo: indent });
  if (up.code !== 0) throw new Error("pulumi up failed");
  const links = [...dojo.db.jira_projects.values()];
  say("DefectDojo now has");
  for (const i of dojo.db.jira_instances.values()) console.log(`   Jira instance #${i.id} "${i.configuration_name}" → ${i.url} (transitions reopen ${i.open_status_key}, close ${i.close_status_key})`);
  for (const l of links) console.log(`   Jira link #${l.id}: product "${dojo.db.products.get(l.product).name}" → project ${l.project_key}`);

  const payments = links.find((l) => l.project_key === "PAY");
  dojo.seedJiraIssues(payments.id, 3);
  say(`DefectDojo pushed 3 findings of "Payments API" to Jira (3 finding-to-issue mappings under link #${payments.id})`);

  say("Someone deletes the payments-api document and runs pulumi up");
  const config = join(work, "config");
  await cp(join(root, "examples/basic"), config, { recursive: true });
  const linksFile = join(config, "product-links.yaml");
  const documents = (await readFile(linksFile, "utf8")).split(/^---\n/m);
  await writeFile(linksFile, documents.filter((d) => !d.includes("name: payments-api")).join("---\n"));
  await stack.must(["config", "set", "defectdojo-jira:configDir", config]);
  const refused = await stack.up();
  const reason = /refusing to delete[^\n]*/.exec(refused.output)?.[0];
  console.log(`   pulumi up exit code: ${refused.code}`);
  console.log(`   ${reason?.replace(/: $/, "") ?? "(no refusal found: this is a bug)"}`);
  const kept = [...dojo.db.jira_issues.values()].filter((i) => i.jira_project === payments.id).length;
  console.log(`   ✔ nothing lost: the link and its ${kept} mappings are still in DefectDojo`);
  if (refused.code === 0 || kept !== 3) failed = true;

  say("The safe way: keep the document, set enabled: false, pulumi up");
  await writeFile(linksFile, documents.map((d) => (d.includes("name: payments-api") ? d.replace("enabled: true", "enabled: false").replace("pushAllIssues: true", "pushAllIssues: false") : d)).join("---\n"));
  const disabled = await stack.up();
  const after = dojo.db.jira_projects.get(payments.id);
  console.log(`   pulumi up exit code: ${disabled.code}; link #${payments.id} enabled: ${after.enabled}; mappings kept: ${[...dojo.db.jira_issues.values()].filter((i) => i.jira_project === payments.id).length}`);
  if (disabled.code !== 0 || after.enabled !== false) failed = true;

  say("A second pulumi up with nothing changed makes no write calls");
  dojo.log.length = 0;
  const noop = await stack.up();
  const writes = dojo.log.filter((r) => r.method !== "GET").length;
  console.log(`   exit code ${noop.code}; DefectDojo calls: ${dojo.log.length}, writes: ${writes}`);
  if (noop.code !== 0 || writes !== 0) failed = true;
} catch (error) {
  failed = true;
  console.error(`\ndemo failed: ${error.message}`);
} finally {
  say("Cleaning up (stack, state, emulators)");
  await stack.remove();
  await dojo.close();
}
say(failed ? "Demo FAILED" : "Demo finished: config in git → DefectDojo, with a safety net");
process.exitCode = failed ? 1 : 0;
