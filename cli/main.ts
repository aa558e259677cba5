import { isUsageError, lintCommand } from "../lint/cli.js";
import { DefectDojoError } from "../provider/client/errors.js";
import { closest } from "../lint/rules/util/did-you-mean.js";
import { printable } from "../text/printable.js";
import { EXIT, type CommandIO } from "./io.js";
import { VERSION } from "./version.js";

const HELP = `dojo-jira ${VERSION}: DefectDojo's Jira integration as code

Usage: dojo-jira <command> [options]

Commands:
  lint [paths...]     validate config files (dojo-jira lint --help)
  discover            find transition ids, the Epic Name field and priorities in Jira
  check-webhook       tell whether DefectDojo accepts its Jira webhook, and why not
  export --out DIR    write a live DefectDojo's Jira configuration as a config tree (adoption ready)
  drift DIR           compare a config tree with a live DefectDojo (exit 1 on drift)
  doctor              check a live DefectDojo has every route, field and permission dojo-jira needs
  diff REV [REV]      semantic diff of the configuration between git revisions or directories
  log                 the commits that touched the configuration, with a risk summary each
  init [DIR]          scaffold a config repo: Pulumi project, examples, CI with SARIF, pre-commit

Run "dojo-jira <command> --help" (or "dojo-jira help <command>") for a command's options;
"dojo-jira --version" (-V) prints the version.
`;

type Command = (argv: string[], io: CommandIO) => Promise<number>;
// Commands other than lint load on demand: jira.js and the provider client would add hundreds of
// milliseconds to every lint run, which pre-commit hooks pay per commit.
const COMMANDS: Record<string, () => Promise<Command>> = {
  lint: async () => lintCommand,
  discover: async () => (await import("./discover.js")).discoverCommand,
  "check-webhook": async () => (await import("./check-webhook.js")).checkWebhookCommand,
  export: async () => (await import("./export.js")).exportCommand,
  drift: async () => (await import("./drift.js")).driftCommand,
  doctor: async () => (await import("./doctor.js")).doctorCommand,
  diff: async () => (await import("./diff.js")).diffCommand,
  log: async () => (await import("./diff.js")).logCommand,
  init: async () => (await import("./init.js")).initCommand,
};

export async function main(argv: string[], io: CommandIO): Promise<number> {
  // `dojo-jira help lint` is `dojo-jira lint --help`.
  const [name, ...rest] = argv[0] === "help" && argv.length > 1 ? [argv[1]!, "--help"] : argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V" || name === "-v") {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    const [what, known] = name.startsWith("-") ? ["option", ["--help", "--version"]] : ["command", Object.keys(COMMANDS)];
    const near = closest(name.replace(/^-+/, ""), known.map((k) => k.replace(/^-+/, "")));
    const suggestion = near === undefined ? " (see dojo-jira --help)" : `; did you mean ${name.startsWith("-") ? `--${near}` : near}?`;
    io.stderr(`dojo-jira: unknown ${what} ${printable(name)}${suggestion}\n`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    // Messages quote servers, files and arguments: one line each, control characters escaped.
    const say = (message: string) => io.stderr(`dojo-jira ${name}: ${printable(message)}\n`);
    // A DefectDojo that could not be read whole (refused token, endless or inconsistent pages) is
    // neither "problems found" nor drift's "drift found": exit 2, so a scheduled check tells them apart.
    if (error instanceof DefectDojoError) {
      say(error.message);
      return EXIT.usage;
    }
    if (isUsageError(error)) {
      say((error as Error).message);
      return EXIT.usage;
    }
    // jira.js and @pulumi/pulumi are optional peers, so that a lint-only install stays small.
    const missing = /Cannot find package '((?:@pulumi\/pulumi|jira\.js))'/.exec((error as Error)?.message ?? "")?.[1];
    if (missing) {
      say(`this command needs ${missing}, an optional peer dependency of dojo-jira: npm install ${missing}`);
      return EXIT.usage;
    }
    // A bug, not bad input: one line unless asked for the stack.
    say(`internal error: ${(error as Error)?.message ?? String(error)}`);
    if (io.env.DOJO_JIRA_DEBUG) io.stderr(`${(error as Error)?.stack ?? ""}\n`);
    return EXIT.usage;
  }
}
