"""Question records are language-neutral (issue 15): every piece of prose quizgen writes is a
message key with its values, worded by each writer in the language it writes.

Three guards: the exported records hold catalog keys for every prose field; a record holds no
English outside the fields a family author wrote; and a pseudo-language, built as a folder of
TOML at test time (every English message transformed), reaches every family's question on the
site, the exam and the terminal with no English message left untransformed.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from pathlib import Path

import pytest

from quizgen import messages
from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.cli import main
from quizgen.messages import catalog, using
from quizgen.messages.text import is_text, keys, say
from quizgen.present import terminal
from quizgen.writers import exam_views, site

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "quizgen" / "messages" / "en"
PSEUDO = "x-pseudo"
AUTHORED = ("title", "summary", "topic", "tags", "source", "hints")  # copied from the family file
# Kept as they are when a message is transformed: placeholders, math, code, markup, LaTeX commands.
KEEP = re.compile(r"\{\{.*?\}\}|\{[^{}]*\}|\$[^$]*\$|`[^`]*`|<[^>]*>|&#?\w+;|\\[A-Za-z]+")


def _transform(words: str) -> str:
    """A message in the pseudo-language: its letters' case swapped, wrapped in ⟦…⟧, everything
    KEEP matches left alone, so it still formats and renders."""
    out, pos = [], 0
    for m in KEEP.finditer(words):
        out += [words[pos:m.start()].swapcase(), m.group()]
        pos = m.end()
    return "⟦" + "".join(out) + words[pos:].swapcase() + "⟧"


def _pseudo_table(table: dict) -> dict:
    return {k: _pseudo_table(v) if isinstance(v, dict) else _transform(v) for k, v in table.items()}


def _toml(table: dict, prefix: str = "") -> str:
    plain = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in table.items() if not isinstance(v, dict)]
    nested = [f"\n[{prefix}{k}]\n" + _toml(v, f"{prefix}{k}.") for k, v in table.items() if isinstance(v, dict)]
    return "\n".join(plain) + "\n" + "".join(nested)


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory):
    """A language folder made from en/*.toml at test time, registered as PSEUDO."""
    folder = tmp_path_factory.mktemp("messages") / PSEUDO
    folder.mkdir()
    for path in sorted(EN.glob("*.toml")):
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        (folder / path.name).write_text(_toml(_pseudo_table(table)), encoding="utf-8")
    messages.add_language(PSEUDO, folder)
    assert set(catalog(PSEUDO)) == set(catalog("en"))  # every key transformed, none missing
    yield PSEUDO
    messages.remove_language(PSEUDO)


def _sentences() -> set[str]:
    """The English a catalog message shows, as runs of at least two words between its
    placeholders and formulas (a single word may well be a family author's too)."""
    found = set()
    for words in catalog("en").values():
        for piece in KEEP.split(words):
            for run in re.findall(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*)+", piece):
                if sum(len(w) > 1 for w in re.findall(r"[A-Za-z]+", run)) >= 2:
                    found.add(run)
    return found


def _seen(markup) -> str:
    return html.unescape(re.sub(r"<[^>]*>", " ", str(markup)))


def _neutral(q):
    """The question with what its family author wrote replaced by marks: that is the author's
    language, not quizgen's, so it is not what this test looks for."""
    q.title, q.summary, q.source, q.hints = "T", "S", "src", []
    for piece in q.prompt:
        if isinstance(piece, dict) and isinstance(piece.get("template"), str):
            piece["template"] = "{{ asked }}"
    return q


@pytest.fixture(scope="module")
def one_per_family():
    return [variant(family, 0) for family in load_bank(ROOT / "question_bank")]


def test_a_pseudo_language_folder_words_every_family_on_site_exam_and_terminal(pseudo, one_per_family):
    english = _sentences()
    assert len(english) > 200  # the check below has something to find
    for q in one_per_family:
        q = _neutral(q)
        with using(pseudo):
            page, _ = site.question_page(q, 1, pseudo)
            exam = [exam_views.md(say(q.prompt)), exam_views.given(q), exam_views.choices(q),
                    exam_views.steps(q, ()), exam_views.answer(q), exam_views.distractors(q)]
            shown = terminal.question_text(q) + "\n" + terminal.solution_text(q)
        for where, output in (("site", _seen(page)), ("exam", _seen(exam)), ("terminal", shown)):
            left = sorted(s for s in english if s in output)
            assert not left, (q.family, where, left[:5])
            assert "⟦" in output, (q.family, where)


def test_english_output_is_unchanged_by_a_registered_language(pseudo, one_per_family):
    """Registering a language changes nothing in English (the default stays the default)."""
    q = one_per_family[0]
    assert "⟦" not in terminal.question_text(q) + terminal.solution_text(q)


# A record's strings: a word run of 3+ words outside formulas is prose.
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\[A-Za-z]+", re.S)
_PROSE = re.compile(r"[A-Za-z]{2,}[,;:]? [A-Za-z]{2,}[,;:]? [A-Za-z]{2,}")


def _strings(value, path=""):
    """(path, string) for every string in a record value, dict keys and catalog keys aside."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "key":
                yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def test_a_record_holds_no_english_outside_what_its_family_author_wrote(one_per_family):
    known = catalog("en")
    for q in one_per_family:
        record = json.loads(json.dumps(q.to_dict()))
        for field in AUTHORED:
            record.pop(field)
        own = [p for p in record["prompt"] if isinstance(p.get("template"), str)]
        for piece in own:  # the family's own prompt: its words are the author's
            piece.pop("template")
        assert all(is_text(p) or p == {"params": p.get("params")} for p in record["prompt"]), q.id
        prose = [(path, s) for path, s in _strings(record) if _PROSE.search(_MATH.sub(" ", s))]
        assert not prose, (q.id, prose[:3])
        for key in keys(q.to_dict()["prompt"]):
            assert key in known, (q.id, key)


def test_export_records_hold_catalog_keys_for_every_prose_field(tmp_path):
    out = tmp_path / "bank.json"
    assert main(["export", "--out", str(out)]) == 0
    questions = json.loads(out.read_text(encoding="utf-8"))["questions"]
    known = catalog("en")
    for q in questions:
        fields = [d[f] for d in q["distractors"] for f in ("name", "explanation")]
        fields += [s[f] for s in q["steps"] for f in ("title", "explanation")]
        fields += [c["rationale"] for c in q["choices"] if c["rationale"] is not None]
        fields += [q["answer"]["precision"]["text"]] if q["answer"]["precision"] else []
        fields += q["prompt"]
        assert all(is_text(f) for f in fields), q["id"]
        for field in fields:
            assert all(key in known for key in keys(field)), q["id"]
            assert say(field).strip(), q["id"]
    assert {q["kind"] for q in questions} == {q["kind"] for q in questions if q["steps"]}


def test_a_record_words_the_same_after_a_json_round_trip(one_per_family):
    """What a writer reads back from an export words exactly as the record it came from."""
    from quizgen.bank.question import Question

    for q in one_per_family:
        back = Question.from_dict(json.loads(json.dumps(q.to_dict())))
        assert terminal.question_text(back) == terminal.question_text(q), q.id
        assert terminal.solution_text(back) == terminal.solution_text(q), q.id
