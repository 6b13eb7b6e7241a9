// The sticky PR comment: one per PR and comment key, found again by a hidden marker *and* by its author
// being this token's own login (anyone can paste the marker into a comment of theirs), updated in place.
// Shared by the Action (gate reports) and the App (maturity previews), each with its own marker kind.
import { GITHUB_LIMITS } from "../github/outgoing.js";
import { statusOf, type Client, type RepoRef } from "./github.js";

/** GitHub refuses a comment body longer than this. */
export const COMMENT_BODY_LIMIT = GITHUB_LIMITS.body;

/** What a sticky comment holds: a gate report (the Action) or a maturity preview (the App). */
export type CommentKind = "report" | "maturity";

/**
 * `<!-- mlgate:report key=default -->`. The key is percent-encoded: no two keys share a marker, and
 * nothing in it can end the HTML comment.
 */
export function markerOf(key: string, kind: CommentKind = "report"): string {
  const safe = [...key.replace(/[\uD800-\uDFFF]/gu, "\uFFFD")]
    .map((c) => (/^[A-Za-z0-9._~-]$/.test(c) ? c : encodeURIComponent(c)))
    .join("");
  return `<!-- mlgate:${kind} key=${safe} -->`;
}

export interface CommentResult {
  url: string;
  action: "created" | "updated";
  /** GitHub refused the body, and the comment holds the short fallback instead: GitHub's reason. */
  refused?: string;
}

/** GitHub refused what a write said (too long, invalid), not who wrote it: a shorter text may pass. */
export function refusedContent(error: unknown): boolean {
  const status = statusOf(error);
  return status === 400 || status === 413 || status === 422;
}

interface ExistingComment {
  id: number;
  body?: string | undefined;
  html_url: string;
  user: { login: string } | null;
}

export async function publishComment(
  client: Client,
  at: RepoRef,
  issueNumber: number,
  body: string,
  options: {
    mode: "update" | "new";
    key: string;
    self: string | undefined;
    kind?: CommentKind;
    /**
     * A few lines with the verdict, posted when GitHub refuses `body`: an earlier comment must never go
     * on saying what an earlier run found.
     */
    fallback?: string;
  },
): Promise<CommentResult> {
  const marker = markerOf(options.key, options.kind);
  const text = `${marker}\n${body}`;
  const fallback = options.fallback === undefined ? undefined : `${marker}\n${options.fallback}`;
  if (options.mode === "update") {
    const own = await findOwnComment(client, at, issueNumber, marker, options.self);
    if (own) return withFallback(fallback, (each) => update(client, at, own.id, each), text);
  }
  // After a failed attempt, what counts as "it was stored after all": in update mode any comment of ours
  // with the marker; in new mode only one with exactly this body.
  const stored = (body: string) => (c: ExistingComment) => options.mode === "update" || c.body === body;
  return withFallback(
    fallback,
    (each) =>
      create(client, at, issueNumber, each, (id) =>
        findOwnComment(client, at, id, marker, options.self, stored(each)),
      ),
    text,
  );
}

/** Writes `text`; when GitHub refuses it for what it says, writes `fallback` instead and says why. */
async function withFallback(
  fallback: string | undefined,
  write: (body: string) => Promise<CommentResult>,
  text: string,
): Promise<CommentResult> {
  try {
    return await write(text);
  } catch (error) {
    if (fallback === undefined || !refusedContent(error)) throw error;
    const result = await write(fallback);
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { ...result, refused: `HTTP ${String(statusOf(error))}: ${reason}` };
  }
}

/** The oldest comment written by `self` that starts with `marker`, if any. */
export async function findOwnComment(
  client: Client,
  at: RepoRef,
  issueNumber: number,
  marker: string,
  self: string | undefined,
  matches: (comment: ExistingComment) => boolean = () => true,
): Promise<ExistingComment | undefined> {
  if (!self) return undefined;
  const comments: ExistingComment[] = await client.paginate(client.rest.issues.listComments, {
    ...at,
    issue_number: issueNumber,
    per_page: 100,
  });
  // The oldest of ours keeps its place in the conversation; others' comments are never touched.
  return comments.find((c) => c.user?.login === self && (c.body ?? "").startsWith(marker) && matches(c));
}

async function update(client: Client, at: RepoRef, id: number, body: string): Promise<CommentResult> {
  const { data } = await client.rest.issues.updateComment({ ...at, comment_id: id, body });
  return { url: data.html_url, action: "updated" };
}

/**
 * Creates the comment without automatic retries: a 5xx may come after GitHub stored it. Before trying
 * again we look for it, so a flaky response never leaves two comments.
 */
async function create(
  client: Client,
  at: RepoRef,
  issueNumber: number,
  body: string,
  findStored: (issueNumber: number) => Promise<ExistingComment | undefined>,
): Promise<CommentResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await client.rest.issues.createComment({
        ...at,
        issue_number: issueNumber,
        body,
        request: { retries: 0 },
      });
      return { url: data.html_url, action: "created" };
    } catch (error) {
      const status = statusOf(error);
      if (attempt >= 3 || status === undefined || status < 500) throw error;
      await new Promise((done) => setTimeout(done, 500 * attempt));
      const stored = await findStored(issueNumber);
      if (stored) return update(client, at, stored.id, body);
    }
  }
}
