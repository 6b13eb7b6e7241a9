// kill -9 in the middle of writes, and two instances racing for the first report issue. The store is checked
// with a real child process writing through the bundled app/store/db.ts (as store-lock.test.ts does), the App
// as the built process it is deployed as.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDb, type OpenDbOptions } from "../../app/store/db.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import {
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pushed,
  startApp,
  type AppProcess,
} from "../support/app-process.js";
import { freshDataDir } from "../support/data-dir.js";
import { freshSchema } from "../support/postgres.js";

const ROWS_PER_TRANSACTION = 20;

// Writes transactions of ROWS_PER_TRANSACTION rows in a loop, printing "committed <n>" after each commit.
const WRITER = `
import { pathToFileURL } from "node:url";
const [bundle, options, perTransaction] = process.argv.slice(1);
const { openDb } = await import(pathToFileURL(bundle).href);
const db = await openDb(JSON.parse(options));
await db.query("create table if not exists crash_rows (tx integer not null, n integer not null, payload text not null)");
const [{ next }] = await db.query("select coalesce(max(tx), 0) + 1 as next from crash_rows");
for (let tx = next; ; tx++) {
  await db.transaction(async (q) => {
    for (let n = 0; n < Number(perTransaction); n++)
      await q.query("insert into crash_rows (tx, n, payload) values ($1, $2, $3)", [tx, n, "x".repeat(2000)]);
  });
  console.log("committed " + tx);
}`;

let workDir: string;
let bundle: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "mlgate-crash-"));
  await symlink(
    fileURLToPath(new URL("../../node_modules", import.meta.url)),
    join(workDir, "node_modules"),
    "dir",
  );
  bundle = join(workDir, "db.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("../../app/store/db.ts", import.meta.url))],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Starts a writer, lets it commit a few transactions, kills it with SIGKILL at a random moment; returns the last acknowledged transaction. */
async function killMidWrite(options: OpenDbOptions): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", WRITER, bundle, JSON.stringify(options), String(ROWS_PER_TRANSACTION)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(child, "exit");
  let acknowledged = 0;
  let commits = 0;
  const enough = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^committed (\d+)$/.exec(line);
      if (!match) return;
      acknowledged = Number(match[1]);
      if (++commits === 3) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the writer exited with ${code}`)));
  });
  await enough;
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
  child.kill("SIGKILL");
  await exited;
  return acknowledged;
}

async function rowsAfterKill(options: OpenDbOptions) {
  const acknowledged = await killMidWrite(options);
  const db = await openDb(options);
  try {
    const [row] = await db.query<{ rows: number; transactions: number }>(
      "select count(*)::int as rows, count(distinct tx)::int as transactions from crash_rows",
    );
    return { acknowledged, rows: row?.rows ?? 0, transactions: row?.transactions ?? 0 };
  } finally {
    await db.close();
  }
}

describe("a store killed with kill -9 in the middle of a transaction", () => {
  it.each([1, 2, 3])(
    "PGlite: reopens with whole transactions only, every acknowledged one kept (run %i)",
    async () => {
      const dataDir = await freshDataDir();
      for (let kill = 0; kill < 2; kill++) {
        const { acknowledged, rows, transactions } = await rowsAfterKill({ dataDir });
        expect(rows % ROWS_PER_TRANSACTION).toBe(0);
        expect(rows).toBe(transactions * ROWS_PER_TRANSACTION);
        expect(transactions).toBeGreaterThanOrEqual(acknowledged);
      }
    },
    120_000,
  );

  it("PostgreSQL: the same", async () => {
    const schema = freshSchema("crash");
    await schema.create();
    try {
      for (let kill = 0; kill < 3; kill++) {
        const { acknowledged, rows, transactions } = await rowsAfterKill({ databaseUrl: schema.url });
        expect(rows % ROWS_PER_TRANSACTION).toBe(0);
        expect(rows).toBe(transactions * ROWS_PER_TRANSACTION);
        expect(transactions).toBeGreaterThanOrEqual(acknowledged);
      }
    } finally {
      await schema.drop();
    }
  }, 60_000);
});

const AT = { org: "acme", installationId: 7001 };
const DVC_PIPELINE = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n";

describe("the App", { timeout: 120_000 }, () => {
  let sim: GitHubSimulator;
  const apps: AppProcess[] = [];

  beforeEach(async () => {
    sim = await startGitHubSimulator();
  });
  afterEach(async () => {
    for (const app of apps.splice(0))
      if (app.child.exitCode === null && app.child.signalCode === null) await app.stop();
    await sim.close();
  });

  const reportIssues = () => sim.issues("acme/.github");
  const reportOf = () => reportIssues().find((issue) => issue.body?.includes("Levels per repository"));

  it("killed with kill -9 while editing the report keeps its history, and the restarted App finishes the edit", async () => {
    const dataDir = await freshDataDir();
    const listed = organisation(sim, AT, {
      ".github": { "README.md": "# acme\n" },
      recsys: filesOf("fixtures/maturity/bare"),
    });
    const recsys = listed.find((each) => each.name === "recsys")!;
    const first = await startApp({ sim, dataDir });
    apps.push(first);
    await first.deliver("installation", installationCreated(AT.installationId, AT.org, listed));
    const issue = await eventually("the report", () => reportOf());

    let editing = false;
    sim.fault({
      method: "PATCH",
      path: new RegExp(`^/repos/acme/\\.github/issues/${issue.number}$`),
      // In flight when the App dies, and never applied: GitHub gives up on it.
      delayMs: 5_000,
      status: 504,
      onMatch: () => (editing = true),
    });
    const after = sim.addCommit("acme/recsys", {
      files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
      message: "DVC pipeline",
      branch: "main",
    });
    const payload = pushed({ ...AT, name: "recsys", id: recsys.id, before: "0".repeat(40), after });
    expect((await first.deliver("push", payload, { deliveryId: "push-1" })).status).toBe(200);
    await eventually("the report edit under way", () => editing || undefined);
    await first.kill();

    const second = await startApp({ sim, dataDir });
    apps.push(second);
    // GitHub redelivers the push it may think failed: nothing is recorded twice.
    expect((await second.deliver("push", payload, { deliveryId: "push-1" })).status).toBe(200);
    await eventually(
      "the report to be current",
      () => (reportOf()?.body?.includes(after.slice(0, 7)) ? true : undefined),
      20_000,
    );
    expect(reportIssues().map((each) => each.number)).toEqual([issue.number]);
    expect(await second.stop()).toBe(0);

    const db = await openDb({ dataDir });
    try {
      const [snapshots] = await db.query<{ n: number }>(
        "select count(*)::int as n from snapshots where commit_sha = $1",
        [after],
      );
      const [changes] = await db.query<{ n: number }>(
        "select count(*)::int as n from level_changes where commit_sha = $1",
        [after],
      );
      const [report] = await db.query<{ dirty: Date | null; issue: number }>(
        "select dirty_since as dirty, issue_number as issue from org_reports where installation_id = $1",
        [AT.installationId],
      );
      expect(snapshots?.n).toBe(1);
      expect(changes?.n).toBeGreaterThanOrEqual(2);
      expect(report).toEqual({ dirty: null, issue: issue.number });
    } finally {
      await db.close();
    }
  });

  it("two instances on one PostgreSQL, both told of the installation at once, create one report issue", async () => {
    const schema = freshSchema("app_race");
    await schema.create();
    try {
      const listed = organisation(sim, AT, {
        ".github": { "README.md": "# acme\n" },
        recsys: filesOf("fixtures/maturity/bare"),
        "churn-model": filesOf("fixtures/maturity/mature"),
      });
      const env = { MLGATE_REPORT_DEBOUNCE: "100ms" };
      // Slow issue creation widens the window in which both could decide that no issue exists yet.
      sim.fault({ method: "POST", path: /^\/repos\/acme\/\.github\/issues$/, delayMs: 1_000, times: 5 });
      const [one, two] = await Promise.all([
        startApp({ sim, databaseUrl: schema.url, env }),
        startApp({ sim, databaseUrl: schema.url, env }),
      ]);
      apps.push(one!, two!);
      const payload = installationCreated(AT.installationId, AT.org, listed);
      const responses = await Promise.all([
        one!.deliver("installation", payload, { deliveryId: "install-1" }),
        two!.deliver("installation", payload, { deliveryId: "install-2" }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      await eventually("the complete report", () => {
        const body = reportOf()?.body ?? "";
        return body.includes("[churn-model](") && body.includes("[recsys](") ? true : undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // both debounces and sweeps have run
      expect(reportIssues()).toHaveLength(1);
      expect(
        sim.requests.filter((request) => request.method === "POST" && request.path.endsWith("/issues")),
      ).toHaveLength(1);
    } finally {
      for (const app of apps.splice(0)) await app.stop();
      await schema.drop();
    }
  });
});
