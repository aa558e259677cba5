/**
 * Whether output meant for a person gets ANSI colours. A command-line flag decides first; then, as
 * Node itself and most tools read them, FORCE_COLOR (set and not "0"/"false": on, "0"/"false": off),
 * NO_COLOR (set and not empty: off, https://no-color.org), TERM=dumb (off); otherwise colours go
 * only to a terminal.
 */
export function wantColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return !/^(0|false)$/i.test(force);
  if (env.NO_COLOR) return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}
