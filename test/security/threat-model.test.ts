// docs/security.md promises a test for every threat. This keeps the page honest: every row names at least
// one test, and every test it names exists — the file, and a test (or group) of that title in it.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const DOC = readFileSync("docs/security.md", "utf8");

interface Row {
  id: string;
  tests: string;
}

/** The rows of the threat-model tables: `| P1 | threat | enters via | mitigation | tests |`. */
function rows(): Row[] {
  const found: Row[] = [];
  for (const line of DOC.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    // "P5 †" marks a mitigation that is a library's: the test pins it.
    const id = (cells[1] ?? "").replace(/\s*†$/, "");
    if (!/^[A-Z]\d+$/.test(id)) continue;
    found.push({ id, tests: cells[5] ?? "" });
  }
  return found;
}

/** `` `test/x.test.ts` › title; › another title `` → file and titles; a `›` without a file uses the last file. */
function references(tests: string): { file: string; title: string }[] {
  const refs: { file: string; title: string }[] = [];
  let file = "";
  for (const part of tests.split(";").map((p) => p.trim())) {
    const match = /^(?:`([^`]+)`\s*)?›\s*(.+)$/.exec(part);
    if (!match) continue;
    file = match[1] ?? file;
    refs.push({ file, title: (match[2] ?? "").trim() });
  }
  return refs;
}

describe("docs/security.md", () => {
  const table = rows();

  it("has at least 25 threats, each with its own id", () => {
    expect(table.length).toBeGreaterThanOrEqual(25);
    expect(new Set(table.map((row) => row.id)).size).toBe(table.length);
  });

  it.each(table.map((row) => [row.id, row] as const))("%s names tests that exist", (_id, row) => {
    const refs = references(row.tests);
    expect(refs.length, `row ${row.id} names no test`).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(existsSync(ref.file), `${row.id}: ${ref.file}`).toBe(true);
      const source = readFileSync(ref.file, "utf8");
      // A title with a placeholder (`%s`) is matched up to it.
      const fixed = ref.title.split("%s")[0]?.trim() ?? ref.title;
      expect(source.includes(fixed), `${row.id}: no test "${ref.title}" in ${ref.file}`).toBe(true);
    }
  });
});
