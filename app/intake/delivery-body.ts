// One webhook body as the intake reads it: its bytes charged to the shared budget as they arrive (so the budget
// knows what is held, chunk overhead included), and GitHub's HMAC-SHA256 computed on the way, so that a body whose
// signature does not match is dropped without ever being decoded.
import { createHmac, timingSafeEqual, type Hmac } from "node:crypto";
import type { BudgetHolder, UnverifiedBudget } from "./budget.js";

/** What one buffered chunk costs besides its bytes (the Buffer object): many tiny chunks are not free. */
const CHUNK_BYTES = 512;

/** One webhook body being read, for one holder of the budget (its connection). */
export class DeliveryBody {
  private readonly hmac: Hmac;
  private chunks: Buffer[] = [];
  private size = 0;
  private charged = 0;

  constructor(
    private readonly budget: UnverifiedBudget,
    private readonly holder: BudgetHolder,
    secret: string,
    private readonly maxBytes: number,
  ) {
    this.hmac = createHmac("sha256", secret);
  }

  /** Keeps a chunk, unless the body would pass its cap or the budget has no room for it. */
  take(chunk: Buffer): "taken" | "too large" | "no room" {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return "too large";
    if (!this.budget.reserve(this.holder, chunk.length + CHUNK_BYTES)) return "no room";
    this.charged += chunk.length + CHUNK_BYTES;
    this.chunks.push(chunk);
    this.hmac.update(chunk);
    return "taken";
  }

  /**
   * The body as text when `signature` is GitHub's `sha256=<hex>` of it under the secret (compared in constant time,
   * as @octokit/webhooks does); undefined, and the bytes dropped, when it is not. A forged body is never decoded.
   */
  verified(signature: string | string[] | undefined): string | undefined {
    const expected = Buffer.from(`sha256=${this.hmac.digest("hex")}`);
    const given = Buffer.from(typeof signature === "string" ? signature : "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      this.drop();
      return undefined;
    }
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    // The same decoding @octokit/webhooks applies to a body it reads itself (UTF-8, not fatal).
    return new TextDecoder().decode(bytes);
  }

  /** Gives its bytes back to the budget. */
  drop(): void {
    this.chunks = [];
    this.budget.release(this.holder, this.charged);
    this.charged = 0;
  }
}
