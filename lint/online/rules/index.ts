import type { OnlineRule } from "../model.js";
import { onlineAuthKind } from "./auth-kind.js";
import { onlineComponent } from "./component.js";
import { onlineCredentials } from "./credentials.js";
import { onlineEpicName } from "./epic-name.js";
import { onlineIssueType } from "./issue-type.js";
import { onlinePriority } from "./priority.js";
import { onlineProject } from "./project.js";
import { onlineTransition } from "./transition.js";
import { onlineUnchecked } from "./unchecked.js";

/** Rules that ask the live Jira (`lint --online`), in the order they run and are listed. */
export const ONLINE_RULES: readonly OnlineRule[] = [
  onlineCredentials,
  onlineAuthKind,
  onlineProject,
  onlineIssueType,
  onlineTransition,
  onlineEpicName,
  onlinePriority,
  onlineComponent,
  onlineUnchecked,
];
