"""`quizgen check`'s reasons for a rejected draw are message keys, worded in the language in use
(issue 19).

Regression: the reasons were English strings built where a draw was rejected, and generate.py found
the family key to blame by matching English words in them (`cause_key`); a zh check printed them in
English.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from quizgen.bank.degenerate import Degenerate, Reason
from quizgen.bank.generate import draw
from quizgen.bank.load import load_bank
from quizgen.bank.spec import TOP_KEYS
from quizgen.cli import main
from quizgen.engine.activations import RULES as ACTIVATIONS
from quizgen.engine.losses import RULES as LOSSES
from quizgen.messages import catalog, using
from quizgen.messages.text import say, text

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad_families"
HAN = re.compile(r"[\u4e00-\u9fff]")
REJECTERS = {"Degenerate", "Inseparable"}
NAMES = ("formula_choice", "softmax", "ReLU", "max", "log", "exp")  # ids, activation and gate names stay as written (longest first)


def _latin_words(line: str, *allowed: str) -> list[str]:
    """Latin words of 3+ letters left in `line` once file paths, ids and `allowed` are taken out."""
    for word in (*allowed, *NAMES):
        line = line.replace(word, " ")
    return re.findall(r"[A-Za-z]{3,}", re.sub(r"\S+\.toml", " ", line))


def test_every_rejection_in_the_code_is_a_reject_key():
    """A new `raise Degenerate("English words")` would be shown untranslated: name it."""
    found = []
    for path in sorted((ROOT / "quizgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in REJECTERS and node.args
                    and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))):
                words = getattr(node.args[0], "value", None)
                if not (isinstance(words, str) and words.startswith("reject.") and words in catalog()):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "give these rejections a reject.* message key: " + ", ".join(found)


@pytest.mark.parametrize("name", [n for n, r in ACTIVATIONS.items() if r.degenerate], ids=str)
def test_an_activation_s_rejection_is_worded_in_zh(name):
    z = np.zeros((2, 2))
    a = np.array([[0.0, 1.0], [-1.0, 0.001]])  # at a kink, saturated and nearly 0 at once
    why = ACTIVATIONS[name].degenerate(z, a)
    assert why in catalog("zh") and why.startswith("reject.")
    worded = say(text(why, name=name, layer=2), "zh")
    assert HAN.search(worded) and not _latin_words(worded, name), worded


@pytest.mark.parametrize("name", [n for n, r in LOSSES.items() if r.degenerate], ids=str)
def test_a_loss_s_rejection_is_worded_in_zh(name):
    why = LOSSES[name].degenerate(np.array([[0.001, 0.999]]), np.array([[1.0, 0.0]]))
    assert why in catalog("zh") and why.startswith("reject.")
    assert HAN.search(say(text(why), "zh"))


def test_the_shipped_bank_s_rejections_are_keys_worded_in_zh():
    """Draw every shipped family a few times: each reason counted is a key, Chinese in zh."""
    reasons: set[Reason] = set()
    for family in load_bank():
        for index in range(4):
            reasons |= set(draw(family, index, 2025)[1])
    assert len({r.message for r in reasons}) >= 4  # the bank does reject draws, for several reasons
    with using("zh"):
        for reason in reasons:
            assert reason.message and reason.message.startswith("reject."), reason
            assert reason.key in TOP_KEYS  # a family key the author can change
            worded = str(reason)
            params = [str(v) for v in reason.text["params"].values()]
            assert HAN.search(worded) and not _latin_words(worded, *params), worded


@pytest.mark.parametrize("folder, key", [("always_dead", "values"), ("impossible_family", "values")])
def test_check_in_zh_words_a_family_that_never_draws(folder, key, capsys):
    assert main(["check", "--bank", str(BAD / folder), "--lang", "zh"]) == 2
    first, summary = capsys.readouterr().err.splitlines()
    path, where, what = first.split(": ", 2)
    assert where == key and what.startswith("200 次抽取中没有有效的变体"), first
    assert not _latin_words(what, "sigmoid"), first
    assert HAN.search(summary) and not _latin_words(summary, "quizgen", "check"), summary


def test_the_family_key_comes_with_the_reason_not_from_its_words():
    """The key an author is pointed at is carried as data, whatever the reason's words."""
    exc = Degenerate(text("reject.too_few_distractors", minimum=3), key="min_distractors")
    assert Reason.of(exc).key == "min_distractors" and Reason.of(exc).message == "reject.too_few_distractors"
    plain = Degenerate("a toy kind's own words")  # a rule from before reasons were keys still counts
    assert str(Reason.of(plain)) == "a toy kind's own words" and Reason.of(plain).key == "network"
    assert Reason.of(exc) == Reason.of(Degenerate(text("reject.too_few_distractors", minimum=3), "min_distractors"))
