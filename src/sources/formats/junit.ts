// JUnit XML test reports (pytest --junitxml, Maven Surefire, jest-junit) read into the run's totals —
// `tests`, `failures`, `errors`, `skipped`, `passed`, `time` — and one measurement per test case,
// `testcases/<classname>.<name>`, whose value is "passed", "failed", "error" or "skipped" and which carries
// the tool's verdict and its failure message. Counts come from the test cases (repeated records of one test
// merged), not the suites' attributes. The XML is read by the strict reader in xml.ts, which expands no DTD
// and no entity beyond XML's five.
import type { ToolFormat, ToolMeasurement, ToolVerdict } from "./tool.js";
import { attributeOf, isElement, parseXml, refusal, type Refuse, type XmlElement } from "./xml.js";

type Outcome = "passed" | "skipped" | "failed" | "error";

/** The child elements that give a test case its outcome; the worst one present wins. */
const RESULTS: ReadonlyMap<string, Outcome> = new Map([
  ["skipped", "skipped"],
  ["failure", "failed"],
  ["error", "error"],
]);
const SEVERITY: readonly Outcome[] = ["passed", "skipped", "failed", "error"];
const VERDICTS: Readonly<Record<Outcome, ToolVerdict>> = {
  passed: "pass",
  skipped: "skipped",
  failed: "fail",
  error: "error",
};
const DESCRIPTION_LENGTH = 500;
const HINT_JUNIT =
  "format: junit reads JUnit XML test reports (pytest --junitxml=report.xml, Maven Surefire, jest-junit)";

export const junitFormat: ToolFormat = {
  name: "junit",
  title: "JUnit XML",
  // The root element, after an optional XML declaration, comments and processing instructions.
  detect: (_fileName, text) =>
    /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*|<\?(?!xml[\s?])[^>]*\?>\s*)*<testsuites?[\s/>]/.test(
      text.slice(0, 4096),
    ),
  read: (text, { origin }) => readJunit(text.replace(/^\uFEFF/, ""), origin),
};

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** One test as the report records it, possibly over several `<testcase>` elements of the same name. */
interface TestResult {
  name: string;
  outcome: Outcome;
  /** The element that gave the outcome: the last record's, among those with the worst outcome. */
  result?: XmlElement;
}

function readJunit(text: string, origin: string): ToolMeasurement[] {
  const refuse = (offset: number, message: string, hint: string) =>
    refusal(text, origin, offset, message, hint);
  const root = parseXml(text, origin);
  if (root.name !== "testsuites" && root.name !== "testsuite") {
    throw refuse(
      root.offset,
      `expected a JUnit report: the root element is <${root.name}>, not <testsuites> or <testsuite>`,
      HINT_JUNIT,
    );
  }
  const tests = testResults(root);
  const counts = declaredCounts(root, refuse);
  for (const { outcome } of tests) {
    counts.tests++;
    if (outcome === "failed") counts.failures++;
    else if (outcome === "error") counts.errors++;
    else if (outcome === "skipped") counts.skipped++;
  }
  return [
    { name: "tests", value: counts.tests },
    { name: "failures", value: counts.failures },
    { name: "errors", value: counts.errors },
    { name: "skipped", value: counts.skipped },
    { name: "passed", value: counts.tests - counts.failures - counts.errors - counts.skipped },
    { name: "time", value: timeOf(root, refuse) ?? null },
    ...tests.map(testMeasurement),
  ];
}

/**
 * Every test in document order, the records of one name merged: pytest writes a teardown error after a
 * failure as a second `<testcase>`, and rerun plugins write one per attempt. The worst outcome stands.
 */
function testResults(root: XmlElement): TestResult[] {
  const tests = new Map<string, TestResult>();
  testCases(root).forEach((testCase, index) => {
    const name = testCaseName(testCase, index + 1);
    const record = resultOf(testCase);
    const seen = tests.get(name);
    if (seen === undefined) tests.set(name, { name, ...record });
    else if (SEVERITY.indexOf(record.outcome) >= SEVERITY.indexOf(seen.outcome)) {
      tests.set(name, { name, ...record });
    }
  });
  return [...tests.values()];
}

/** Every test case in the suites, in document order. */
function testCases(suite: XmlElement): XmlElement[] {
  return suite.children.filter(isElement).flatMap((child) => {
    if (child.name === "testcase") return [child];
    return child.name === "testsuite" ? testCases(child) : [];
  });
}

/** `<classname>.<name>`; a test case without a name is named by its position among all test cases. */
function testCaseName(testCase: XmlElement, position: number): string {
  const className = attributeOf(testCase, "classname")?.value ?? "";
  const caseName = attributeOf(testCase, "name")?.value || `(testcase ${position})`;
  return className === "" ? caseName : `${className}.${caseName}`;
}

/** The worst outcome among one record's result elements. */
function resultOf(testCase: XmlElement): { outcome: Outcome; result?: XmlElement } {
  let worst: { outcome: Outcome; result?: XmlElement } = { outcome: "passed" };
  for (const child of testCase.children) {
    const outcome = isElement(child) ? RESULTS.get(child.name) : undefined;
    if (
      isElement(child) &&
      outcome !== undefined &&
      SEVERITY.indexOf(outcome) > SEVERITY.indexOf(worst.outcome)
    ) {
      worst = { outcome, result: child };
    }
  }
  return worst;
}

function testMeasurement({ name, outcome, result }: TestResult): ToolMeasurement {
  const description = result === undefined ? undefined : descriptionOf(result);
  return {
    name: `testcases/${name}`,
    value: outcome,
    verdict: VERDICTS[outcome],
    ...(description === undefined ? {} : { description }),
  };
}

/** The counts of the suites that list no test case (summary-only reports), as they declare them. */
function declaredCounts(suite: XmlElement, refuse: Refuse): Counts {
  const listed = suite.children.filter(
    (child) => isElement(child) && (child.name === "testcase" || child.name === "testsuite"),
  );
  if (listed.length > 0) {
    const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const child of listed) {
      if (!isElement(child) || child.name !== "testsuite") continue;
      const inner = declaredCounts(child, refuse);
      counts.tests += inner.tests;
      counts.failures += inner.failures;
      counts.errors += inner.errors;
      counts.skipped += inner.skipped;
    }
    return counts;
  }
  const count = (name: string): number => {
    const attribute = attributeOf(suite, name);
    if (attribute === undefined) return 0;
    if (!/^\s*\d+\s*$/.test(attribute.value)) {
      throw refuse(
        attribute.offset,
        `the ${name} attribute is not a count`,
        'counts are whole numbers, like tests="12"',
      );
    }
    return Number(attribute.value);
  };
  const counts = {
    tests: count("tests"),
    failures: count("failures"),
    errors: count("errors"),
    skipped: count("skipped"),
  };
  if (counts.failures + counts.errors + counts.skipped > counts.tests) {
    throw refuse(
      suite.offset,
      `<${suite.name}> declares more failures, errors and skipped tests than tests`,
      "the suite lists no test cases, so its attributes are all there is to count, and they disagree",
    );
  }
  return counts;
}

/** The element's own `time`, else the sum of its suites' and cases' times; undefined when none is known. */
function timeOf(element: XmlElement, refuse: Refuse): number | undefined {
  const attribute = attributeOf(element, "time");
  if (attribute !== undefined) {
    const value = attribute.value.trim();
    // Older Maven Surefire wrote times with thousands separators: time="1,234.567". Only with its decimal
    // point is that unambiguous; "1,234" may be 1234 s or, from a decimal-comma locale, 1.234 s.
    const seconds = /^\d{1,3}(?:,\d{3})+\.\d+$/.test(value) ? value.replaceAll(",", "") : value;
    if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(seconds)) {
      throw refuse(
        attribute.offset,
        "the time attribute is not a number of seconds",
        value.includes(",")
          ? 'a comma may be a thousands separator or a decimal comma, so mlgate does not guess: times are written like time="1234.5"'
          : 'times are written like time="0.25"',
      );
    }
    return Number(seconds);
  }
  let sum: number | undefined;
  for (const child of element.children) {
    if (!isElement(child) || (child.name !== "testsuite" && child.name !== "testcase")) continue;
    const time = timeOf(child, refuse);
    if (time !== undefined) sum = (sum ?? 0) + time;
  }
  return sum;
}

/** The tool's message, else the element's text (a traceback), else its type; at most 500 characters. */
function descriptionOf(result: XmlElement): string | undefined {
  const text =
    attributeOf(result, "message")?.value.trim() ||
    result.children
      .filter((child) => typeof child === "string")
      .join("")
      .trim() ||
    attributeOf(result, "type")?.value.trim();
  if (!text) return undefined;
  const characters = Array.from(text);
  return characters.length <= DESCRIPTION_LENGTH
    ? text
    : `${characters.slice(0, DESCRIPTION_LENGTH - 1).join("")}…`;
}
