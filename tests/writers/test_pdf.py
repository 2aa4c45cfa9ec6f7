"""PDF printing: real Chromium when present (page counts, no split question, same bytes twice);
the missing-Chromium and failing-Chromium paths with the finder replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgen.cli import main
from quizgen.writers import pdf

SPECS = Path(__file__).resolve().parents[1] / "fixtures" / "exam_specs"
THREE = SPECS / "good" / "three_versions.toml"
ONE = SPECS / "good" / "one_question.toml"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="PDF tests need Chromium at /usr/bin/chromium "
                                                                   "(apt-get install chromium)")


def run(capsys, *args):
    code = main(["exam", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line]


def test_pin_dates_keeps_every_byte_offset():
    raw = b"1 0 obj\n<</CreationDate (D:20261124063113+00'00')\n/ModDate (D:20261124063114+00'00')>>\nxref"
    pinned = pdf.pin_dates(raw, "20250314")
    assert len(pinned) == len(raw)
    assert pinned == raw.replace(b"20261124063113", b"20250314000000").replace(b"20261124063114", b"20250314000000")


def test_finder_tries_the_usual_names(monkeypatch):
    asked = []
    monkeypatch.setattr(pdf.shutil, "which", lambda name: asked.append(name) or None)
    assert pdf.find_chromium() is None
    assert asked[:3] == ["chromium", "chromium-browser", "google-chrome"]


def test_without_chromium_the_html_is_still_written(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    out = tmp_path / "out"
    code, stdout, err = run(capsys, ONE, "--pdf", "--out", out)
    assert code == 0
    assert err == [f"quizgen: --pdf needs Chromium: apt-get install chromium (HTML written to {out})"]
    assert sorted(p.name for p in out.iterdir()) == ["exam-A.html", "key-A.html", "roster.csv", "roster.json"]
    assert "exam-A.html" in stdout


def test_a_failing_chromium_is_an_error_and_keeps_the_old_output(monkeypatch, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(capsys, ONE, "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(pdf, "find_chromium", lambda: "/bin/false")
    code, _, err = run(capsys, ONE, "--pdf", "--out", out)
    assert code == 2 and len(err) == 1
    assert re.fullmatch(r".*/(exam|key)-A\.pdf: Chromium could not print (exam|key)-A\.html: exit status 1", err[0])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The one-question exam and the three-version exam (2 versions), printed once."""
    if not CHROMIUM.exists():
        pytest.skip("PDF tests need Chromium at /usr/bin/chromium (apt-get install chromium)")
    base = tmp_path_factory.mktemp("pdf")
    assert main(["exam", str(ONE), "--pdf", "--out", str(base / "one")]) == 0
    assert main(["exam", str(THREE), "--versions", "2", "--pdf", "--out", str(base / "three")]) == 0
    return base


def pages(path: Path):
    pypdf = pytest.importorskip("pypdf")
    return pypdf.PdfReader(str(path)).pages


@needs_chromium
def test_page_counts_and_paper(printed):
    exam, key = pages(printed / "one" / "exam-A.pdf"), pages(printed / "one" / "key-A.pdf")
    assert len(exam) == 3  # cover, the question, the formula sheet
    assert len(key) == 1
    assert [round(float(x)) for x in exam[0].mediabox[2:]] == [612, 792]  # Letter
    assert [round(float(x)) for x in pages(printed / "three" / "exam-A.pdf")[0].mediabox[2:]] == [595, 842]  # A4


@needs_chromium
def test_no_question_is_split_across_pages(printed):
    for code in ("A", "B"):
        texts = [p.extract_text() for p in pages(printed / "three" / f"exam-{code}.pdf")]
        assert "Version" in texts[0] and "Student ID" in texts[0] and "Name" in texts[0]
        for n in range(1, 8):
            where = [i for i, t in enumerate(texts) if f"Question {n} · Score" in t]
            assert len(where) == 1, (code, n)
            assert re.search(rf"Question {n} \[", texts[where[0]]), f"question {n} of {code} starts on another page"
        assert "Formula sheet" in texts[-1]


@needs_chromium
def test_pdfs_are_identical_for_identical_inputs(printed, tmp_path):
    assert main(["exam", str(ONE), "--pdf", "--out", str(tmp_path / "again")]) == 0
    for name in ("exam-A.pdf", "key-A.pdf"):
        assert (tmp_path / "again" / name).read_bytes() == (printed / "one" / name).read_bytes(), name
