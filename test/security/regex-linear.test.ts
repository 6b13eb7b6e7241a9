// No regular expression in src/, app/ or action/ is worse than linear (docs/security.md R3). The lint rules
// (regexp/no-super-linear-backtracking, regexp/no-super-linear-move) catch most cases, not all: a lazy
// `(.*?)` after a prefix of several characters, as in `\$\{\{(.*?)\}\}`, passes them. So every literal in
// the code is also run on strings pumped from its own pieces, at 4 KiB and 16 KiB: linear time grows 4-fold,
// a rescan from every position 16-fold. A `new RegExp` built at run time cannot be pumped; each one is
// listed here with the reason it is linear, and a new one fails until someone has looked at it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RegExpParser, visitRegExpAST, type AST } from "@eslint-community/regexpp";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOTS = ["src", "github", "app", "action"];

/** Regular expressions built at run time, per file, and why each is linear. */
const REVIEWED_DYNAMIC: Record<string, { count: number; why: string }> = {
  "src/sources/formats/evidently.ts": {
    count: 1,
    why: "anchored at ^, members separated by `,` and `:` that no quantifier takes, and only the first 64 KiB is searched",
  },
  "src/sources/formats/xml.ts": { count: 1, why: "sticky: one position, a class and a starred class" },
};

interface Literal {
  where: string;
  regex: RegExp;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join("action", "dist") ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every regular expression literal (and `RegExp` of a literal string) in the code, and the dynamic ones. */
function regularExpressions(): { literals: Literal[]; dynamic: Map<string, number> } {
  const literals: Literal[] = [];
  const dynamic = new Map<string, number>();
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) =>
      `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const slash = node.text.lastIndexOf("/");
        literals.push({
          where: where(node),
          regex: new RegExp(node.text.slice(1, slash), node.text.slice(slash + 1)),
        });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        node.expression.getText() === "RegExp"
      ) {
        const [pattern, flags] = node.arguments ?? [];
        const constant = (arg: ts.Expression | undefined) =>
          arg !== undefined && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg));
        if (constant(pattern) && (flags === undefined || constant(flags))) {
          const text = (arg: ts.Expression | undefined) => (arg as ts.StringLiteral | undefined)?.text;
          literals.push({ where: where(node), regex: new RegExp(text(pattern) ?? "", text(flags)) });
        } else {
          dynamic.set(file, (dynamic.get(file) ?? 0) + 1);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, dynamic };
}

/** A short string each element of the pattern matches: the pieces attack strings are pumped from. */
function sample(element: AST.Node): string {
  switch (element.type) {
    case "Character":
      return String.fromCodePoint(element.value);
    case "CharacterSet":
      return element.kind === "digit" ? "1" : element.kind === "space" ? " " : "a";
    case "CharacterClass": {
      const first = element.elements[0];
      if (element.negate || !first) return "a";
      return first.type === "CharacterClassRange" ? String.fromCodePoint(first.min.value) : sample(first);
    }
    case "Quantifier":
      return sample(element.element).repeat(Math.max(1, element.min));
    case "Group":
    case "CapturingGroup":
      return (element.alternatives[0]?.elements ?? []).map(sample).join("");
    default:
      return "";
  }
}

/** Runs of consecutive elements of every alternative, and each element alone. */
function pieces(regex: RegExp): string[] {
  const found = new Set<string>();
  const ast = new RegExpParser().parseLiteral(`/${regex.source}/${regex.flags}`);
  visitRegExpAST(ast, {
    onAlternativeEnter(alternative) {
      let run = "";
      for (const element of alternative.elements) {
        const piece = sample(element);
        if (!piece) continue;
        found.add(piece);
        run += piece;
        found.add(run.slice(-16));
      }
    },
  });
  return [...found].filter(Boolean);
}

/** What the code does with a regular expression, on one input: test it, and find every match. */
function exercise(regex: RegExp, input: string): void {
  regex.lastIndex = 0;
  regex.test(input);
  if (regex.sticky) return;
  const global = regex.global ? regex : new RegExp(regex.source, `${regex.flags}g`);
  global.lastIndex = 0;
  input.replace(global, "");
}

function fastest(run: () => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Characters pumped into every expression besides its own pieces. */
const PLAIN = [" ", "\n", "\t", "a", "1", "-", "/", ".", ":"];
const SMALL = 4 * 1024;
const LARGE = 16 * 1024;
/** Below this at 16 KiB, a run is linear whatever its ratio: quadratic takes tens of milliseconds. */
const SCREEN_MS = 3;

/** An attack on `regex` whose time grows worse than linearly (prefix, pumped piece, suffix), if any. */
function superLinearAttack(regex: RegExp): string | undefined {
  const own = pieces(regex);
  for (const prefix of ["", ...own.slice(0, 2)])
    for (const piece of [...PLAIN, ...own])
      for (const suffix of ["", "\u0000"]) {
        const attack = (size: number) => prefix + piece.repeat(Math.ceil(size / piece.length)) + suffix;
        const large = attack(LARGE);
        exercise(regex, large); // the first run may be interpreted; V8 compiles it after
        const started = performance.now();
        exercise(regex, large);
        if (performance.now() - started < SCREEN_MS) continue;
        const small = attack(SMALL);
        const ratio =
          fastest(() => exercise(regex, large)) /
          Math.max(
            fastest(() => exercise(regex, small)),
            0.5,
          );
        if (ratio > 8) return JSON.stringify({ prefix, piece, suffix, ratio: Math.round(ratio) });
      }
  return undefined;
}

describe("regular expressions over untrusted text", () => {
  const { literals, dynamic } = regularExpressions();

  it("finds the code's regular expressions", () => {
    // A sanity check on the walk itself: the code has well over a hundred.
    expect(literals.length).toBeGreaterThan(150);
  });

  it("every literal in src/, app/ and action/ runs in linear time on strings pumped from its own pieces", () => {
    const slow = literals.flatMap(({ where, regex }) => {
      const attack = superLinearAttack(regex);
      return attack ? [`${where} ${regex}: ${attack}`] : [];
    });
    expect(slow).toEqual([]);
  });

  it("every regular expression built at run time has been reviewed", () => {
    expect(Object.fromEntries(dynamic)).toEqual(
      Object.fromEntries(Object.entries(REVIEWED_DYNAMIC).map(([file, { count }]) => [file, count])),
    );
  });
});
