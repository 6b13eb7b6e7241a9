// The last thing every request to GitHub passes, from the Action and from the App: each text it carries is
// scrubbed of the secrets the process knows and cut to the size GitHub accepts for that field. Renderers
// already fit their text and never show a secret; this is the net under them, so that a new caller, a
// forgotten field or a value nobody expected can neither leak a credential nor get a write refused.
import type { Secrets } from "../src/secrets.js";
import { boundary } from "../src/report/clip.js";

/** GitHub's limits on the texts mlgate writes (characters). */
export const GITHUB_LIMITS = {
  /** Issue, pull request and comment bodies. */
  body: 65_536,
  /** An issue's title. */
  title: 256,
  /** A check run's `output.summary` and `output.text`. */
  checkText: 65_535,
  /** A check run's `output.title` and an annotation's `title`. */
  checkTitle: 255,
  /** An annotation's `message` and `raw_details` (64 KB). */
  annotation: 64_000,
} as const;

/** Where the limit of a field is, by its path in the request parameters. */
const FIELD_LIMITS: ReadonlyArray<[RegExp, number]> = [
  [/^body$/, GITHUB_LIMITS.body],
  [/^title$/, GITHUB_LIMITS.title],
  [/^output\.(summary|text)$/, GITHUB_LIMITS.checkText],
  [/^output\.title$/, GITHUB_LIMITS.checkTitle],
  [/^output\.annotations\.\d+\.title$/, GITHUB_LIMITS.checkTitle],
  [/^output\.annotations\.\d+\.(message|raw_details)$/, GITHUB_LIMITS.annotation],
];

/** Request options that are how to send, not what: the token lives in `headers`. */
const TRANSPORT = new Set(["method", "url", "baseUrl", "headers", "request", "mediaType"]);

const CUT_NOTE = "\n\n… (cut to fit GitHub's size limit)";

/** A parameter's text as it may be sent: scrubbed, then cut to its field's limit. */
function outgoingText(path: string, text: string, secrets: Secrets): string {
  const scrubbed = secrets.scrub(text);
  const limit = FIELD_LIMITS.find(([field]) => field.test(path))?.[1];
  return limit === undefined ? scrubbed : clipToLimit(scrubbed, limit);
}

/** `text` at most `limit` characters, ending with a note when it was cut; never a broken surrogate pair. */
function clipToLimit(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = limit > CUT_NOTE.length * 4 ? CUT_NOTE : "…";
  return `${text.slice(0, boundary(text, limit - note.length))}${note}`;
}

interface Hookable {
  hook: {
    before(name: "request", hook: (options: Record<string, unknown>) => void | Promise<void>): void;
  };
}

/**
 * Registers the guard on an Octokit (REST and GraphQL requests both pass `request`). The secrets are read
 * at each request, so a secret learnt later counts too. Installation and workflow tokens need not be
 * learnt: anything shaped like a GitHub token is scrubbed whoever it belongs to.
 */
export function guardRequests(octokit: Hookable, secrets: Secrets): void {
  octokit.hook.before("request", (options) => {
    for (const [key, value] of Object.entries(options)) {
      if (TRANSPORT.has(key)) continue;
      options[key] = guardValue(key, value, secrets);
    }
  });
}

function guardValue(path: string, value: unknown, secrets: Secrets): unknown {
  if (typeof value === "string") return outgoingText(path, value, secrets);
  if (Array.isArray(value)) return value.map((item, index) => guardValue(`${path}.${index}`, item, secrets));
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = guardValue(`${path}.${key}`, item, secrets);
    return out;
  }
  return value;
}
