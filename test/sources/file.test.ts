import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceSpec } from "../../src/config/model.js";
import { MlgateError } from "../../src/errors.js";
import { ContainedFs, typedPathFs } from "../../src/files/contained-fs.js";
import { readFileSource, MAX_FILE_BYTES } from "../../src/sources/file.js";
import { selectValue } from "../../src/sources/select.js";

type FileSpec = Extract<SourceSpec, { kind: "file" }>;

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlgate-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The run's view of a working directory, as `mlgate check` opens it. */
const ctx = (cwd: string): Promise<ContainedFs> => ContainedFs.open(cwd);
const spec = (file: string, extra: Partial<FileSpec> = {}): FileSpec => ({
  kind: "file",
  name: "eval",
  file,
  ...extra,
});

async function readError(file: string, cwd = dir): Promise<MlgateError> {
  const error: unknown = await readFileSource(spec(file), await ctx(cwd)).catch((e: unknown) => e);
  if (error instanceof MlgateError) return error;
  throw new Error(`expected an MlgateError, got ${String(error)}`);
}

describe("file sources", () => {
  it("reads a file relative to the working directory, knows a classification report, and keeps its JSON Pointers", async () => {
    const doc = await readFileSource(
      spec("real/remla23-team18_classification_report.json"),
      await ctx(fixtures),
    );
    expect(doc).toMatchObject({
      source: "eval",
      origin: "real/remla23-team18_classification_report.json",
      format: "sklearn",
    });
    expect(selectValue(doc, "macro avg/f1-score")).toBe(0.7277021394831897);
    expect(selectValue(doc, "/macro avg/f1-score")).toBe(0.7277021394831897);
  });

  it("reads a CSV with the key columns the source names", async () => {
    const doc = await readFileSource(
      spec("real/aequitas_bias_report_output_test_1.csv", { key: ["attribute_name", "attribute_value"] }),
      await ctx(fixtures),
    );
    expect(doc.textCells).toBe(true);
    expect(selectValue(doc, "/class/High/tpr")).toBe("0.6666666666666666");
  });

  it("accepts an absolute path inside the working directory as given", async () => {
    const path = join(dir, "abs.json");
    await writeFile(path, '{"accuracy": 0.91}');
    const doc = await readFileSource(spec(path), await ctx(dir));
    expect(selectValue(doc, "accuracy")).toBe(0.91);
    expect(doc.origin).toBe(path);
  });

  describe("never reads outside the working directory", () => {
    const canary = "0.8675309";
    let outside = "";
    let cwd = "";
    beforeAll(async () => {
      outside = await mkdtemp(join(tmpdir(), "mlgate-outside-"));
      await writeFile(join(outside, "secret.json"), `{"accuracy": ${canary}}`);
      cwd = join(dir, "project");
      await mkdir(join(cwd, "reports"), { recursive: true });
      await symlink(join(outside, "secret.json"), join(cwd, "reports/linked.json"));
      await symlink(outside, join(cwd, "linked-dir"));
      await symlink(join(outside, "missing.json"), join(cwd, "reports/dangling.json"));
    });
    afterAll(async () => {
      await rm(outside, { recursive: true, force: true });
    });

    it.each([
      ["a path up and out", () => relative(cwd, join(outside, "secret.json")), "is outside"],
      ["an absolute path elsewhere", () => join(outside, "secret.json"), "is outside"],
      ["a file that links out", () => "reports/linked.json", "leads through a symbolic link outside"],
      ["a directory that links out", () => "linked-dir/secret.json", "leads through a symbolic link outside"],
    ])("refuses %s, naming the source and what to do", async (_case, file, words) => {
      const error = await readError(file(), cwd);
      expect(error.code).toBe("source.unreadable");
      expect(error.message).toBe(`source "eval": ${file()} ${words} the working directory ${cwd}`);
      expect(error.location).toEqual({ file: file(), field: "sources.eval.file" });
      expect(error.hint).toMatch(/only inside its working directory/);
      expect(JSON.stringify(error)).not.toContain(canary);
    });

    it("reads a path outside when told to (a path the user typed, as `mlgate inspect` does)", async () => {
      const typed = await typedPathFs(join(outside, "secret.json"), cwd, [{ dir: cwd, label: "cwd" }]);
      const doc = await readFileSource(spec(join(outside, "secret.json")), typed.files, typed.path);
      expect(selectValue(doc, "accuracy")).toBe(0.8675309);
    });

    it("gives a link out the same answer whether its target exists or not, never where it leads", async () => {
      const dangling = await readError("reports/dangling.json", cwd);
      const existing = await readError("reports/linked.json", cwd);
      expect(dangling.code).toBe("source.unreadable");
      expect(dangling.message.replace("dangling", "linked")).toBe(existing.message);
      expect(dangling.message).not.toContain(outside);
    });

    it("says a link to nothing inside is not found", async () => {
      await symlink("missing.json", join(cwd, "reports/dangling-inside.json"));
      const error = await readError("reports/dangling-inside.json", cwd);
      expect(error.code).toBe("source.not-found");
    });
  });

  it("uses the format the source names over the extension, and sniffs unknown extensions", async () => {
    await writeFile(join(dir, "metrics.txt"), "group;rate\nF;0.12\nM;0.2\n");
    expect(await readFileSource(spec("metrics.txt"), await ctx(dir))).toMatchObject({
      format: "csv",
      textCells: true,
    });
    await writeFile(join(dir, "metrics.out"), "accuracy: 0.9\n");
    expect(await readFileSource(spec("metrics.out", { format: "yaml" }), await ctx(dir))).toMatchObject({
      format: "yaml",
      data: { accuracy: 0.9 },
    });
  });

  it("says a missing file was not found, where it looked, and that the producing step must run first", async () => {
    const error = await readError("reports/metrics.json");
    expect(error.code).toBe("source.not-found");
    expect(error.message).toBe(`metric file not found: reports/metrics.json (looked in ${dir})`);
    expect(error.location).toEqual({ file: "reports/metrics.json" });
    expect(error.hint).toMatch(/step producing it ran before mlgate/);
  });

  it("says a directory is not a metric file", async () => {
    await mkdir(join(dir, "reports"), { recursive: true });
    expect((await readError("reports")).code).toBe("source.unreadable");
  });

  it("refuses a file over 256 MiB before reading it", async () => {
    const path = join(dir, "huge.json");
    await writeFile(path, "");
    await truncate(path, MAX_FILE_BYTES + 1); // sparse: no disk used, nothing read
    const error = await readError("huge.json");
    expect(error.code).toBe("source.too-large");
    expect(error.message).toMatch(/more than the 256 MiB/);
  });

  it("reports a UTF-16 file as not UTF-8 instead of parsing garbage", async () => {
    await writeFile(join(dir, "utf16.json"), Buffer.from('\uFEFF{"a": 1}', "utf16le"));
    const error = await readError("utf16.json");
    expect(error.code).toBe("source.unreadable");
    expect(error.message).toMatch(/UTF-16/);
  });

  it("reports a syntax error with the path as written in the config", async () => {
    await writeFile(join(dir, "broken.json"), '{\n  "accuracy": 0.9,\n}\n');
    const error = await readError("./broken.json");
    expect(error.code).toBe("source.parse");
    expect(error.location).toEqual({ file: "./broken.json", line: 3, column: 1 });
  });
});
