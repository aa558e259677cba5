import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { missingPluginEntry } from "../../program/plugin-entry.js";

// A project made by an earlier `dojo-jira init` names no provider plugin; the root program says so
// before it declares anything, with the lines to add.
let project: string;
const saved = { home: process.env.PULUMI_HOME, ambient: process.env.PULUMI_IGNORE_AMBIENT_PLUGINS };

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "dojo-jira-plugin-entry-"));
  process.env.PULUMI_HOME = join(project, "home");
  process.env.PULUMI_IGNORE_AMBIENT_PLUGINS = "true";
});
afterEach(async () => {
  process.env.PULUMI_HOME = saved.home;
  process.env.PULUMI_IGNORE_AMBIENT_PLUGINS = saved.ambient;
  await rm(project, { recursive: true, force: true });
});

describe("the root program's plugin entry", () => {
  it("a Pulumi.yaml without it gets the lines to add, with the plugin's folder relative to the project", async () => {
    await writeFile(join(project, "Pulumi.yaml"), "name: acme\nruntime: nodejs\nmain: node_modules/dojo-jira/dist/program/index.js\n");
    const message = missingPluginEntry(project);
    expect(message).toContain(`${join(project, "Pulumi.yaml")} names no provider plugin defectdojo-jira`);
    expect(message).toMatch(/plugins:\n  providers:\n    - name: defectdojo-jira\n      path: \S+\/bin\n\nNothing was changed\.$/);
  });

  it("is satisfied by the entry, a package entry, an attached provider, or an installed plugin", async () => {
    await writeFile(join(project, "Pulumi.yaml"), "name: acme\nruntime: nodejs\nplugins:\n  providers:\n    - name: defectdojo-jira\n      path: node_modules/dojo-jira/bin\n");
    expect(missingPluginEntry(project)).toBeUndefined();
    await writeFile(join(project, "Pulumi.yaml"), "name: acme\nruntime: nodejs\nplugins:\n  providers:\n    - name: other\n      path: x\n");
    expect(missingPluginEntry(project)).toBeDefined();
    await writeFile(join(project, "Pulumi.yaml"), "name: acme\nruntime: nodejs\npackages:\n  defectdojo-jira: ./node_modules/dojo-jira/bin\n");
    expect(missingPluginEntry(project)).toBeUndefined();
    await writeFile(join(project, "Pulumi.yaml"), "name: acme\nruntime: nodejs\n");
    expect(missingPluginEntry(project)).toBeDefined();
    process.env.PULUMI_DEBUG_PROVIDERS = "aws:1234,defectdojo-jira:5678";
    try {
      expect(missingPluginEntry(project)).toBeUndefined();
    } finally {
      delete process.env.PULUMI_DEBUG_PROVIDERS;
    }
    await mkdir(join(project, "home", "plugins", "resource-defectdojo-jira-v0.1.0"), { recursive: true });
    expect(missingPluginEntry(project)).toBeUndefined();
  });

  it("leaves a project it cannot read to the engine", async () => {
    expect(missingPluginEntry(project)).toBeUndefined();
    await writeFile(join(project, "Pulumi.yaml"), "name: [unclosed\n");
    expect(missingPluginEntry(project)).toBeUndefined();
  });
});
