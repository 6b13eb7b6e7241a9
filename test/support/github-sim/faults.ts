// Injected faults: a status (502, a secondary rate limit, 429), a delay, or both, for the next N requests
// that match; `afterWrite` lets the request change state first, as when GitHub times out after writing.
import { STATUS_CODES } from "node:http";

export interface FaultOptions {
  /** Any method when absent; compared case-insensitively. */
  method?: string;
  /** A string matches the path exactly (with or without the query); a RegExp is tested on path and query. */
  path?: string | RegExp;
  /** How many matching requests the fault applies to; 1 when absent. */
  times?: number;
  /** The status to answer with; absent (or a 2xx without a body) for a delay-only fault. */
  status?: number;
  /** The JSON body; `{ message: <reason phrase> }` when absent. */
  body?: object;
  headers?: Record<string, string>;
  /** Wait this long before answering (or, with no status, before handling the request normally). */
  delayMs?: number;
  /** Handle the request normally (so a write happens), then answer with the fault's status. */
  afterWrite?: boolean;
  /** Handle the request normally, then wait this long before answering (a write that times out). */
  delayAfterWriteMs?: number;
  /** Called when a request takes this fault, before any delay: lets a test act while GitHub is slow. */
  onMatch?: () => void;
}

export interface Fault {
  status: number | undefined;
  body: object;
  headers: Record<string, string>;
  delayMs: number;
  afterWrite: boolean;
  delayAfterWriteMs: number;
  onMatch: (() => void) | undefined;
}

interface ArmedFault extends Fault {
  method: string | undefined;
  path: string | RegExp | undefined;
  remaining: number;
}

export class FaultList {
  private readonly armed: ArmedFault[] = [];

  add(options: FaultOptions): void {
    if (
      options.status === undefined &&
      options.delayMs === undefined &&
      options.delayAfterWriteMs === undefined
    ) {
      throw new Error("GitHub simulator: a fault needs a status, a delayMs, or both");
    }
    if (options.afterWrite && options.status === undefined) {
      throw new Error("GitHub simulator: an afterWrite fault needs a status");
    }
    // A 2xx status without a body only delays; the request is then handled normally.
    const passThrough = options.status !== undefined && options.status < 300 && options.body === undefined;
    const status = passThrough ? undefined : options.status;
    this.armed.push({
      method: options.method?.toUpperCase(),
      path: options.path,
      remaining: options.times ?? 1,
      status,
      body: options.body ?? { message: status === undefined ? "" : (STATUS_CODES[status] ?? "Error") },
      headers: options.headers ?? {},
      delayMs: options.delayMs ?? 0,
      afterWrite: options.afterWrite ?? false,
      delayAfterWriteMs: options.delayAfterWriteMs ?? 0,
      onMatch: options.onMatch,
    });
  }

  /** The first armed fault matching this request, used up by one. */
  take(method: string, pathname: string, pathWithQuery: string): Fault | undefined {
    const fault = this.armed.find(
      (candidate) => candidate.remaining > 0 && matches(candidate, method, pathname, pathWithQuery),
    );
    if (fault) fault.remaining--;
    return fault;
  }
}

// Octokit percent-encodes slashes in parameters (contents paths, refs): match the decoded form too.
function matches(fault: ArmedFault, method: string, pathname: string, pathWithQuery: string): boolean {
  if (fault.method !== undefined && fault.method !== method) return false;
  const pattern = fault.path;
  if (pattern === undefined) return true;
  const candidates = [pathname, pathWithQuery].flatMap((text) => [text, safeDecode(text)]);
  if (typeof pattern === "string") return candidates.includes(pattern);
  return candidates.slice(2).some((text) => {
    pattern.lastIndex = 0;
    return pattern.test(text);
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
