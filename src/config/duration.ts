// Durations for timeouts ("120s", "PT2M") and assessment frequencies (CABC §5.4.2.2: "per-change",
// "daily", ..., or an ISO-8601 duration). Months are calendar months, not 30 days.
import type { Frequency } from "./model.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ISO =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** "120s", "2m", "500ms", "1h", "PT2M" -> milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const simple = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (simple) return Number(simple[1]) * (UNIT_MS[simple[2] ?? "s"] ?? 1000);
  const iso = parseIsoDuration(text.trim());
  return iso && iso.months === 0 ? iso.milliseconds : undefined;
}

export function parseFrequency(text: string): Frequency | undefined {
  switch (text) {
    case "per-change":
      return { kind: "per-change" };
    case "per-release":
      return { kind: "per-release" };
    case "daily":
      return { kind: "interval", text, months: 0, milliseconds: UNIT_MS.d ?? 0 };
    case "weekly":
      return { kind: "interval", text, months: 0, milliseconds: 7 * (UNIT_MS.d ?? 0) };
    case "monthly":
      return { kind: "interval", text, months: 1, milliseconds: 0 };
  }
  const iso = parseIsoDuration(text);
  if (!iso || (iso.months === 0 && iso.milliseconds === 0)) return undefined;
  return { kind: "interval", text, ...iso };
}

function parseIsoDuration(text: string): { months: number; milliseconds: number } | undefined {
  const match = ISO.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return undefined;
  const [, years, months, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return {
    months: (years ?? 0) * 12 + (months ?? 0),
    milliseconds:
      ((weeks ?? 0) * 7 + (days ?? 0)) * 86_400_000 +
      (hours ?? 0) * 3_600_000 +
      (minutes ?? 0) * 60_000 +
      (seconds ?? 0) * 1000,
  };
}

/** The first moment at which a measurement last assessed at `last` is due again. */
export function nextDue(last: Date, frequency: Extract<Frequency, { kind: "interval" }>): Date {
  return new Date(addMonths(last, frequency.months).getTime() + frequency.milliseconds);
}

/** Calendar months, clamped to the month's last day: Jan 31 + 1 month is Feb 28 (or 29), not Mar 3. */
function addMonths(date: Date, months: number): Date {
  if (months === 0) return date;
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}
