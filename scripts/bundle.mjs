// Bundles the GitHub Action into one committed ESM file, action/dist/index.js (runs.main in action.yml).
// .ci/run rebuilds it and fails when the committed copy differs.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

await build({
  entryPoints: ["action/index.ts"],
  outfile: "action/dist/index.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "linked",
  banner: {
    js: "import { createRequire as __mlgateCreateRequire } from 'node:module';\nconst require = __mlgateCreateRequire(import.meta.url);",
  },
  define: { __MLGATE_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
});
