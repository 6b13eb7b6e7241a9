// The scoring worker (bundled to dist/scoring-worker.js): scores one repository at a time with the core's
// assessRepository, off the App's event loop. The pool terminates it when a repository takes too long.
import { parentPort } from "node:worker_threads";
import { assessRepository } from "../../src/maturity/assess.js";
import { toPlainError, type ScoreRequest, type WorkerMessage } from "./messages.js";

const port = parentPort;
if (!port) throw new Error("the scoring worker runs in a worker thread, started by the App");

port.on("message", (request: ScoreRequest) => {
  let answer: WorkerMessage;
  try {
    const { snapshot, framework, error } = assessRepository(request.view, request.frameworks);
    answer = {
      kind: "scored",
      id: request.id,
      snapshot,
      framework: framework.id,
      ...(error ? { error: toPlainError(error) } : {}),
    };
  } catch (error) {
    answer = { kind: "failed", id: request.id, stack: (error as Error).stack ?? String(error) };
  }
  port.postMessage(answer);
});
port.postMessage({ kind: "ready" } satisfies WorkerMessage);
