// A strict, small XML reader for the reports tools write (JUnit): elements, attributes, text, CDATA,
// comments and processing instructions; the five predefined entities and numeric character references.
// A DOCTYPE is refused, so no entity can expand; nesting is capped, so walking the tree cannot overflow.
// Every refusal is an MlgateError with the line and column.
import { MlgateError } from "../../errors.js";
import { lineColumnAt } from "./position.js";

export interface XmlAttribute {
  name: string;
  value: string;
  offset: number;
}

export interface XmlElement {
  name: string;
  offset: number;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;
export type Refuse = (offset: number, message: string, hint: string) => MlgateError;

/** Deeper nesting is refused, so walking the tree recursively never overflows the call stack. */
const MAX_DEPTH = 256;
const NAME_START =
  "A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
// XML 1.0 §2.3 Name. Its characters include combining marks and the zero-width joiners on purpose.
// eslint-disable-next-line no-misleading-character-class
const NAME = new RegExp(`[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`, "uy");
// XML 1.0 §2.2 Char: no C0 controls but tab and line ends, no U+FFFE/U+FFFF, no unpaired surrogates.
// The unpaired-surrogate test is the slow one, so it runs only on text that has surrogates at all.
const NOT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DECLARATION =
  /<\?xml\s+version\s*=\s*(?:"1\.\d+"|'1\.\d+')(?:\s+encoding\s*=\s*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:\s+standalone\s*=\s*(?:"(?:yes|no)"|'(?:yes|no)'))?\s*\?>/y;
const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);
const REFERENCE = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/y;
const HINT_XML = "fix the XML at this position; in text and attributes, < and & are written &lt; and &amp;";
const HINT_EARLY = "the XML ends early; check that the test run finished writing the report";

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== "string";
}

export function attributeOf(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((attribute) => attribute.name === name);
}

export function refusal(
  text: string,
  origin: string,
  offset: number,
  message: string,
  hint: string,
): MlgateError {
  return new MlgateError("source.parse", message, {
    location: { file: origin, ...lineColumnAt(text, offset) },
    hint,
  });
}

/** The root element of a well-formed document; an MlgateError (`source.parse`) at the first problem. */
export function parseXml(text: string, origin: string): XmlElement {
  return new XmlReader(text, origin).document();
}

class XmlReader {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly origin: string,
  ) {}

  /** The root element of a well-formed document, or an MlgateError at the first problem. */
  document(): XmlElement {
    const bad = NOT_CHAR.exec(this.text) ?? (SURROGATE.test(this.text) ? UNPAIRED.exec(this.text) : null);
    if (bad) throw this.fail(bad.index, "the document contains a character XML does not allow", HINT_XML);
    if (/^<\?xml[\s?]/.test(this.text)) {
      DECLARATION.lastIndex = 0;
      if (!DECLARATION.test(this.text)) throw this.fail(0, "the XML declaration is malformed", HINT_XML);
      this.i = DECLARATION.lastIndex;
    }
    this.misc();
    if (this.i >= this.text.length) throw this.fail(this.i, "the document has no root element", HINT_EARLY);
    if (this.text[this.i] !== "<") throw this.fail(this.i, "expected the root element", HINT_XML);
    const root = this.element();
    this.misc();
    if (this.i < this.text.length) {
      throw this.fail(this.i, "there is more content after the root element", HINT_XML);
    }
    return root;
  }

  private fail(offset: number, description: string, hint: string): MlgateError {
    return refusal(this.text, this.origin, offset, `invalid XML: ${description}`, hint);
  }

  private at(token: string): boolean {
    return this.text.startsWith(token, this.i);
  }

  /** Comments, processing instructions and whitespace around the root element. */
  private misc(): void {
    for (;;) {
      this.whitespace();
      if (this.at("<!--")) this.comment();
      else if (this.at("<?")) this.instruction();
      else if (this.at("<!DOCTYPE")) {
        throw this.fail(
          this.i,
          "a document type declaration (<!DOCTYPE …>) is not read",
          "mlgate reads no DTD, whose entities could expand without bound; JUnit reports need none, so remove it",
        );
      } else return;
    }
  }

  /** The element starting here with everything inside it; iterative, so depth costs no call stack. */
  private element(): XmlElement {
    const root = this.startTag();
    if (root.selfClosing) return root.element;
    const stack = [root.element];
    for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
      if (this.i >= this.text.length) {
        const line = lineColumnAt(this.text, top.offset).line;
        throw this.fail(
          this.i,
          `the document ends before <${top.name}> (line ${line}) is closed`,
          HINT_EARLY,
        );
      }
      if (this.text[this.i] !== "<") top.children.push(this.textRun());
      else if (this.at("</")) {
        this.endTag(top);
        stack.pop();
      } else if (this.at("<!--")) this.comment();
      else if (this.at("<![CDATA[")) top.children.push(this.cdata());
      else if (this.at("<?")) this.instruction();
      else if (this.at("<!"))
        throw this.fail(this.i, "a declaration is not allowed inside an element", HINT_XML);
      else {
        const child = this.startTag();
        top.children.push(child.element);
        if (child.selfClosing) continue;
        if (stack.length >= MAX_DEPTH) {
          throw this.fail(
            child.element.offset,
            `elements are nested more than ${MAX_DEPTH} levels deep`,
            HINT_XML,
          );
        }
        stack.push(child.element);
      }
    }
    return root.element;
  }

  private startTag(): { element: XmlElement; selfClosing: boolean } {
    const offset = this.i;
    this.i++;
    const name = this.name();
    if (name === undefined) throw this.fail(this.i, "expected an element name after <", HINT_XML);
    const element: XmlElement = { name, offset, attributes: [], children: [] };
    for (;;) {
      const spaced = this.whitespace();
      if (this.at("/>") || this.at(">")) {
        const selfClosing = this.at("/>");
        this.i += selfClosing ? 2 : 1;
        return { element, selfClosing };
      }
      if (this.i >= this.text.length)
        throw this.fail(this.i, `the start tag <${name}> is never closed`, HINT_EARLY);
      if (!spaced) throw this.fail(this.i, 'expected whitespace, ">" or "/>" in a start tag', HINT_XML);
      const attribute = this.attribute();
      if (attributeOf(element, attribute.name) !== undefined) {
        throw this.fail(
          attribute.offset,
          `the attribute ${attribute.name} appears twice on <${name}>`,
          HINT_XML,
        );
      }
      element.attributes.push(attribute);
    }
  }

  private attribute(): XmlAttribute {
    const offset = this.i;
    const name = this.name();
    if (name === undefined) throw this.fail(this.i, "expected an attribute name", HINT_XML);
    this.whitespace();
    if (!this.at("=")) throw this.fail(this.i, 'expected "=" after an attribute name', HINT_XML);
    this.i++;
    this.whitespace();
    const quote = this.text[this.i];
    if (quote !== '"' && quote !== "'")
      throw this.fail(this.i, "expected a quoted attribute value", HINT_XML);
    const end = this.text.indexOf(quote, this.i + 1);
    if (end === -1) throw this.fail(this.text.length, "an attribute value is never closed", HINT_EARLY);
    const start = this.i + 1;
    const raw = this.text.slice(start, end);
    const lt = raw.indexOf("<");
    if (lt !== -1) throw this.fail(start + lt, 'an attribute value contains "<"', HINT_XML);
    this.i = end + 1;
    return { name, value: this.decode(raw, start, true), offset };
  }

  private endTag(open: XmlElement): void {
    const offset = this.i;
    this.i += 2;
    const name = this.name();
    if (name !== open.name) {
      const line = lineColumnAt(this.text, open.offset).line;
      throw this.fail(
        offset,
        `expected </${open.name}> to close the element opened on line ${line}`,
        "every start tag needs its end tag, innermost first",
      );
    }
    this.whitespace();
    if (!this.at(">")) throw this.fail(this.i, `expected ">" to end </${name}>`, HINT_XML);
    this.i++;
  }

  private textRun(): string {
    const start = this.i;
    const next = this.text.indexOf("<", start);
    const end = next === -1 ? this.text.length : next;
    const raw = this.text.slice(start, end);
    const marker = raw.indexOf("]]>");
    // XML 1.0 §2.4: "]]>" may not appear in text outside a CDATA section.
    if (marker !== -1) throw this.fail(start + marker, 'the text contains "]]>"', HINT_XML);
    this.i = end;
    return this.decode(raw, start, false);
  }

  private cdata(): string {
    const start = this.i + "<![CDATA[".length;
    const end = this.text.indexOf("]]>", start);
    if (end === -1) throw this.fail(this.text.length, "a CDATA section is never closed", HINT_EARLY);
    this.i = end + 3;
    return lineEnds(this.text.slice(start, end));
  }

  private comment(): void {
    const end = this.text.indexOf("--", this.i + 4);
    if (end === -1) throw this.fail(this.text.length, "a comment is never closed", HINT_EARLY);
    // XML 1.0 §2.5: "--" may appear in a comment only as part of its end.
    if (this.text[end + 2] !== ">") throw this.fail(end, 'a comment contains "--"', HINT_XML);
    this.i = end + 3;
  }

  private instruction(): void {
    const offset = this.i;
    this.i += 2;
    const target = this.name();
    if (target === undefined) throw this.fail(this.i, "expected a processing instruction's target", HINT_XML);
    if (target.toLowerCase() === "xml") {
      throw this.fail(offset, "an XML declaration is allowed only at the very start of the file", HINT_XML);
    }
    if (!this.at("?>") && !this.whitespace()) {
      throw this.fail(this.i, 'expected whitespace or "?>" after the target', HINT_XML);
    }
    const end = this.text.indexOf("?>", this.i);
    if (end === -1) throw this.fail(this.text.length, "a processing instruction is never closed", HINT_EARLY);
    this.i = end + 2;
  }

  private name(): string | undefined {
    NAME.lastIndex = this.i;
    const match = NAME.exec(this.text);
    if (match === null) return undefined;
    this.i = NAME.lastIndex;
    return match[0];
  }

  /** Skips whitespace; whether there was any. */
  private whitespace(): boolean {
    const start = this.i;
    for (let c = this.text.charCodeAt(this.i); c === 0x20 || c === 0x9 || c === 0xd || c === 0xa;) {
      c = this.text.charCodeAt(++this.i);
    }
    return this.i > start;
  }

  /** Text with references replaced; XML 1.0 §2.11 line ends, and §3.3.3 whitespace in attributes. */
  private decode(raw: string, offset: number, attribute: boolean): string {
    if (!/[&\r\t\n]/.test(raw)) return raw;
    const plain = (part: string) => (attribute ? lineEnds(part).replace(/[\t\n]/g, " ") : lineEnds(part));
    let decoded = "";
    let copied = 0;
    for (let amp = raw.indexOf("&"); amp !== -1; amp = raw.indexOf("&", copied)) {
      decoded += plain(raw.slice(copied, amp));
      REFERENCE.lastIndex = amp;
      const match = REFERENCE.exec(raw);
      const character = match?.[1] === undefined ? undefined : referenced(match[1]);
      if (match === null || character === undefined) {
        throw this.fail(
          offset + amp,
          "an unknown entity or character reference",
          "only &lt; &gt; &amp; &quot; &apos; and character references (&#10;, &#x1F600;) are read; a lone & is written &amp;",
        );
      }
      decoded += character;
      copied = amp + match[0].length;
    }
    return decoded + plain(raw.slice(copied));
  }
}

/** The character a reference's body names (`lt`, `#10`, `#x1F600`), when it is one XML allows. */
function referenced(body: string): string | undefined {
  if (!body.startsWith("#")) return ENTITIES.get(body);
  const code = body.startsWith("#x")
    ? Number.parseInt(body.slice(2), 16)
    : Number.parseInt(body.slice(1), 10);
  const allowed =
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  return allowed ? String.fromCodePoint(code) : undefined;
}

function lineEnds(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}
