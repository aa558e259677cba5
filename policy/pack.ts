import { PolicyPack, type ReportViolation, type ResourceValidationArgs } from "@pulumi/policy";
import { kindOf, lintResources, type Finding } from "./resource-documents.js";

// The linter's rules as a Pulumi policy pack (policy/PulumiPolicy.yaml loads this module), for teams
// that declare these resources in code rather than in config files: at `pulumi preview
// --policy-pack`, every resource of the plugin's and the dynamic provider's types is linted as the
// config document it amounts to. Errors block (mandatory), warnings and hints are advisory.

const report = (findings: Finding[], reportViolation: ReportViolation, urnOf: (f: Finding) => string | undefined) => {
  for (const f of findings) reportViolation(`${f.ruleId}: ${f.message}`, urnOf(f));
};

/**
 * The inputs a document is rebuilt from, as far as they are known. A spec that uses another
 * resource's output is not known in a preview (reading an unknown value throws, @pulumi/policy's
 * proxy): then there is no whole document to lint. A link's `instanceId` is unknown while its
 * instance is new: the placeholder stands for it.
 */
function knownInputs(props: Record<string, unknown>): Record<string, unknown> | undefined {
  const read = (key: string): unknown => JSON.parse(JSON.stringify({ value: props[key] })).value;
  try {
    const inputs = { spec: read("spec"), name: read("name"), waivedRules: read("waivedRules") };
    try {
      return { ...inputs, instanceId: read("instanceId") };
    } catch {
      return inputs;
    }
  } catch {
    return undefined;
  }
}

function perDocument(severities: ReadonlyArray<Finding["severity"]>) {
  return (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!kindOf(args.type)) return;
    const props = knownInputs(args.props);
    if (!props) args.notApplicable("its spec is not known until the resources it uses exist");
    const findings = lintResources([{ type: args.type, name: args.name, props: props! }], "document");
    report(findings.filter((f) => severities.includes(f.severity)), reportViolation, () => undefined);
  };
}

new PolicyPack("dojo-jira", {
  policies: [
    {
      name: "dojo-jira-lint",
      description: "DefectDojo Jira resources pass the dojo-jira linter's rules (errors): the same checks as `dojo-jira lint` on config files.",
      enforcementLevel: "mandatory",
      validateResource: perDocument(["error"]),
    },
    {
      name: "dojo-jira-lint-warnings",
      description: "DefectDojo Jira resources pass the dojo-jira linter's warnings and hints.",
      enforcementLevel: "advisory",
      validateResource: perDocument(["warning", "info"]),
    },
    {
      name: "dojo-jira-lint-across",
      description: "DefectDojo Jira resources of one stack do not clash: unique names, one link per product or engagement, one JiraSettings.",
      enforcementLevel: "mandatory",
      validateStack: (args, reportViolation) => {
        const resources = args.resources.flatMap((r) => {
          const props = kindOf(r.type) ? knownInputs(r.props) : undefined;
          return props ? [{ type: r.type, name: r.name, urn: r.urn, props }] : [];
        });
        report(lintResources(resources, "across"), reportViolation, (f) => resources[f.resource]!.urn);
      },
    },
  ],
});
