// What the intake refused, told to the log at most once a minute: a flood of hostile requests must not become
// a flood of log lines, but whoever runs the App should learn that GitHub's deliveries may have been refused too.
import type { UnverifiedBudget } from "./budget.js";

export interface IntakeLog {
  warn(fields: object, message: string): void;
}

/** Why a request or connection was refused, as the log names it. */
const REFUSALS = {
  400: "400 signature does not match (is WEBHOOK_SECRET the App's webhook secret?)",
  408: "408 body not received in time",
  413: "413 body too large",
  503: "503 no room for unverified bytes",
  connection: "connection closed on arrival: no room for unverified bytes",
  headers: "connection closed: headers not received in time",
  body: "connection closed: body (not a webhook) not received in time",
} as const;

type RefusalReason = keyof typeof REFUSALS;

const INTERVAL_MS = 60_000;

export class RefusalLog {
  private counts = new Map<RefusalReason, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: IntakeLog,
    private readonly budget: UnverifiedBudget,
  ) {}

  count(refusal: RefusalReason): void {
    this.counts.set(refusal, (this.counts.get(refusal) ?? 0) + 1);
    if (this.timer) return;
    // The first refusal is told at once, later ones summed up a minute later, and so on while they last.
    this.flush();
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.counts.size === 0) return;
      this.flush();
      this.schedule();
    }, INTERVAL_MS).unref();
  }

  private flush(): void {
    const refused = Object.fromEntries(
      [...this.counts].map(([refusal, count]) => [REFUSALS[refusal], count]),
    );
    this.counts = new Map();
    this.log.warn(
      { refused, unverifiedBytes: this.budget.bytes, budgetBytes: this.budget.capacity },
      "webhook requests refused; see docs/app.md#webhook-limits",
    );
  }
}
