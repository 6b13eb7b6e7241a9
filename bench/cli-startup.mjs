// Benchmark: `mlgate check` on the bundled example vs a bare `node -e 0`, interleaved in one process so
// both see the same machine load. Reports medians over RUNS runs and the ratio. Usage: npm run bench
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.env.RUNS ?? 21);
const preload = ["--require", "./bench/peak-rss.cjs"];
const cases = {
  "node -e 0": [...preload, "-e", "0"],
  "mlgate check (example)": [
    ...preload,
    "dist/mlgate.js",
    "check",
    "--config",
    "fixtures/example/mlgate.yml",
    "--cwd",
    "fixtures/example",
  ],
};

function measure(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${args.join(" ")} exited ${child.status}`);
  return { ms, rssKb: Number(String(child.output[3]).trim()) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const args of Object.values(cases)) measure(args); // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) samples[name].push(measure(args));
}

const rows = Object.entries(samples).map(([name, list]) => ({
  name,
  ms: median(list.map((s) => s.ms)),
  min: Math.min(...list.map((s) => s.ms)),
  rssMb: median(list.map((s) => s.rssKb)) / 1024,
}));
const base = rows[0];
console.log(`node ${process.version}, ${runs} interleaved runs each, medians`);
console.log("| command | median wall ms | min ms | median peak RSS MB | × node -e 0 (time) | × (memory) |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.ms.toFixed(1)} | ${row.min.toFixed(1)} | ${row.rssMb.toFixed(1)} | ${(row.ms / base.ms).toFixed(2)} | ${(row.rssMb / base.rssMb).toFixed(2)} |`,
  );
}
