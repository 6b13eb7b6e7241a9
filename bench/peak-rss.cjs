// Preloaded into every measured process (the baseline too, so it costs both the same): reports the
// process's peak resident set size on exit through file descriptor 3.
const { writeSync } = require("node:fs");
process.on("exit", () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // not run by the benchmark: nothing to report to
  }
});
