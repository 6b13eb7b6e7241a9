// Webhook deliveries as GitHub makes them, for end-to-end tests of the App: real example payloads from
// @octokit/webhooks-examples, the headers GitHub sends, and the X-Hub-Signature-256 HMAC over the exact
// body (https://docs.github.com/webhooks/webhook-events-and-payloads#delivery-headers).
import { createHmac, randomUUID } from "node:crypto";
import { createRequire } from "node:module";

/** GitHub's `X-Hub-Signature-256`: "sha256=" and the hex HMAC-SHA256 of the body under the webhook secret. */
export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export interface DeliveryOptions {
  /** The event name, as in `X-GitHub-Event` ("pull_request", "installation_repositories", ...). */
  event: string;
  /** Sent as JSON; a string is sent as it is (to deliver exact bytes or malformed JSON). */
  payload: unknown;
  secret: string;
  /** `X-GitHub-Delivery`; a random UUID when absent, as GitHub sends one per delivery. */
  deliveryId?: string;
  /** Sent instead of the right signature (to test a refusal); `null` sends no signature at all. */
  signature?: string | null;
  /** The App's id, sent as `X-GitHub-Hook-Installation-Target-ID` (an App's hook targets the "integration"). */
  appId?: number;
  /** `X-GitHub-Hook-ID`. */
  hookId?: number;
}

export interface DeliveryResult {
  status: number;
  body: string;
}

// GitHub's webhook sender names itself this way, with a short build hash.
const USER_AGENT = "GitHub-Hookshot/8d33975";

/** POSTs one webhook to `url` with GitHub's headers; resolves with the receiver's answer. */
export async function deliverWebhook(url: string, options: DeliveryOptions): Promise<DeliveryResult> {
  const body = typeof options.payload === "string" ? options.payload : JSON.stringify(options.payload);
  const signature = options.signature === undefined ? signPayload(options.secret, body) : options.signature;
  const headers: Record<string, string> = {
    accept: "*/*",
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "x-github-event": options.event,
    "x-github-delivery": options.deliveryId ?? randomUUID(),
    "x-github-hook-id": String(options.hookId ?? 1),
    "x-github-hook-installation-target-id": String(options.appId ?? 1),
    "x-github-hook-installation-target-type": "integration",
  };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
}

interface WebhookDefinition {
  name: string;
  actions: string[];
  examples: Array<Record<string, unknown>>;
}

let definitions: WebhookDefinition[] | undefined;

function webhookDefinitions(): WebhookDefinition[] {
  // The package's main file is api.github.com/index.json: every event with its example payloads.
  definitions ??= createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
  return definitions;
}

/**
 * A deep copy of the first real example payload of `event` (with `action`, when given) from
 * @octokit/webhooks-examples; change it freely, the next call returns a fresh copy.
 */
export function examplePayload(event: string, action?: string): Record<string, unknown> {
  const definition = webhookDefinitions().find((candidate) => candidate.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no event "${event}"`);
  const example = definition.examples.find(
    (candidate) => action === undefined || candidate["action"] === action,
  );
  if (!example) {
    const actions = [...new Set(definition.examples.map((candidate) => String(candidate["action"])))];
    throw new Error(
      `@octokit/webhooks-examples has no "${event}" example with action "${action}"; it has ${actions.join(", ")}`,
    );
  }
  return structuredClone(example);
}
