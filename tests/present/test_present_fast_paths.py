"""The presentation layer's fast paths give exactly what the plain code gives (issue 15, speed):
`clean` checked in C, `value_inner` without a `clean` copy, numbers' MathML memoized, `say`
memoized."""

from __future__ import annotations

import math

import pytest

from quizgen import messages
from quizgen.messages.text import say as plain_say, text
from quizgen.present import math as pmath
from quizgen.present.words import say
from quizgen.render import mathml
from quizgen.render.numbers import NOISE, fmt, plain

VALUES = [
    0.5, 1e-15, -1e-13, 0.0, -0.0, 3, 1e-12, [1.0, 2.5], [1.0, 1e-16, -2.0], [0, 0.0, 4],
    [[1.0, 2.0], [3.0, 4.0]], [[1.0, -5e-17], [0.0, 2.0]], [[1e-13]], [], [[], []], [[1.0], []],
    [float("nan"), 1e-15], [1.0, float("nan"), 1e-14], [float("inf"), 2.0], [[1.0, 2.0], 3.0],
    [1, True, 2.0], [1e-300, 5.0], [[2, 3], [4, 1e-20]],
]


def reference_clean(v):
    """`render.numbers.plain` as it read before its fast path (entry by entry)."""
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            rows = [reference_clean(row) for row in v]
            return v if all(a is b for a, b in zip(rows, v)) else rows
        for x in v:
            if isinstance(x, float) and -NOISE < x < NOISE and (x or math.copysign(1.0, x) < 0):
                return [0.0 if isinstance(x, float) and -NOISE < x < NOISE else x for x in v]
        return v
    if isinstance(v, float) and -NOISE < v < NOISE:
        return 0.0
    return v


def same(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return math.isnan(b) if math.isnan(a) else a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


@pytest.mark.parametrize("v", VALUES, ids=repr)
def test_the_c_checked_clean_gives_what_the_entry_by_entry_one_gave(v):
    got, want = plain(v), reference_clean(v)
    assert same(got, want)
    if isinstance(v, list):
        assert (got is v) == (want is v)  # a value holding no noise is never copied


@pytest.mark.parametrize("v", [v for v in VALUES if v not in ([[1.0, 2.0], 3.0], [[], []], [[1.0], []])
                               and not (isinstance(v, list) and any(isinstance(x, float) and math.isnan(x)
                                                                    for x in v))], ids=repr)
def test_value_math_needs_no_clean_copy_first(v):
    """fmt prints |x| < 1e-12 as 0 with no sign, so typesetting the raw value is the same."""
    assert pmath.value_inner(v) == mathml.value_inner(reference_clean(v))


def test_equal_numbers_of_other_types_share_one_memoized_mathml():
    assert mathml.number_inner(1) == mathml.number_inner(1.0) == mathml.number_inner(True) == "<mn>1</mn>"
    assert mathml.number_inner(-0.0) == mathml.number_inner(0) == "<mn>0</mn>"
    assert mathml.number_inner(-2.5) == "<mrow><mo>&#x2212;</mo><mn>2.5</mn></mrow>"


TEXTS = [
    "plain bank text", None, {"not": "a text"}, text("answer.format_number"),
    text("steps.pre_activation", layer=2), text("steps.activation", act="relu", layer=1),
    text("answer.mistakes_or", first=text("mistakes.sign_flipped.name"), second=text("mistakes.sigma_for_derivative.name")),
]


@pytest.mark.parametrize("value", TEXTS, ids=repr)
def test_memoized_say_words_like_say(value):
    try:
        want = plain_say(value)
    except KeyError:  # a key this catalog lacks: both must refuse alike
        with pytest.raises(KeyError):
            say(value)
        return
    assert say(value) == want and say(value) == want  # first (worded) and second (remembered) call


def test_memoized_say_never_answers_from_another_catalog_or_for_a_float(monkeypatch):
    """A swapped-in catalog (tests' pseudo-languages) and 1 vs 1.0 (equal keys, different words)."""
    key = "steps.pre_activation"
    english = messages.catalog
    assert say(text(key, layer=1)) == plain_say(text(key, layer=1))
    monkeypatch.setattr(messages, "catalog", lambda lang="en": {**english(lang), key: "«{layer}»"})
    assert say(text(key, layer=1)) == "«1»"
    assert say(text(key, layer=1.0)) == "«1.0»" and say(text(key, layer=1)) == "«1»"
    assert say({"not": "a text"}) == {"not": "a text"} and say({"also": "not"}) == {"also": "not"}


NESTED = [
    text("answer.mistakes_or", first=text("mistakes.sign_flipped.name"), second="plain words"),
    text("steps.back_through_why", act=text("engine.activation.tanh"), at="Z1"),
    text("steps.loss_why_mean", loss=text("engine.loss_short.bce"), m=2),
    text("steps.loss_why_mean", loss=text("engine.loss_short.bce"), m=2.0),  # a float: worded afresh
    text("steps.loss_why_mean", loss=text("engine.loss_short.bce"), m=True),  # a bool is not an int here
    {"template": "Find {{ what }} for {{ n }} ({{ missing }})", "params": {"what": text("engine.loss_short.bce"), "n": "3"}},
    [text("engine.loss_short.bce"), "  ", {"template": "{{ a }}", "params": {"a": "x"}}],
]


@pytest.mark.parametrize("value", NESTED, ids=repr)
def test_memoized_say_words_texts_made_of_texts_like_say(value):
    """Guards the nested-text memo and the prompt (template) and paragraph (list) paths."""
    for lang in ("en", "zh"):
        assert say(value, lang) == plain_say(value, lang) and say(value, lang) == plain_say(value, lang)


def test_a_nested_text_is_never_answered_for_a_plain_string_parameter():
    """A text parameter is remembered as a tuple, so a str equal to its key cannot collide."""
    key = "answer.mistakes_or"
    as_text = text(key, first=text("mistakes.sign_flipped.name"), second="x")
    as_str = text(key, first="mistakes.sign_flipped.name", second="x")
    assert say(as_text) == plain_say(as_text) and say(as_str) == plain_say(as_str) != say(as_text)


ARRAYS = [[1.0, 2.5], [1, 2.5], [True, 2.5], [[1.0, 2.0], [3.0, 4.0]], [[1, 2], [3, 4]], [], [[]], [[], []],
          [-0.0, 1e-13], [0.0, 0.0], [[0.5]], [0.5], [float("nan"), 1.0]]


def reference_value_inner(v) -> str:
    """mathml.value_inner without its memo: each entry through fmt, as the MathML spells it."""
    def number(x):
        text = fmt(x)
        return f"<mrow><mo>&#x2212;</mo><mn>{text[1:]}</mn></mrow>" if text.startswith("-") else f"<mn>{text}</mn>"

    if isinstance(v, (int, float)):
        return number(v)
    rows = v if v and isinstance(v[0], list) else [[x] for x in v]
    body = "".join("<mtr>" + "".join(f"<mtd>{number(x)}</mtd>" for x in row) + "</mtr>" for row in rows)
    return f'<mrow><mo fence="true" stretchy="true">[</mo><mtable>{body}</mtable><mo fence="true" stretchy="true">]</mo></mrow>'


@pytest.mark.parametrize("v", ARRAYS, ids=repr)
def test_a_remembered_array_is_typeset_as_the_first_time(v):
    """Guards mathml.value_inner's memo of numbers and cells: equal entries (1, 1.0, True; 0.0,
    -0.0) print alike, a vector's entry and a matrix's are each typeset as plain code does."""
    mathml._NUMBERS.clear()
    mathml._CELLS.clear()
    first = mathml.value_inner(v)
    assert first == reference_value_inner(v) and mathml.value_inner(v) == first


def test_every_number_and_cell_remembered_is_what_plain_typesetting_writes():
    """Guards the memo across many values, equal ones of other types and signs of 0 among them,
    and its bound: a full memo is emptied, never answers wrong."""
    import random

    rng = random.Random(15)
    values = [round(rng.uniform(-5, 5), rng.randrange(0, 6)) for _ in range(3000)] + [0.0, -0.0, 0, 1, True, 2.5e-13]
    limit = mathml.NUMBERS_LIMIT
    try:
        mathml.NUMBERS_LIMIT = 500
        for _ in range(2):
            for i in range(0, len(values), 6):
                for v in (values[i], values[i:i + 6], [values[i:i + 3], values[i + 3:i + 6]]):
                    assert mathml.value_inner(v) == reference_value_inner(v), v
        assert len(mathml._NUMBERS) <= 500 and len(mathml._CELLS) <= 500
    finally:
        mathml.NUMBERS_LIMIT = limit


def test_a_ragged_value_fails_as_it_always_did():
    for bad in ([[1.0], 2.0], [1.0, [2.0]]):
        with pytest.raises(TypeError):
            mathml.value_inner(bad)


SHAPES = [r"z_{4} = w_{4} a_{3}", r"W^{[2]}_{1,3} + \varepsilon", r"\mathrm{LeakyReLU}_{0.1}'\left(-2\right)",
          r"\mathbf{2} x_{12}", r"\hspace{2pt} x", r"\hspace{2 pt} x", r"\sqrt[3]{8}", r"\frac12 + \frac{1}{2}",
          r"\text{layer 2} = 3", r"x^{10}_{007}", r"\mathbb{R}^{4 \times 3}", r"{2}", r"x^12", r"\rule{1em}{2pt}",
          r"\begin{matrix} 1 & 2 \\ 3 & 4 \end{matrix}", r"\operatorname{f}_{2}(1.50)",
          r"\mathbb{1}[z > 0] + 0.1\,\mathbb{1}[z \le 0]", r"\mathbb{12} x_{3}", r"(a_j - y_j)^2 + 3", r"x^23 + 4"]


@pytest.mark.parametrize("s", [r"\mathrm{LeakyReLU}_{0.1}'\left(-2\right) = \mathbb{1}[-2 > 0] + 0.1\,\mathbb{1}[-2 \le 0] =",
                               r"J = \frac{1}{m}\sum_{i=1}^{m} \frac{1}{2}\sum_{j}(a_{ji} - y_{ji})^2"])
def test_an_indicator_or_a_bare_exponent_keeps_a_formula_on_its_shape(s, monkeypatch):
    r"""\mathbb{1} and ^2 stay literal in the key (each converts to no plain <mn>), so the other
    numbers still share the shape: the formula itself is never converted."""
    converted = []
    real = mathml.tex_inner
    direct = real.__wrapped__(s)
    pmath._shape.cache_clear()  # the shape may be remembered from an earlier test: look it up afresh
    monkeypatch.setattr(mathml, "tex_inner", lambda t: converted.append(t) or real(t))
    assert pmath.symbolic_inner(s) == direct
    assert converted and s not in converted


@pytest.mark.parametrize("s", SHAPES)
def test_a_formula_converted_by_its_shape_is_what_converting_it_gives(s):
    """Guards symbolic_inner's placeholders, braced subscripts included: a literal that would not
    come back as one plain <mn> sends the formula through the converter whole."""
    assert pmath.symbolic_inner(s) == mathml.tex_inner.__wrapped__(s)


def test_every_shipped_formula_converted_by_its_shape_is_what_converting_it_gives():
    from quizgen.bank.generate import variant
    from quizgen.bank.load import load_bank
    from quizgen.writers import site

    seen = set()
    real = pmath.symbolic_inner
    for memo in (pmath.md, pmath.tex, pmath.math_inner):  # earlier tests' pages: convert afresh
        memo.cache_clear()
    try:
        pmath.symbolic_inner = lambda s: seen.add(s) or real(s)
        for family in load_bank(None)[::3]:
            site.question_page(variant(family, 1, 0), 2)
    finally:
        pmath.symbolic_inner = real
    assert len(seen) > 200
    assert [s for s in sorted(seen) if real(s) != mathml.tex_inner.__wrapped__(s)] == []


def test_typeset_values_are_markup_like_markup_makes_them():
    """Guards present.math's str.__new__(Markup, ...) shortcut: a Markup, same text, escapes nothing again."""
    from markupsafe import Markup, escape

    for got in (pmath.value([1.0, 2.0]), pmath.parts([{"tex": "x"}, {"num": 2.0}]), pmath.equals("x", 0.5, True)):
        assert type(got) is Markup and escape(got) == got == Markup(str(got))
