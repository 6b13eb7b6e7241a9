// The `command:` assessment interface: runs an argv list (never a shell) in its own process group, so a
// timeout or an oversized output stops the command and everything it started, then parses its stdout.
import { spawn, type ChildProcess } from "node:child_process";
import type { SourceSpec } from "../config/model.js";
import { MlgateError } from "../errors.js";
import type { Secrets } from "../secrets.js";
import { toDocument } from "./decode.js";
import { errnoCode } from "../files/errno.js";
import type { SourceContext, SourceDocument } from "./types.js";

type CommandSpec = Extract<SourceSpec, { kind: "command" }>;

const STDERR_TAIL_BYTES = 2048;
/** After the group is killed, how long the pipes may stay open (held by an escaped process) before we close them. */
const CLOSE_GRACE_MS = 1000;

export async function readCommandSource(spec: CommandSpec, ctx: SourceContext): Promise<SourceDocument> {
  const origin = formatCommand(spec.command);
  if (ctx.allowCommands === false) throw notAllowed(spec);
  const stdout = await runCommand(spec, ctx, origin);
  // No file name: the content decides, e.g. `{` means JSON.
  return toDocument(stdout, spec, origin, "");
}

/** The argv as one line for messages; arguments with spaces are quoted. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((arg) => (arg === "" || /\s/.test(arg) ? JSON.stringify(arg) : arg)).join(" ");
}

function runCommand(spec: CommandSpec, ctx: SourceContext, origin: string): Promise<Buffer> {
  const [program, ...args] = spec.command;
  if (program === undefined || program === "") {
    return Promise.reject(
      new MlgateError("source.command", "the command is empty", {
        hint: "write `command: [program, arg, ...]`",
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: ctx.cwd,
      env: definedEnv(ctx.env),
      stdio: ["ignore", "pipe", "pipe"],
      shell: false,
      // Leads its own process group, so a kill reaches the processes it starts too.
      detached: true,
      windowsHide: true,
    });
    let failure: MlgateError | undefined;
    const stop = (reason: MlgateError): void => {
      failure ??= reason;
      killGroup(child);
    };
    const output = collectOutput(child, spec.maxBytes, ctx.secrets, () =>
      stop(tooLarge(origin, spec.maxBytes)),
    );
    const timer = setTimeout(() => stop(timedOut(origin, spec.timeoutMs)), spec.timeoutMs);
    child.on("error", (error) => {
      failure ??= spawnFailed(error, program, origin);
    });
    // Anything the command left running in its group goes with it.
    child.on("exit", () => killGroup(child));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code === 0) resolve(output.stdout());
      else reject(exitedBadly(program, code, signal, output.stderrTail()));
    });
  });
}

function collectOutput(
  child: ChildProcess,
  maxBytes: number,
  secrets: Secrets | undefined,
  onTooLarge: () => void,
) {
  const chunks: Buffer[] = [];
  let size = 0;
  let tail: Buffer = Buffer.alloc(0);
  let seen = 0;
  // The tail is kept longer by the longest secret (in UTF-8, up to 4 bytes a character), so that a secret
  // the 2 KiB cut would split is seen whole and scrubbed (Secrets.scrubTail): no secret shows in part.
  const margin = (secrets?.longest ?? 0) * 4;
  const kept = STDERR_TAIL_BYTES + margin;
  child.stdout?.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) onTooLarge();
    else chunks.push(chunk);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    // Copy the tail out, so that no chunk (nor a concatenation of one) stays alive behind a view of it.
    seen += chunk.length;
    const joined = chunk.length >= kept ? chunk : Buffer.concat([tail, chunk]);
    tail = joined.length > kept ? Buffer.from(joined.subarray(-kept)) : joined;
  });
  return {
    stdout: () => Buffer.concat(chunks),
    stderrTail: () => {
      const text = new TextDecoder().decode(tail);
      if (!secrets) return text.slice(-STDERR_TAIL_BYTES).trim();
      // Output was cut away before the tail: it may start inside a secret, so its start is dropped too.
      const keep =
        seen > tail.length ? Math.min(STDERR_TAIL_BYTES, text.length - secrets.longest) : STDERR_TAIL_BYTES;
      return secrets.scrubTail(text, Math.max(keep, 0)).trim();
    },
  };
}

function definedEnv(env: SourceContext["env"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

/** SIGKILL to the whole process group; then, should an escaped process hold our pipes, close them. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // ESRCH: the group is already gone. Best effort by design: this runs inside event handlers.
  }
  setTimeout(() => {
    child.stdout?.destroy();
    child.stderr?.destroy();
  }, CLOSE_GRACE_MS).unref();
}

function notAllowed(spec: CommandSpec): MlgateError {
  return new MlgateError(
    "source.command",
    `source "${spec.name}" is a command, and commands are not allowed in this run`,
    {
      location: { field: `sources.${spec.name}.command` },
      hint: "a command runs with the job's privileges; where the config or the checkout may be a pull request's (pull_request_target, workflow_run) mlgate does not run it. Set `allow-commands: true` only if the workflow checks out trusted code, or write the metrics to a file in an earlier step",
    },
  );
}

function timedOut(origin: string, timeoutMs: number): MlgateError {
  return new MlgateError(
    "source.timeout",
    `command \`${origin}\` did not finish within ${formatSeconds(timeoutMs)}`,
    {
      hint: "it and every process it started were stopped; raise `timeout:` on the source if it needs longer",
    },
  );
}

function tooLarge(origin: string, maxBytes: number): MlgateError {
  return new MlgateError(
    "source.too-large",
    `command \`${origin}\` wrote more than ${maxBytes} bytes to stdout`,
    {
      hint: "print only the metrics to stdout (logs belong on stderr), or raise `maxBytes:` on the source",
    },
  );
}

function spawnFailed(error: Error, program: string, origin: string): MlgateError {
  const code = errnoCode(error);
  if (code === "ENOENT") {
    return new MlgateError(
      "source.command",
      `command \`${origin}\` could not start: ${program} was not found on PATH`,
      {
        hint: "install it in an earlier step, or give its path relative to the working directory",
      },
    );
  }
  return new MlgateError(
    "source.command",
    `command \`${origin}\` could not start${code ? ` (${code})` : ""}`,
    {
      hint:
        code === "EACCES" ? `${program} is not executable` : "check the program and the working directory",
    },
  );
}

/**
 * The message holds only the program, the code or signal: its arguments may carry values written into the
 * workflow, and what it printed may carry anything, so the stderr tail goes to `detail`.
 */
function exitedBadly(
  program: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): MlgateError {
  const how = code !== null ? `exited with code ${code}` : `was killed by signal ${signal ?? "unknown"}`;
  const said = stderr ? "" : " and wrote nothing to stderr";
  return new MlgateError("source.command", `command \`${formatCommand([program])}\` ${how}${said}`, {
    hint: "run the command by hand in the same directory to see its full output",
    ...(stderr ? { detail: stderr } : {}),
  });
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
