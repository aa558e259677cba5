/**
 * A deliberate "no" from the provider (delete safety, adoption needed, missing product).
 * Pulumi's dynamic-provider host prints `${error}: ${error.stack}` for some methods; a refusal is
 * not a crash, so it carries no stack.
 */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "dojo-jira";
    this.stack = "";
  }
}
