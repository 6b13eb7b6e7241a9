// Lint: the recommended JavaScript and type-aware TypeScript rules, nothing stylistic (prettier owns style),
// and no regular expression worse than linear in the code that reads untrusted text (docs/security.md R3).
import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "action/dist/", "coverage/", "node_modules/", "fixtures/", "schema/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    // Repository files, metric files, configs, payloads and command output all pass through these folders:
    // a pattern that backtracks super-linearly there is a denial of service. Tests may use what they like.
    files: ["src/**/*.ts", "github/**/*.ts", "app/**/*.ts", "action/**/*.ts"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
      "regexp/no-super-linear-move": ["error", { report: "potential", ignoreSticky: false }],
    },
  },
  {
    // Every file mlgate reads from a checkout is opened through a ContainedFs, and every file it writes
    // through writeOutputFile (both in src/files/): a new reader cannot open a path itself and forget to
    // keep links, FIFOs and `..` out. Allowed elsewhere only where the file is not a checkout's:
    // - action/context.ts reads GITHUB_EVENT_PATH, the payload the runner wrote before the step started;
    // - app/store/dir-lock.ts locks the App's own data directory, chosen by its operator.
    files: ["src/**/*.ts", "github/**/*.ts", "action/**/*.ts", "app/**/*.ts"],
    ignores: ["src/files/**", "action/context.ts", "app/store/dir-lock.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: ["node:fs", "node:fs/promises", "fs", "fs/promises"].map((name) => ({
            name,
            message:
              "open files through a ContainedFs (src/files/contained-fs.ts) and write them with writeOutputFile (src/files/write-file.ts)",
            allowTypeImports: true,
          })),
        },
      ],
    },
  },
  {
    // Everything the Action writes on the runner is scrubbed of secrets in one module (action/runner.ts).
    files: ["action/**/*.ts"],
    ignores: ["action/runner.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@actions/core",
              message: "write through action/runner.ts, which scrubs every secret the process knows",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js", "**/*.cjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", require: "readonly" },
    },
  },
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
