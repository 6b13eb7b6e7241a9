// Every file of the collection of real artifacts, read the way a user first meets it: `mlgate inspect
// <file>` with the format detected. Each is either read, and every value it lists is found in the file
// itself, or refused with an error that names the file. MLflow trees are read as the directories they are.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const REAL = process.env["MLGATE_REAL_ARTIFACTS"] ?? "/work/shared/real-artifacts";

interface Listed {
  file: string;
  format: string;
  measurements: { path: string; value: unknown; history?: { value: unknown }[] }[];
  unavailable?: { path: string; error: string }[];
}

/** Every number written in a text, in any spelling (`1.0`, `1e-05`, `0.95`), as the numbers they are. */
function numbersIn(text: string): Set<number> {
  const numbers = new Set<number>();
  for (const match of text.matchAll(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g))
    numbers.add(Number(match[0]));
  return numbers;
}

/** A value mlgate lists is in the file: a number written there, a text as written, NaN as Python spells it. */
function foundIn(value: unknown, text: string, numbers: Set<number>): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "number") return numbers.has(value) || numbers.has(Math.abs(value));
  if (typeof value !== "string") return false;
  if (/^-?(?:NaN|Infinity)$/.test(value)) return /nan|inf/i.test(text);
  if (/%$/.test(value)) return text.includes(value) || numbers.has(Number(value.slice(0, -1)));
  // Text is listed as the file has it, as JSON escapes it, or as a YAML block folds its lines.
  const words = (s: string) => s.replace(/\s+/g, " ");
  return (
    text.includes(value) ||
    text.includes(JSON.stringify(value).slice(1, -1)) ||
    words(text).includes(words(value).trim())
  );
}

/**
 * Values a reader computes rather than copies: JUnit's totals and each test's status (from the elements
 * it has or lacks). They are checked against their files in junit.test.ts.
 */
const COMPUTED = /^(?:tests|failures|errors|skipped|passed|time|testcases\/.*)$/;

/** mlgate's own note on CSV rows that share a key (`inspect` lists it where the value would be). */
const SHARED_KEY_NOTE = /^\d+ rows \(lines [\d, ]+\) share this key: /;

function files(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        // An MLflow tracking directory is one source; its files are accounted for in mlflow.test.ts.
        if (name === "mlruns") found.push(path);
        else walk(path);
      } else if (name !== "PROVENANCE.md") found.push(path);
    }
  };
  walk(REAL);
  return found;
}

// Only where the collection is present; elsewhere no test is defined.
if (existsSync(REAL)) {
  describe(`every file of ${REAL}, through mlgate inspect`, () => {
    it.each(files().map((path) => [relative(REAL, path), path] as const))("%s", async (name, path) => {
      const result = await runCli(["inspect", name, "--output", "json", "--cwd", REAL]);
      if (result.code !== 0) {
        // Refused: exit 2, with the file named and a hint, never a crash.
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(/^mlgate: /);
        expect(result.stderr).toContain(name.split("/").pop() as string);
        expect(result.stderr).toMatch(/\n {2}hint: /);
        return;
      }
      const listed = JSON.parse(result.stdout) as Listed;
      expect(listed.measurements.length + (listed.unavailable?.length ?? 0)).toBeGreaterThan(0);
      if (statSync(path).isDirectory()) return; // values checked file by file in mlflow.test.ts
      const text = readFileSync(path, "utf8");
      const numbers = numbersIn(text);
      const missing = listed.measurements.filter(
        (row) =>
          !COMPUTED.test(row.path) &&
          !(typeof row.value === "string" && SHARED_KEY_NOTE.test(row.value)) &&
          !foundIn(row.value, text, numbers),
      );
      expect(missing.slice(0, 5), `${missing.length} values not found in the file`).toEqual([]);
    });
  });
}
