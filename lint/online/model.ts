import type { JiraInstance, LinkDocument } from "../../schema/config-types.js";
import type { OffsetRange } from "../model.js";
import type { SiteFacts } from "../repo-config.js";
import type { Rule, ValidDocument } from "../rules/rule.js";

/** A fact read from Jira, or why it could not be read (reported by online-unchecked, never guessed). */
export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface TransitionFact {
  id: string;
  name: string;
  to: string;
  /** Status category of the target: "To Do", "In Progress" or "Done". */
  category: string;
}

export interface ProjectFacts {
  key: string;
  issueTypes: string[];
  components: string[];
  /**
   * Jira lists transitions per issue, from its current status only: these are the transitions
   * offered from the statuses of a few of the project's issues, so an absent id is likely, not
   * certainly, missing from the workflow.
   */
  transitions: Lookup<{ statuses: string[]; offered: TransitionFact[] }>;
}

export interface FieldFact {
  id: string;
  name: string;
  customId: number | undefined;
  clauseNames: string[];
}

/** What the live Jira of one JiraInstance says, for it and the links using it: plain data. */
export interface InstanceFacts {
  instance: ValidDocument<JiraInstance>;
  links: Array<ValidDocument<LinkDocument>>;
  /** The instance was not checked at all: its password is not available here (online-unchecked). */
  unchecked?: string;
  /** Jira could not be asked: unreachable or timed out (at `url`), or it refused the credentials (at `password`). */
  failed?: { reason: string; at: "url" | "password" };
  deployment?: { cloud: boolean; label: string };
  priorities?: Lookup<string[]>;
  fields?: Lookup<FieldFact[]>;
  /** By project key; `null`: Jira says there is no such project (or the user cannot see it). */
  projects: Map<string, Lookup<ProjectFacts | null>>;
}

export interface OnlineContext {
  facts: readonly InstanceFacts[];
  site: SiteFacts;
  report(where: { file: string }, range: OffsetRange, message: string): void;
}

/**
 * A rule that needs the live Jira. It is listed, explained, configured and suppressed like every
 * rule, but runs only with `--online`: its offline `check` does nothing.
 */
export interface OnlineRule extends Rule {
  online: true;
  checkOnline(context: OnlineContext): void;
}

/** Builds an online rule: the offline check is a no-op by construction. */
export function onlineRule(rule: Omit<OnlineRule, "online" | "check">): OnlineRule {
  return { ...rule, online: true, check: () => undefined };
}

/** The default DefectDojo gives `default_issue_type` when the config leaves it out. */
export const DEFAULT_ISSUE_TYPE = "Bug";
