// Builds the `mlgate` command into one ESM file so that start-up reads one file, not hundreds.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

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
  define: { __MLGATE_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
});

// The App: a server with its dependencies installed next to it (PGlite loads its WebAssembly from its
// package, Probot its own files), so they stay imports rather than being bundled. Its scoring worker
// (app/scoring/worker.ts) is a second entry: a worker thread loads its own file, next to dist/app.js.
await build({
  entryPoints: { app: "app/main.ts", "scoring-worker": "app/scoring/worker.ts" },
  outdir: "dist",
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  define: { __MLGATE_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
});
