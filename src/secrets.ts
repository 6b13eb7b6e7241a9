// The secrets a process knows, and the one function that takes them out of text before the text leaves:
// every known value, in every form a renderer or a tool may have turned it into, becomes `***`, and so does
// anything shaped like a GitHub token. Removing a variable from a child's environment is not a boundary (a
// command can read its parent's `/proc/<ppid>/environ`), so what matters is that nothing we write shows it.
import { escapeMarkdown, escapeText, escapeXml } from "./report/escape.js";

const SCRUBBED = "***";
/** Stands for a secret's characters while a tail is cut (a NUL the text had becomes a visible ␀). */
const MASK = "\u0000";

/** Shorter values would scrub ordinary words and numbers everywhere; the runner masks them in the log. */
export const MIN_SECRET_LENGTH = 8;

/**
 * GitHub's token formats (personal, OAuth, user-to-server, server-to-server, refresh; fine-grained PATs):
 * whatever process they came from, text shaped like one is not ours to publish. `\b` before a literal
 * prefix, then one character class: each start is tried once, so the scan is linear.
 */
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g;

/**
 * Variable names that say their value is a credential (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD …),
 * the runner's own among them: `INPUT_GITHUB-TOKEN` (the Action's token input), `ACTIONS_RUNTIME_TOKEN`
 * (artifacts and cache), `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (OIDC).
 */
const CREDENTIAL_NAME =
  /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|(?:^|_)KEY$|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|AUTH(?!OR)|(?:^|_)PAT(?:$|_)|DATABASE_URL|REDIS_URL|CONNECTION_STRING/i;

export class Secrets {
  /** Every form to cut, longest first so a secret that contains another is cut whole. */
  private forms: string[] = [];
  private readonly known = new Set<string>();

  constructor(values: Iterable<string | undefined> = []) {
    for (const value of values) this.add(value);
  }

  /**
   * Learns a secret (and each line of a multi-line one, as the runner's masking does); returns what it
   * kept: values shorter than MIN_SECRET_LENGTH (`false`, `1`) are not secrets worth hiding everywhere.
   */
  add(value: string | undefined): string[] {
    if (value === undefined) return [];
    const candidates = [value.trim(), ...value.split(/\r?\n/).map((line) => line.trim())];
    const kept = candidates.filter(
      (candidate, index) =>
        candidate.length >= MIN_SECRET_LENGTH &&
        !this.known.has(candidate) &&
        candidates.indexOf(candidate) === index,
    );
    for (const candidate of kept) this.known.add(candidate);
    if (kept.length > 0)
      this.forms = [...new Set([...this.forms, ...kept.flatMap(formsOf)])].sort(
        (a, b) => b.length - a.length,
      );
    return kept;
  }

  /** How many characters a scrubbed window must overlap, so that no secret is cut in two unseen. */
  get longest(): number {
    return this.forms[0]?.length ?? 0;
  }

  /** Known secrets first, whole (one may hold a token-shaped part), then anything shaped like a token. */
  scrub(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(SCRUBBED);
    return out.replace(GITHUB_TOKEN, SCRUBBED);
  }

  /**
   * The last `keep` characters of a stream's tail, scrubbed, where the tail may start in the middle of a
   * secret: every whole secret is masked where it stands first, so one that the cut would split is hidden
   * on both sides of the cut, and the caller keeps `keep` at least `longest` short of the text's length,
   * so that a secret already cut at the tail's start is dropped with what came before.
   */
  scrubTail(text: string, keep: number): string {
    const masks = (found: string) => MASK.repeat(found.length);
    let out = text.replaceAll(MASK, "\u2400");
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(masks(form));
    out = out.replace(GITHUB_TOKEN, masks);
    return out.slice(Math.max(0, out.length - keep)).replace(/\u0000+/g, SCRUBBED);
  }

  /** A JSON-like value with every string in it (keys too) scrubbed; the same object when nothing changed. */
  scrubDeep<T>(value: T): T {
    return scrubValue(value, (text) => this.scrub(text)) as T;
  }
}

/**
 * A secret as it may appear: as is; escaped by our renderers (Markdown, log, XML) or by JSON and URLs;
 * base64-encoded, alone or as the `x-access-token:<token>` pair that actions/checkout writes into
 * `.git/config` as an HTTP header; and with its base64 shifted by one or two bytes of prefix, as it is
 * when embedded in a longer encoded string.
 */
function formsOf(secret: string): string[] {
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  // A secret inside a longer base64 text starts at one of three byte offsets; the middle of each
  // encoding (without the characters that depend on the neighbours) is what is always there.
  const shifted = ["", "\u0000", "\u0000\u0000"].map((pad) => {
    // Base64 pads with at most two '=' (a bounded quantifier: `=+$` would rescan every run of them).
    const encoded = base64(`${pad}${secret}`).replace(/={1,2}$/, "");
    const skip = pad.length === 0 ? 0 : pad.length + 1;
    return encoded.slice(skip, encoded.length - 2);
  });
  return [
    secret,
    escapeMarkdown(secret),
    escapeText(secret),
    escapeXml(secret),
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    base64(secret),
    base64(`x-access-token:${secret}`),
    ...shifted,
  ].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => scrubValue(item, scrub));
    return items.every((item, index) => item === value[index]) ? value : items;
  }
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const k = scrub(key);
      const v = scrubValue(item, scrub);
      if (k !== key || v !== item) changed = true;
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return changed ? out : value;
  }
  return value;
}

/**
 * The credentials an environment holds: the runner's own tokens and the Action's token input by name, and
 * every variable whose name says it holds a credential. A secret a workflow passes under another name is
 * masked in the log by the runner, but only a name like these (or a GitHub token's shape) lets mlgate
 * scrub it from what it writes elsewhere.
 */
export function secretsInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const upper = name.toUpperCase();
    if (CREDENTIAL_NAME.test(upper)) found.push(...credentialParts(value));
  }
  return found;
}

/** A URL's password is the secret in it (`postgres://user:pw@host/db`); the whole value is kept too. */
function credentialParts(value: string): string[] {
  try {
    const url = new URL(value);
    if (url.password) return [value, decodeURIComponent(url.password)];
  } catch {
    // not a URL
  }
  return [value];
}
