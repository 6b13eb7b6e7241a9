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
    files: ["src/**/*.ts", "app/**/*.ts", "action/**/*.ts"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
      "regexp/no-super-linear-move": ["error", { report: "potential", ignoreSticky: false }],
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
