"""Issue 16: every exam page carries a short printed code and its QR, naming exam and version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno
from exam_helpers import ONE, THREE

from quizgen.exam import code
from quizgen.exam.build import draft

CHROMIUM = Path("/usr/bin/chromium")


def test_codes_name_the_exam_and_the_version():
    made = draft(THREE, 3)
    marks = made.marks()
    assert list(marks) == ["A", "B", "C"]
    parts = [m.code.split("-") for m in marks.values()]
    assert len({p[0] for p in parts}) == 1 and [p[1] for p in parts] == ["A", "B", "C"]
    assert len({p[2] for p in parts}) == 3
    assert all(code.SHAPE.fullmatch(m.code) and not set(m.code) & set("ILOU") for m in marks.values())


def test_a_replaced_version_gets_a_new_code_and_no_other_does():
    """An old printed sheet of B must not map to B's new key."""
    before, after = draft(THREE, 3).marks(), draft(THREE, 3, option=["B:2"]).marks()
    assert [v for v in before if before[v].code != after[v].code] == ["B"]


def _modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of segno's one-path SVG: runs "h n" along rows, moves "M x y" / "m dx dy"."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for op, args in re.findall(r"([MmHh])([-0-9. ]+)", path):
        nums = [float(n) for n in args.split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(nums[0]))}
            x += nums[0]
    return dark


def test_the_qr_encodes_the_code_and_is_a_plain_svg():
    mark = code.mark("0123456789abcdef", "B")
    svg = mark.qr_svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="11.5mm" height="11.5mm"')
    assert "<script" not in svg and "href" not in svg and svg.count("<path") == 1
    # the dark modules drawn are those of the code's QR symbol (version 1: 21 × 21), module for module
    qr = segno.make(mark.code, error="m", micro=False)
    assert qr.version == 1
    assert _modules(svg) == {(x + 1, y + 1) for y, row in enumerate(qr.matrix) for x, dark in enumerate(row) if dark}
    with pytest.raises(ValueError):
        code.qr_svg("<script>")


def test_every_page_of_an_exam_and_key_carries_the_code(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 2, "--out", out)[0] == 0
    import json

    codes = {v["code"]: v["printed_code"] for v in json.loads((out / "roster.json").read_text("utf-8"))["versions"]}
    for version, printed in codes.items():
        for name in (f"exam-{version}.html", f"key-{version}.html"):
            html = (out / name).read_text(encoding="utf-8")
            box = re.search(r"@bottom-center \{ content: \"([^\"]*)\" url\(\"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+\"\)",
                            html)
            assert box and box.group(1).strip() == printed, name


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_named_copies_print_and_join_in_class_order(tmp_path, run_exam):
    from pypdf import PdfReader

    students = tmp_path / "students.csv"
    students.write_text("id,name\ns1,Ada\ns2,Bo\ns3,Cy\n", encoding="utf-8")
    out = tmp_path / "out"
    code_, _, err = run_exam(ONE, "--versions", 2, "--out", out, "--roster", students, "--pdf")
    assert code_ == 0 and err == []
    copies = ["exam-A-001.pdf", "exam-B-002.pdf", "exam-A-003.pdf"]
    assert all((out / name).exists() for name in copies)
    pages = [len(PdfReader(out / name).pages) for name in copies]
    assert len(PdfReader(out / "class-all.pdf").pages) == sum(n + n % 2 for n in pages)
    text = PdfReader(out / "exam-B-002.pdf").pages[-1].extract_text()
    assert "Bo · s2" in text and "-B-" in text
