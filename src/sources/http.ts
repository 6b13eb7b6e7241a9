// The `url:` assessment interface: a GET with a timeout and a size cap, following at most 5 redirects
// by hand so configured headers (tokens) never reach another origin. Messages name the URL as the config
// writes it (placeholders, not values; no query) and never quote what the server sent.
import type { SourceSpec } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { decodeUtf8 } from "./decode.js";
import { parseDocument } from "./formats/index.js";
import { interpolateEnv } from "./interpolate.js";
import type { SourceContext, SourceDocument } from "./types.js";

type HttpSpec = Extract<SourceSpec, { kind: "http" }>;

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function readHttpSource(spec: HttpSpec, ctx: SourceContext): Promise<SourceDocument> {
  const origin = configuredUrl(spec.url);
  const url = parseUrl(interpolateEnv(spec.url, ctx.env, `sources.${spec.name}.url`), spec, origin);
  const headers = interpolateHeaders(spec, ctx.env);
  try {
    const signal = AbortSignal.timeout(spec.timeoutMs);
    const response = await fetchFollowingRedirects(ctx.fetch, url, headers, signal, origin);
    const bytes = await readBody(response, spec.maxBytes, origin);
    const { data, textCells } = parseDocument(decodeUtf8(bytes, origin), "json", { origin });
    return { source: spec.name, origin, format: "json", data, textCells };
  } catch (error) {
    throw translateError(error, origin, spec.timeoutMs);
  }
}

/**
 * The URL as the config writes it, before interpolation, so `${{ env.NAME }}` shows as itself and never as
 * its value; without the query, fragment and user info, which may hold tokens written literally.
 */
export function configuredUrl(configured: string): string {
  const withoutQuery = configured.split(/[?#]/, 1)[0] ?? "";
  return withoutQuery.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/]*@/, "$1");
}

function parseUrl(text: string, spec: HttpSpec, shown: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MlgateError("source.http", `the URL of source "${spec.name}" is not a valid URL: ${shown}`, {
      location: { field: `sources.${spec.name}.url` },
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new MlgateError(
      "source.http",
      `the URL of source "${spec.name}" must use http or https: ${shown}`,
      {
        location: { field: `sources.${spec.name}.url` },
      },
    );
  }
  return url;
}

function interpolateHeaders(spec: HttpSpec, env: SourceContext["env"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers)) {
    out[name] = interpolateEnv(value, env, `sources.${spec.name}.headers.${name}`);
  }
  return out;
}

async function fetchFollowingRedirects(
  fetch: SourceContext["fetch"],
  start: URL,
  configured: Record<string, string>,
  signal: AbortSignal,
  origin: string,
): Promise<Response> {
  let url = start;
  let headers = configured;
  for (let redirects = 0; ; redirects++) {
    const response = await fetch(url, {
      method: "GET",
      headers: withAccept(headers),
      redirect: "manual",
      signal,
    });
    if (!REDIRECT_STATUSES.has(response.status)) return checkStatus(response, origin, redirects);
    await response.body?.cancel();
    if (redirects === MAX_REDIRECTS) {
      throw new MlgateError("source.http", `${origin} redirected more than ${MAX_REDIRECTS} times`, {
        hint: "point the source at the final URL",
      });
    }
    const next = redirectTarget(response, url, origin);
    // Credentials never go to another origin: once the chain leaves it, no configured header is sent.
    if (next.origin !== url.origin) headers = {};
    url = next;
  }
}

function withAccept(configured: Record<string, string>): Headers {
  const headers = new Headers(configured);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  return headers;
}

/** The Location, resolved against the current URL; a redirect target is never shown, since the server chose it. */
function redirectTarget(response: Response, from: URL, origin: string): URL {
  const location = response.headers.get("location");
  let next: URL | undefined;
  try {
    next = location === null ? undefined : new URL(location, from);
  } catch {
    next = undefined;
  }
  if (next === undefined || (next.protocol !== "https:" && next.protocol !== "http:")) {
    throw new MlgateError(
      "source.http",
      `${origin} answered HTTP ${response.status} without a usable Location`,
      {
        hint: "point the source at the final URL",
      },
    );
  }
  return next;
}

async function checkStatus(response: Response, origin: string, redirects: number): Promise<Response> {
  if (response.ok) return response;
  await response.body?.cancel();
  // The standard reason phrase, not the server's: a status line is server text like any other. Imported
  // here because node:http costs start-up time that only this error path needs.
  const { STATUS_CODES } = await import("node:http");
  const reason = STATUS_CODES[response.status];
  const status = `HTTP ${response.status}${reason ? ` ${reason}` : ""}`;
  const after = redirects === 0 ? "" : ` after ${redirects} redirect${redirects > 1 ? "s" : ""}`;
  throw new MlgateError("source.http", `GET ${origin} answered ${status}${after}`, {
    hint:
      response.status === 401 || response.status === 403
        ? "check the credentials in the source's headers"
        : "check that the URL is right and the service is up",
  });
}

async function readBody(response: Response, maxBytes: number, origin: string): Promise<Uint8Array> {
  const tooLarge = new MlgateError(
    "source.too-large",
    `the response from ${origin} is larger than ${maxBytes} bytes`,
    {
      hint: "ask the service for less (a summary endpoint), or raise `maxBytes:` on the source",
    },
  );
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge;
  }
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

/** Our own errors pass; a timeout or a network failure becomes one; anything else is a bug. */
function translateError(error: unknown, origin: string, timeoutMs: number): unknown {
  if (error instanceof MlgateError) return error;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new MlgateError("source.timeout", `GET ${origin} did not finish within ${timeoutMs / 1000} s`, {
      hint: "raise `timeout:` on the source if the service is slow",
    });
  }
  if (error instanceof TypeError) {
    // The message and cause of a fetch error may quote the URL or a header, so only the code is shown.
    const code = causeCode(error);
    return new MlgateError("source.http", `GET ${origin} failed${code ? ` (${code})` : ""}`, {
      hint: "check the host name, that the service is reachable from the runner, and the header values",
    });
  }
  return error;
}

function causeCode(error: Error): string | undefined {
  const cause: unknown = error.cause;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string")
    return cause.code;
  return undefined;
}
