// The GitHub simulator, the runner harness, the App process harness and the webhook sender are the tests'
// own TypeScript (test/support). Scripts run by plain Node (the benchmarks, the try-it demo) load them
// through an esbuild bundle made on the spot.
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

export async function loadTestSupport() {
  // Inside node_modules, so that the bundles' external imports resolve from there.
  const out = resolve("node_modules/.cache/mlgate-test-support");
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: {
      sim: "test/support/github-sim/index.ts",
      step: "test/support/action-step.ts",
      "app-process": "test/support/app-process.ts",
      webhooks: "test/support/webhooks.ts",
    },
    outdir: out,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
  // The simulator reads the extracted OpenAPI description next to itself.
  copyFileSync("test/support/github-sim/openapi.json", join(out, "openapi.json"));
  const sim = await import(join(out, "sim.mjs"));
  const step = await import(join(out, "step.mjs"));
  const appProcess = await import(join(out, "app-process.mjs"));
  const webhooks = await import(join(out, "webhooks.mjs"));
  return { ...sim, ...step, ...appProcess, ...webhooks, out };
}
