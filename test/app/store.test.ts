// The app's storage on both backends it runs on: embedded PGlite in a temp directory and the real PostgreSQL
// (a fresh schema per file, so parallel test files never meet). PostgreSQL unreachable fails these tests.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db, type Queryable } from "../../app/store/db.js";
import { freshSchema } from "../support/postgres.js";
import {
  insertLevelChanges,
  insertSnapshot,
  latestGateVerdicts,
  latestSnapshot,
  latestSnapshots,
  levelChangesSince,
  recordGateVerdict,
  type NewLevelChange,
  type NewSnapshot,
} from "../../app/store/history.js";
import { migrations } from "../../app/store/migrations.js";
import { recordRead } from "../../app/tracker.js";
import { assessRepository } from "../../src/maturity/assess.js";
import { BUILTIN_FRAMEWORKS } from "../../src/maturity/catalogs/index.js";
import {
  dirtyOrgReports,
  getOrgReport,
  lockOrgReport,
  markReportDirty,
  saveOrgReport,
  withReportLock,
} from "../../app/store/org-reports.js";
import {
  assumePrivateNamesIn,
  installationsWithPrivateNames,
  issuesNamingPrivate,
  markReportIssueRetired,
  recordReportIssues,
} from "../../app/store/report-issues.js";
import { claimScanBatch, enqueueScanBatches, finishScanBatch } from "../../app/store/scan-batches.js";
import {
  getInstallation,
  markInstallationDeleted,
  markRepositoryDeleted,
  recordDelivery,
  renameRepository,
  repositoriesOf,
  setArchived,
  upsertInstallation,
  upsertRepository,
  type RepositoryFields,
} from "../../app/store/store.js";

/**
 * One database of one backend for this file; `reopen` is a restart of the app. When setting up fails (PostgreSQL
 * unreachable), reading `db` throws that error, so each of the backend's tests fails with it instead of being skipped.
 */
interface Backend {
  readonly name: "PGlite" | "PostgreSQL";
  readonly db: Db;
  setUp(): Promise<void>;
  reopen(): Promise<void>;
  tearDown(): Promise<void>;
}

function backendOf(
  name: Backend["name"],
  open: () => Promise<Db>,
  hooks: { before(): Promise<void>; after(): Promise<void> },
): Backend {
  let db: Db | undefined;
  let failure: unknown = new Error(`${name} was not set up`);
  return {
    name,
    get db() {
      if (!db) throw failure;
      return db;
    },
    async setUp() {
      try {
        await hooks.before();
        db = await open();
      } catch (error) {
        failure = error;
      }
    },
    async reopen() {
      await db?.close();
      db = undefined;
      db = await open();
    },
    async tearDown() {
      await db?.close();
      await hooks.after();
    },
  };
}

function pgliteBackend(): Backend {
  let dataDir = "";
  return backendOf("PGlite", () => openDb({ dataDir }), {
    before: async () => void (dataDir = await mkdtemp(join(tmpdir(), "mlgate-store-"))),
    after: () => rm(dataDir, { recursive: true, force: true }),
  });
}

function postgresBackend(): Backend {
  const schema = freshSchema("store_test");
  return backendOf("PostgreSQL", () => openDb({ databaseUrl: schema.url }), {
    before: () => schema.create(),
    after: () => schema.drop().catch(() => undefined),
  });
}

const TABLES =
  "deliveries, scan_batches, report_issues, org_reports, gate_verdicts, level_changes, snapshots, repositories";

async function emptyTables(db: Db): Promise<void> {
  await db.query(`truncate ${TABLES}, installations restart identity`);
}

const ACME = { id: 1001, accountLogin: "acme", accountType: "Organization" };

function repository(id: number, fields: Partial<RepositoryFields> = {}): RepositoryFields {
  return {
    id,
    installationId: ACME.id,
    owner: "acme",
    name: `repo-${id}`,
    private: false,
    archived: false,
    defaultBranch: "main",
    ...fields,
  };
}

function snapshot(repositoryId: number, fields: Partial<NewSnapshot> = {}): NewSnapshot {
  return {
    repositoryId,
    commitSha: "a".repeat(40),
    ref: "refs/heads/main",
    takenAt: new Date("2025-03-01T10:00:00.123Z"),
    framework: "iml4e-v2",
    overallLevel: 2,
    overallScore: 2.5,
    assessedAt: "2025-02-28",
    problem: null,
    data: { topics: [{ id: "data-versioning", level: 3 }], note: "ünïcode ✓" },
    ...fields,
  };
}

function levelChange(snapshotId: number, fields: Partial<NewLevelChange> = {}): NewLevelChange {
  return {
    repositoryId: 11,
    snapshotId,
    commitSha: "a".repeat(40),
    changedAt: new Date("2025-03-01T10:00:00.123Z"),
    framework: "iml4e-v2",
    scope: "topic",
    subject: "data-versioning",
    fromLevel: 1,
    toLevel: 2,
    ...fields,
  };
}

async function seedAcme(q: Queryable, repositoryIds: readonly number[] = [11, 12]): Promise<void> {
  await upsertInstallation(q, ACME);
  for (const id of repositoryIds) await upsertRepository(q, repository(id));
}

/** What the app's webhook handler does: the delivery id and the data it brings, in one transaction. */
function handleDelivery(db: Db, id: string, write: (tx: Queryable) => Promise<void>): Promise<string> {
  return db.transaction(async (tx) => {
    if (!(await recordDelivery(tx, id, "push"))) return "duplicate";
    await write(tx);
    return "processed";
  });
}

async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...TABLES.split(", "), "installations"]) {
    const [row] = await db.query<{ n: number }>(`select count(*) as n from ${table}`);
    counts[table] = row?.n ?? -1;
  }
  return counts;
}

const backends = { pglite: pgliteBackend(), postgres: postgresBackend() };

beforeAll(async () => {
  await Promise.all([backends.pglite.setUp(), backends.postgres.setUp()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([backends.pglite.tearDown(), backends.postgres.tearDown()]);
});

describe.each([backends.pglite, backends.postgres])("the store on $name", (backend) => {
  beforeEach(() => emptyTables(backend.db));

  it("applies its migrations once; the next start applies none", async () => {
    const before = await backend.db.query<{ id: string; applied_at: Date }>(
      "select id, applied_at from schema_migrations order by id",
    );
    expect(before.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
    await backend.reopen();
    const after = await backend.db.query("select id, applied_at from schema_migrations order by id");
    expect(after).toStrictEqual(before);
  });

  it("keeps a push's snapshot when a scan that read the repository before it records after it", async () => {
    const found = (commit: string, files: Record<string, string>) => ({
      id: 11,
      owner: "acme",
      name: "repo-11",
      private: false,
      archived: false,
      defaultBranch: "main",
      commit,
      head: commit,
      view: {
        entries: new Map(Object.keys(files).map((path) => [path, "file" as const])),
        files: new Map(Object.entries(files)),
      },
    });
    const scored = (commit: string, files: Record<string, string>, readAt: string) => {
      const read = found(commit, files);
      return {
        read,
        snapshot: assessRepository(read.view, BUILTIN_FRAMEWORKS).snapshot,
        readAt: new Date(readAt),
      };
    };
    const scanRead = scored("a".repeat(40), {}, "2026-12-01T10:00:00Z");
    const pushRead = scored(
      "b".repeat(40),
      { "dvc.yaml": "stages: { train: { cmd: python train.py } }\n" },
      "2026-12-01T10:00:05Z",
    );
    await backend.db.transaction(async (tx) => {
      await seedAcme(tx);
      await recordRead(tx, ACME.id, pushRead, "refs/heads/main", new Date("2026-12-01T10:00:06Z"));
    });
    // The scan read the older commit first and scored it while the push was recorded: it records nothing.
    const changes = await backend.db.transaction((tx) =>
      recordRead(tx, ACME.id, scanRead, "refs/heads/main", new Date("2026-12-01T10:00:09Z")),
    );
    expect(changes).toBe(0);
    expect((await latestSnapshot(backend.db, 11))?.commitSha).toBe("b".repeat(40));
  });

  it("keeps the history across a restart", async () => {
    await handleDelivery(backend.db, "delivery-1", async (tx) => {
      await seedAcme(tx);
      await insertSnapshot(tx, snapshot(11));
    });
    await backend.reopen();
    expect(await latestSnapshot(backend.db, 11)).toMatchObject(snapshot(11));
    expect(await handleDelivery(backend.db, "delivery-1", () => Promise.resolve())).toBe("duplicate");
  });

  it("refuses a redelivered webhook inside its transaction, so the redelivery writes nothing", async () => {
    expect(await handleDelivery(backend.db, "delivery-1", (tx) => seedAcme(tx, [11]))).toBe("processed");
    const redelivered = await handleDelivery(backend.db, "delivery-1", (tx) => seedAcme(tx, [11, 12]));
    expect(redelivered).toBe("duplicate");
    expect((await repositoriesOf(backend.db, ACME.id)).map((repo) => repo.id)).toEqual([11]);
  });

  it("forgets a delivery whose handler threw, with the data written for it, so GitHub's redelivery is processed", async () => {
    const failing = handleDelivery(backend.db, "delivery-2", async (tx) => {
      await seedAcme(tx, [11]);
      throw new Error("GitHub API timed out");
    });
    await expect(failing).rejects.toThrow("GitHub API timed out");
    expect(await getInstallation(backend.db, ACME.id)).toBeUndefined();
    expect(await handleDelivery(backend.db, "delivery-2", (tx) => seedAcme(tx, [11]))).toBe("processed");
  });

  it("leaves no partial rows when a transaction fails half-way, by a throw or by a refused statement", async () => {
    const crash = backend.db.transaction(async (tx) => {
      await seedAcme(tx);
      const snapshotId = await insertSnapshot(tx, snapshot(11));
      await insertLevelChanges(tx, [levelChange(snapshotId)]);
      throw new Error("process crashed");
    });
    await expect(crash).rejects.toThrow("process crashed");
    const refused = backend.db.transaction(async (tx) => {
      await seedAcme(tx);
      await insertSnapshot(tx, snapshot(99)); // no repository 99: the foreign key refuses it
    });
    await expect(refused).rejects.toThrow(/foreign key/);
    expect(Object.values(await countRows(backend.db))).toEqual(Array(9).fill(0));
  });

  it("follows repositories through renames, archiving, deletion and reinstallation", async () => {
    await seedAcme(backend.db, [11, 12, 13]);
    expect(await renameRepository(backend.db, 11, { owner: "acme-labs", name: "models" })).toBe(true);
    expect(await renameRepository(backend.db, 404, { owner: "x", name: "y" })).toBe(false);
    expect(await setArchived(backend.db, 12, true)).toBe(true);
    expect(await markRepositoryDeleted(backend.db, 13, new Date("2025-03-02T00:00:00Z"))).toBe(true);

    const live = await repositoriesOf(backend.db, ACME.id);
    expect(live.map((repo) => [repo.owner, repo.name, repo.archived])).toEqual([
      ["acme", "repo-12", true],
      ["acme-labs", "models", false],
    ]);
    const all = await repositoriesOf(backend.db, ACME.id, { includeDeleted: true });
    expect(all.find((repo) => repo.id === 13)?.deletedAt).toEqual(new Date("2025-03-02T00:00:00Z"));

    await markInstallationDeleted(backend.db, ACME.id, new Date("2025-03-03T00:00:00Z"));
    expect(await repositoriesOf(backend.db, ACME.id)).toEqual([]);
    expect((await getInstallation(backend.db, ACME.id))?.deletedAt).toEqual(new Date("2025-03-03T00:00:00Z"));

    await seedAcme(backend.db, [11]);
    expect((await getInstallation(backend.db, ACME.id))?.deletedAt).toBeNull();
    expect((await repositoriesOf(backend.db, ACME.id)).map((repo) => repo.name)).toEqual(["repo-11"]);
  });

  it("lists the newest snapshot of each live repository, and the level changes since a date", async () => {
    await seedAcme(backend.db, [11, 12, 13]);
    await insertSnapshot(backend.db, snapshot(11, { overallLevel: 1 }));
    const newest = await insertSnapshot(
      backend.db,
      snapshot(11, { overallLevel: 2, commitSha: "b".repeat(40) }),
    );
    await insertSnapshot(
      backend.db,
      snapshot(12, { overallLevel: null, overallScore: null, problem: "no file" }),
    );
    await insertSnapshot(backend.db, snapshot(13));
    await markRepositoryDeleted(backend.db, 13, new Date());

    const latest = await latestSnapshots(backend.db, ACME.id);
    expect(latest.map((row) => [row.name, row.overallLevel, row.problem])).toEqual([
      ["repo-11", 2, null],
      ["repo-12", null, "no file"],
    ]);
    expect(latest[0]?.id).toBe(newest);

    await insertLevelChanges(backend.db, [
      levelChange(newest, { changedAt: new Date("2025-03-01T00:00:00Z") }),
      levelChange(newest, {
        changedAt: new Date("2025-03-05T00:00:00Z"),
        scope: "overall",
        subject: "iml4e-v2",
      }),
      levelChange(newest, { changedAt: new Date("2025-03-04T00:00:00Z"), fromLevel: null }),
    ]);
    const since = await levelChangesSince(backend.db, ACME.id, new Date("2025-03-04T00:00:00Z"));
    expect(since.map((change) => [change.changedAt.toISOString(), change.scope, change.fromLevel])).toEqual([
      ["2025-03-04T00:00:00.000Z", "topic", null],
      ["2025-03-05T00:00:00.000Z", "overall", 1],
    ]);
  });

  it("records a gate verdict once per workflow run and lists the newest per repository", async () => {
    await seedAcme(backend.db);
    const verdict = {
      repositoryId: 11,
      commitSha: "c".repeat(40),
      runId: 9_000_000_001,
      status: "pass",
      summary: { gates: 3, failed: [] },
      createdAt: new Date("2025-03-01T00:00:00Z"),
    };
    expect(await recordGateVerdict(backend.db, verdict)).toBe(true);
    expect(await recordGateVerdict(backend.db, { ...verdict, status: "fail" })).toBe(false);
    const later = {
      ...verdict,
      runId: 9_000_000_002,
      status: "fail",
      createdAt: new Date("2025-03-02T00:00:00Z"),
    };
    expect(await recordGateVerdict(backend.db, later)).toBe(true);

    const latest = await latestGateVerdicts(backend.db, ACME.id);
    expect(latest).toEqual([expect.objectContaining({ ...later, owner: "acme", name: "repo-11" })]);
  });

  it("keeps a report dirty from its earliest unrendered change until a render is saved", async () => {
    await seedAcme(backend.db);
    await markReportDirty(backend.db, ACME.id, new Date("2025-03-01T00:00:00Z"));
    await markReportDirty(backend.db, ACME.id, new Date("2025-03-02T00:00:00Z"));
    expect((await getOrgReport(backend.db, ACME.id))?.dirtySince).toEqual(new Date("2025-03-01T00:00:00Z"));
    expect(await dirtyOrgReports(backend.db, new Date("2025-02-28T00:00:00Z"))).toEqual([]);
    expect(await dirtyOrgReports(backend.db, new Date("2025-03-01T00:00:00Z"))).toEqual([ACME.id]);

    const rendered = {
      installationId: ACME.id,
      repoOwner: "acme",
      repoName: ".github",
      issueNumber: 7,
      pageIssueNumbers: [8, 9],
      bodyHash: "sha256:abc",
      renderedAt: new Date("2025-03-02T00:00:01Z"),
      lastLevels: { "repo-11": 2 },
    };
    const outcome = await withReportLock(backend.db, ACME.id, async (tx) => {
      await lockOrgReport(tx, ACME.id);
      await saveOrgReport(tx, rendered);
      return "rendered";
    });
    expect(outcome).toEqual({ acquired: true, value: "rendered" });
    expect(await getOrgReport(backend.db, ACME.id)).toStrictEqual({ ...rendered, dirtySince: null });
  });

  it("remembers every report issue and whether it ever named a private repository, until it is retired", async () => {
    await seedAcme(backend.db);
    const at = { installationId: ACME.id, owner: "acme", repo: ".github" };
    await recordReportIssues(backend.db, at, [7, 8], true);
    // Written again without private names: its history still has them.
    await recordReportIssues(backend.db, at, [7], false);
    await recordReportIssues(backend.db, { ...at, repo: "handbook" }, [3], false);
    const listed = async () =>
      (await issuesNamingPrivate(backend.db, ACME.id)).map(
        (issue) => `${issue.repoName}#${issue.issueNumber}`,
      );
    expect(await listed()).toEqual([".github#7", ".github#8"]);
    expect(await installationsWithPrivateNames(backend.db)).toEqual([ACME.id]);
    const [first] = await issuesNamingPrivate(backend.db, ACME.id);
    await markReportIssueRetired(backend.db, first!, new Date("2025-03-01T00:00:00Z"));
    expect(await listed()).toEqual([".github#8"]);

    // An issue from before the App recorded this: unknown, until GitHub says its repository was private.
    await backend.db.query(
      "insert into report_issues (installation_id, repo_owner, repo_name, issue_number) values ($1, 'acme', 'old-reports', 1)",
      [ACME.id],
    );
    await recordReportIssues(backend.db, { ...at, repo: "old-reports" }, [1], false);
    expect(await listed()).toEqual([".github#8"]);
    await assumePrivateNamesIn(backend.db, ACME.id, { owner: "ACME", name: "Old-Reports" });
    await assumePrivateNamesIn(backend.db, ACME.id, { owner: "acme", name: "handbook" });
    expect(await listed()).toEqual([".github#8", "old-reports#1"]);
  });

  it("lists the issues of a report written before report_issues existed, what they named unknown", async () => {
    await seedAcme(backend.db);
    await saveOrgReport(backend.db, {
      installationId: ACME.id,
      repoOwner: "acme",
      repoName: ".github",
      issueNumber: 7,
      pageIssueNumbers: [8, 9],
      bodyHash: null,
      renderedAt: null,
      lastLevels: null,
    });
    const migration = migrations.find((each) => each.id === "003_report_issues")!.sql;
    await backend.db.query(migration.slice(migration.indexOf("insert into report_issues")));
    const rows = await backend.db.query<{ number: number; named: boolean | null }>(
      `select issue_number as number, named_private as named from report_issues order by 1`,
    );
    expect(rows).toEqual([7, 8, 9].map((number) => ({ number, named: null })));
  });

  it("hands out each scan batch once, oldest first, and again only when its lease expires", async () => {
    const ids = await enqueueScanBatches(backend.db, ACME.id, [[11, 12], [13], [14]]);
    const t0 = new Date("2025-03-01T00:00:00Z");
    const first = await claimScanBatch(backend.db, 60_000, t0);
    expect(first).toEqual({ id: ids[0], installationId: ACME.id, repositoryIds: [11, 12], attempts: 1 });
    expect((await claimScanBatch(backend.db, 60_000, t0))?.id).toBe(ids[1]);
    await finishScanBatch(backend.db, ids[1] ?? -1);
    expect((await claimScanBatch(backend.db, 60_000, t0))?.id).toBe(ids[2]);
    expect(await claimScanBatch(backend.db, 60_000, new Date(t0.getTime() + 59_999))).toBeUndefined();

    // The worker of the first and third batches died: both come back after a minute; the finished one never does.
    const later = new Date(t0.getTime() + 60_000);
    expect(await claimScanBatch(backend.db, 60_000, later)).toEqual({ ...first, attempts: 2 });
    expect((await claimScanBatch(backend.db, 60_000, later))?.id).toBe(ids[2]);
    expect(await claimScanBatch(backend.db, 60_000, new Date(t0.getTime() + 1e9))).toBeDefined();
    expect(await claimScanBatch(backend.db, 60_000, later)).toBeUndefined();
  });

  it("refuses an int8 beyond 2^53 rather than rounding it", async () => {
    await expect(backend.db.query("select 9007199254740993::int8 as id")).rejects.toThrow(/does not fit/);
    expect(await backend.db.query("select 9007199254740991::int8 as id")).toEqual([{ id: 2 ** 53 - 1 }]);
  });
});

describe("both backends", () => {
  it("return identical shapes: int8 as number, timestamptz as Date, jsonb parsed", async () => {
    const read = async (db: Db) => {
      await emptyTables(db);
      await seedAcme(db);
      const snapshotId = await insertSnapshot(db, snapshot(11));
      await insertLevelChanges(db, [levelChange(snapshotId)]);
      await recordGateVerdict(db, {
        repositoryId: 11,
        commitSha: "c".repeat(40),
        runId: 2 ** 40,
        status: "pass",
        summary: { nested: { list: [1, "two", null, true] } },
        createdAt: new Date("2025-03-01T00:00:00.001Z"),
      });
      await markReportDirty(db, ACME.id, new Date("2025-03-01T00:00:00Z"));
      await enqueueScanBatches(db, ACME.id, [[11, 12]]);
      return {
        repositories: await repositoriesOf(db, ACME.id),
        snapshots: await latestSnapshots(db, ACME.id),
        changes: await levelChangesSince(db, ACME.id, new Date(0)),
        verdicts: await latestGateVerdicts(db, ACME.id),
        report: await getOrgReport(db, ACME.id),
        batch: await claimScanBatch(db, 1000, new Date()),
        raw: await db.query(
          `select 4294967296::int8 as i8, 7::int4 as i4, 1.5::float8 as f8, true as b, 'x'::text as t,
             '2025-01-02T03:04:05.678Z'::timestamptz as ts, '[1, {"a": null}]'::jsonb as j,
             null::int8 as n8, null::jsonb as nj`,
        ),
      };
    };
    const pglite = await read(backends.pglite.db);
    const postgres = await read(backends.postgres.db);
    // updated_at is each server's now(); everything else was written identically.
    for (const shape of [pglite, postgres])
      for (const repo of shape.repositories) repo.updatedAt = new Date(0);
    expect(pglite).toStrictEqual(postgres);
    expect(postgres.raw).toStrictEqual([
      {
        i8: 4294967296,
        i4: 7,
        f8: 1.5,
        b: true,
        t: "x",
        ts: new Date("2025-01-02T03:04:05.678Z"),
        j: [1, { a: null }],
        n8: null,
        nj: null,
      },
    ]);
    expect(postgres.verdicts[0]?.runId).toBe(2 ** 40);
  });
});

describe("PostgreSQL with several instances", () => {
  const schema = freshSchema("store_test");
  let first: Db;
  let second: Db;

  let setUpFailure: unknown;

  beforeAll(async () => {
    try {
      await schema.create();
      // Two instances starting at once: the advisory lock makes one migrate and the other find it done.
      [first, second] = await Promise.all([
        openDb({ databaseUrl: schema.url }),
        openDb({ databaseUrl: schema.url }),
      ]);
    } catch (error) {
      setUpFailure = error;
    }
  });

  // Fail each test with the set-up error (PostgreSQL unreachable) rather than let them show as skipped.
  beforeEach(() => {
    if (setUpFailure !== undefined) throw setUpFailure;
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await schema.drop().catch(() => undefined);
  });

  it("migrate once when they start together", async () => {
    const rows = await first.query<{ id: string }>("select id from schema_migrations");
    expect(rows.map((row) => row.id)).toEqual(migrations.map((migration) => migration.id));
  });

  it("render one installation's report one at a time: exactly one acquires the lock", async () => {
    await seedAcme(first);
    let bothTried: () => void = () => undefined;
    const tried = new Promise<void>((resolve) => {
      bothTried = resolve;
      setTimeout(resolve, 3000); // if both acquired (the bug), fail instead of waiting forever
    });
    const render = (db: Db) =>
      withReportLock(db, ACME.id, async () => {
        await tried;
        return db === first ? "first" : "second";
      }).finally(bothTried);
    const outcomes = await Promise.all([render(first), render(second)]);
    expect(outcomes.filter((outcome) => outcome.acquired)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.acquired)).toEqual([{ acquired: false }]);

    // Another installation's report is not held up, and the lock is free again once the render commits.
    expect((await withReportLock(second, 2002, () => Promise.resolve(1))).acquired).toBe(true);
    expect((await withReportLock(second, ACME.id, () => Promise.resolve(1))).acquired).toBe(true);
  });

  it("keep a report dirty when a change is marked while it renders", async () => {
    await seedAcme(first);
    await markReportDirty(first, ACME.id, new Date("2025-03-08T00:00:00Z")); // the change being rendered
    let finishRender: () => void = () => undefined;
    const renderMayFinish = new Promise<void>((resolve) => (finishRender = resolve));
    let locked: () => void = () => undefined;
    const reportLocked = new Promise<void>((resolve) => (locked = resolve));
    const render = withReportLock(first, ACME.id, async (tx) => {
      const report = await lockOrgReport(tx, ACME.id);
      locked();
      await renderMayFinish;
      await saveOrgReport(tx, { ...report, renderedAt: new Date(), bodyHash: "h" });
    });
    await reportLocked;
    const webhook = second.transaction((tx) =>
      markReportDirty(tx, ACME.id, new Date("2025-03-09T00:00:00Z")),
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // time for the webhook's update to reach the lock
    finishRender();
    await Promise.all([render, webhook]);
    expect((await getOrgReport(first, ACME.id))?.dirtySince).toEqual(new Date("2025-03-09T00:00:00Z"));
  });

  it("fail a transaction whose connection dies, and give the next one a working connection", async () => {
    const dying = first.transaction(async (tx) => {
      await tx.query("select pg_terminate_backend(pg_backend_pid())");
    });
    await expect(dying).rejects.toThrow(/terminat/);
    for (let i = 0; i < 3; i++) {
      expect(await first.transaction((tx) => tx.query("select 1 as one"))).toEqual([{ one: 1 }]);
    }
  });

  it("never hand out the same scan batch to two instances", async () => {
    const chunks = Array.from({ length: 40 }, (_, index) => [index]);
    const ids = await enqueueScanBatches(first, ACME.id, chunks);
    const drain = async (db: Db) => {
      const claimed: number[] = [];
      for (;;) {
        const batch = await claimScanBatch(db, 60_000, new Date());
        if (!batch) return claimed;
        claimed.push(batch.id);
      }
    };
    const claims = (await Promise.all([first, second, first, second].map(drain))).flat();
    expect(claims.toSorted((a, b) => a - b)).toEqual(ids);
  });
});
