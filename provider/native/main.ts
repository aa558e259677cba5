import { readFileSync } from "node:fs";
import { Settings } from "../credentials.js";
import { ClaimsJournal, engineAddress } from "../resources/ownership.js";
import { createContext } from "../resources/index.js";
import { engineNotices } from "./engine-log.js";
import { nativeProvider } from "./provider.js";
import { serveProvider } from "./server.js";

/**
 * The `pulumi-resource-defectdojo-jira` plugin (bin/pulumi-resource-defectdojo-jira runs this).
 * Its version is the package's: the plugin, its schema and the package are released as one.
 */
const packageJson = new URL("../../../package.json", import.meta.url);
const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
// Claims are shared with the deployment's other plugin processes (one per provider instance).
const settings = new Settings();
const engine = engineAddress(process.argv.slice(2));
const notify = engineNotices(engine);
const context = createContext(settings, { notice: notify }, ClaimsJournal.forDeployment(engine));
const provider = nativeProvider(version, new URL("schema.json", import.meta.url).pathname, settings, context);
await serveProvider(provider, (message) => notify(message, undefined, "error"));
