"""`quizgen export` records hold message keys, not English, for the prose fields (issue 15).

Every distractor's name and explanation, and every worked step that bank/steps.py writes, is a
text `{"key", "params"}` whose key is in the catalog; worded with say() it is the English the
records used to hold. The kinds listed in OWN_PROSE still add steps of their own in plain words
(bank/kinds/*.py; converted where those builders move into kind modules).
"""

from __future__ import annotations

import json

from quizgen.cli import main
from quizgen.messages import catalog
from quizgen.messages.text import is_text, say

OWN_PROSE = {"activation_derivative", "gradient_entry", "find_error", "formula_choice", "gradient_check",
             "shapes_table"}


def _texts(value):
    """Every text inside a value (a text's params may hold texts)."""
    if is_text(value):
        yield value
        for param in value["params"].values():
            yield from _texts(param)


def test_export_records_hold_catalog_keys_for_steps_and_mistakes(tmp_path, capsys):
    out = tmp_path / "bank.json"
    assert main(["export", "--out", str(out)]) == 0
    questions = json.loads(out.read_text(encoding="utf-8"))["questions"]
    keys = catalog("en")
    seen = set()
    for q in questions:
        fields = [d[f] for d in q["distractors"] for f in ("name", "explanation")]
        assert all(is_text(f) for f in fields), q["id"]
        steps = [s[f] for s in q["steps"] for f in ("title", "explanation")]
        if q["kind"] not in OWN_PROSE:
            assert all(is_text(f) for f in steps), q["id"]
        for field in fields + steps:
            for text in _texts(field):
                assert text["key"] in keys, (q["id"], text["key"])
                seen.add(q["kind"])
            assert say(field).strip()
    assert seen == {q["kind"] for q in questions}  # every kind's record carries texts
