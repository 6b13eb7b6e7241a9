// Words for a gate's comparison in messages ("≥ 0.9", "in [0.1, 0.3]"): the renderers' own wording,
// plus the tolerance that the report's target column does not carry.
import type { Gate } from "../config/model.js";
import { formatTarget } from "../report/format-value.js";

export function describeTarget(gate: Pick<Gate, "strategy" | "target" | "tolerance">): string {
  const tolerance = gate.tolerance;
  const allowance = tolerance
    ? [
        tolerance.absolute ? `± ${tolerance.absolute}` : "",
        tolerance.relative ? `± ${Number((tolerance.relative * 100).toPrecision(6))}%` : "",
      ]
        .filter(Boolean)
        .join(" or ")
    : "";
  return `${formatTarget(gate.strategy, gate.target)}${allowance ? ` (${allowance})` : ""}`;
}
