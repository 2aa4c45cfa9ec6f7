"""Where printed exams and keys break pages: a score-table chunk stays whole, a key's "Common wrong
answers" heading stays with its list.

Guards a 42-question exam whose last score-table chunk printed its "Question" row on the cover and
its "Points" and "Score" rows alone on page 2 (found printing every issue-20 family as one exam)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgen.bank.load import load_bank

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_bank"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="PDF tests need Chromium at /usr/bin/chromium "
                                                                   "(apt-get install chromium)")


@needs_chromium
def test_every_score_row_prints_under_its_question_row(tmp_path):
    from pypdf import PdfReader

    from quizgen.exam.build import build

    families = sorted(f.id for f in load_bank(str(BANK)) if f.kind != "multipart")[:42]
    spec = tmp_path / "long.toml"
    spec.write_text(f'title = "Long exam"\nseed = 11\nbank = {json.dumps(str(BANK))}\nformula_sheet = false\n' +
                    "".join(f'[[sections]]\ntitle = "{f}"\nfamilies = ["{f}"]\npoints = 4\n' for f in families),
                    encoding="utf-8")
    build(spec, tmp_path / "out", versions=1, pdf=True)
    pages = [page.extract_text().splitlines() for page in PdfReader(tmp_path / "out" / "exam-A.pdf").pages]
    rows = [(n, i) for n, lines in enumerate(pages) for i, line in enumerate(lines) if line.startswith("Points ")]
    assert len(rows) == 5  # 42 questions and the total: five chunks of up to ten columns
    for n, i in rows:
        assert pages[n][i - 1].startswith("Question "), f"page {n + 1}: a Points row without its Question row"


ISSUE_20 = {"train-relu-softmax-new-loss": 8, "count-conv-bn-stack": 4, "batchnorm-normalize": 6, "batchnorm-dx": 8,
            "softmax-jacobian-from-logits": 6, "sigmoid-chain-derivative": 5, "graph-max-times": 5,
            "adam-three-steps": 6}


@needs_chromium
def test_no_key_page_ends_on_the_common_wrong_answers_heading(tmp_path):
    # Guards the key of an exam over issue 20's kinds, whose page 5 ended on "Common wrong answers"
    # with the list itself on page 6.
    from pypdf import PdfReader

    from quizgen.exam.build import build

    spec = tmp_path / "new-kinds.toml"
    spec.write_text(f'title = "New kinds review exam"\ncourse = "Deep Learning"\ndate = 2026-12-01\nduration = 90\n'
                    f'seed = 2026\nbank = {json.dumps(str(BANK))}\ninstructions = "- Show your work."\n' +
                    "".join(f'[[sections]]\ntitle = "{f}"\nfamilies = ["{f}"]\npoints = {p}\n'
                            for f, p in ISSUE_20.items()), encoding="utf-8")
    build(spec, tmp_path / "out", versions=1, pdf=True)
    pages = [page.extract_text().splitlines() for page in PdfReader(tmp_path / "out" / "key-A.pdf").pages]
    assert len(pages) > 1
    assert [n + 1 for n, lines in enumerate(pages) if lines and lines[-1].strip() == "Common wrong answers"] == []
