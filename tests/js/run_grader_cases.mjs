// Run every case of a grading table through templates/static/js/grader.js and print the results.
//
//   node tests/js/run_grader_cases.mjs [table.json]     (default: tests/data/grading_cases.json)
//
// Prints one JSON object: {browser_global, results: [{name, parsed, verdict}]}, where parsed is
// parseAnswer(input) and verdict is grade(answer, distractors, input) — or {thrown: "..."} if a
// call threw, which the Python side reports as a failure. tests/test_grader_js.py compares these
// with each case's expect and with the Python grader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const graderPath = path.join(repo, 'templates', 'static', 'js', 'grader.js');
const tablePath = process.argv[2] || path.join(repo, 'tests', 'data', 'grading_cases.json');

// As Node loads it (module.exports)...
const grader = createRequire(import.meta.url)(graderPath);

// ...and as a browser does: a plain script in a fresh global that only has `window`.
const browser = { window: {} };
vm.runInNewContext(readFileSync(graderPath, 'utf8'), browser, { filename: graderPath });
const g = browser.window.QuizgenGrader;
const browserGlobal = Boolean(g) && typeof g.grade === 'function' && typeof g.parseAnswer === 'function';

function attempt(fn) {
  try {
    return fn();
  } catch (err) {
    return { thrown: String(err && err.stack ? err.stack : err) };
  }
}

const table = JSON.parse(readFileSync(tablePath, 'utf8'));
const results = table.cases.map((c) => ({
  name: c.name,
  parsed: attempt(() => grader.parseAnswer(c.input)),
  verdict: attempt(() => grader.grade(c.answer, c.distractors, c.input)),
}));
process.stdout.write(JSON.stringify({ browser_global: browserGlobal, results }));
