// REST handlers for issues and issue comments (pull requests are issues here too, as on GitHub).
import { identityOf } from "./auth.js";
import {
  notFound,
  paginate,
  repoOf,
  type RestHandler,
  type RestRequest,
  type RestResponse,
  validationFailed,
} from "./rest.js";
import { commentJson, issueJson } from "./shapes-issues.js";
import type { IssueRecord, UserRecord } from "./records.js";

// GitHub limit: 65,536 characters for issue and comment bodies (counted in characters, not UTF-16 units).
export const BODY_LIMIT = 65_536;

function tooLong(text: string | null | undefined): boolean {
  return typeof text === "string" && text.length > BODY_LIMIT && [...text].length > BODY_LIMIT;
}

function author(request: RestRequest): UserRecord {
  const identity = identityOf(request);
  return request.ctx.state.user(identity.login, identity.type);
}

function issueOf(request: RestRequest): IssueRecord {
  const issue = repoOf(request).issues.get(request.params.integer("issue_number"));
  if (!issue) throw notFound(request);
  return issue;
}

function checkCommentBody(request: RestRequest, body: string): void {
  if (tooLong(body)) {
    throw validationFailed(request, [
      {
        resource: "IssueComment",
        code: "unprocessable",
        field: "data",
        message: `Body is too long (maximum is ${BODY_LIMIT} characters)`,
      },
    ]);
  }
}

const listComments: RestHandler = (request) => {
  const issue = issueOf(request);
  const since = request.params.optionalString("since");
  const comments = issue.comments.filter((comment) => since === undefined || comment.updatedAt >= since);
  const { page, headers } = paginate(request, comments);
  return { status: 200, body: page.map((comment) => commentJson(request.ctx, comment)), headers };
};

const createComment: RestHandler = (request) => {
  const issue = issueOf(request);
  const { body } = request.body as { body: string };
  checkCommentBody(request, body);
  const comment = request.ctx.state.addComment(issue, body, author(request));
  return created(commentJson(request.ctx, comment));
};

const updateComment: RestHandler = (request) => {
  const comment = request.ctx.state.comment(repoOf(request), request.params.integer("comment_id"));
  if (!comment) throw notFound(request);
  const { body } = request.body as { body: string };
  checkCommentBody(request, body);
  comment.body = body;
  comment.updatedAt = request.ctx.state.timestamp();
  return { status: 200, body: commentJson(request.ctx, comment) };
};

function labelNames(labels: Array<string | { name?: string }> | undefined): string[] | undefined {
  if (labels === undefined) return undefined;
  const names = labels.map((label) => (typeof label === "string" ? label : (label.name ?? "")));
  return [...new Set(names.filter((name) => name !== ""))];
}

function checkIssueBody(request: RestRequest, body: string | null | undefined): void {
  if (tooLong(body)) {
    throw validationFailed(request, [
      {
        resource: "Issue",
        code: "custom",
        field: "body",
        message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
      },
    ]);
  }
}

const listIssues: RestHandler = (request) => {
  const repo = repoOf(request);
  const state = request.params.string("state");
  const creator = request.params.optionalString("creator")?.toLowerCase();
  const labels = request.params
    .optionalString("labels")
    ?.split(",")
    .map((label) => label.trim());
  const since = request.params.optionalString("since");
  const issues = [...repo.issues.values()].filter(
    (issue) =>
      (state === "all" || issue.state === state) &&
      (creator === undefined || issue.user.login.toLowerCase() === creator) &&
      (labels === undefined || labels.every((label) => issue.labels.includes(label))) &&
      (since === undefined || issue.updatedAt >= since),
  );
  const sortKey = request.params.string("sort");
  const key = (issue: IssueRecord): string | number =>
    sortKey === "updated" ? issue.updatedAt : sortKey === "comments" ? issue.comments.length : issue.number;
  const direction = request.params.string("direction") === "asc" ? 1 : -1;
  issues.sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
  const { page, headers } = paginate(request, issues);
  return { status: 200, body: page.map((issue) => issueJson(request.ctx, issue)), headers };
};

interface IssueFields {
  title?: string | number | null;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: IssueRecord["stateReason"];
  labels?: Array<string | { name?: string }>;
}

const createIssue: RestHandler = (request) => {
  const fields = request.body as IssueFields;
  checkIssueBody(request, fields.body);
  const issue = request.ctx.state.createIssue(repoOf(request), {
    title: String(fields.title),
    body: fields.body ?? null,
    user: author(request),
    labels: labelNames(fields.labels) ?? [],
  });
  return created(issueJson(request.ctx, issue));
};

const updateIssue: RestHandler = (request) => {
  const issue = issueOf(request);
  const fields = (request.body ?? {}) as IssueFields;
  checkIssueBody(request, fields.body);
  if (fields.title !== undefined && fields.title !== null) issue.title = String(fields.title);
  if (fields.body !== undefined) request.ctx.state.setIssueBody(issue, fields.body);
  issue.labels = labelNames(fields.labels) ?? issue.labels;
  if (fields.state !== undefined) request.ctx.state.setIssueState(issue, fields.state, fields.state_reason);
  issue.updatedAt = request.ctx.state.timestamp();
  return { status: 200, body: issueJson(request.ctx, issue) };
};

const lockIssue: RestHandler = (request) => {
  const issue = issueOf(request);
  const { lock_reason: reason } = (request.body ?? {}) as { lock_reason?: string };
  // Locking a locked issue again answers 204 as well, and keeps its first reason.
  if (!issue.locked) {
    issue.locked = true;
    issue.lockReason = reason ?? null;
    issue.updatedAt = request.ctx.state.timestamp();
  }
  return { status: 204 };
};

function created(body: unknown): RestResponse {
  return { status: 201, body };
}

export const issueHandlers: Record<string, RestHandler> = {
  "issues/list-comments": listComments,
  "issues/create-comment": createComment,
  "issues/update-comment": updateComment,
  "issues/list-for-repo": listIssues,
  "issues/create": createIssue,
  "issues/update": updateIssue,
  "issues/lock": lockIssue,
};
