import { AnswerTooLarge } from "../provider/client/bounded-body.js";
import { exchange, failureOf, isTimeout, seconds } from "../provider/client/exchange.js";
import { redact } from "../provider/secret.js";
import { printable } from "../text/printable.js";
import { parseCommandArgs } from "./args.js";
import { baseUrl } from "./base-url.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const CHECK_WEBHOOK_HELP = `Usage: dojo-jira check-webhook [--defectdojo-url <url>]

Posts a harmless Jira event to DefectDojo's webhook and reads the answer. DefectDojo replies
HTTP 200 even when it rejects a call, with the reason as text; this command reports it.
DefectDojo's base URL from --defectdojo-url or DEFECTDOJO_URL (the flag wins).
The secret comes from DOJO_JIRA_WEBHOOK_SECRET and is never printed.
Exit codes: 0 the webhook reaches DefectDojo's processing, 1 it is rejected (reason printed), 2 usage.
`;

/** Answered within this, or DefectDojo is not answering the webhook. */
const DEADLINE_MS = 15_000;

/** DefectDojo's verdict is one short sentence (with the echoed event at most): no reason to read more. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** DefectDojo's rejection texts (reference §4.2), in the order it checks them. */
const VERDICTS: Array<[RegExp, string]> = [
  [/JIRA is disabled/, "Jira disabled: enable_jira is off in DefectDojo's System Settings"],
  [/JIRA Webhook is disabled/, "webhook disabled: enable_jira_web_hook is off in DefectDojo's System Settings"],
  [/secret is empty/, "no webhook secret is set in DefectDojo's System Settings"],
  [/Invalid or no secret/, "bad secret: DefectDojo's webhook secret differs from DOJO_JIRA_WEBHOOK_SECRET"],
];

export async function checkWebhookCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs({
    command: "check-webhook",
    onlyOutput: "it prints text",
    config: { args: argv, options: { "defectdojo-url": { type: "string" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(CHECK_WEBHOOK_HELP);
    return EXIT.ok;
  }
  // As for export and drift: the flag wins over the environment.
  const fromFlag = values["defectdojo-url"] !== undefined;
  const given = fromFlag ? values["defectdojo-url"] : io.env.DEFECTDOJO_URL;
  if (!given) throw new CliUsageError("give DefectDojo's base URL: --defectdojo-url <https://…> or DEFECTDOJO_URL");
  const base = baseUrl(given, fromFlag ? "--defectdojo-url" : "DEFECTDOJO_URL");
  const secret = io.env.DOJO_JIRA_WEBHOOK_SECRET;
  if (!secret) throw new CliUsageError("set DOJO_JIRA_WEBHOOK_SECRET to the webhook secret");
  // As the messages name the base URL: a whole webhook URL pasted as the base carries the secret.
  const shownBase = printable(redact(base, [secret]));
  let text: string;
  try {
    // The path carries the secret: a redirect is an answer (exchange never follows one), or it would
    // send the secret on to wherever DefectDojo points.
    const answer = await exchange(new URL(`${base}/jira/webhook/${encodeURIComponent(secret)}`), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // An update of an issue DefectDojo does not know: checked all the way, changes nothing.
      body: JSON.stringify({ webhookEvent: "jira:issue_updated", issue: { id: "0", key: "DOJO-JIRA-CHECK-0", fields: {} } }),
      signal: AbortSignal.timeout(DEADLINE_MS),
      // Only the verdict of a 200 is read: any other answer is told by its status.
      readBody: (status) => status === 200,
    }, MAX_ANSWER_BYTES);
    if (answer.status >= 300 && answer.status < 400) {
      io.stderr(`dojo-jira check-webhook: DefectDojo answered a redirect (${answer.status}), not followed since the URL carries the webhook secret; give DefectDojo's final base URL (https, with or without a path prefix)\n`);
      return EXIT.problems;
    }
    if (answer.status !== 200) {
      io.stderr(`dojo-jira check-webhook: DefectDojo answered ${answer.status}; is ${shownBase} DefectDojo's base URL?\n`);
      return EXIT.problems;
    }
    text = answer.text;
  } catch (error) {
    if (error instanceof AnswerTooLarge) {
      io.stderr(`dojo-jira check-webhook: ${error.message}, not DefectDojo's webhook verdict; is ${shownBase} DefectDojo's base URL?\n`);
      return EXIT.problems;
    }
    if (isTimeout(error)) {
      io.stderr(`dojo-jira check-webhook: DefectDojo gave no whole answer within ${seconds(DEADLINE_MS)}; is ${shownBase} DefectDojo's base URL?\n`);
      return EXIT.problems;
    }
    // The secret is part of the URL, which an error's message may quote (redact also takes its percent-encoded form).
    const reason = redact(failureOf(error), [secret]);
    io.stderr(`dojo-jira check-webhook: DefectDojo is unreachable (${printable(reason)})\n`);
    return EXIT.problems;
  }
  const verdict = VERDICTS.find(([pattern]) => pattern.test(text));
  if (verdict) {
    io.stdout(`✖ ${verdict[1]}\n`);
    return EXIT.problems;
  }
  io.stdout("✔ OK: DefectDojo accepts the webhook (Jira on, webhook on, secret right)\n");
  return EXIT.ok;
}
