// Entry point of the `mlgate` bin: wire the real process into `main`, set the exit code, nothing else.
import { main } from "./main.js";

// `mlgate inspect big.json | head`: the reader went away; that is not an error of ours.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  fetch: globalThis.fetch,
  now: () => new Date(),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
});
