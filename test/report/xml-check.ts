// A tiny well-formedness check for the JUnit output: tags balance, attributes are quoted and escaped,
// text holds no raw markup. Enough to catch an escaping bug without an XML parser dependency.

const NAME = "[A-Za-z_][\\w.-]*";
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>$`);
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** The problems found; empty when the document is well-formed. */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, "");
  if (FORBIDDEN.test(body)) problems.push("a character XML 1.0 forbids");
  const stack: string[] = [];
  let roots = 0;
  for (const token of body.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (!token.startsWith("<")) {
      if (BARE_AMPERSAND.test(token)) problems.push(`bare & in text ${JSON.stringify(token)}`);
      if (stack.length === 0 && token.trim() !== "")
        problems.push(`text outside the root ${JSON.stringify(token)}`);
      continue;
    }
    const tag = TAG.exec(token);
    if (tag === null) {
      problems.push(`malformed tag ${JSON.stringify(token)}`);
      continue;
    }
    const [, closing, name = "", attrs = "", selfClosing] = tag;
    if (BARE_AMPERSAND.test(attrs)) problems.push(`bare & in ${JSON.stringify(token)}`);
    if (closing === "/") {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (selfClosing !== "/") {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(", ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
