// The environment the Action hands to `command:` sources (and to `${{ env.NAME }}`): the runner's, minus
// the Action's own credentials. A gates config may come from the PR's head, so a command it names is code
// the PR author wrote; it must not receive the token the Action writes comments and check runs with.

/**
 * Removed: every `INPUT_*` (the Action's inputs, `INPUT_GITHUB-TOKEN` among them) and the runner's
 * internal service credentials and endpoints (artifact and cache services, OIDC token requests). A token
 * a workflow means a command to have is passed on purpose through the step's `env:` under another name.
 */
const RUNNER_SECRETS = new Set([
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_RUNTIME_URL",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_URL",
  "ACTIONS_RESULTS_URL",
  "ACTIONS_CACHE_URL",
]);

export function commandEnvironment(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const kept: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.toUpperCase().startsWith("INPUT_") || RUNNER_SECRETS.has(name.toUpperCase())) continue;
    kept[name] = value;
  }
  return kept;
}
