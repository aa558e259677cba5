// Writes the Pulumi package schema of the provider plugin into a build tree (argument: its root,
// e.g. dist.next-123), from schema/defectdojo-jira.schema.json through the compiled generator
// (schema/pulumi-package-schema.ts). Run by build.mjs before the tree is swapped in, so dist/
// never holds a plugin without its schema. The version is package.json's: plugin and schema are one release.
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const root = new URL("../", import.meta.url);
const tree = resolve(process.argv[2] ?? "dist");
const { pulumiPackageSchema } = await import(pathToFileURL(`${tree}/schema/pulumi-package-schema.js`).href);
const source = JSON.parse(await readFile(new URL("schema/defectdojo-jira.schema.json", root), "utf8"));
const { version } = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
await writeFile(`${tree}/provider/native/schema.json`, `${JSON.stringify(pulumiPackageSchema(source, version), null, 2)}\n`);
