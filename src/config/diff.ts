// What a change to the gates config gave up: every gate removed and every gate that may now let a value
// pass that failed before, or stop blocking on one — judged gate by gate (matched by id) between the
// config on the base commit and the one under review, on the structured definitions, never on rendered
// text. What a gate accepts (data type, unit, strategy, target, tolerance, scale: acceptance.ts), what
// it reads (the whole source definition and the path), its severity, baseline rules and frequency are
// each compared. A change not proven as strict or stricter is listed: a reviewer reads one line too
// many rather than missing a lowered bar.
import { betterDirection } from "./gate-rules.js";
import { formatLocation } from "../errors.js";
import { acceptsNoMore } from "./acceptance.js";
import { exactJson, exactList, exactTarget, sourceFields } from "./definition-text.js";
import type { BaselineRules, Frequency, Gate, SourceSpec, Specification } from "./model.js";

/**
 * One loosened aspect of a gate: `target` `≥ 0.9` → `≥ 0.85`. `before` and `after` are exact, so
 * they differ whenever the definitions do; either is absent when there is nothing to show on that side.
 */
export interface Loosening {
  aspect: string;
  before?: string;
  after?: string;
}

export interface ConfigChange {
  kind: "removed" | "loosened";
  gateId: string;
  /** The gate's name and dimension as the reviewer knows them. */
  name: string;
  dimension: string;
  /** One entry per loosened aspect (`phraseOf` words it). */
  changes: Loosening[];
  /** `file:line:column` of the gate in the config under review, or on the base commit when removed. */
  declaredAt: string;
}

/** A loosening in words: "target ≥ 0.9 → ≥ 0.85", "removed (was ≥ 0.95, blocking)", "severity …". */
export function phraseOf(change: Loosening): string {
  const { aspect, before, after } = change;
  if (before !== undefined && after !== undefined) return `${aspect} ${before} → ${after}`;
  if (before !== undefined) return `${aspect} (was ${before})`;
  if (after !== undefined) return `${aspect} ${after}`;
  return aspect;
}

export function loosenedGates(before: Specification, after: Specification): ConfigChange[] {
  const now = new Map(after.gates.map((gate) => [gate.id, gate]));
  const earlierIds = new Set(before.gates.map((gate) => gate.id));
  // New gates by what they read, so that a renamed gate finds its successor without a search.
  const added = new Map<string, Gate[]>();
  for (const gate of after.gates.filter((g) => !earlierIds.has(g.id))) {
    const key = readsKey(gate, after);
    const same = added.get(key);
    if (same) same.push(gate);
    else added.set(key, [gate]);
  }
  const result: ConfigChange[] = [];
  for (const old of before.gates) {
    const gate = now.get(old.id);
    if (!gate) {
      result.push({
        kind: "removed",
        gateId: old.id,
        name: old.name,
        dimension: old.dimension,
        changes: [
          { aspect: "removed", before: `${exactTarget(old)}, ${old.severity}` },
          ...successors(added.get(readsKey(old, before)) ?? []),
        ],
        declaredAt: formatLocation(old.location),
      });
      continue;
    }
    const changes = loosenings(old, before, gate, after);
    if (changes.length > 0) {
      result.push({
        kind: "loosened",
        gateId: gate.id,
        name: gate.name,
        dimension: gate.dimension,
        changes,
        declaredAt: formatLocation(gate.location),
      });
    }
  }
  return result;
}

/** What a gate reads, as one exact text: its source's definition (not its name) and its path. */
function readsKey(gate: Gate, spec: Specification): string {
  const source = spec.sources[gate.source];
  return exactJson([source ? Object.fromEntries(sourceFields(source)) : gate.source, gate.path ?? null]);
}

/** A renamed or moved gate is a removal plus a new gate: name the new gates that read the same value. */
function successors(gates: readonly Gate[]): Loosening[] {
  return gates.slice(0, 3).map((gate) => ({
    aspect: `the new gate ${JSON.stringify(gate.name)} (${gate.dimension}) reads the same value:`,
    after: `${exactTarget(gate)}, ${gate.severity}`,
  }));
}

function loosenings(old: Gate, before: Specification, gate: Gate, after: Specification): Loosening[] {
  const changes: Loosening[] = [];
  if (old.severity === "blocking" && gate.severity === "warning") {
    changes.push({ aspect: "severity", before: "blocking", after: "warning" });
  }
  changes.push(...readsChanges(old, before, gate, after));
  if (!acceptsNoMore(old, gate)) changes.push(...acceptanceChanges(old, gate));
  changes.push(...baselineLoosenings(old, gate));
  if (!assessedAsOften(old.frequency, gate.frequency)) {
    changes.push({
      aspect: "assessed",
      before: frequencyText(old.frequency),
      after: frequencyText(gate.frequency),
    });
  }
  return changes;
}

/** The aspects of what a gate accepts that changed, shown exactly (the comparison decided they matter). */
function acceptanceChanges(old: Gate, gate: Gate): Loosening[] {
  const changes: Loosening[] = [];
  if (old.dataType !== gate.dataType) {
    changes.push({ aspect: "data type", before: old.dataType, after: gate.dataType });
  }
  const [oldScale, scale] = [
    old.scale ? exactList(old.scale) : "none",
    gate.scale ? exactList(gate.scale) : "none",
  ];
  if (oldScale !== scale) changes.push({ aspect: "scale", before: oldScale, after: scale });
  if ((old.unit ?? "none") !== (gate.unit ?? "none")) {
    changes.push({ aspect: "unit", before: old.unit ?? "none", after: gate.unit ?? "none" });
  }
  const [oldTarget, target] = [exactTarget(old), exactTarget(gate)];
  if (oldTarget !== target || changes.length === 0) {
    changes.push({ aspect: "target", before: oldTarget, after: target });
  }
  return changes;
}

// ---- What the gate reads ------------------------------------------------------------------------------

/** Every difference in the source definition a gate reads and in its path; empty when it reads the same. */
function readsChanges(old: Gate, before: Specification, gate: Gate, after: Specification): Loosening[] {
  const changes: Loosening[] = [];
  // The normaliser refuses a gate whose source is not declared, so both exist.
  const [oldSource, source] = [before.sources[old.source], after.sources[gate.source]];
  if (!oldSource || !source)
    return [{ aspect: "source", before: JSON.stringify(old.source), after: JSON.stringify(gate.source) }];
  const fields = sourceChanges(gate.source, oldSource, source);
  if (old.source !== gate.source && fields.length > 0) {
    changes.push({
      aspect: "source",
      before: JSON.stringify(old.source),
      after: JSON.stringify(gate.source),
    });
  }
  changes.push(...fields);
  if (old.path !== gate.path) changes.push({ aspect: "path", before: pathText(old), after: pathText(gate) });
  return changes;
}

function pathText(gate: Gate): string {
  return gate.path === undefined ? "the whole document" : JSON.stringify(gate.path);
}

/**
 * Field by field, exact. A shorter timeout or a smaller byte cap can only turn a value into an error, so
 * those alone are not listed; header values are not shown (they may carry `${{ env.TOKEN }}` wiring).
 */
function sourceChanges(name: string, old: SourceSpec, source: SourceSpec): Loosening[] {
  const [before, after] = [sourceFields(old), sourceFields(source)];
  const changes: Loosening[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [was, now] = [before.get(key), after.get(key)];
    if (was === now) continue;
    if ((key === "timeoutMs" || key === "maxBytes") && old.kind === source.kind && lower(old, source, key))
      continue;
    const aspect = `source ${JSON.stringify(name)} ${key}`;
    if (key === "headers") {
      // Names only, also when the source changed kind: the values may be credentials.
      const headersOf = (spec: SourceSpec) => (spec.kind === "http" ? spec.headers : {});
      changes.push({ aspect: `${aspect} changed: ${changedKeys(headersOf(old), headersOf(source))}` });
    } else {
      changes.push({ aspect, before: was ?? "none", after: now ?? "none" });
    }
  }
  return changes;
}

/** The new source's timeout or byte cap is below the old one's: that only turns values into errors. */
function lower(old: SourceSpec, source: SourceSpec, key: "timeoutMs" | "maxBytes"): boolean {
  if (old.kind === "file" || source.kind === "file") return false;
  return source[key] < old[key];
}

function changedKeys(old: Record<string, string>, headers: Record<string, string>): string {
  const names = new Set([...Object.keys(old), ...Object.keys(headers)]);
  return [...names]
    .filter((name) => old[name] !== headers[name])
    .map((name) => JSON.stringify(name))
    .join(", ");
}

// ---- Baseline rules and frequency ---------------------------------------------------------------------

const BASELINE_RULES: ReadonlyArray<[keyof BaselineRules, "higher-is-looser" | "lower-is-looser"]> = [
  ["maxDrop", "higher-is-looser"],
  ["maxRise", "higher-is-looser"],
  ["maxDropPct", "higher-is-looser"],
  ["maxRisePct", "higher-is-looser"],
  ["minGain", "lower-is-looser"],
];

function baselineLoosenings(old: Gate, gate: Gate): Loosening[] {
  const changes: Loosening[] = [];
  for (const [key, direction] of BASELINE_RULES) {
    const before = old.baseline?.[key];
    if (before === undefined) continue;
    const after = gate.baseline?.[key];
    const aspect = `baseline rule ${key}`;
    if (after === undefined) changes.push({ aspect, before: exactJson(before), after: "removed" });
    else if (direction === "higher-is-looser" ? after > before : after < before) {
      changes.push({ aspect, before: exactJson(before), after: exactJson(after) });
    } else if (key === "minGain" && betterDirection(old.strategy) !== betterDirection(gate.strategy)) {
      // "Improve" follows the strategy: a gain upwards became a gain downwards, or the reverse.
      changes.push({
        aspect: `baseline rule minGain ${exactJson(after)} now counts a gain`,
        before: betterDirection(old.strategy) ?? "no way",
        after: betterDirection(gate.strategy) ?? "no way",
      });
    }
  }
  return changes;
}

const DAY_MS = 86_400_000;

/**
 * Is the new frequency proven to assess at least as often? Only `per-change` is always due; `per-release`
 * is due on release runs only, an interval once its time has passed, so neither covers the other. A
 * calendar month is 28 to 31 days long.
 */
function assessedAsOften(old: Frequency, frequency: Frequency): boolean {
  if (frequency.kind === "per-change") return true;
  if (frequency.kind === "per-release") return old.kind === "per-release";
  if (old.kind !== "interval") return false;
  if (frequency.months <= old.months && frequency.milliseconds <= old.milliseconds) return true;
  return (
    frequency.months * 31 * DAY_MS + frequency.milliseconds <= old.months * 28 * DAY_MS + old.milliseconds
  );
}

function frequencyText(frequency: Frequency): string {
  return frequency.kind === "interval" ? frequency.text : frequency.kind;
}
