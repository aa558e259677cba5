import { DefectDojoError } from "../provider/client/errors.js";
import { diagnose, type DoctorCheck } from "../provider/doctor.js";
import { printable } from "../text/printable.js";
import { checkFormat, parseCommandArgs } from "./args.js";
import { asciiJson } from "./ascii-json.js";
import { defectDojoFromEnv } from "./defectdojo-from-env.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const DOCTOR_HELP = `Usage: dojo-jira doctor [--defectdojo-url <url>] [--format text|json]

Read-only checks of a live DefectDojo against what dojo-jira relies on, one line each: its version
(when its OpenAPI schema names one), the jira_instances and jira_projects routes (and their older
aliases), delete_preview on links, the jira_finding_mappings fields, the transition fields of
3.1.100+, system_settings, whether the token's user is the superuser pulumi up needs, and whether
Jira is on. Only GET and OPTIONS are sent; nothing is written.
URL from --defectdojo-url or DEFECTDOJO_URL (the flag wins); the API token only from
DEFECTDOJO_API_TOKEN, never printed.
Exit codes: 0 nothing stops pulumi up (notes may be shown), 1 a problem, 2 usage or DefectDojo unreachable.
`;

const FORMATS = ["text", "json"] as const;
const MARK: Record<DoctorCheck["status"], string> = { ok: "✔", note: "•", problem: "✖" };

export async function doctorCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs({
    command: "doctor",
    config: { args: argv, options: { format: { type: "string", default: "text" }, "defectdojo-url": { type: "string" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(DOCTOR_HELP);
    return EXIT.ok;
  }
  const format = checkFormat(values.format, FORMATS);
  // A diagnosis should answer in seconds: two attempts per call, not the provider's patient six.
  const { client, url } = defectDojoFromEnv(io, values["defectdojo-url"], { maxAttempts: 2, deadlineMs: 20_000 });
  // An unreachable DefectDojo is a DefectDojoError: main prints it in one line and exits 2.
  let found: DoctorCheck[];
  try {
    found = await diagnose(client);
  } catch (error) {
    if (error instanceof DefectDojoError) throw error;
    // An answer of the wrong shape is DefectDojo's bad input, not a bug of ours.
    found = [{ id: "answers", status: "problem", message: `DefectDojo answered in a form DefectDojo does not (${(error as Error).message})` }];
  }
  // A server may echo what it was sent: every message is scrubbed of the token (and secrets read).
  const checks = found.map((c) => ({ ...c, message: client.http.scrub(c.message) }));
  const problems = checks.filter((c) => c.status === "problem").length;
  if (format === "json") {
    io.stdout(asciiJson({ defectdojo: url, problems, checks }));
  } else {
    const lines = [`DefectDojo at ${printable(url)}`, ...checks.map((c) => `${MARK[c.status]} ${c.id}: ${printable(c.message)}`)];
    lines.push(problems === 0 ? "no problems" : `${problems} problem${problems === 1 ? "" : "s"}`);
    io.stdout(`${lines.join("\n")}\n`);
  }
  return problems === 0 ? EXIT.ok : EXIT.problems;
}
