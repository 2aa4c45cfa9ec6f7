"""The formula cards and reference tables of templates/site/formulas.toml (issue 20).

Guards: every formula reaches the page as MathML (latex2mathml's fallback leaves raw LaTeX, a
backslash, in the page); card ids are unique and a shipped id never disappears (a browser's
schedule is keyed by it); the zh deck and reference page speak Chinese outside their math; the
optimizer cards state exactly the update rules the engine's worked solutions use.
"""

from __future__ import annotations

import re

import pytest

from quizgen.engine.optimizers import OPTIMIZERS
from quizgen.messages import catalog
from quizgen.writers.site_cards import formula_cards, formulas, reference_sections
from quizgen.writers.site_env import messages
from quizgen.writers.site_math import tex

CARDS = formulas()["cards"]
CELLS = [(s["id"], row[0], cell) for s in formulas()["sections"] for row in s["rows"] for cell in row[1:]
         if not cell.startswith("msg:")]
# Ids shipped so far: a flashcard's schedule lives in the browser under its id, so none may go.
SHIPPED = {
    "sigmoid-derivative", "tanh-derivative", "relu-derivative", "leaky-relu-derivative", "softplus-derivative",
    "elu-derivative", "softmax-jacobian", "mse-gradient", "bce-gradient", "ce-gradient", "softmax-ce-closed-form",
    "sigmoid-bce-closed-form", "chain-rule-column", "chain-rule-row", "back-through-activation", "gradient-shapes",
    "central-difference", "sgd-update",
    # issue 20
    "momentum-step", "rmsprop-step", "adam-moments", "adam-bias-correction", "adam-step", "l2-loss", "l2-gradient",
    "weight-decay-step", "dropout-forward", "dropout-backward", "dropout-plain", "batchnorm-statistics", "batchnorm-normalize",
    "batchnorm-axis-column", "batchnorm-axis-row", "batchnorm-dgamma-dbeta", "batchnorm-dxhat", "batchnorm-dvar",
    "batchnorm-dmean", "batchnorm-dx", "batchnorm-dx-compact", "batchnorm-dx-from-dgamma-dbeta", "conv1d-forward", "conv1d-dw", "conv1d-dx", "conv1d-output-length",
    "maxpool-forward", "maxpool-backward", "softmax-jacobian-column", "softmax-jacobian-row",
    "sigmoid-derivative-bound", "vanishing-gradient-bound", "gradcheck-relative-error", "gradcheck-verdict",
    "count-dense", "count-conv1d", "count-batchnorm", "multi-sigmoid-bce", "ce-from-logits", "ce-from-logits-stable",
    "ce-from-logits-gradient", "gate-add", "gate-multiply", "gate-max", "gate-fanout",
}
# Names Chinese course material keeps as they are; anything else in Latin letters (3+) is English.
NAMES = {"sigmoid", "tanh", "relu", "leaky", "softplus", "elu", "softmax", "sgd", "adam", "rmsprop", "log", "exp",
         "max", "frobenius", "dropout"}


def _converted(html: str) -> bool:
    """Whether every formula in `html` was converted: no LaTeX command is left in the output."""
    return "\\" not in html and "<merror" not in html


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c["id"])
def test_each_card_renders_to_mathml(card):
    for latex in (card["ask"], card["answer"]):
        html = str(tex(latex, display=True))
        assert html.startswith("<math") and _converted(html), (card["id"], latex, html[:400])


@pytest.mark.parametrize("section, label, latex", CELLS, ids=lambda v: v if isinstance(v, str) and " " not in v else "")
def test_each_reference_cell_renders_to_mathml(section, label, latex):
    html = str(tex(latex))
    assert _converted(html), (section, label, html[:400])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_rendered_deck_and_tables_hold_no_latex(lang):
    """What the writer hands the templates, wrapping chains of equations included."""
    m = messages(lang)
    for card in formula_cards(m):
        assert _converted(str(card["ask"])) and _converted(str(card["back"])), card["id"]
    for section in reference_sections(m):
        for row in section["rows"]:
            assert all(_converted(str(c)) for c in row["cells"]), (section["id"], row["label"])


def test_card_ids_are_unique_and_none_shipped_is_gone():
    ids = [c["id"] for c in CARDS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert SHIPPED <= set(ids), sorted(SHIPPED - set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)


def test_every_word_key_exists_in_en_and_zh():
    keys = {c[k] for c in CARDS for k in ("front", "note") if k in c}
    keys |= {row[0] for s in formulas()["sections"] for row in s["rows"]}
    keys |= {cell[4:] for s in formulas()["sections"] for row in s["rows"] for cell in row[1:] if cell.startswith("msg:")}
    keys |= {h for s in formulas()["sections"] for h in s["head"]}
    keys |= {f"ref_{s['id']}{suffix}" for s in formulas()["sections"] for suffix in ("", "_intro")}
    for lang in ("en", "zh"):
        missing = sorted(k for k in keys if f"site.{k}" not in catalog(lang))
        assert not missing, (lang, missing)


def _english(text: str) -> list[str]:
    prose = re.sub(r"<math.*?</math>", " ", text, flags=re.S)
    prose = re.sub(r"<[^>]+>", " ", prose)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*", prose)
            if len(w) >= 3 and "_" not in w and w.lower() not in NAMES]


def test_the_zh_deck_and_reference_have_no_english_outside_math():
    m = messages("zh")
    found = {}
    for card in formula_cards(m):
        words = _english(str(card["front"]) + " " + str(card["note"]))
        if words:
            found[card["id"]] = words
    for section in reference_sections(m):
        texts = [section["title"], section["intro"], *section["head"]]
        for row in section["rows"]:
            texts += [row["label"], *(str(c) for c in row["cells"])]
        words = _english(" ".join(texts))
        if words:
            found[section["id"]] = words
    assert not found, found


def test_the_english_check_sees_english():
    """The zh check above is only as good as its word finder."""
    assert _english("<p>Derivative of ReLU</p>") == ["Derivative"]
    assert _english('<p>sigmoid 的导数 <math><mi>abc</mi></math> n_out</p>') == []


def _rule(*ids: str) -> list[str]:
    """The equations of the cards `ids`, in order (a card chains them with ,\\quad)."""
    by_id = {c["id"]: c for c in CARDS}
    return [eq.strip().rstrip(",") for i in ids for eq in by_id[i]["answer"].split(r",\quad")]


@pytest.mark.parametrize("rule, ids", [
    ("momentum", ["momentum-step"]),
    ("rmsprop", ["rmsprop-step"]),
    ("adam", ["adam-moments", "adam-bias-correction", "adam-step"]),
])
def test_optimizer_cards_state_the_engines_rules(rule, ids):
    """Regression guard for the momentum convention: v = μv − ηg, w = w + v (engine/optimizers.py),
    not the v = βv + g of other courses; RMSProp and Adam line by line as the worked solutions."""
    assert _rule(*ids) == list(OPTIMIZERS[rule].rule_tex)


def test_the_mathml_check_sees_unconverted_latex():
    """\\arg printed raw and an unbalanced formula (the converter's <mtext> fallback) both fail."""
    assert not _converted(str(tex(r"\arg\max_{j} x_{j}")))
    assert not _converted(str(tex(r"\frac{1}{")))
    assert _converted(str(tex(r"\operatorname{argmax}_{j} x_{j}")))


def test_the_anki_deck_carries_a_cards_note():
    """The momentum card's sign convention travels with it into Anki (quizgen export --format anki)."""
    from quizgen.writers.anki import formula_cards as anki_cards

    back = {c["guid"]: c["fields"][2] for c in anki_cards()}
    assert "velocity carries −η" in back["quizgen-formula-momentum-step"]
    assert back["quizgen-formula-sgd-update"].endswith(r"\]")  # a card without a note: the formula alone
