import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceSpec } from "../../src/config/model.js";
import { MlgateError } from "../../src/errors.js";
import { formatCommand, readCommandSource } from "../../src/sources/command.js";
import type { SourceContext } from "../../src/sources/types.js";

type CommandSpec = Extract<SourceSpec, { kind: "command" }>;

const node = process.execPath;
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlgate-command-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = (env: Record<string, string | undefined> = { PATH: process.env["PATH"] }): SourceContext => ({
  cwd: dir,
  env,
  fetch: globalThis.fetch,
});

function spec(script: string, extra: Partial<CommandSpec> = {}): CommandSpec {
  return {
    kind: "command",
    name: "scorer",
    command: [node, "-e", script],
    timeoutMs: 10_000,
    maxBytes: 1 << 20,
    ...extra,
  };
}

async function commandError(command: CommandSpec, context = ctx()): Promise<MlgateError> {
  const error: unknown = await readCommandSource(command, context).catch((e: unknown) => e);
  if (error instanceof MlgateError) return error;
  throw new Error(`expected an MlgateError, got ${String(error)}`);
}

/** Dead means gone, or a zombie waiting for a parent that no longer cares. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
  return !/^\d+ \(.*\) Z/.test(readProcStat(pid));
}

function readProcStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return "";
  }
}

async function waitUntilDead(pids: number[], ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = alive.filter(isAlive);
  }
  return alive;
}

describe("command sources", () => {
  it("parses the JSON a command prints", async () => {
    const doc = await readCommandSource(
      spec("console.log(JSON.stringify({ test: { accuracy: 0.94 } }))"),
      ctx(),
    );
    expect(doc).toMatchObject({
      source: "scorer",
      format: "json",
      data: { test: { accuracy: 0.94 } },
      textCells: false,
    });
    expect(doc.origin).toBe(`${node} -e "console.log(JSON.stringify({ test: { accuracy: 0.94 } }))"`);
  });

  it("sniffs CSV output and uses the source's key columns", async () => {
    const doc = await readCommandSource(
      spec('process.stdout.write("group,metric,value\\nF,dpd,0.05\\nF,tpr,0.8\\n")', {
        key: ["group", "metric"],
      }),
      ctx(),
    );
    expect(doc).toMatchObject({ format: "csv", textCells: true, data: { F: { dpd: { value: "0.05" } } } });
  });

  it("runs in the working directory with exactly the environment it is given", async () => {
    const script =
      "console.log(JSON.stringify({ cwd: process.cwd(), seen: process.env.MLGATE_SEEN ?? null, home: process.env.MLGATE_HIDDEN ?? null }))";
    process.env["MLGATE_HIDDEN"] = "not passed";
    try {
      const doc = await readCommandSource(spec(script), ctx({ MLGATE_SEEN: "yes", MLGATE_UNSET: undefined }));
      expect(doc.data).toEqual({ cwd: dir, seen: "yes", home: null });
    } finally {
      delete process.env["MLGATE_HIDDEN"];
    }
  });

  it("on timeout stops the command and the processes it started, and says so", async () => {
    const pidFile = join(dir, "pids.json");
    const script = `
      const { spawn } = require("node:child_process");
      const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });
      require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid, grandchild.pid]));
      setInterval(() => {}, 1000);`;
    const started = Date.now();
    const error = await commandError(spec(script, { timeoutMs: 1500 }));
    expect(error.code).toBe("source.timeout");
    expect(error.message).toMatch(/^command `.+ -e .+` did not finish within 1\.5 s$/s);
    expect(Date.now() - started).toBeLessThan(5000);
    const pids = JSON.parse(await readFile(pidFile, "utf8")) as number[];
    expect(pids).toHaveLength(2);
    expect(await waitUntilDead(pids)).toEqual([]);
  });

  it("does not wait for a background process the command leaves behind", async () => {
    const script = `
      require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });
      console.log("{\\"ok\\": true}");
      setTimeout(() => process.exit(0), 100);`;
    const started = Date.now();
    const doc = await readCommandSource(spec(script, { timeoutMs: 8000 }), ctx());
    expect(doc.data).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(6000); // not the 8 s timeout
  });

  it("stops a command that floods stdout past maxBytes", async () => {
    // Writes as fast as the pipe drains; a bare `for (;;) write()` would block its own event loop and stall.
    const flood =
      'const line = "x".repeat(65536); const flood = () => { while (process.stdout.write(line)); process.stdout.once("drain", flood); }; flood();';
    const error = await commandError(spec(flood, { maxBytes: 256 * 1024 }));
    expect(error.code).toBe("source.too-large");
    expect(error.message).toMatch(/more than 262144 bytes/);
  });

  it("reports a non-zero exit with its code, and keeps the end of stderr out of the message", async () => {
    const script =
      'process.stderr.write("noise\\n".repeat(2000) + "FileNotFoundError: model.pkl\\n"); process.exit(3)';
    const error = await commandError(spec(script));
    expect(error.code).toBe("source.command");
    expect(error.message).toBe(`command \`${node}\` exited with code 3`);
    expect(error.detail).toMatch(/FileNotFoundError: model\.pkl$/);
    expect(error.detail?.length).toBeLessThanOrEqual(2048);
    expect(error.withoutDetail().detail).toBeUndefined();
  });

  it("never puts what a failing command printed, or its arguments, into the message or hint", async () => {
    // A scorer that dies after printing the confidential score it computed, and an argument that holds it.
    const script =
      'const score = String(97313 / 100000); console.log(score); console.error("score=" + score); process.exit(1)';
    const error = await commandError({
      ...spec(script),
      command: [node, "-e", script, "0.97313"],
    });
    expect(error.message).toMatch(/ exited with code 1$/);
    expect(error.message).not.toContain("0.97313");
    expect(error.hint).not.toContain("0.97313");
    expect(error.detail).toBe("score=0.97313");
  });

  it("names the signal that killed a command, and says when it wrote nothing to stderr", async () => {
    const killed = await commandError(spec('process.kill(process.pid, "SIGTERM")'));
    expect(killed.message).toMatch(/ was killed by signal SIGTERM and wrote nothing to stderr$/);
    expect(killed.detail).toBeUndefined();
  });

  it("says when the program is not on PATH", async () => {
    const error = await commandError({ ...spec(""), command: ["mlgate-no-such-program", "--json"] });
    expect(error.code).toBe("source.command");
    expect(error.message).toBe(
      "command `mlgate-no-such-program --json` could not start: mlgate-no-such-program was not found on PATH",
    );
  });

  it("reports a command that prints nothing as a parse error", async () => {
    expect((await commandError(spec(""))).code).toBe("source.parse");
  });

  it("quotes arguments with spaces when it names the command", () => {
    expect(formatCommand(["python", "score.py", "--out", "my report.json", ""])).toBe(
      'python score.py --out "my report.json" ""',
    );
  });
});
