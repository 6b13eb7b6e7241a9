// Scoring off the event loop: repositories are scored (assessRepository) in worker threads, each under a
// time limit. A worker past the limit is terminated and replaced and the repository is not recorded, so an
// unexpected slow path costs that repository's update, never the App. One installation's jobs run one at a
// time and installations take turns for the workers, so an organisation's repositories wait for its own.
import { Worker } from "node:worker_threads";
import type { RepositoryMaturity } from "../../src/maturity/assess.js";
import type { Framework } from "../../src/maturity/framework.js";
import type { RepositoryView } from "../../src/maturity/view.js";
import { fromPlainError, type ScoreRequest, type WorkerMessage } from "./messages.js";

/** What a worker sends back: the core's assessment without the parsed self-assessment itself. */
export type ScoredRepository = Omit<RepositoryMaturity, "assessment">;

export interface Scorer {
  /** Scores a repository's view; rejects with ScoringTimeLimit when it takes longer than the limit. */
  score(
    installationId: number,
    view: RepositoryView,
    frameworks: readonly Framework[],
  ): Promise<ScoredRepository>;
}

export class ScoringTimeLimit extends Error {
  override readonly name = "ScoringTimeLimit";
}

export interface ScoringPoolOptions {
  /** The bundled worker, dist/scoring-worker.js. */
  workerUrl: URL;
  workers: number;
  timeLimitMs: number;
  /** A worker's heap; past it the worker dies (and its job fails), not the App. */
  maxHeapMb: number;
}

interface Job {
  installationId: number;
  request: Omit<ScoreRequest, "id">;
  resolve(result: ScoredRepository): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  running?: { job: Job; id: number; timer?: NodeJS.Timeout } | undefined;
}

export class ScoringPool implements Scorer {
  /** Waiting jobs per installation; the map's order is the order installations take their turns in. */
  private readonly queues = new Map<number, Job[]>();
  private readonly busy = new Set<number>();
  private readonly slots = new Set<Slot>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ScoringPoolOptions) {}

  score(
    installationId: number,
    view: RepositoryView,
    frameworks: readonly Framework[],
  ): Promise<ScoredRepository> {
    if (this.closed) return Promise.reject(new Error("the scoring pool is closed"));
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(installationId) ?? [];
      queue.push({ installationId, request: { view, frameworks }, resolve, reject });
      this.queues.set(installationId, queue);
      this.dispatch();
    });
  }

  /** Terminates the workers; jobs not finished fail. */
  async close(): Promise<void> {
    this.closed = true;
    const closing = new Error("the scoring pool is closed");
    for (const queue of this.queues.values()) for (const job of queue) job.reject(closing);
    this.queues.clear();
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) slot.running?.job.reject(closing);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    for (const installationId of [...this.queues.keys()]) {
      if (this.busy.has(installationId)) continue;
      const slot = this.idleSlot();
      if (!slot) return;
      const queue = this.queues.get(installationId) as Job[];
      const job = queue.shift() as Job;
      // To the back of the line: the next free worker goes to another installation first.
      this.queues.delete(installationId);
      if (queue.length) this.queues.set(installationId, queue);
      this.run(slot, job);
    }
  }

  private idleSlot(): Slot | undefined {
    for (const slot of this.slots) if (!slot.running) return slot;
    return this.slots.size < this.options.workers ? this.spawn() : undefined;
  }

  private run(slot: Slot, job: Job): void {
    const id = this.nextId++;
    const running: NonNullable<Slot["running"]> = { job, id };
    slot.running = running;
    this.busy.add(job.installationId);
    // The time limit starts when the worker can begin: loading its code is not the repository's time.
    void slot.ready.then(() => {
      if (slot.running !== running) return;
      running.timer = setTimeout(() => this.overTime(slot), this.options.timeLimitMs);
      try {
        slot.worker.postMessage({ id, ...job.request } satisfies ScoreRequest);
      } catch (error) {
        this.finish(slot, error as Error);
      }
    });
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    let started = (): void => undefined;
    const slot: Slot = { worker, ready: new Promise<void>((resolve) => (started = resolve)) };
    this.slots.add(slot);
    worker.on("message", (message: WorkerMessage) => {
      if (message.kind === "ready") return started();
      if (slot.running?.id !== message.id) return;
      if (message.kind === "failed") return this.finish(slot, new Error(`scoring failed: ${message.stack}`));
      const framework = slot.running.job.request.frameworks.find((each) => each.id === message.framework);
      if (!framework)
        return this.finish(slot, new Error(`scoring named an unknown framework ${message.framework}`));
      this.finish(slot, {
        snapshot: message.snapshot,
        framework,
        ...(message.error ? { error: fromPlainError(message.error) } : {}),
      });
    });
    // A worker that dies (out of memory, a crash) takes only its job with it.
    worker.on("error", (error) => this.retire(slot, error));
    worker.on("exit", (code) => this.retire(slot, new Error(`the scoring worker exited with ${code}`)));
    return slot;
  }

  private finish(slot: Slot, outcome: ScoredRepository | Error): void {
    const running = slot.running;
    if (!running) return;
    clearTimeout(running.timer);
    slot.running = undefined;
    this.busy.delete(running.job.installationId);
    if (outcome instanceof Error) running.job.reject(outcome);
    else running.job.resolve(outcome);
    this.dispatch();
  }

  private overTime(slot: Slot): void {
    this.retire(slot, new ScoringTimeLimit(`scoring took longer than ${this.options.timeLimitMs} ms`));
  }

  /** Takes a worker out of the pool, failing its job with `error`; the next job starts a fresh one. */
  private retire(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) return;
    void slot.worker.terminate();
    this.finish(slot, error);
    this.dispatch();
  }
}
