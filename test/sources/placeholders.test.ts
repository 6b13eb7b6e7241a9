// The one-pass placeholder scanner that replaced three lazy regular expressions (`${{ env.NAME }}` in a
// source's URL and headers, checked in the config and interpolated at run time; `${name}` in a dvc.yaml):
// it finds exactly what each expression found, on any text, and in time linear in the text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  findPlaceholders,
  replacePlaceholders,
  type PlaceholderSyntax,
} from "../../src/sources/placeholders.js";
import { interpolateEnv } from "../../src/sources/interpolate.js";

const SYNTAXES: Array<[string, PlaceholderSyntax, RegExp]> = [
  [
    "${{ … }} across lines (interpolateEnv)",
    { open: "${{", close: "}}", multiline: true, escapable: false },
    /\$\{\{([\s\S]*?)\}\}/g,
  ],
  [
    "${{ … }} on one line (the config check)",
    { open: "${{", close: "}}", multiline: false, escapable: false },
    /\$\{\{(.*?)\}\}/g,
  ],
  ["DVC's ${ … }", { open: "${", close: "}", multiline: false, escapable: true }, /(?<!\\)\$\{(.*?)\}/g],
];

/** Text made of the characters that matter to the three syntaxes, and a few that do not. */
const text = fc
  .array(fc.constantFrom("$", "{", "}", "\\", "\n", "\r", "\u2028", "a", " ", "${", "${{", "}}"), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

describe("placeholders", () => {
  it.each(SYNTAXES)(
    "%s: the same placeholders as the regular expression it replaced",
    (_name, syntax, regex) => {
      fc.assert(
        fc.property(text, (input) => {
          const expected = [...input.matchAll(regex)].map((match) => ({
            index: match.index,
            text: match[0],
            inner: match[1],
          }));
          expect(findPlaceholders(input, syntax)).toEqual(expected);
          expect(replacePlaceholders(input, findPlaceholders(input, syntax), () => "x")).toBe(
            input.replace(regex, "x"),
          );
        }),
        { numRuns: 2_000 },
      );
    },
  );

  it.each(SYNTAXES)("%s: linear in a line of openings that never close on it", (_name, syntax) => {
    const time = (size: number) => {
      // Openings that never close (on their line: a closing follows on the next).
      const openings = `${syntax.open}a`.repeat(size / (syntax.open.length + 1));
      const input = syntax.multiline ? openings : `${openings}\n${syntax.close}`;
      const started = performance.now();
      for (let run = 0; run < 5; run++) findPlaceholders(input, syntax);
      return (performance.now() - started) / 5;
    };
    time(64 * 1024); // warm up
    // The lazy expressions took 3 to 7 s on 256 KiB of this, 15 times as long as on 64 KiB.
    expect(time(256 * 1024) / Math.max(time(64 * 1024), 1)).toBeLessThan(8);
    expect(time(256 * 1024)).toBeLessThan(500);
  });

  it("still refuses an unclosed `${{` in a URL, whatever surrounds it", () => {
    expect(() => interpolateEnv(`https://x/${"${{".repeat(50_000)}`, {}, "sources.a.url")).toThrow(
      'an expression in sources.a.url opens with "${{" but never closes with "}}"',
    );
  });
});
