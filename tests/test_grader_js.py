"""templates/static/js/grader.js: the shared table through Node, and agreement with the Python grader.

tests/js/run_grader_cases.mjs loads grader.js both as Node does (module.exports, messages given with
setMessages) and as a browser does (a plain script setting window.QuizgenGrader, messages read from
window.QUIZGEN_MESSAGES), runs a table and prints JSON; every verdict and every parse result must
equal the Python grader's exactly, messages included. The messages are the catalog's, written to a
JSON file here; grader.js itself holds none.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import quizgen.messages
from quizgen.errors import AnswerError
from quizgen.ecf import grade_parts
from quizgen.grading import MAX_CHARS, grade, parse_answer
from quizgen.messages import area
from test_grading import check_expect  # the same expectations for both graders

ROOT = Path(__file__).resolve().parents[1]
GRADER_JS = ROOT / "templates" / "static" / "js" / "grader.js"
RUNNER = ROOT / "tests" / "js" / "run_grader_cases.mjs"
TABLE = ROOT / "tests" / "data" / "grading_cases.json"
CASES = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
NODE = shutil.which("node")
VERDICT_KEYS = {
    "correct", "score", "message", "mistake", "mistake_name", "explanation",
    "wrong_entries", "expected_shape", "parse_error",
}  # fmt: skip

needs_node = pytest.mark.skipif(NODE is None, reason="`node` is not on PATH; the JavaScript grader cannot be run")


def write_messages(folder: Path, lang: str = "en") -> Path:
    """The catalog's grading area as JSON, the way the study site hands it to grader.js."""
    path = folder / f"grading-{lang}.json"
    path.write_text(json.dumps(area("grading", lang), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def messages_file(tmp_path_factory) -> Path:
    return write_messages(tmp_path_factory.mktemp("messages"))


def run_node(table: Path, messages: Path) -> dict:
    command = [NODE, str(RUNNER), str(messages), str(table)]
    proc = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def python_parse(text) -> dict:
    try:
        return parse_answer(text)
    except AnswerError as exc:
        return {"error": exc.message}


@pytest.fixture(scope="module")
def node_run(messages_file) -> dict:
    return run_node(TABLE, messages_file)


@pytest.fixture(scope="module")
def table_results(node_run) -> dict:
    return {r["name"]: r for r in node_run["results"]}


@needs_node
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, table_results):
    result = table_results[case["name"]]
    assert "thrown" not in result["verdict"], result["verdict"]
    check_expect(result["verdict"], case["expect"])


@needs_node
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_agrees_with_python(case, table_results):
    result = table_results[case["name"]]
    assert result["parsed"] == python_parse(case["input"])
    assert result["verdict"] == grade(case["answer"], case["distractors"], case["input"])


# --- multi-part questions: error carried forward -------------------------------------------------

TABLE_DATA = json.loads(TABLE.read_text(encoding="utf-8"))
PART_CASES = TABLE_DATA["part_cases"]


@pytest.fixture(scope="module")
def part_results(node_run) -> dict:
    return {r["name"]: r["result"] for r in node_run["part_results"]}


def check_parts(result: dict, expect: dict) -> None:
    """A gradeParts / grade_parts result meets a part case's expect block."""
    typed = len(expect["verdicts"])
    assert [p["verdict"] for p in result["parts"]][:typed] == expect["verdicts"], [p["message"] for p in result["parts"]]
    assert [p["given"] for p in result["parts"]][:typed] == expect["given"]
    assert result["score"] == pytest.approx(expect["score"], abs=1e-9)
    for p in result["parts"]:
        assert set(p) == VERDICT_KEYS | {"name", "label", "points", "earned", "verdict", "given"}


@pytest.mark.parametrize("case", PART_CASES, ids=[c["name"] for c in PART_CASES])
def test_part_case_python(case):
    # Guards the ECF rule in Python, the engine re-run: an explainable wrong (a) carries, a random one does not.
    check_parts(grade_parts(TABLE_DATA["part_question"], case["answers"]), case["expect"])


@needs_node
@pytest.mark.parametrize("case", PART_CASES, ids=[c["name"] for c in PART_CASES])
def test_part_case_javascript_agrees_with_python(case, part_results):
    # Guards parity: grader.js's shipped map and tables give the engine re-run's verdicts, word for word.
    result = part_results[case["name"]]
    assert "thrown" not in result, result
    check_parts(result, case["expect"])
    assert result == grade_parts(TABLE_DATA["part_question"], case["answers"])


def test_part_table_covers_earlier_right_catalogued_random_times_later_consistent_inconsistent():
    names = {c["name"] for c in PART_CASES}
    for earlier in ("right", "catalogued", "random"):
        for later in ("consistent", "inconsistent"):
            assert any(f"a_{earlier}_b_{later}" in n for n in names), (earlier, later)


def fuzz_inputs(n: int = 1500, seed: int = 20240601) -> list[str]:
    """Near-miss typing: the characters the reader cares about, in random order, plus odd cases."""
    rng = random.Random(seed)
    pieces = ["0", "1", "2", "3", ".5", "-", "\u2212", "+", "e", "E", "/", ",", ";", " ", "  ", "[", "]", "[[",
              "]]", "(", ")", "a", "B", "h", "nan", "inf", "\n", "\t", "\u00a0", "\u2003", "1e-3", "3/4", "0,5",
              "1 2; 3 4", "[1, 2, 3]", "[[1, 4], [2, 5], [3, 6]]", "\U0001f600", "\u0663", "*", "_"]  # fmt: skip
    inputs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(n)]
    inputs += ["1 " * (MAX_CHARS // 2), "1" + " " * MAX_CHARS, "\U0001f600" * (MAX_CHARS + 1), "\U0001f600" * 60]
    return inputs


CHOICES = [{"label": x, "correct": x == "B", "mistake": "m" if x == "C" else None} for x in "ABCD"]
ANSWERS = [  # (answer, distractors)
    ({"kind": "number", "value": 0.5, "rtol": 0.01, "atol": 1e-3}, [{"value": -0.5, "mistake": "sign", "name": "x"}]),
    ({"kind": "vector", "value": [1, 2, 3], "atol": 1e-3}, [{"value": [[3], [2], [1]], "mistake": "rev", "name": ""}]),
    ({"kind": "matrix", "value": [[1, 2, 3], [4, 5, 6]], "atol": 1e-3},
     [{"value": [[1, 4], [2, 5], [3, 6]], "mistake": "t", "name": "transpose", "explanation": "dW = dZ X^T"}]),
    ({"kind": "matrix", "value": [[1], [2]], "atol": 1e-3}, []),
    ({"kind": "choice", "value": "B", "choices": CHOICES}, [{"value": "A", "mistake": "pick_a", "name": "pick A"}]),
]  # fmt: skip


@needs_node
def test_javascript_and_python_agree_on_near_miss_typing(tmp_path, messages_file):
    inputs = fuzz_inputs()
    cases = [
        {"name": f"fuzz-{i}-{k}", "answer": answer, "distractors": distractors, "input": text}
        for i, text in enumerate(inputs)
        for k, (answer, distractors) in enumerate(ANSWERS)
    ]
    table = tmp_path / "fuzz.json"
    table.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    results = run_node(table, messages_file)["results"]
    assert len(results) == len(cases)
    disagreements = []
    for case, result in zip(cases, results):
        want_parsed = python_parse(case["input"])
        want_verdict = grade(case["answer"], case["distractors"], case["input"])
        if result["parsed"] != want_parsed or result["verdict"] != want_verdict:
            disagreements.append((case["input"][:60], result, want_parsed, want_verdict))
    assert not disagreements, disagreements[:3]
    assert sum(not r["verdict"]["parse_error"] for r in results) > 200, "the corpus should not be all garbage"


@needs_node
def test_grader_js_loads_as_a_plain_browser_script_reading_the_page_messages(node_run):
    assert node_run["browser_global"] is True
    assert node_run["browser_agrees"] is True, "window.QUIZGEN_MESSAGES.grading should grade like setMessages"


@needs_node
def test_grader_js_without_messages_fails_loudly(node_run):
    error = node_run["no_messages_error"]
    assert error is not None, "grading without messages must throw"
    assert "setMessages" in error and "QUIZGEN_MESSAGES.grading" in error


def pseudo(text: str) -> str:
    """A stand-in translation: marked, and with literal braces so {{ }} escaping is exercised too."""
    return "\u27e6{{" + text + "}}\u27e7"


@needs_node
def test_a_translated_catalog_reaches_both_graders_alike(tmp_path, monkeypatch):
    # Guards against a message that bypasses the catalog: under a pseudo-translation every message
    # either grader gives must come out translated, and the two must still agree word for word.
    english = quizgen.messages.catalog
    fake = {k: pseudo(v) if k.startswith("grading.") else v for k, v in english("en").items()}
    monkeypatch.setattr(quizgen.messages, "catalog", lambda lang="en": fake if lang == "xx" else english(lang))
    cases = [dict(c, name=f"table-{c['name']}") for c in CASES] + [
        {"name": f"fuzz-{i}-{k}", "answer": answer, "distractors": distractors, "input": text}
        for i, text in enumerate(fuzz_inputs(300, seed=7))
        for k, (answer, distractors) in enumerate(ANSWERS)
    ]
    table = tmp_path / "table.json"
    table.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    results = run_node(table, write_messages(tmp_path, "xx"))["results"]
    for case, result in zip(cases, results, strict=True):
        want = grade(case["answer"], case["distractors"], case["input"], lang="xx")
        assert want["message"].startswith("\u27e6"), (case["input"], want["message"])
        assert result["verdict"] == want, case["name"]
        try:
            want_parsed = parse_answer(case["input"], lang="xx")
        except AnswerError as exc:
            assert exc.message.startswith("\u27e6"), exc.message
            want_parsed = {"error": exc.message}
        assert result["parsed"] == want_parsed, case["name"]


# --- grader.js holds no words of its own ------------------------------------------------------

CODE = re.sub(r"/\*.*?\*/|//[^\n]*", "", GRADER_JS.read_text(encoding="utf-8"), flags=re.S)
STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
SENTENCE = re.compile(r"[A-Za-z]{2,} +[A-Za-z]{2,}")


def without_developer_errors(code: str) -> str:
    """`code` minus each `throw new ...Error(...)`: those speak to the page's author, not the student."""
    out, i = [], 0
    for start in [m.start() for m in re.finditer(r"\bthrow new (?:Type)?Error\(", code)]:
        if start < i:
            continue
        out.append(code[i:start])
        j, depth = code.index("(", start), 0
        while True:
            quoted = STRING.match(code, j)
            if quoted:
                j = quoted.end()
                continue
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    return "".join(out) + code[i:]


def test_every_message_key_grader_js_uses_is_in_the_catalog():
    keys = re.findall(r"\bmsg\('([a-z_]+)'", CODE)
    assert keys, "grader.js should fetch its words with msg('key', {...})"
    assert len(keys) == len(re.findall(r"\bmsg\(", CODE)) - 1, "every msg() call names its key literally"
    missing = sorted(set(keys) - set(area("grading")))
    assert not missing, f"grader.js uses keys missing from quizgen/messages/en/grading.toml: {missing}"


def test_grader_js_and_grading_py_use_the_same_keys():
    js = set(re.findall(r"\bmsg\('([a-z_]+)'", CODE))
    py = set()  # grading.py, and ecf.py for multi-part questions (grader.js holds both)
    for module in ("grading.py", "ecf.py"):
        py |= set(re.findall(r'\bt\("grading\.([a-z_]+)"', (ROOT / "quizgen" / module).read_text(encoding="utf-8")))
    assert js == py, {"only in grader.js": sorted(js - py), "only in grading.py": sorted(py - js)}


def test_grader_js_holds_no_english_sentences():
    literals = [s[1:-1] for s in STRING.findall(without_developer_errors(CODE))]
    assert "use strict" in literals, "the string scan should see grader.js's literals"
    sentences = [s for s in literals if SENTENCE.search(s) and s != "use strict"]
    assert not sentences, f"move these to quizgen/messages/en/grading.toml: {sentences}"
    assert not [s for s in literals if len(s) > 25], "long literals belong in the catalog"


def test_grader_js_is_plain_es2019_without_eval():
    source = GRADER_JS.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # comments may mention anything
    assert not re.search(r"\beval\s*\(|\bFunction\s*\(", code)
    # newer than ES2019: optional chaining, nullish coalescing, matchAll, replaceAll; and no deps
    assert not re.search(r"\?\.(?![0-9])|\?\?|\bmatchAll\b|\breplaceAll\b|\bimport\b|\brequire\s*\(", code)
    assert "root.QuizgenGrader = { parseAnswer: parseAnswer, grade: grade, setMessages: setMessages };" in code
