// Escaping: text from metric files and configs stays inert in Markdown, terminals and XML.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boldMarkdown, escapeMarkdown, escapeText, escapeXml } from "../../src/report/escape.js";

describe("escapeMarkdown", () => {
  it.each([
    ["a | b", "a &#124; b"],
    ["<img src=x>", "&lt;img src=x&gt;"],
    ["<!-- mlgate-marker -->", "&lt;\\!-- mlgate-marker --&gt;"],
    ['Tom & "Jerry\'s"', "Tom &amp; &quot;Jerry&#39;s&quot;"],
    ["@octocat and @org/team", "&#64;&#8203;octocat and &#64;&#8203;org/team"],
    ["`code`", "&#96;code&#96;"],
    ["[link](http://evil)", "\\[link\\]\\(http&#58;//evil\\)"],
    ["![img](x)", "\\!\\[img\\]\\(x\\)"],
    ["*bold* _em_ ~del~", "\\*bold\\* \\_em\\_ \\~del\\~"],
    ["C:\\data", "C:\\\\data"],
    ["see www.evil.example", "see www&#46;evil.example"],
    ["fixes #12", "fixes #&#8203;12"],
    ["cost $5 and $10", "cost &#36;5 and &#36;10"],
    ["$$\\sqrt{x}$$", "&#36;&#36;\\\\sqrt{x}&#36;&#36;"],
    ["line1\nline2\r\nline3\u0085end", "line1 line2 line3 end"],
    ["tab\there", "tab here"],
    ["safe\u202Eevil\u2066", "safeevil"],
    ["plain accuracy 0.93", "plain accuracy 0.93"],
  ])("escapes %j", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  const risky = fc.constantFrom(..."|<>@`$[]()!*_~\\\n\r\u001b\u202E\u2028:/#w.&'\"".split(""), "\uD800");
  const unit = fc.oneof(risky, fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));

  it("never lets a pipe, a tag, math, a mention or a line break through, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (input) => {
        const out = escapeMarkdown(input);
        expect(out).not.toMatch(/[|<>`$\n\r\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
        expect(out).not.toMatch(/@\w/);
        expect(out).not.toMatch(/\]\(|https?:\/\//i);
      }),
    );
  });
});

describe("escapeText", () => {
  it.each([
    ["a\nb", "a\\nb"],
    ["\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m"],
    ["bell\u0007 del\u007f csi\u009b", "bell\\x07 del\\x7f csi\\x9b"],
    ["para\u2028graph", "para\\u2028graph"],
    ["::error::forged", "\\x3a:error::forged"],
    ["   ::warning::forged", "   \\x3a:warning::forged"],
    ["##[error]forged", "\\x23#[error]forged"],
    ["ratio a::b stays", "ratio a::b stays"],
    ["\u202Eevil\u2069", "evil"],
    ["café ≥ 0.9", "café ≥ 0.9"],
  ])("shows %j safely", (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it("never outputs a control character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 40 }), (input) => {
        expect(escapeText(input)).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
      }),
    );
  });
});

describe("escapeXml", () => {
  it.each([
    ["<a & 'b'>", "&lt;a &amp; &apos;b&apos;&gt;"],
    ['say "hi"', "say &quot;hi&quot;"],
    ["nul\u0000 bs\u0008 vt\u000B", "nul bs vt"],
    ["\uFFFE\uFFFFok", "ok"],
    ["lone \uD800 half", "lone  half"],
    ["emoji 😀 stays", "emoji 😀 stays"],
    ["a\tb\nc\rd", "a&#9;b&#10;c&#13;d"],
  ])("escapes %j", (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });
});

describe("boldMarkdown", () => {
  it("keeps the bold closed when the text ends in a line break", () => {
    expect(boldMarkdown("name\n")).toBe("**name**");
  });
});
