// REST handlers for GitHub Apps. With the App's JWT: the App itself, its installation on a repository or
// an organization, and installation access tokens (narrowed to some repositories or to read on request).
// With an installation token: the repositories the installation can access.
import { identityOf } from "./auth.js";
import { installationCovers } from "./credentials.js";
import {
  errorBody,
  GitHubError,
  notFound,
  paginate,
  repoOf,
  type RestHandler,
  type RestRequest,
} from "./rest.js";
import {
  appJson,
  type Json,
  repositoryJson,
  type ShapeContext,
  stableId,
  userJson,
  WEB,
} from "./shapes-repos.js";
import type { Installation, Permission, RepoRecord, UserRecord } from "./records.js";

// The permission names GitHub reports for an installation; the simulator grants them all at one level.
const INSTALLATION_PERMISSIONS = [
  "actions",
  "checks",
  "contents",
  "issues",
  "metadata",
  "pull_requests",
  "statuses",
];

function permissionsJson(level: Permission): Json {
  return Object.fromEntries(
    INSTALLATION_PERMISSIONS.map((name) => [name, name === "metadata" ? "read" : level]),
  );
}

function appIdOf(request: RestRequest): number {
  if (request.caller.kind !== "app") throw new Error("GitHub simulator: an App endpoint ran without a JWT");
  return request.caller.appId;
}

/** The App's slug; GitHub answers a JWT of an App it does not know with "Integration not found". */
function knownApp(request: RestRequest): { id: number; slug: string } {
  const id = appIdOf(request);
  const slug = request.ctx.state.credentials.appSlug(id);
  if (slug === undefined) throw notFound(request, "Integration not found");
  return { id, slug };
}

/** An installation as GitHub shows it; `account` for installations made without one (they cover all). */
function installationJson(ctx: ShapeContext, installation: Installation, account: UserRecord): Json {
  const settings =
    account.type === "Organization"
      ? `${WEB}/organizations/${account.login}/settings/installations/${installation.id}`
      : `${WEB}/settings/installations/${installation.id}`;
  return {
    id: installation.id,
    account: userJson(ctx, account),
    repository_selection: installation.repositories === "all" ? "all" : "selected",
    access_tokens_url: `${ctx.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${ctx.api}/installation/repositories`,
    html_url: settings,
    app_id: installation.appId,
    app_slug: installation.appSlug,
    client_id: `Iv23li${stableId(`client ${installation.appId}`).toString(16).padStart(14, "0")}`,
    target_id: account.id,
    target_type: account.type,
    permissions: permissionsJson(installation.permissions),
    events: [],
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

const getApp: RestHandler = (request) => {
  const app = knownApp(request);
  return {
    status: 200,
    body: {
      ...appJson(request.ctx, app),
      client_id: `Iv23li${stableId(`client ${app.id}`).toString(16).padStart(14, "0")}`,
      installations_count: request.ctx.state.credentials.countInstallations(app.id),
    },
  };
};

const getRepoInstallation: RestHandler = (request) => {
  const app = knownApp(request);
  const repo = repoOf(request);
  const installation = request.ctx.state.credentials.findInstallation(app.id, (candidate) =>
    installationCovers(candidate, repo),
  );
  if (!installation) throw notFound(request);
  return {
    status: 200,
    body: installationJson(request.ctx, installation, installation.account ?? repo.owner),
  };
};

const getOrgInstallation: RestHandler = (request) => {
  const app = knownApp(request);
  const login = request.params.string("org").toLowerCase();
  const installation = request.ctx.state.credentials.findInstallation(
    app.id,
    (candidate) => candidate.account?.login.toLowerCase() === login,
  );
  if (!installation?.account || installation.account.type !== "Organization") throw notFound(request);
  return { status: 200, body: installationJson(request.ctx, installation, installation.account) };
};

interface TokenRequest {
  permissions?: Record<string, string>;
  repositories?: string[];
  repository_ids?: number[];
}

/** The repositories a token was narrowed to by name or id; each must belong to the installation. */
function narrowedRepos(
  request: RestRequest,
  installation: Installation,
  asked: TokenRequest,
): RepoRecord[] | undefined {
  if (asked.repositories === undefined && asked.repository_ids === undefined) return undefined;
  const state = request.ctx.state;
  const owner = installation.account?.login;
  const byName = (asked.repositories ?? []).map((name) =>
    owner === undefined ? undefined : state.repo(`${owner}/${name}`),
  );
  const byId = (asked.repository_ids ?? []).map((id) => state.repoById(id));
  const repos = [...byName, ...byId];
  if (repos.some((repo) => !repo || !installationCovers(installation, repo))) {
    throw new GitHubError(
      422,
      errorBody(
        "There is at least one repository that does not exist or is not accessible to the parent installation.",
        request.operation.documentationUrl,
        422,
      ),
    );
  }
  return [...new Set(repos.filter((repo): repo is RepoRecord => repo !== undefined))];
}

const createInstallationToken: RestHandler = (request) => {
  const state = request.ctx.state;
  const installation = state.credentials.installation(request.params.integer("installation_id"));
  if (!installation || installation.appId !== appIdOf(request)) throw notFound(request);
  const asked = (request.body ?? {}) as TokenRequest;
  // Asking only for read permissions narrows the token, as on GitHub; it can never widen it.
  const onlyRead =
    asked.permissions !== undefined && Object.values(asked.permissions).every((level) => level === "read");
  const level: Permission = installation.permissions === "write" && !onlyRead ? "write" : "read";
  const repos = narrowedRepos(request, installation, asked);
  const bot = state.user(`${installation.appSlug}[bot]`, "Bot");
  const { token, expiresAt } = state.credentials.createInstallationToken(
    installation,
    bot,
    level,
    repos?.map((repo) => repo.id),
  );
  const selected = repos !== undefined || installation.repositories !== "all";
  return {
    status: 201,
    body: {
      token,
      expires_at: expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      permissions: permissionsJson(level),
      repository_selection: selected ? "selected" : "all",
      ...(repos ? { repositories: repos.map((repo) => repositoryJson(request.ctx, repo)) } : {}),
    },
  };
};

const listInstallationRepos: RestHandler = (request) => {
  const identity = identityOf(request);
  const installation =
    identity.installationId === undefined
      ? undefined
      : request.ctx.state.credentials.installation(identity.installationId);
  if (!installation) {
    throw new GitHubError(
      403,
      errorBody(
        "You must authenticate with an installation access token in order to list repositories for an installation.",
        request.operation.documentationUrl,
        403,
      ),
    );
  }
  const repos = request.ctx.state.visibleRepos(identity);
  const { page, headers } = paginate(request, repos);
  const selected = identity.repositoryIds !== undefined || installation.repositories !== "all";
  return {
    status: 200,
    headers,
    body: {
      total_count: repos.length,
      repositories: page.map((repo) => repositoryJson(request.ctx, repo)),
      repository_selection: selected ? "selected" : "all",
    },
  };
};

export const appHandlers: Record<string, RestHandler> = {
  "apps/get-authenticated": getApp,
  "apps/get-repo-installation": getRepoInstallation,
  "apps/get-org-installation": getOrgInstallation,
  "apps/create-installation-access-token": createInstallationToken,
  "apps/list-repos-accessible-to-installation": listInstallationRepos,
};
