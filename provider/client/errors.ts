/** A DefectDojo answer that is an error, typed: status, per-field messages, and what to do. */
export class DefectDojoError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** DRF field errors, e.g. `{ password: ["This field is required."] }`; `non_field_errors` included. */
    readonly fieldErrors: Record<string, string[]> = {},
    /** DefectDojo's own `message` (a repr of the errors, or the 500 text). */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = "DefectDojoError";
  }
}

/** A list whose pages contradict each other or never end: nothing may be decided from it (fail closed). */
export class PaginationError extends DefectDojoError {
  constructor(message: string) {
    super(message, 0);
    this.name = "PaginationError";
  }
}

/** The request may or may not have been applied (connection reset, 5xx on a write, garbled reply). */
export class UnknownOutcomeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownOutcomeError";
  }
}

/** Advice for a status, in the words a platform engineer needs. */
export function adviceFor(status: number): string {
  if (status === 403) return "the API token is invalid, or its user is not a superuser (DefectDojo answers 403, never 401, for both)";
  if (status === 404) return "the object does not exist (or the token's user cannot see it)";
  if (status === 405) return "DefectDojo does not allow this method here";
  if (status === 409) return "a unique value already exists; look the object up instead of creating it";
  if (status === 429) return "DefectDojo is rate limiting; retried until the deadline";
  if (status >= 500) return "DefectDojo failed internally; check its logs";
  return "";
}
