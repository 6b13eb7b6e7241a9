// The App on an organisation of 1,000 repositories in the GitHub simulator: the initial scan (wall time from the
// installation webhook to the complete report, and the API requests it makes, by kind) and webhook throughput
// and latency of one instance (signed pushes, several in flight), on PGlite and on PostgreSQL, of the App as
// built (its own write pacing, app/github/octokit.ts: an installation's writes one at a time with no gap,
// content-creating requests at most one per 750 ms).
//   npm run bench:app                          builds, then per backend 3 scans and, on the last scan's
//                                              instance, 3 bursts of 300 pushes (900 repositories, so
//                                              every burst raises levels alike: more wrap around)
//   SCAN_RUNS=5 CONCURRENCY=16 npm run bench:app   more scans, more pushes in flight; also PUSHES,
//                                              PUSH_RUNS, REPOSITORIES
//   BACKENDS=pglite APP_PROFILE=/tmp/prof npm run bench:app     one store (pglite, postgres); CPU profiles
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request as httpRequest } from "node:http";
import { cpus, totalmem, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { loadTestSupport } from "../scripts/test-support.mjs";

const REPOSITORIES = Number(process.env.REPOSITORIES ?? 1000);
const SCAN_RUNS = Number(process.env.SCAN_RUNS ?? 3);
const PUSH_RUNS = Number(process.env.PUSH_RUNS ?? 3);
const PUSHES = Number(process.env.PUSHES ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const BACKENDS = (process.env.BACKENDS ?? "pglite,postgres").split(",");
// A directory: every App process writes a CPU profile there (.cpuprofile, for Chrome's DevTools or speedscope).
const APP_PROFILE = process.env.APP_PROFILE ? resolve(process.env.APP_PROFILE) : "";
const POSTGRES_URL = process.env.MLGATE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// Like a deployment: the periodic sweep at its default (1 min) so it never lands inside a measurement. The
// report is rebuilt 2 s after the last change rather than the default 10 s, which would only add a constant
// wait to the scan; 2 s is still far longer than the gap between pushes of a burst, so a burst is not
// interleaved with report rebuilds any more than in production.
const APP_ENV = { MLGATE_REPORT_DEBOUNCE: "2s", MLGATE_SWEEP_INTERVAL: "1m" };
// The App is done when the proxy has seen no request for this long: more than the 750 ms between two
// content-creating requests (the report's new pages), so a scan's or a rebuild's requests are all counted.
const SETTLE_MS = 1000;

/** Preloaded for APP_PROFILE (--cpu-prof is not allowed in NODE_OPTIONS): the inspector's profiler, written on exit. */
const PROFILE_PRELOAD = `import { Session } from "node:inspector";
import { mkdirSync, writeFileSync } from "node:fs";
const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.start");
process.on("exit", () => {
  // A session in the same thread answers synchronously, as an exit handler needs.
  session.post("Profiler.stop", (error, result) => {
    if (error) return;
    mkdirSync(${JSON.stringify(APP_PROFILE)}, { recursive: true });
    writeFileSync(${JSON.stringify(APP_PROFILE)} + "/app-" + process.pid + ".cpuprofile", JSON.stringify(result.profile));
  });
});
`;

const ORG = "acme";
const INSTALLATION = 7001;
const KINDS = ["mature", "evidence-only", "bare"];

const {
  startGitHubSimulator,
  startApp,
  installationCreated,
  examplePayload,
  filesOf: filesIn,
  APP_ID,
  APP_SLUG,
  BOT,
} = await loadTestSupport();

const FIXTURES = Object.fromEntries(KINDS.map((kind) => [kind, filesIn(`fixtures/maturity/${kind}`)]));
const DVC_YAML = FIXTURES.mature["dvc.yaml"];

/** The organisation: `.github` (no settings) and REPOSITORIES repositories, the three fixture kinds in rotation. */
function buildOrganisation(sim) {
  sim.addOrganization(ORG);
  sim.addInstallation({
    id: INSTALLATION,
    appId: APP_ID,
    appSlug: APP_SLUG,
    account: ORG,
    repositories: "all",
  });
  sim.addRepo({ owner: ORG, name: ".github" });
  sim.addCommit(`${ORG}/.github`, {
    files: { "README.md": `# ${ORG}\n` },
    message: "initial",
    branch: "main",
  });
  const repositories = [];
  for (let index = 0; index < REPOSITORIES; index++) {
    const kind = KINDS[index % KINDS.length];
    const name = `model-${String(index).padStart(4, "0")}`;
    sim.addRepo({ owner: ORG, name });
    const files = { ...FIXTURES[kind] };
    const head = sim.addCommit(`${ORG}/${name}`, { files, message: "initial", branch: "main" });
    repositories.push({ name, kind, files, head, id: sim.repoId(`${ORG}/${name}`) });
  }
  return repositories;
}

/**
 * Forwards the App's GitHub requests to the simulator and notes each one with its GraphQL query, which the
 * simulator's own log does not keep: that is how file reads are told from the report's other queries.
 */
async function startRecordingProxy(target) {
  const log = [];
  const agent = new Agent({ keepAlive: true });
  let self = "";
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const entry = { method: req.method, path: req.url, at: performance.now(), doneAt: 0, status: 0 };
      if (req.url.endsWith("/graphql")) {
        const { query = "", variables = {} } = JSON.parse(body.toString("utf8"));
        entry.repositories = (query.match(/\br\d+: repository\(/g) ?? []).length;
        if (entry.repositories === 1) entry.name = variables.n0;
        entry.query = query.replace(/\s+/g, " ").slice(0, 60);
      }
      const upstream = httpRequest(
        `${target}${req.url}`,
        { method: req.method, headers: req.headers, agent },
        (answer) => {
          const headers = { ...answer.headers };
          // Pagination and redirects come back to the proxy, so every request is noted.
          for (const name of ["link", "location"]) {
            if (typeof headers[name] === "string") headers[name] = headers[name].split(target).join(self);
          }
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
          answer.on("end", () => {
            entry.status = answer.statusCode ?? 0;
            entry.doneAt = performance.now();
            log.push(entry);
          });
        },
      );
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  self = `http://127.0.0.1:${server.address().port}`;
  return {
    url: self,
    log,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A request's kind for the breakdown: GraphQL file reads, other GraphQL, or the REST route. */
function kindOf(entry) {
  if (entry.repositories > 0) return "POST /graphql: repository files";
  if (entry.query !== undefined) {
    if (entry.query.includes("isPrivate }")) return "POST /graphql: is the report repository private";
    return `POST /graphql: ${entry.query}`;
  }
  const path = entry.path
    .split("?")[0]
    .replace(/^\/api\/v3/, "")
    .replace(/\/repos\/[^/]+\/[^/]+/, "/repos/{org}/{repo}")
    .replace(/\/installations\/\d+/, "/installations/{id}")
    .replace(/\/issues\/\d+/, "/issues/{number}");
  return `${entry.method} ${path}`;
}

/**
 * The report issues (page 1 first) and what they show: the head line's count, the rows of the levels tables,
 * and whether every page has its text (a new page holds "being written" until the App fills it in).
 */
function reportOf(sim) {
  const marker = /^<!-- mlgate:maturity-report installation=(\d+) page=(\d+) -->/;
  const pageOf = (issue) => Number(marker.exec(issue.body ?? "")?.[2] ?? 0);
  const pages = sim
    .issues(`${ORG}/.github`)
    .filter((issue) => issue.user?.login === BOT && pageOf(issue) > 0)
    .sort((a, b) => pageOf(a) - pageOf(b));
  let levelRows = 0;
  for (const page of pages) {
    let heading = "";
    for (const line of (page.body ?? "").split("\n")) {
      if (line.startsWith("## ")) heading = line;
      else if (heading.startsWith("## Levels per repository") && line.startsWith("| [")) levelRows++;
    }
  }
  const body = pages[0]?.body ?? "";
  const announced = Number(/This report has (\d+) pages/.exec(body)?.[1] ?? 1);
  return {
    pages: pages.length,
    written:
      pages.length === announced && pages.every((page) => !page.body?.includes("report is being written")),
    tracking: Number(/Tracking (\d+) repositor/.exec(body)?.[1] ?? 0),
    levelRows,
    changes: Number(/(\d+) level change\(s\)/.exec(body)?.[1] ?? 0),
    bytes: pages.reduce((sum, page) => sum + (page.body ?? "").length, 0),
  };
}

async function waitFor(what, check, ms) {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Waits until the proxy has seen no request for `ms`. */
async function quiet(proxy, ms) {
  const last = () => proxy.log.reduce((max, entry) => Math.max(max, entry.doneAt), 0);
  while (performance.now() - last() < ms) await sleep(50);
}

/** App log lines at warn (40) or above, and the invalid requests the simulator recorded. */
function problemsOf(app, sim) {
  const problems = [];
  for (const line of app.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const record = JSON.parse(line);
      if (record.level >= 40)
        problems.push(`app log ${record.level}: ${record.msg} ${record.err?.message ?? ""}`.trim());
    } catch {
      problems.push(`app output: ${line.slice(0, 200)}`);
    }
  }
  for (const invalid of sim.invalidRequests)
    problems.push(`invalid request: ${JSON.stringify(invalid).slice(0, 300)}`);
  for (const invalid of sim.invalidResponses)
    problems.push(`simulator bug: ${JSON.stringify(invalid).slice(0, 300)}`);
  return problems;
}

/** A store for one App process: PGlite in a temporary directory, or a fresh PostgreSQL schema. */
async function freshStore(backend) {
  if (backend === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "mlgate-bench-app-"));
    return { options: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `bench_app_${randomBytes(6).toString("hex")}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  return {
    options: { databaseUrl: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    drop: () => admin(`drop schema ${schema} cascade`),
  };
}

/** Installs the App on the organisation and times the scan until every page of the report is written. */
async function measureScan(sim, proxy, app, repositories) {
  proxy.log.length = 0;
  sim.resetRequests();
  const listed = [{ name: ".github" }, ...repositories].map((repository) => ({
    id: sim.repoId(`${ORG}/${repository.name}`),
    name: repository.name,
    full_name: `${ORG}/${repository.name}`,
    private: false,
  }));
  const payload = installationCreated(INSTALLATION, ORG, listed);
  const started = performance.now();
  const response = await app.deliver("installation", payload);
  const answeredMs = performance.now() - started;
  if (response.status !== 200) throw new Error(`installation.created: ${response.status} ${response.body}`);
  const report = await waitFor(
    "the report listing every repository",
    () => {
      const state = reportOf(sim);
      return state.written && state.levelRows >= repositories.length ? state : undefined;
    },
    240_000,
  );
  const wallMs = performance.now() - started;
  await quiet(proxy, SETTLE_MS);
  const reads = proxy.log.filter((entry) => entry.repositories > 0);
  const kinds = new Map();
  for (const entry of proxy.log) kinds.set(kindOf(entry), (kinds.get(kindOf(entry)) ?? 0) + 1);
  const reportWrites = proxy.log.filter((entry) => /\/issues/.test(entry.path) && entry.method !== "GET");
  return {
    answeredMs,
    wallMs,
    scannedMs: Math.max(...reads.map((entry) => entry.doneAt)) - started,
    reportStartMs: Math.min(...reportWrites.map((entry) => entry.at)) - started,
    graphqlReadMs: reads.reduce((sum, entry) => sum + (entry.doneAt - entry.at), 0),
    requests: proxy.log.length,
    simRequests: sim.requests.length,
    reads: reads.length,
    repositoriesRead: reads.reduce((sum, entry) => sum + entry.repositories, 0),
    graphql: proxy.log.filter((entry) => entry.query !== undefined).length,
    rest: proxy.log.filter((entry) => entry.query === undefined).length,
    kinds,
    report,
  };
}

/**
 * New commits on `count` repositories from the `first` (every fourth one that has no DVC pipeline gets
 * `dvc.yaml`, which raises its levels) and their push payloads; a burst's repositories are all different.
 */
function preparePushes(sim, repositories, first, count) {
  const pushes = [];
  let levelChanging = 0;
  for (let k = 0; k < count; k++) {
    const repository = repositories[(first + k) % repositories.length];
    const files = { ...repository.files, "CHANGELOG.md": `push ${first + k}\n` };
    if (k % 4 === 0 && !files["dvc.yaml"]) {
      files["dvc.yaml"] = DVC_YAML;
      levelChanging++;
    }
    const before = repository.head;
    const after = sim.addCommit(`${ORG}/${repository.name}`, {
      files,
      parents: [before],
      message: `push ${k}`,
      branch: "main",
    });
    Object.assign(repository, { files, head: after });
    const payload = examplePayload("push");
    const full = `${ORG}/${repository.name}`;
    const commit = { ...payload.head_commit, id: after, tree_id: after, message: `push ${k}` };
    Object.assign(payload, {
      ref: "refs/heads/main",
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.com/${full}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: [commit],
      head_commit: commit,
      installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzAwMQ==" },
    });
    payload.repository = {
      ...payload.repository,
      id: repository.id,
      name: repository.name,
      full_name: full,
      owner: { ...payload.repository.owner, login: ORG, name: ORG, type: "Organization" },
      private: false,
      archived: false,
      default_branch: "main",
      master_branch: "main",
    };
    pushes.push({ name: repository.name, payload });
  }
  return { pushes, levelChanging };
}

/**
 * Delivers the pushes with CONCURRENCY in flight. A push's latency is the App's HTTP answer, given after it
 * recorded the snapshot, unless Probot answered 202 at 9 s and went on; "read" is when the App's GraphQL read
 * of the pushed commit came back, which also covers those.
 */
async function measurePushes(sim, proxy, app, pushes) {
  proxy.log.length = 0;
  const latencies = [];
  const sentAt = new Map();
  const failures = [];
  let accepted = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < pushes.length) {
        const { name, payload } = pushes[next++];
        const sent = performance.now();
        sentAt.set(name, sent);
        const response = await app.deliver("push", payload);
        latencies.push(performance.now() - sent);
        if (response.status === 202) accepted++;
        else if (response.status !== 200) failures.push(`${response.status} ${response.body.slice(0, 200)}`);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const readOf = () => {
    const done = new Map();
    for (const entry of proxy.log)
      if (entry.name && sentAt.has(entry.name)) done.set(entry.name, entry.doneAt);
    return done;
  };
  const reads = await waitFor(
    "the App to read every pushed commit",
    () => {
      const done = readOf();
      return done.size === pushes.length ? done : undefined;
    },
    120_000,
  );
  const lastRead = Math.max(...reads.values());
  const readLatencies = [...reads.entries()].map(([name, doneAt]) => doneAt - sentAt.get(name));
  // The report catches up (debounce, then one rebuild) before the next burst.
  const before = reportOf(sim);
  const rebuilt = await waitFor(
    "the report after the pushes",
    () => (proxy.log.some((entry) => entry.method === "PATCH" && entry.at > lastRead) ? true : undefined),
    30_000,
  ).catch(() => false);
  await quiet(proxy, SETTLE_MS);
  const reportMs = Math.max(...proxy.log.map((entry) => entry.doneAt)) - lastRead;
  return {
    latencies,
    readLatencies,
    failures,
    accepted,
    wallMs,
    processedMs: lastRead - started,
    perSecond: (pushes.length / (lastRead - started)) * 1000,
    graphql: proxy.log.filter((entry) => entry.query !== undefined && entry.at <= lastRead).length,
    // The App sends an installation's writes, GraphQL reads included, one at a time: how long each read took
    // and how much of the burst one was in flight (1 would make that queue the limit).
    readMs: median(
      proxy.log
        .filter((entry) => entry.name && sentAt.has(entry.name))
        .map((entry) => entry.doneAt - entry.at),
    ),
    readBusy: inFlight(
      proxy.log.filter((entry) => entry.query !== undefined),
      started,
      lastRead,
    ),
    reportMs: rebuilt ? reportMs : NaN,
    changesBefore: before.changes,
    changesAfter: reportOf(sim).changes,
  };
}

/** The share of [from, to] during which at least one of the requests was in flight. */
function inFlight(entries, from, to) {
  let busy = 0;
  let reach = from;
  for (const entry of [...entries].sort((a, b) => a.at - b.at)) {
    const start = Math.max(entry.at, reach);
    const end = Math.min(entry.doneAt, to);
    if (end > start) busy += end - start;
    reach = Math.max(reach, end);
  }
  return busy / (to - from);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => (Number.isFinite(value) ? value.toFixed(0) : "–");
const s = (value) => (value / 1000).toFixed(1);

const preloadDir = mkdtempSync(join(tmpdir(), "mlgate-bench-preload-"));
process.on("exit", () => rmSync(preloadDir, { recursive: true, force: true }));
writeFileSync(join(preloadDir, "profile.mjs"), PROFILE_PRELOAD);
const APP_PROCESS_ENV = {
  ...APP_ENV,
  ...(APP_PROFILE ? { NODE_OPTIONS: `--import ${pathToFileURL(join(preloadDir, "profile.mjs")).href}` } : {}),
};

/** A simulator with the organisation, the recording proxy, a fresh store and the App on it. */
async function openSession(backend) {
  const sim = await startGitHubSimulator();
  const repositories = buildOrganisation(sim);
  const proxy = await startRecordingProxy(sim.url);
  const store = await freshStore(backend);
  const session = { sim, repositories, proxy, app: undefined, pushed: 0 };
  try {
    // startApp only needs the simulator's address: the App talks to the proxy in front of it.
    session.app = await startApp({ sim: { url: proxy.url }, ...store.options, env: APP_PROCESS_ENV });
  } catch (error) {
    await proxy.close();
    await sim.close();
    await store.drop();
    throw error;
  }
  return Object.assign(session, {
    async close() {
      allProblems.push(...problemsOf(session.app, sim).map((problem) => `${backend}: ${problem}`));
      await session.app.stop();
      await proxy.close();
      await sim.close();
      await store.drop();
    },
  });
}

async function scanRun(backend, run, session) {
  const scan = await measureScan(session.sim, session.proxy, session.app, session.repositories);
  console.error(
    `${backend}, scan ${run + 1}: ${s(scan.wallMs)} s to the complete report (${scan.reads} file reads, ${scan.requests} requests)`,
  );
  return scan;
}

async function burstRuns(backend, session, runs, count) {
  const bursts = [];
  for (let burst = 0; burst < runs; burst++) {
    const { pushes, levelChanging } = preparePushes(session.sim, session.repositories, session.pushed, count);
    session.pushed += count;
    const result = {
      ...(await measurePushes(session.sim, session.proxy, session.app, pushes)),
      levelChanging,
      count,
    };
    bursts.push(result);
    console.error(
      `${backend}, burst ${burst + 1}: ${result.perSecond.toFixed(1)} pushes/s, p99 ${ms(percentile(result.latencies, 99))} ms`,
    );
  }
  return bursts;
}

const results = [];
const allProblems = [];
const benchStarted = performance.now();
for (const backend of BACKENDS) {
  const result = { backend, scans: [], bursts: [] };
  for (let run = 0; run < SCAN_RUNS; run++) {
    const session = await openSession(backend);
    try {
      result.scans.push(await scanRun(backend, run, session));
      // The bursts run on the last scan's store: an organisation in steady state.
      if (run === SCAN_RUNS - 1)
        result.bursts.push(...(await burstRuns(backend, session, PUSH_RUNS, PUSHES)));
    } finally {
      await session.close();
    }
  }
  results.push(result);
}
const benchMs = performance.now() - benchStarted;

const label = (result) => ({ pglite: "PGlite", postgres: "PostgreSQL" })[result.backend];
console.log(
  `\n${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; ${REPOSITORIES} repositories; ` +
    `${CONCURRENCY} pushes in flight; medians over the runs; ${s(benchMs)} s in all\n`,
);
console.log("### Initial scan\n");
console.log(
  "| store | scans | wall s to the complete report | read and recorded s | installation webhook answered ms | API requests | GraphQL file reads | repositories per read | other GraphQL | REST | report pages |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const result of results) {
  const { scans } = result;
  if (!scans.length) continue;
  const pick = (fn) => median(scans.map(fn));
  console.log(
    `| ${label(result)} | ${scans.length} | ${s(pick((x) => x.wallMs))} | ${s(pick((x) => x.scannedMs))} | ${ms(pick((x) => x.answeredMs))} | ${pick((x) => x.requests)} | ${pick((x) => x.reads)} | ${(pick((x) => x.repositoriesRead) / pick((x) => x.reads)).toFixed(0)} | ${pick((x) => x.graphql - x.reads)} | ${pick((x) => x.rest)} | ${pick((x) => x.report.pages)} |`,
  );
}
for (const result of results) {
  const last = result.scans[result.scans.length - 1];
  if (!last) continue;
  console.log(`\n${label(result)}, the requests of one scan (the simulator counted ${last.simRequests}):`);
  for (const [kind, count] of [...last.kinds.entries()].sort((a, b) => b[1] - a[1]))
    console.log(`- ${count} × ${kind}`);
  console.log(
    `- ${s(last.graphqlReadMs)} s in GraphQL file reads; read and recorded at ${s(last.scannedMs)} s, report writes from ` +
      `${s(last.reportStartMs)} s, complete at ${s(last.wallMs)} s; report: ${last.report.pages} pages, ` +
      `${(last.report.bytes / 1000).toFixed(0)} kB, "Tracking ${last.report.tracking}", ${last.report.levelRows} rows of levels; ` +
      `every scan: ${result.scans.map((x) => s(x.wallMs)).join(", ")} s`,
  );
}
console.log("\n### Webhook throughput (pushes to the default branch, one instance)\n");
console.log(
  "| store | bursts × pushes | pushes/s | median ms | p95 ms | p99 ms | max ms | answered 202 at 9 s | p99 ms until the commit was read | GraphQL per push | report rebuilt after the burst ms |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const result of results) {
  const { bursts } = result;
  if (!bursts.length) continue;
  const pick = (fn) => median(bursts.map(fn));
  console.log(
    `| ${label(result)} | ${bursts.length} × ${bursts[0].count} | ${pick((x) => x.perSecond).toFixed(1)} | ${ms(pick((x) => median(x.latencies)))} | ${ms(pick((x) => percentile(x.latencies, 95)))} | ${ms(pick((x) => percentile(x.latencies, 99)))} | ${ms(pick((x) => Math.max(...x.latencies)))} | ${bursts.reduce((sum, x) => sum + x.accepted, 0)} | ${ms(pick((x) => percentile(x.readLatencies, 99)))} | ${pick((x) => x.graphql / x.count).toFixed(2)} | ${ms(pick((x) => x.reportMs))} |`,
  );
}
for (const result of results) {
  for (const [index, burst] of result.bursts.entries()) {
    console.log(
      `\n${label(result)}, burst ${index + 1}: ${burst.perSecond.toFixed(1)} pushes/s (all processed in ${s(burst.processedMs)} s), ` +
        `median ${ms(median(burst.latencies))}, p99 ${ms(percentile(burst.latencies, 99))} ms (until the commit was read: ` +
        `median ${ms(median(burst.readLatencies))}, p99 ${ms(percentile(burst.readLatencies, 99))} ms); ` +
        `a GraphQL read ${ms(burst.readMs)} ms, one in flight ${(burst.readBusy * 100).toFixed(0)} % of the time; ` +
        `${burst.levelChanging} pushes add dvc.yaml; the report's level changes ${burst.changesBefore} → ${burst.changesAfter}` +
        (burst.failures.length ? `; failures: ${[...new Set(burst.failures)].slice(0, 3).join(" / ")}` : ""),
    );
  }
}
console.log(
  `\nProblems (App log at warn or above, invalid requests): ${allProblems.length ? `\n${[...new Set(allProblems)].slice(0, 30).join("\n")}` : "none"}`,
);
