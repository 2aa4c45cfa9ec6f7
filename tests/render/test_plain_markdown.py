"""render.plain_markdown writes what python-markdown writes for plain paragraphs, flat lists,
**bold** and `code`, and leaves every other text to it (issue 15, speed)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.messages.text import say
from quizgen.present import math as present_math
from quizgen.render import safe
from quizgen.render.plain_markdown import simple

ROOT = Path(__file__).resolve().parents[2]


def full(text: str) -> str:
    """python-markdown itself, as render.safe configures it."""
    md = safe.load()
    md.reset()
    return md.convert(text)


# Pieces chosen to hit every rule: Markdown's special characters and line starts, stars in and
# out of pairs, slots, spaces at line ends, blank lines, non-ASCII words and punctuation.
WORDS = ["a", "word", "Zeta", "x2", "3", "10.5", "é", "层", "\ue0000\ue001", "\ue0021\ue001",
         "\ue0032\ue001", "(b)", "m = 4", "1-D", "→", "×", "∂J/∂A2", "ŷᵢ", "÷p", "√(σ²", "⊙", "‖W‖²", "½",
         "Wᵀ", "一个", "**列记法**，", "（在）", "leaky_relu(z)", "c_out·k", "z > 0", "z < 0", "a>b", "x_1", "z[y]",
         "1[Z1 > 0]", "[a][b]", "[a] [b]", "![a]", "[a]", "；", "|", "~", "{x}", "$", "@", "^", "!", "it's",
         '"q"', "50%", "a/b", "c+d", "e-f", "ok!", "why?", "x:", "y;", "z,", "end."]
LEAD = ["a", "Word", "**(a)** x", "**-x**", "**", "3 channels", "∂J", "1.5 x", "ŷ", "12) x", "一个", "> q",
        "z > 0 x", "[a]: http://x", "[y] x", "[a]", "_a", "a_b c", "\u3000x", "!x", "é", "层",
        "\ue0000\ue001", "\ue0031\ue001", "(b)", "**Bold** words", "**x\ue0000\ue001**:"]
TRICKY = ["*", "**", "***", "_", "__", "`", "\\", "[", "]", "![a](b)", "<b>", "&amp;", "&", ">", "#",
          "a<b", "<x", "a__b", "_a", "a_", "a_\ue0000\ue001", "<", "- ", "+ ", "1. ", "=", "===", "`",
          "`a`", "` a`", "`a*b`", "``", "a`b`c", "---", "\t", "  ", "    ", "\u00a0", "\u3000", "\u2028",
          "\x0c", "\r", "\x02", "\x85", "#", "3 ", "1.5", "2.", "** ", " **", "**a*b**", "****"]


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

    def block() -> str:
        kind = rng.choice(["", "", "", "- ", "1. "]) if rng.random() < 0.9 else None  # None: markers at random
        lines = []
        for n in range(rng.randint(1, 4)):
            marker = kind.replace("1", str(n + 1)) if kind is not None else rng.choice(
                ["", "- ", "1. ", "12. ", "-", "* ", "1) "])
            lines.append(marker + phrase() + (" `code; x " + rng.choice(WORDS) + "`" if rng.random() < 0.1 else ""))
        return rng.choice(["\n"] * 12 + ["\n\n", " \n"]).join(lines)

    blocks = [block() for _ in range(rng.randint(1, 4))]
    text = rng.choice(["\n\n"] * 10 + ["\n\n\n", "\n \n"]).join(blocks)
    return rng.choice(["", "", " ", "\n"]) + text if rng.random() < 0.1 else text


def test_the_fast_path_writes_what_python_markdown_writes_for_random_text():
    """Guards plain_markdown.simple: bit for bit with python-markdown wherever it answers."""
    rng = random.Random(15)
    answered = 0
    for _ in range(5000):
        text = sample(rng)
        fast = simple(text)
        if fast is not None:
            answered += 1
            assert fast == full(text), repr(text)
    assert answered > 300  # the sample reaches the fast path often enough to mean something


@pytest.mark.parametrize("text", ["", "\n", "a\n\n\nb", "a \nb", " a", "a\n b", "1. a", "a\n1. b",
                                  "**a** b", "a **b**c", "**a **", "** a**", "a ** b", "***a***", "a_b",
                                  "a\n===", "a\n---", "# a", "> a", "a  \nb", "**a\nb**", "(**a**)",
                                  "**a**: b", "x **a**, **b**.", "a*b", "\ue0030\ue001 a",
                                  "a\n\n- b\n- c\n\nd", "- a\n\n- b", "- a\n\n1. b", "1. a\n- b", "- a\nb",
                                  "a\n- b", "- a\n-b", "- **(a)** x", "3. a\n4. b", "a `x` b", "`a` b",
                                  "a ` x` b"])
def test_edge_cases_are_python_markdowns_or_left_to_it(text):
    fast = simple(text)
    assert fast is None or fast == full(text)


def test_the_banks_prompts_and_notes_mostly_take_the_fast_path_and_match():
    """Every prompt, hint and step note of the shipped bank, as md() hands it to Markdown."""
    texts = set()
    for family in load_bank(ROOT / "question_bank"):
        q = variant(family, 0, 0)
        for value in (q.prompt, *q.hints, *(s.explanation for s in q.steps), *(c.text for c in q.choices)):
            texts.add(present_math._MATH.sub("\ue0000\ue001", safe.clean_text(say(value) or "")))
    fast = {t: simple(t) for t in texts if t.strip()}
    assert sum(v is not None for v in fast.values()) > 0.95 * len(fast)  # all of them today: no python-markdown at all
    for text, html in fast.items():
        assert html is None or html == full(text), repr(text)
