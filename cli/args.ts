import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../lint/rules/util/did-you-mean.js";
import { CliUsageError } from "./io.js";

/** How a command reads its arguments: node's parseArgs, with its errors as one-line usage errors. */
export interface CommandArgs<T extends ParseArgsConfig> {
  /** The command as typed: "lint", "log". */
  command: string;
  config: T;
  /** What a command without a --format option outputs: "it prints text". */
  onlyOutput?: string;
}

export function parseCommandArgs<T extends ParseArgsConfig>({ command, config, onlyOutput }: CommandArgs<T>): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliUsageError(argsMessage(error as NodeJS.ErrnoException, command, config, onlyOutput));
  }
}

/**
 * The one rule for --format in every command: an unknown value is a usage error naming the
 * values the command accepts.
 */
export function checkFormat<F extends string>(value: string, accepted: readonly F[]): F {
  if ((accepted as readonly string[]).includes(value)) return value as F;
  throw new CliUsageError(`unknown format "${value}" (accepted: ${accepted.join(", ")})`);
}

function argsMessage(error: NodeJS.ErrnoException, command: string, config: ParseArgsConfig, onlyOutput: string | undefined): string {
  const help = `see dojo-jira ${command} --help`;
  // node's texts quote the argument in single quotes and, for unknown options, go on about "--"
  // with an unbalanced quote; only the argument is taken from them.
  const quoted = /'(.*?)'/s.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const option = quoted.replace(/=.*$/s, "");
      if ((option === "--format" || option === "-f") && onlyOutput) return `${command} has no ${option} option: ${onlyOutput}`;
      // Suggestions for long options only: any one-letter typo is "near" every other letter.
      const near = option.startsWith("--") ? closest(option.slice(2), Object.keys(config.options ?? {})) : undefined;
      return near ? `unknown option ${option}; did you mean --${near}?` : `unknown option ${option} (${help})`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = /--[\w-]+/.exec(error.message)?.[0] ?? quoted;
      if (/does not take an argument/.test(error.message)) return `option ${option} takes no value`;
      if (/ambiguous/.test(error.message)) return `option ${option} needs a value; to give one that starts with "-", write ${option}=<value>`;
      return `option ${option} needs a value (${help})`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}" (${help})`;
    default:
      return `${error.message} (${help})`;
  }
}
