import { duplicateKey } from "./duplicate-key.js";
import { duplicateLinkTarget } from "./duplicate-link-target.js";
import { duplicateName } from "./duplicate-name.js";
import { emptyFile } from "./empty-file.js";
import { epicNameField } from "./epic-name-field.js";
import { fieldLength } from "./field-length.js";
import { insecureUrl } from "./insecure-url.js";
import { invalidSuppression } from "./invalid-suppression.js";
import { issueType } from "./issue-type.js";
import { linkTarget } from "./link-target.js";
import { literalSecret } from "./literal-secret.js";
import { noEffectSettings } from "./no-effect-settings.js";
import { patNeedsPro } from "./pat-needs-pro.js";
import { priorityNames } from "./priority-names.js";
import { projectKeyFormat } from "./project-key-format.js";
import { referenceById } from "./reference-by-id.js";
import { resolutionOverlap } from "./resolution-overlap.js";
import { singleSettings } from "./single-settings.js";
import { jiraDisabled } from "./jira-disabled.js";
import { webhookSecurity } from "./webhook-security.js";
import { unknownSettings } from "./unknown-settings.js";
import { ONLINE_RULES } from "../online/rules/index.js";
import type { Rule } from "./rule.js";
import { schema } from "./schema.js";
import { secretLikeValue } from "./secret-like-value.js";
import { transitionsDistinct } from "./transitions-distinct.js";
import { unknownInstance } from "./unknown-instance.js";
import { unknownKind } from "./unknown-kind.js";
import { unusedInstance } from "./unused-instance.js";
import { unusedSuppression } from "./unused-suppression.js";
import { urlTrailingSlash } from "./url-trailing-slash.js";
import { yamlAnchors } from "./yaml-anchors.js";
import { yamlSyntax } from "./yaml-syntax.js";

/** Every rule, in the order they run and are listed. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  duplicateKey,
  yamlAnchors,
  emptyFile,
  unknownKind,
  schema,
  literalSecret,
  secretLikeValue,
  duplicateName,
  unknownInstance,
  duplicateLinkTarget,
  linkTarget,
  projectKeyFormat,
  issueType,
  transitionsDistinct,
  insecureUrl,
  urlTrailingSlash,
  noEffectSettings,
  fieldLength,
  patNeedsPro,
  priorityNames,
  resolutionOverlap,
  referenceById,
  epicNameField,
  unusedInstance,
  singleSettings,
  unknownSettings,
  jiraDisabled,
  webhookSecurity,
  invalidSuppression,
  unusedSuppression,
];

/**
 * Every rule by id, the online ones too (lint --online; they never run offline): a suppression
 * or a severity in .dojo-jira.yaml may name them, and --explain describes them.
 */
export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map([...RULES, ...ONLINE_RULES].map((r) => [r.id, r]));
