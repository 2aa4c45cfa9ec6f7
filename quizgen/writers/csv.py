"""CSV flashcards: one row per question, `front, back, tags, id` (RFC 4180, via the csv module).

`--csv-style anki` (the default): front and back are HTML from lms with math as `\\( … \\)`,
preceded by Anki's import headers (`#separator:comma`, `#html:true`, `#tags column:3`,
`#guid column:4`), so importing a newer file updates the notes instead of adding copies: the
guid is the question id, the same GUID the .apkg export uses.
`--csv-style plain` (for Quizlet and spreadsheets): no headers, no HTML, math as the terminal
shows it (σ′(z), matrices in brackets).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from quizgen.bank.question import Question
from quizgen.errors import QuizgenError
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.present import terminal
from quizgen.present import view as present
from quizgen.writers import Context, FileWriter, Option, lms, register

STYLES = ("anki", "plain")
HEADERS = ("#separator:comma\r\n#html:true\r\n#columns:Front,Back,Tags,Id\r\n"
           "#tags column:3\r\n#guid column:4\r\n")


def row(text: list[str]) -> str:
    """One RFC 4180 record (quotes doubled, fields with commas, quotes or newlines quoted)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(text)
    return buffer.getvalue()


def html_card(v: present.QuestionView) -> tuple[str, str]:
    return lms.question_html(v, choices=True), lms.answer_html(v) + lms.solution_html(v) + lms.mistakes_html(v)


def plain_card(q: Question, v: present.QuestionView) -> tuple[str, str]:
    """The terminal's text of the question and of its worked solution."""
    return terminal.question_text(q, v), terminal.solution_text(q, v)


class CsvWriter(FileWriter):
    name = "csv"
    options = (Option("csv_style", text("exports.opt_csv_style"), "anki"),)

    def warm_up(self, context: Context) -> None:
        style = context.options.get("csv_style", "anki")
        if style not in STYLES:
            raise QuizgenError(t("exports.bad_csv_style", value=style))

    def render(self, q: Question, context: Context) -> str:
        v = present.view(q)
        front, back = plain_card(q, v) if context.options.get("csv_style") == "plain" else html_card(v)
        return row([front, back, " ".join(lms.tags(q)), q.id])

    def write(self, rendered: list[str], context: Context) -> Iterator[str]:
        if context.options.get("csv_style", "anki") == "anki":
            yield HEADERS
        yield from rendered


WRITER = register(CsvWriter())
