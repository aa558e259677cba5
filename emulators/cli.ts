import { parseArgs } from "node:util";
import { startDefectDojoEmulator } from "./defectdojo/server.js";
import { startJiraEmulator, type JiraFlavour } from "./jira/server.js";

// `npm run emulators`: both emulators on loopback, one JSON line describing them, Ctrl-C stops.
const USAGE = "usage: npm run emulators -- [--defectdojo-port N] [--jira-port N] [--token T] [--jira-flavour cloud|datacenter] [--state FILE] [--extra-issue-types A,B]";

let values;
try {
  ({ values } = parseArgs({
    options: {
      "defectdojo-port": { type: "string" },
      "jira-port": { type: "string" },
      token: { type: "string" },
      "jira-flavour": { type: "string", default: "cloud" },
      state: { type: "string" },
      "extra-issue-types": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const flavour = values["jira-flavour"] as JiraFlavour;
if (flavour !== "cloud" && flavour !== "datacenter") {
  process.stderr.write(`--jira-flavour must be cloud or datacenter\n${USAGE}\n`);
  process.exit(2);
}
try {
  const defectdojo = await startDefectDojoEmulator({
    port: port(values["defectdojo-port"]),
    token: values.token,
    stateFile: values.state,
    extraIssueTypes: values["extra-issue-types"]?.split(",").map((s) => s.trim()).filter(Boolean),
  });
  const jira = await startJiraEmulator({ port: port(values["jira-port"]), flavour });
  process.stdout.write(
    `${JSON.stringify({
      defectdojo: { url: defectdojo.url, token: defectdojo.token },
      jira: { url: jira.url, flavour, user: jira.user, password: jira.password, ...(flavour === "datacenter" ? { pat: jira.pat } : {}) },
    })}\n`,
  );
  const stop = async () => {
    await Promise.all([defectdojo.close(), jira.close()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
} catch (error) {
  process.stderr.write(`emulators: ${(error as Error).message}\n`);
  process.exit(2);
}
