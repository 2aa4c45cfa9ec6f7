"""The flashcard deck and the reference tables, from templates/site/formulas.toml and the bank.

Formula cards and reference rows come from formulas.toml (math) and the message catalog
(words); "what went wrong?" cards come from the mistakes the questions' distractors name; numeric
cards are activation_derivative questions. Card ids are stable, so a schedule kept in the
browser survives rebuilds.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

from markupsafe import Markup, escape

from quizgen.render.mathml import split_equations
from quizgen.writers.site_env import messages, templates_root
from quizgen.writers.site_math import tex, value


@lru_cache(maxsize=None)
def formulas() -> dict:
    return tomllib.loads((templates_root() / "site" / "formulas.toml").read_text(encoding="utf-8"))


def _cell(text: str, m: dict) -> Markup:
    """Words for "msg:<key>", else math: a chain `a,\\quad b` as one <math> per equation, so a
    narrow table cell wraps between equations instead of scrolling."""
    if text.startswith("msg:"):
        return Markup(escape(m[text[4:]]))
    return Markup(" ".join(tex(piece) for piece in split_equations(text)))


def _display(text: str) -> Markup:
    """A card's formula: one display <math>, or a chain of them that wraps between equations."""
    pieces = split_equations(text)
    if len(pieces) == 1:
        return tex(text, display=True)
    return Markup('<span class="eqs">' + "".join(tex(piece, display=True) for piece in pieces) + "</span>")


def reference_sections(m: dict) -> list[dict]:
    """Each section of reference.html: title, intro, header row, and rows of MathML cells."""
    return [{"id": s["id"].replace("_", "-"), "title": m[f"ref_{s['id']}"], "intro": m[f"ref_{s['id']}_intro"],
             "head": [m[h] for h in s["head"]],
             "rows": [{"label": m[row[0]], "cells": [_cell(c, m) for c in row[1:]]} for row in s["rows"]]}
            for s in formulas()["sections"]]


def formula_cards(m: dict) -> list[dict]:
    """One card per [[cards]] entry: words from the catalog, math from formulas.toml; an optional
    `note` key states the convention the answer depends on (momentum's sign, λ/2m, …)."""
    return [{"id": f"f-{c['id']}", "kind": "formula", "front": Markup(f"<p>{escape(m[c['front']])}</p>"),
             "ask": _display(c["ask"]), "back": _display(c["answer"]),
             "note": m[c["note"]] if "note" in c else "", "href": ""}
            for c in formulas()["cards"]]


def mistake_cards(entries: list[dict], m: dict) -> list[dict]:
    """One "what went wrong?" card per mistake the bank's distractors name. The front shows what
    the slip produces (an example answer where one exists) and never names it; the back does."""
    seen: dict[str, dict] = {}
    for e in entries:
        for mistake, name, explanation, example in e["mistakes"]:
            if mistake in seen and (seen[mistake]["href"] or not example):
                continue  # keep the first wording, but prefer a card with a worked example
            front = (m["card_mistake_front"].format(title=e["title"], **example) if example
                     else m["card_mistake_front_plain"].format(title=e["title"]))
            back = m["card_mistake_back"].format(name=name.rstrip("."))
            back_html = f"<p><strong>{escape(back)}</strong></p><p>{escape(explanation)}</p>"
            seen[mistake] = {"id": f"m-{mistake}", "kind": "mistake", "front": Markup(f"<p>{escape(front)}</p>"),
                             "ask": "", "back": Markup(back_html),
                             "note": "", "href": f"questions/{e['id']}.html" if example else ""}
    return [seen[k] for k in sorted(seen)]


def number_cards(entries: list[dict]) -> list[dict]:
    """Numeric cards, one per distinct prompt, leaving out those whose answer is a bare 0 or 1
    (ELU′(0.5) = 1 is a rule to know, not a number to practise)."""
    trivial = {str(value(v, display=True)) for v in (0.0, 1.0)}
    cards, fronts = [], set()
    for c in (e["card"] for e in entries):
        if not c or c["front"] in fronts or c["back"] in trivial:
            continue
        fronts.add(c["front"])
        cards.append({"id": c["id"], "kind": "number", "front": Markup(c["front"]), "ask": "",
                      "back": Markup(c["back"] + "".join(c["worked"])), "note": "", "href": c["href"]})
    return cards


def deck(entries: list[dict], m: dict | None = None) -> list[dict]:
    m = m or messages()
    return formula_cards(m) + mistake_cards(entries, m) + number_cards(entries)

