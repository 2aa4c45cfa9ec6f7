"""render.plain_markdown writes what python-markdown writes for plain paragraphs and **bold**,
and leaves every other text to it (issue 15, speed)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.messages.text import say
from quizgen.present import math as present_math
from quizgen.render import safe
from quizgen.render.plain_markdown import paragraphs

ROOT = Path(__file__).resolve().parents[2]


def full(text: str) -> str:
    """python-markdown itself, as render.safe configures it."""
    md = safe.load()
    md.reset()
    return md.convert(text)


# Pieces chosen to hit every rule: Markdown's special characters and line starts, stars in and
# out of pairs, slots, spaces at line ends, blank lines, non-ASCII words and punctuation.
WORDS = ["a", "word", "Zeta", "x2", "3", "10.5", "é", "层", "\ue0000\ue001", "\ue0021\ue001", "\ue0032\ue001", "(b)",
         "m = 4", "1-D", "→", "×", "it's", '"q"', "50%", "a/b", "c+d", "e-f", "ok!", "why?", "x:", "y;", "z,", "end."]
LEAD = ["a", "Word", "é", "层", "\ue0000\ue001", "\ue0031\ue001", "(b)", "**Bold** words", "**x\ue0000\ue001**:"]
TRICKY = ["*", "**", "***", "_", "__", "`", "\\", "[", "]", "![a](b)", "<b>", "&amp;", "&", ">", "#", "- ", "+ ",
          "1. ", "=", "===", "---", "\t", "  ", "    ", "\u00a0", "\r", "\x02", "** ", " **", "**a*b**", "****"]


def sample(rng: random.Random) -> str:
    def phrase() -> str:
        out = [rng.choice(LEAD)] if rng.random() < 0.8 else []
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if r < 0.15:
                out.append("**" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + "**")
            elif r < 0.19:
                out.append(rng.choice(TRICKY))
            else:
                out.append(rng.choice(WORDS))
        return rng.choice([" "] * 8 + ["", "  "]).join(out)

    lines = [phrase() for _ in range(rng.randint(1, 5))]
    glue = [rng.choice(["\n"] * 3 + ["\n\n"] * 6 + ["\n\n\n", "\n \n"]) for _ in lines]
    text = lines[0] + "".join(g + line for g, line in zip(glue, lines[1:]))
    return rng.choice(["", "", " ", "\n"]) + text if rng.random() < 0.1 else text


def test_the_fast_path_writes_what_python_markdown_writes_for_random_text():
    """Guards plain_markdown.paragraphs: bit for bit with python-markdown wherever it answers."""
    rng = random.Random(15)
    answered = 0
    for _ in range(3000):
        text = sample(rng)
        fast = paragraphs(text)
        if fast is not None:
            answered += 1
            assert fast == full(text), repr(text)
    assert answered > 600  # the sample reaches the fast path often enough to mean something


@pytest.mark.parametrize("text", ["", "\n", "a\n\n\nb", "a \nb", " a", "a\n b", "1. a", "a\n1. b", "**a** b", "a **b**c",
                                  "**a **", "** a**", "a ** b", "***a***", "a_b", "a\n===", "a\n---", "# a", "> a",
                                  "a  \nb", "**a\nb**", "(**a**)", "**a**: b", "x **a**, **b**.", "a*b", "\ue0030\ue001 a"])
def test_edge_cases_are_python_markdowns_or_left_to_it(text):
    fast = paragraphs(text)
    assert fast is None or fast == full(text)


def test_the_banks_prompts_and_notes_mostly_take_the_fast_path_and_match():
    """Every prompt, hint and step note of the shipped bank, as md() hands it to Markdown."""
    texts = set()
    for family in load_bank(ROOT / "question_bank"):
        q = variant(family, 0, 0)
        for value in (q.prompt, *q.hints, *(s.explanation for s in q.steps), *(c.text for c in q.choices)):
            texts.add(present_math._MATH.sub("\ue0000\ue001", safe.clean_text(say(value) or "")))
    fast = {t: paragraphs(t) for t in texts if t.strip()}
    assert sum(v is not None for v in fast.values()) > 0.8 * len(fast)
    for text, html in fast.items():
        assert html is None or html == full(text), repr(text)
