// An organisation's own framework in YAML: the same shape as the built-in catalogs, checked for what the
// schema cannot say (unique ids, consecutive levels, statements on existing levels), with file:line:column.
import { validated } from "../config/issues.js";
import type { ConfigPositions, FieldPath } from "../config/positions.js";
import { readYaml } from "../config/yaml.js";
import { MlgateError, throwAll } from "../errors.js";
import { nearestWord } from "../sources/nearest.js";
import { DETECTORS } from "./detectors.js";
import { frameworkSchema, type Framework } from "./framework.js";

const DETECTOR_IDS: string[] = DETECTORS.map((detector) => detector.id);

/** Problems the schema cannot see, each with the field path it concerns. */
export function frameworkProblems(
  framework: Framework,
): { path: FieldPath; message: string; hint: string }[] {
  const problems: { path: FieldPath; message: string; hint: string }[] = [];
  const values = framework.levels.map((level) => level.value);
  values.forEach((value, index) => {
    if (index > 0 && value !== (values[index - 1] ?? 0) + 1) {
      problems.push({
        path: ["levels", index, "value"],
        message: `level values must count up by one; ${value} follows ${values[index - 1]}`,
        hint: "number the levels consecutively, e.g. 0, 1, 2, 3, 4",
      });
    }
  });
  const seen = new Map<string, string>();
  framework.areas.forEach((area, a) => {
    if (seen.has(area.id)) {
      problems.push({
        path: ["areas", a, "id"],
        message: `the id "${area.id}" is used twice`,
        hint: "give every area and topic its own id",
      });
    }
    seen.set(area.id, "area");
    area.topics.forEach((topic, t) => {
      if (seen.has(topic.id)) {
        problems.push({
          path: ["areas", a, "topics", t, "id"],
          message: `the id "${topic.id}" is used twice`,
          hint: "give every area and topic its own id",
        });
      }
      seen.set(topic.id, "topic");
      for (const key of Object.keys(topic.statements)) {
        if (!values.includes(Number(key))) {
          problems.push({
            path: ["areas", a, "topics", t, "statements", key],
            message: `a statement for level ${key}, which the framework does not have`,
            hint: `levels are ${values.join(", ")}`,
          });
        }
      }
      (topic.evidence ?? []).forEach((rule, r) => {
        rule.detectors.forEach((detector, d) => {
          if (DETECTOR_IDS.includes(detector)) return;
          const near = nearestWord(detector, DETECTOR_IDS);
          problems.push({
            path: ["areas", a, "topics", t, "evidence", r, "detectors", d],
            message: `"${detector}" is not an evidence detector`,
            hint: `${near ? `did you mean "${near}"? ` : ""}detectors: ${DETECTOR_IDS.join(", ")}`,
          });
        });
        for (const bound of [rule.floor, rule.ceiling]) {
          if (bound !== undefined && !values.includes(bound)) {
            problems.push({
              path: ["areas", a, "topics", t, "evidence", r],
              message: `an evidence rule names level ${bound}, which the framework does not have`,
              hint: `levels are ${values.join(", ")}`,
            });
          }
        }
      });
    });
  });
  return problems;
}

/** Parses an organisation's framework file; refuses ids of the built-in frameworks. */
export function loadFramework(text: string, file: string, builtinIds: readonly string[]): Framework {
  const { value, positions } = readYaml(text, file, {
    code: "maturity",
    what: "the framework",
    emptyHint: "start from a built-in catalog; docs/maturity.md shows the shape of a framework file",
  });
  const framework = validated(value, positions, { schema: frameworkSchema, code: "maturity.schema" });
  const errors = frameworkProblems(framework).map((problem) => toError(problem, positions));
  if (builtinIds.includes(framework.id)) {
    errors.unshift(
      new MlgateError("maturity.semantic", `"${framework.id}" is the id of a built-in framework`, {
        location: positions.locate(["id"]),
        hint: "give your framework its own id, e.g. acme-mlops",
      }),
    );
  }
  throwAll(errors);
  return framework;
}

function toError(
  problem: { path: FieldPath; message: string; hint: string },
  positions: ConfigPositions,
): MlgateError {
  return new MlgateError("maturity.semantic", problem.message, {
    location: positions.locate(problem.path),
    hint: problem.hint,
  });
}
