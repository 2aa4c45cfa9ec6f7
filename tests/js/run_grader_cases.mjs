// Run every case of a grading table through templates/static/js/grader.js and print the results.
//
//   node tests/js/run_grader_cases.mjs messages.json [table.json]   (default: tests/data/grading_cases.json)
//
// messages.json is the catalog's grading area, as quizgen.messages.area("grading") returns it.
// Prints one JSON object: {browser_global, browser_agrees, no_messages_error, results: [{name,
// parsed, verdict}]}, where parsed is parseAnswer(input) and verdict is grade(answer, distractors,
// input) — or {thrown: "..."} if a call threw, which the Python side reports as a failure.
// A table's part_cases (multi-part, error carried forward) come back as part_results: [{name,
// result}], result = gradeParts(case.question or table.part_question, case.answers).
// tests/test_grader_js.py compares these with each case's expect and with the Python grader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const graderPath = path.join(repo, 'templates', 'static', 'js', 'grader.js');
if (!process.argv[2]) {
  process.stderr.write('usage: node run_grader_cases.mjs messages.json [table.json]\n');
  process.exit(2);
}
const messages = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tablePath = process.argv[3] || path.join(repo, 'tests', 'data', 'grading_cases.json');
const source = readFileSync(graderPath, 'utf8');

// As Node loads it (module.exports), messages handed over with setMessages...
const grader = createRequire(import.meta.url)(graderPath);
grader.setMessages(messages);

// ...and as a browser does: a plain script in a fresh global that only has `window`, where the
// page has defined window.QUIZGEN_MESSAGES before loading it.
const browser = { window: { QUIZGEN_MESSAGES: { grading: messages } } };
vm.runInNewContext(source, browser, { filename: graderPath });
const g = browser.window.QuizgenGrader;
const browserGlobal = Boolean(g) && ['grade', 'parseAnswer', 'setMessages'].every((f) => typeof g[f] === 'function');

// A page that forgot the messages: grading must throw, not answer with "undefined".
const bare = { window: {} };
vm.runInNewContext(source, bare, { filename: graderPath });
let noMessagesError = null;
try {
  bare.window.QuizgenGrader.grade({ kind: 'number', value: 1 }, [], '2');
} catch (err) {
  noMessagesError = String(err && err.message);
}

function attempt(fn) {
  try {
    return fn();
  } catch (err) {
    return { thrown: String(err && err.stack ? err.stack : err) };
  }
}

function run(api, c) {
  return {
    name: c.name,
    parsed: attempt(() => api.parseAnswer(c.input)),
    verdict: attempt(() => api.grade(c.answer, c.distractors, c.input)),
  };
}

const table = JSON.parse(readFileSync(tablePath, 'utf8'));
const results = table.cases.map((c) => run(grader, c));
const partCases = table.part_cases || [];
const partResults = partCases.map((c) => ({
  name: c.name,
  result: attempt(() => grader.gradeParts(c.question || table.part_question, c.answers)),
}));
const browserAgrees = table.cases.every((c, i) => JSON.stringify(run(g, c)) === JSON.stringify(results[i]))
  && partCases.every((c, i) => JSON.stringify(attempt(() => g.gradeParts(c.question || table.part_question, c.answers)))
    === JSON.stringify(partResults[i].result));
process.stdout.write(JSON.stringify({
  browser_global: browserGlobal,
  browser_agrees: browserAgrees,
  no_messages_error: noMessagesError,
  results,
  part_results: partResults,
}));
