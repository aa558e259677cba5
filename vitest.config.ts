import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Compiled output is loaded by Node as-is: Pulumi's closure serializer must see real import().
    server: { deps: { external: [/\/dist\//] } },
  },
});
