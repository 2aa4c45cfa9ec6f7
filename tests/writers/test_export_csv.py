"""`quizgen export --format csv`: front/back/tags/id rows read back with the csv module."""

from __future__ import annotations

import csv
import io

import pytest

from export_cases import export, records, views
from quizgen.cli import main
from quizgen.writers import csv as csv_writer, lms


def rows(document: str) -> tuple[list[str], list[list[str]]]:
    headers = [line for line in document.split("\r\n") if line.startswith("#")]
    body = "\r\n".join(line for line in document.split("\r\n") if not line.startswith("#"))
    return headers, list(csv.reader(io.StringIO(body, newline="")))


def test_anki_style_has_the_import_headers_and_one_html_row_per_question():
    headers, found = rows(export("csv"))
    assert headers == ["#separator:comma", "#html:true", "#columns:Front,Back,Tags,Id", "#tags column:3",
                       "#guid column:4"]
    assert [r[3] for r in found] == [q.id for q in records()]
    for front, back, tags, qid in found:
        q, v = views()[qid]
        assert front == lms.question_html(v, choices=True)
        assert lms.answer_html(v) in back and lms.solution_html(v) in back
        assert tags.split() == lms.tags(q)


def test_plain_style_has_no_headers_no_html_and_no_latex():
    document = export("csv", csv_style="plain")
    headers, found = rows(document)
    assert headers == [] and len(found) == len(records())
    for front, back, _, qid in found:
        assert "<p>" not in front + back and "\\(" not in front + back and "\\begin" not in front + back


def test_rfc_4180_line_ends_and_quoting():
    assert export("csv", csv_style="plain").endswith("\r\n")
    assert csv_writer.row(['say "hi"', "a,b", "two\nlines", "plain"]) == '"say ""hi""","a,b","two\nlines",plain\r\n'


def test_a_bad_style_is_one_line(capsys, tmp_path):
    assert main(["export", "--format", "csv", "--csv-style", "fancy", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "fancy" in err and not (tmp_path / "x.csv").exists()

