import { Document, isMap, visit } from "yaml";
import { discover, DiscoveryError } from "../provider/discovery.js";
import { Secret } from "../provider/secret.js";
import { printable } from "../text/printable.js";
import { parseCommandArgs } from "./args.js";
import { baseUrl } from "./base-url.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const DISCOVER_HELP = `Usage: dojo-jira discover --jira-url <url> --issue-key <KEY-1> [--username <user>]

Finds what DefectDojo's Express setup finds: the reopen and close transition ids, the Epic Name
field id, and the priority names, and prints a ready JiraInstance spec fragment.

Credentials come from the environment and are never printed:
  JIRA_USERNAME + JIRA_PASSWORD (or JIRA_API_TOKEN)   HTTP Basic (Server/DC password, Cloud token)
  JIRA_PAT                                             Data Center personal access token (Bearer)
`;

const SEVERITY_DEFAULTS = { info: "Lowest", low: "Low", medium: "Medium", high: "High", critical: "Highest" };

export async function discoverCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs({
    command: "discover",
    onlyOutput: "it prints a YAML fragment",
    config: { args: argv, options: { "jira-url": { type: "string" }, "issue-key": { type: "string" }, username: { type: "string" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(DISCOVER_HELP);
    return EXIT.ok;
  }
  const issueKey = values["issue-key"];
  if (!values["jira-url"] || !issueKey) throw new CliUsageError("--jira-url and --issue-key are required (see dojo-jira discover --help)");
  const url = baseUrl(values["jira-url"], "--jira-url");
  const username = values.username ?? io.env.JIRA_USERNAME;
  const password = io.env.JIRA_PASSWORD ?? io.env.JIRA_API_TOKEN;
  const pat = io.env.JIRA_PAT;
  // Missing credentials are a usage error (exit 2), known before Jira is called; 1 means "Jira said no".
  if (!pat && !(username && password)) throw new CliUsageError("Jira credentials missing: set JIRA_USERNAME (or --username) and JIRA_PASSWORD (or JIRA_API_TOKEN), or JIRA_PAT for a Data Center token");
  try {
    const found = await discover(
      { url, username, password: password ? new Secret(password) : undefined, pat: pat ? new Secret(pat) : undefined },
      issueKey,
    );
    const priorities = new Set(found.priorities);
    const standard = Object.values(SEVERITY_DEFAULTS).every((p) => priorities.has(p));
    const spec: Record<string, unknown> = {
      url,
      ...(username ? { username } : {}),
      password: { fromConfig: "jiraToken" },
      ...(found.deploymentType === "Cloud" ? { authKind: "cloudApiToken" } : pat ? { authKind: "dataCenterPat" } : {}),
      epicNameId: found.epicNameId ?? 0,
      ...(found.transitions.reopen !== undefined && found.transitions.close !== undefined ? { transitions: found.transitions } : {}),
      ...(standard ? { severityMapping: SEVERITY_DEFAULTS } : {}),
    };
    const notes = [
      `Discovered by dojo-jira discover from ${issueKey} on ${url} (${found.deploymentType}).`,
      "Store the credential as a stack secret: pulumi config set --secret jiraToken",
      ...(standard ? [] : [`This site's priorities are: ${found.priorities.join(", ")}. Map each severity to one of them (severityMapping).`]),
      ...found.problems.map((p) => `PROBLEM: ${p}`),
    ];
    // Only the yaml library writes YAML here, and every note is one escaped comment line: a name
    // from Jira with a newline in it must not start a line of its own, let alone a key.
    const yaml = new Document({ spec });
    yaml.commentBefore = notes.map((note) => ` ${printable(note)}`).join("\n");
    // Mappings inside spec in flow style, as the examples write them: `transitions: { reopen: 11, close: 31 }`.
    // The path to spec's own mapping is document, root mapping, pair: three steps.
    visit(yaml, { Map: (_key, node, path) => void (isMap(node) && path.length > 3 && (node.flow = true)) });
    io.stdout(yaml.toString());
    return found.problems.length > 0 ? EXIT.problems : EXIT.ok;
  } catch (error) {
    if (error instanceof DiscoveryError) {
      io.stderr(`dojo-jira discover: ${printable(error.message)}\n`);
      return EXIT.problems;
    }
    throw error;
  }
}
