"""`quizgen exam --pdf` as a user meets it: combined files for the printer, exit 2 when it
cannot print, one line per failure naming --out (never the hidden build folder)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from exam_helpers import ONE

from quizgen.writers import pdf

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="PDF tests need Chromium at /usr/bin/chromium "
                                                                   "(apt-get install chromium)")
HTML_ONLY = ["exam-A.html", "key-A.html", "roster.csv", "roster.json"]


def test_without_chromium_the_html_is_written_and_the_exit_status_is_2(monkeypatch, tmp_path, run_exam):
    """Guards #13: `--pdf` without Chromium exited 0 although it printed no PDF."""
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    out = tmp_path / "out"
    code, stdout, err = run_exam(ONE, "--pdf", "--out", out)
    assert code == 2
    assert err == [f"quizgen: --pdf needs Chromium: apt-get install chromium (HTML written to {out})"]
    assert sorted(p.name for p in out.iterdir()) == HTML_ONLY
    assert "exam-A.html" in stdout


def test_without_the_playwright_package_the_exit_status_is_2(monkeypatch, tmp_path, run_exam):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "playwright" else real(name, *a))
    monkeypatch.setattr(pdf, "find_chromium", lambda: "/usr/bin/chromium")
    out = tmp_path / "out"
    code, _, err = run_exam(ONE, "--pdf", "--out", out)
    assert code == 2
    assert err == ["quizgen: --pdf needs the Python package playwright: pip install playwright "
                   f"(HTML written to {out})"]
    assert sorted(p.name for p in out.iterdir()) == HTML_ONLY


@needs_chromium
def test_a_browser_that_cannot_start_is_one_line_and_keeps_the_old_output(monkeypatch, tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(ONE, "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(pdf, "find_chromium", lambda: "/bin/false")
    code, _, err = run_exam(ONE, "--pdf", "--out", out)
    assert code == 2 and len(err) == 1
    assert re.fullmatch(r"/bin/false: cannot start Chromium: .+", err[0])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@needs_chromium
def test_a_page_over_the_time_limit_is_named_under_out(monkeypatch, tmp_path, run_exam):
    monkeypatch.setattr(pdf, "TIMEOUT", 0.001)
    out = tmp_path / "out"
    code, _, err = run_exam(ONE, "--pdf", "--out", out)
    assert code == 2 and len(err) == 1
    assert re.fullmatch(rf"{re.escape(str(out))}/(exam|key)-A\.html: did not print within 0.001 s", err[0])
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def three_printed(tmp_path_factory):
    """The one-question exam in three versions, printed once: 3-page exams, 1-page keys."""
    if not CHROMIUM.exists():
        pytest.skip("PDF tests need Chromium at /usr/bin/chromium (apt-get install chromium)")
    from quizgen.exam.build import build

    out = tmp_path_factory.mktemp("exam-pdf") / "out"
    TICKS.clear()
    result = build(ONE, out, versions=3, pdf=True, progress=lambda total: TICKS.append(total) or TICKS.append)
    assert result.pdf_missing is None and "print-all.pdf" in result.files and "keys-all.pdf" in result.files
    return out


TICKS: list[int] = []


@needs_chromium
def test_the_progress_bar_counts_every_pdf(three_printed):
    assert TICKS == [6] + [1] * 6  # the total, then one tick per exam and key


def _texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


@needs_chromium
def test_print_all_holds_every_exam_in_version_order_padded_for_duplex(three_printed):
    exams = {code: _texts(three_printed / f"exam-{code}.pdf") for code in "ABC"}
    assert [len(pages) for pages in exams.values()] == [3, 3, 3]
    merged = _texts(three_printed / "print-all.pdf")
    assert merged == exams["A"] + [""] + exams["B"] + [""] + exams["C"] + [""]  # each exam starts a sheet


@needs_chromium
def test_keys_all_holds_every_key_in_version_order(three_printed):
    keys = [_texts(three_printed / f"key-{code}.pdf") for code in "ABC"]
    assert _texts(three_printed / "keys-all.pdf") == keys[0] + keys[1] + keys[2]
    assert all("Version" in pages[0] for pages in keys)


@needs_chromium
def test_a_folder_with_combined_pdfs_can_be_rebuilt(three_printed, run_exam, tmp_path):
    """print-all.pdf and keys-all.pdf are quizgen's own: a rebuild may replace them."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(three_printed, out)
    code, stdout, err = run_exam(ONE, "--versions", "3", "--out", out)
    assert code == 0 and err == []
    assert "print-all.pdf" not in stdout and not (out / "print-all.pdf").exists()


@needs_chromium
def test_a_relative_out_prints(monkeypatch, tmp_path, run_exam):
    """Guards the fresh-eyes run: the README's own `--pdf` (default, relative `exam-out`) crashed
    with "relative path can't be expressed as a file URI"."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run_exam(ONE.resolve(), "--pdf", "--out", "exam-out")
    assert (code, err) == (0, [])
    assert {"exam-A.pdf", "key-A.pdf", "print-all.pdf", "keys-all.pdf"} <= {p.name for p in (tmp_path / "exam-out").iterdir()}
