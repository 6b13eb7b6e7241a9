// Builds the `mlgate` command into one ESM file so that start-up reads one file, not hundreds.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/bin.ts"],
  outfile: "dist/mlgate.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  legalComments: "linked",
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one in ESM.
    js: "#!/usr/bin/env node\nimport { createRequire as __mlgateCreateRequire } from 'node:module';\nconst require = __mlgateCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
