// The webhook helpers the App's end-to-end tests deliver events with: GitHub's signature (as the
// verifier Probot uses checks it), GitHub's headers, and real example payloads; and Probot's own
// receiver accepting a delivery, so a test that fails there fails for the App's reasons.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { createNodeMiddleware, Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { deliverWebhook, examplePayload, signPayload } from "./support/webhooks.js";

const SECRET = "webhook-secret";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A receiver that records each request and answers 202 with "ok". */
async function receiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(202).end("ok");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe("signPayload", () => {
  it("signs as GitHub does, so @octokit/webhooks-methods verifies it and refuses another secret", async () => {
    const body = JSON.stringify(examplePayload("ping"));
    const signature = signPayload(SECRET, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    await expect(verify(SECRET, body, signature)).resolves.toBe(true);
    await expect(verify("another-secret", body, signature)).resolves.toBe(false);
  });

  it("matches GitHub's documented example signature", () => {
    // https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(signPayload("It's a Secret to Everybody", "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });
});

describe("deliverWebhook", () => {
  it("posts the payload with GitHub's delivery headers and a signature over the exact body", async () => {
    const { url, received } = await receiver();
    const payload = examplePayload("pull_request", "opened");
    const answer = await deliverWebhook(url, { event: "pull_request", payload, secret: SECRET, appId: 4242 });
    expect(answer).toEqual({ status: 202, body: "ok" });
    const [delivery] = received;
    if (!delivery) throw new Error("nothing was delivered");
    expect(JSON.parse(delivery.body)).toEqual(payload);
    expect(delivery.headers).toMatchObject({
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": "4242",
    });
    expect(delivery.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
    expect(delivery.headers["x-github-hook-id"]).toMatch(/^\d+$/);
    expect(delivery.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      verify(SECRET, delivery.body, String(delivery.headers["x-hub-signature-256"])),
    ).resolves.toBe(true);
  });

  it("sends a given delivery id, signature and raw body as they are, and no signature when told", async () => {
    const { url, received } = await receiver();
    const payload = examplePayload("push");
    await deliverWebhook(url, {
      event: "push",
      payload,
      secret: SECRET,
      deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      signature: "sha256=bad",
    });
    await deliverWebhook(url, { event: "push", payload, secret: SECRET, signature: null });
    const raw = '{ "zen": "Keep it logically awesome." ,}';
    await deliverWebhook(url, { event: "ping", payload: raw, secret: SECRET });
    expect(received[2]?.body).toBe(raw);
    expect(received[2]?.headers["x-hub-signature-256"]).toBe(signPayload(SECRET, raw));
    expect(received[0]?.headers).toMatchObject({
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": "sha256=bad",
    });
    expect(received[1]?.headers["x-hub-signature-256"]).toBeUndefined();
  });

  it("is accepted by Probot's webhook receiver, which refuses a bad signature with 400", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const probot = new Probot({
      appId: 4242,
      privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      secret: SECRET,
      logLevel: "fatal",
    });
    const opened: number[] = [];
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("issues.opened", (context) => {
          opened.push(context.payload.issue.number);
        });
      },
      { probot },
    );
    const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const payload = examplePayload("issues", "opened");
    const accepted = await deliverWebhook(url, { event: "issues", payload, secret: SECRET });
    expect(accepted.status).toBe(200);
    expect(opened).toEqual([(payload["issue"] as { number: number }).number]);
    const forged = await deliverWebhook(url, {
      event: "issues",
      payload,
      secret: SECRET,
      signature: "sha256=00",
    });
    expect(forged.status).toBe(400);
    expect(opened).toHaveLength(1);
  });
});

describe("examplePayload", () => {
  it("returns the first real example with the action asked for", () => {
    expect(examplePayload("pull_request", "synchronize")).toMatchObject({
      action: "synchronize",
      pull_request: { head: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) } },
    });
    expect(examplePayload("installation_repositories", "removed")).toMatchObject({
      action: "removed",
      repositories_removed: expect.any(Array),
    });
    expect(examplePayload("push")).toHaveProperty("ref");
  });

  it("gives independent copies: changing one leaves the next untouched", () => {
    const first = examplePayload("pull_request", "opened");
    (first["pull_request"] as { title: string }).title = "changed";
    delete first["repository"];
    const second = examplePayload("pull_request", "opened");
    expect((second["pull_request"] as { title: string }).title).not.toBe("changed");
    expect(second["repository"]).toBeDefined();
  });

  it("names the actions it has when asked for one it lacks", () => {
    expect(() => examplePayload("pull_request", "no-such-action")).toThrow(/has no "pull_request" example/);
    expect(() => examplePayload("no_such_event")).toThrow(/no event "no_such_event"/);
  });
});
