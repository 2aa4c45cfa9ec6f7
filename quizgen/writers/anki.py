"""Anki: an .apkg (a zip holding Anki's SQLite collection) built with genanki.

Two note types: "quizgen problem" (Id, Question, Answer, Solution, Mistakes: every numeric and
multiple-choice question, the concept questions included) and "quizgen card" (Id, Front, Back:
the formula cards of the study site and one "what went wrong?" card per catalogued mistake the
exported questions name). One subdeck per topic, plus Formulas and Mistakes. Math is left to
Anki's MathJax as `\\( … \\)` and `\\[ … \\]`; tags come from the family, its topic and
difficulty.

A note's GUID is its question id (`<family>--s<bank seed>-v<index>`), so importing an updated
export updates those notes instead of adding copies; a card's GUID is its card id. Deck and
note-type ids are hashes of fixed names, note and card ids count up from the export's fixed
timestamp (`SOURCE_DATE_EPOCH` when set), a note's modification time is that timestamp less a
hash of its content (`note_time`), and the zip's entries are dated 1980-01-01: the same export is
the same bytes.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from quizgen.bank.question import Question
from quizgen.messages import current, t
from quizgen.present import view as present
from quizgen.writers import Context, FileWriter, lms, register
from quizgen.writers.lms import escape

if TYPE_CHECKING:
    import sqlite3  # imported where a deck is written: listing the writers does not load it

STAMP = 1735689600  # 2025-01-01T00:00:00Z: the export's time (cards' modification time)
SPREAD = 86400  # a note's modification time lies up to a day before the export's, by its content
CSS = (".card { font-family: sans-serif; font-size: 18px; text-align: left; color: black; background: white; }\n"
       "table { border-collapse: collapse; } td { padding: 0 0.6em; }\n")


def stable_id(*parts: str) -> int:
    """A positive 63-bit id from names (never Python's hash(), which changes per process)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 2 or 1


def stamp() -> int:
    """The export's timestamp: SOURCE_DATE_EPOCH (the reproducible-builds convention) or STAMP."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() and SPREAD < int(value) < 2 ** 31 else STAMP


def note_time(timestamp: int, *content: str) -> int:
    """A note's modification time: the export's, less up to a day taken from a hash of the note's
    content. Anki's importer (rslib apkg/import/notes.rs `should_update`) replaces a matched note
    under "Update notes: Always" only when the times DIFFER, and under the default "if newer" only
    when the incoming time is LATER: one fixed time for every note made "Always" update nothing,
    while this updates exactly the changed notes. No time computed from content alone can make
    "if newer" work (a change and its revert cannot both be newer): docs/formats.md."""
    digest = hashlib.sha256("\x1f".join(content).encode("utf-8")).digest()
    return timestamp - int.from_bytes(digest[:8], "big") % SPREAD


def _date_notes(cursor: sqlite3.Cursor, timestamp: int) -> None:
    rows = cursor.execute("SELECT id, guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
    cursor.executemany("UPDATE notes SET mod = ? WHERE id = ?",
                       [(note_time(timestamp, guid, str(mid), flds, tags), nid) for nid, guid, mid, flds, tags in rows])


def problem(q: Question, v: present.QuestionView) -> dict:
    """One "quizgen problem" note: front the prompt, data and options; back the key, the worked
    solution and the named mistakes."""
    return {"guid": q.id, "topic": q.topic, "deck": lms.topic(q), "tags": ["quizgen", *lms.tags(q)],
            "fields": [escape(q.id), lms.question_html(v, choices=True), lms.answer_html(v),
                       lms.solution_html(v), lms.mistakes_html(v)],
            "mistakes": [(d.mistake, d.name, d.explanation) for d in v.distractors]
            + [(c.mistake, c.name, c.explanation) for c in v.choices if c.mistake and c.name],
            "title": v.title}


def formula_cards() -> list[dict]:
    """The study site's formula cards: words from the catalog, LaTeX from formulas.toml."""
    from quizgen.writers.site_cards import formulas
    from quizgen.writers.site_env import messages

    m = messages(current())
    return [{"guid": f"quizgen-formula-{c['id']}",
             "fields": [escape(f"f-{c['id']}"), f"<p>{escape(m[c['front']])}</p>{lms.display_math(c['ask'])}",
                        lms.display_math(c["answer"]) + (f"<p>{escape(m[c['note']])}</p>" if "note" in c else "")]}
            for c in formulas()["cards"]]


def mistake_cards(notes: list[dict]) -> list[dict]:
    """One card per catalogued mistake the notes name (its first wording): the front shows the
    question it spoils, the back names and explains the slip."""
    from quizgen.writers.site_env import messages

    m = messages(current())
    seen: dict[str, dict] = {}
    for note in notes:
        for mistake, name, explanation in note["mistakes"]:
            if mistake in seen or not name:
                continue
            front = m["card_mistake_front_plain"].format(title=note["title"])
            seen[mistake] = {"guid": f"quizgen-mistake-{mistake}",
                             "fields": [escape(f"m-{mistake}"), f"<p>{escape(front)}</p>",
                                        lms.mistake_html(name, explanation)]}
    return [seen[k] for k in sorted(seen)]


def _models():
    import genanki

    problem_model = genanki.Model(
        stable_id("quizgen", "model", "problem"), "quizgen problem",
        fields=[{"name": n} for n in ("Id", "Question", "Answer", "Solution", "Mistakes")],
        templates=[{"name": "Problem", "qfmt": "{{Question}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}{{Solution}}{{Mistakes}}"}],
        css=CSS)
    card_model = genanki.Model(
        stable_id("quizgen", "model", "card"), "quizgen card",
        fields=[{"name": n} for n in ("Id", "Front", "Back")],
        templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
        css=CSS)
    return problem_model, card_model


def package(notes: list[dict], timestamp: int) -> bytes:
    """The .apkg: decks per topic (sorted), then Formulas and Mistakes, in one SQLite collection."""
    import sqlite3

    import genanki

    problem_model, card_model = _models()
    root = t("exports.deck_root")
    decks: dict[str, genanki.Deck] = {}
    for note in sorted(notes, key=lambda n: n["topic"]):
        deck = decks.get(note["topic"])
        if deck is None:
            deck = decks[note["topic"]] = genanki.Deck(stable_id("quizgen", "deck", note["topic"]),
                                                       f"{root}::{note['deck']}")
        deck.add_note(genanki.Note(model=problem_model, fields=note["fields"], tags=note["tags"], guid=note["guid"]))
    extra = [("formulas", t("exports.deck_formulas"), formula_cards()),
             ("mistakes", t("exports.deck_mistakes"), mistake_cards(notes))]
    ordered = [decks[k] for k in sorted(decks)]
    for key, label, cards in extra:
        deck = genanki.Deck(stable_id("quizgen", "deck", f"_{key}"), f"{root}::{label}")
        for card in cards:
            deck.add_note(genanki.Note(model=card_model, fields=card["fields"], tags=["quizgen"], guid=card["guid"]))
        ordered.append(deck)
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        genanki.Package(ordered).write_to_db(cursor, timestamp, itertools.count(timestamp * 1000))
        _date_notes(cursor, timestamp)
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    return lms.zipped({"collection.anki2": collection, "media": b"{}"})


class AnkiWriter(FileWriter):
    name = "anki"
    binary = True

    def render(self, q: Question, context: Context) -> dict:
        return problem(q, present.view(q))

    def write(self, rendered: list[dict], context: Context) -> Iterator[bytes]:
        yield package(rendered, stamp())


WRITER = register(AnkiWriter())
