import schemaJson from "../../../schema/defectdojo-jira.schema.json" with { type: "json" };
import type { DocPath } from "../../model.js";

type SchemaNode = { properties?: Record<string, SchemaNode>; allOf?: SchemaNode[]; $ref?: string; items?: SchemaNode };

/** Property names the schema allows at `path` of a document of `kind`: for did-you-means and misplaced fields. */
export function allowedProperties(kind: string, path: DocPath): string[] {
  let nodes: SchemaNode[] = [deref({ $ref: `#/$defs/${kind}` })];
  for (const segment of path) {
    nodes = nodes.flatMap(expand).flatMap((n) => {
      const next = typeof segment === "number" ? n.items : n.properties?.[segment];
      return next ? [deref(next)] : [];
    });
  }
  return nodes.flatMap(expand).flatMap((n) => Object.keys(n.properties ?? {}));
}

/** A node plus everything it pulls in through `allOf` and `$ref`. */
function expand(node: SchemaNode): SchemaNode[] {
  return [node, ...(node.allOf ?? []).map(deref).flatMap(expand)];
}

function deref(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  let target: unknown = schemaJson;
  for (const segment of node.$ref.replace(/^#\//, "").split("/")) target = (target as Record<string, unknown>)?.[segment];
  return deref((target ?? {}) as SchemaNode);
}
