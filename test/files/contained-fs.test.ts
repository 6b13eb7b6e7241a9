// The ContainedFs on its own: how links are resolved (chains, `..`, loops), what kinds of file are read,
// that sizes are checked before reading, that listings stay inside, and how a typed path finds its root.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ContainedFs, ContainmentError, typedPathFs, type Refusal } from "../../src/files/contained-fs.js";

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** `root/` with `files`, beside `outside/secret` */
function layout(files: Record<string, string> = {}): { root: string; outside: string } {
  const top = mkdtempSync(join(tmpdir(), "mlgate-contained-"));
  scratch.push(top);
  const root = join(top, "root");
  const outside = join(top, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret"), "outside");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, outside };
}

async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ContainmentError) return error.refusal;
  throw new Error(`expected a refusal, got ${String(error)}`);
}

describe("a ContainedFs", () => {
  it("follows a chain of links that stays inside, relative and absolute", async () => {
    const { root } = layout({ "data/metrics.json": "{}" });
    symlinkSync("data/metrics.json", join(root, "first"));
    symlinkSync(join(root, "first"), join(root, "second"));
    mkdirSync(join(root, "nested"));
    symlinkSync("../second", join(root, "nested/third"));
    const files = await ContainedFs.open(root);
    expect(await files.readText("nested/third", 1024)).toBe("{}");
  });

  it.each([
    ["a link climbing out with ../", (root: string) => symlinkSync("../outside/secret", join(root, "x"))],
    ["an absolute link out", (root: string) => symlinkSync(join(root, "../outside/secret"), join(root, "x"))],
    [
      "a link inside to a directory that links out",
      (root: string) => {
        symlinkSync(join(root, "../outside"), join(root, "away"));
        symlinkSync("away/secret", join(root, "x"));
      },
    ],
  ])("refuses %s, without naming where it leads", async (_name, plant) => {
    const { root, outside } = layout({ data: "inside" });
    plant(root);
    const files = await ContainedFs.open(root);
    const error = await files.readText("x", 1024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainmentError);
    expect((error as ContainmentError).refusal).toEqual({ reason: "outside", throughLink: true });
    expect((error as ContainmentError).message).toBe(
      `x leads through a symbolic link outside the working directory ${root}`,
    );
    expect((error as Error).message).not.toContain(outside);
  });

  it("refuses a path written outside, `..` or absolute, before looking at it", async () => {
    const { root, outside } = layout();
    const files = await ContainedFs.open(root);
    expect(await refusal(files.readText("../outside/secret", 1024))).toEqual({
      reason: "outside",
      throughLink: false,
    });
    expect(await refusal(files.readText(join(outside, "secret"), 1024))).toEqual({
      reason: "outside",
      throughLink: false,
    });
  });

  it("refuses a loop of links at once instead of following it forever", async () => {
    const { root } = layout();
    symlinkSync("b", join(root, "a"));
    symlinkSync("a", join(root, "b"));
    const files = await ContainedFs.open(root);
    const started = performance.now();
    expect(await refusal(files.readText("a", 1024))).toEqual({ reason: "unreadable", code: "ELOOP" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("reads only regular files: a FIFO, a socket and a directory are refused, promptly", async () => {
    const { root } = layout();
    execFileSync("mkfifo", [join(root, "fifo")]);
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(join(root, "socket"), done));
    mkdirSync(join(root, "dir"));
    const files = await ContainedFs.open(root);
    try {
      for (const [name, found] of [
        ["fifo", "fifo"],
        ["socket", "socket"],
        ["dir", "directory"],
      ] as const) {
        expect(await refusal(files.readBytes(name, 1024))).toEqual({
          reason: "wrong-kind",
          found,
          wanted: "file",
        });
      }
      expect(await files.kind("fifo")).toBeUndefined();
      expect(await refusal(files.stat("socket"))).toMatchObject({ reason: "wrong-kind", found: "socket" });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it("refuses a file over maxBytes by the open file's size, before reading it", async () => {
    const { root } = layout({ "huge.json": "" });
    truncateSync(join(root, "huge.json"), 4 * 1024 ** 3); // sparse: no disk used
    const files = await ContainedFs.open(root);
    const started = performance.now();
    expect(await refusal(files.readBytes("huge.json", 1024))).toEqual({
      reason: "too-large",
      bytes: 4 * 1024 ** 3,
      maxBytes: 1024,
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses a file that holds more than its size said, as /proc's files do, instead of reading it", async () => {
    // /proc/self/environ says it is 0 bytes long and holds this process's environment.
    const files = await ContainedFs.open(`/proc/${process.pid}`);
    expect(await refusal(files.readBytes("environ", 1024 * 1024))).toEqual({
      reason: "unreadable",
      code: "it changed while it was read",
    });
  });

  it("lists a directory without entering a linked one, and marks a link out or a FIFO as other", async () => {
    const { root, outside } = layout({ "runs/a/metric": "1", "shared/b": "2" });
    symlinkSync(outside, join(root, "runs/out"));
    symlinkSync(join(root, "shared"), join(root, "runs/in"));
    symlinkSync("a/metric", join(root, "runs/inside-file"));
    execFileSync("mkfifo", [join(root, "runs/fifo")]);
    const files = await ContainedFs.open(root);
    const listed = await files.list("runs", { recursive: true });
    expect(listed.map(({ path, kind, link }) => [path, kind, link])).toEqual([
      ["a", "directory", false],
      ["a/metric", "file", false],
      ["fifo", "other", false],
      ["in", "directory", true],
      ["inside-file", "file", true],
      ["out", "other", true],
    ]);
    expect(await refusal(files.list("runs/out"))).toEqual({ reason: "outside", throughLink: true });
  });

  it("says the same of a link out whether its target exists or not", async () => {
    const { root, outside } = layout();
    symlinkSync(join(outside, "secret"), join(root, "existing"));
    symlinkSync(join(outside, "missing"), join(root, "missing"));
    const files = await ContainedFs.open(root);
    expect(await refusal(files.stat("existing"))).toEqual(await refusal(files.stat("missing")));
  });
});

describe("a path someone typed", () => {
  const trusted = (root: string) => [{ dir: root, label: `the working directory ${root}` }];

  it("inside the working directory: no link may lead it out", async () => {
    const { root, outside } = layout();
    symlinkSync(join(outside, "secret"), join(root, "typed"));
    const { files, path } = await typedPathFs("typed", root, trusted(root));
    expect(files.root).toBe(root);
    expect(await refusal(files.readText(path, 1024))).toEqual({ reason: "outside", throughLink: true });
  });

  it("outside it: read where it is, its own links followed, and what it leads to kept to that place", async () => {
    const { root, outside } = layout();
    symlinkSync(join(outside, "secret"), join(outside, "typed"));
    const { files, path } = await typedPathFs(join(outside, "typed"), root, trusted(root));
    expect(files.root).toBe(outside);
    expect(await files.readText(path, 1024)).toBe("outside");
    expect(await refusal(files.readText(join(root, "anything"), 1024))).toMatchObject({ reason: "outside" });
  });
});
