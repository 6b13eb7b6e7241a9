// The sticky PR comment: one per PR and comment key, found again by a hidden marker *and* by its author
// being this token's own login (anyone can paste the marker into a comment of theirs), updated in place.
// Shared by the Action (gate reports) and the App (maturity previews), each with its own marker kind.
import { statusOf, type Client, type RepoRef } from "./github.js";

/** GitHub refuses a comment body longer than this. */
export const COMMENT_BODY_LIMIT = 65_536;

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
  options: { mode: "update" | "new"; key: string; self: string | undefined; kind?: CommentKind },
): Promise<CommentResult> {
  const marker = markerOf(options.key, options.kind);
  const text = `${marker}\n${body}`;
  if (options.mode === "update") {
    const own = await findOwnComment(client, at, issueNumber, marker, options.self);
    if (own) return update(client, at, own.id, text);
  }
  // After a failed attempt, what counts as "it was stored after all": in update mode any comment of ours
  // with the marker; in new mode only one with exactly this body.
  const stored = (c: ExistingComment) => options.mode === "update" || c.body === text;
  return create(client, at, issueNumber, text, (id) =>
    findOwnComment(client, at, id, marker, options.self, stored),
  );
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
