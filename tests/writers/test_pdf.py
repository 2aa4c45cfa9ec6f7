"""PDF printing: the byte fixes, the URL guard, profile clean-up and merging without a browser;
with real Chromium, hostile pages confined to their folder, time limits, identical reprints,
and the exams' page counts and layout."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quizgen.cli import main
from quizgen.errors import BuildError
from quizgen.writers import pdf, pdf_browser, pdf_merge, pdf_profile

SPECS = Path(__file__).resolve().parents[1] / "fixtures" / "exam_specs"
THREE = SPECS / "good" / "three_versions.toml"
ONE = SPECS / "good" / "one_question.toml"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="PDF tests need Chromium at /usr/bin/chromium "
                                                                   "(apt-get install chromium)")


def test_pin_dates_keeps_every_byte_offset():
    raw = b"1 0 obj\n<</CreationDate (D:20261124063113+00'00')\n/ModDate (D:20261124063114+00'00')>>\nxref"
    pinned = pdf.pin_dates(raw, "20250314")
    assert len(pinned) == len(raw)
    assert pinned == raw.replace(b"20261124063113", b"20250314000000").replace(b"20261124063114", b"20250314000000")


def test_structure_ids_are_renumbered_by_rank_at_the_same_length():
    """Guards byte-identical tagged PDFs: Chromium's ids come from a counter that runs on."""
    def tagged(a, b, c):
        return (b"<</Type /IDTree /Names [(node%08d) 5 0 R (node%08d) 6 0 R]>>\n"
                b"<</S /TH /ID (node%08d)>> <</S /TH /ID (node%08d)>> <</S /TD /Headers [(node%08d)]>>\n"
                b"<</S /TD /ID (node%08d)>> /Title (node%08d)" % (a, b, a, b, a, c, 99))
    first, second = tagged(37, 41, 52), tagged(1038, 1042, 1100)
    assert pdf.stable_ids(first) == pdf.stable_ids(second) == tagged(1, 2, 3)  # /Title is no id: kept
    assert len(pdf.stable_ids(first)) == len(first)


def test_finder_tries_the_usual_names(monkeypatch):
    asked = []
    monkeypatch.setattr(pdf.shutil, "which", lambda name: asked.append(name) or None)
    assert pdf.find_chromium() is None
    assert asked[:3] == ["chromium", "chromium-browser", "google-chrome"]


def test_only_regular_files_inside_the_folder_may_load(tmp_path):
    root = tmp_path / "out"
    (root / "fonts").mkdir(parents=True)
    (root / "exam-A.html").write_text("x")
    (root / "fonts" / "a.woff2").write_text("x")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    inside = [root / "exam-A.html", root / "fonts" / "a.woff2"]
    assert all(pdf_browser.allowed(p.as_uri(), root) for p in inside)
    assert pdf_browser.allowed((root / "exam-A.html").as_uri() + "?x=1#top", root)
    for url in [(tmp_path / "secret.txt").as_uri(), (root / "leak.txt").as_uri(), root.as_uri(),
                (root / "fonts").as_uri(), root.as_uri() + "/../secret.txt", root.as_uri() + "/%2e%2e/secret.txt",
                "file:///etc/passwd", "file://evil.example/share/exam-A.html", "http://127.0.0.1:9/",
                "https://example.org/x.css", "ws://127.0.0.1:9/", "data:text/html,hi", "chrome://version/",
                "view-source:" + (root / "exam-A.html").as_uri()]:
        assert not pdf_browser.allowed(url, root), url


def _marked(parent: Path, name: str, owner: dict | None) -> Path:
    folder = parent / name
    (folder / "Default").mkdir(parents=True)
    if owner is not None:
        (folder / pdf_profile.MARKER).write_text(json.dumps(owner))
    return folder


def test_stale_profiles_of_ours_are_swept_and_nothing_else(tmp_path):
    """Guards: a killed run's Chromium profile is removed by the next run, never a live one."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = _marked(tmp_path, pdf_profile.PREFIX + "stale", {"pid": dead.pid, "started": None})
    reused = _marked(tmp_path, pdf_profile.PREFIX + "reused", {"pid": os.getpid(), "started": "-1"})
    live = _marked(tmp_path, pdf_profile.PREFIX + "live",
                   {"pid": os.getpid(), "started": pdf_profile._started(os.getpid())})
    unmarked = _marked(tmp_path, pdf_profile.PREFIX + "unmarked", None)
    other = _marked(tmp_path, "someone-elses-profile", {"pid": dead.pid})
    removed = pdf_profile.sweep(tmp_path)
    gone = {stale} | ({reused} if pdf_profile._started(os.getpid()) else set())
    assert set(removed) == gone
    assert all(not p.exists() for p in gone) and all(p.exists() for p in (live, unmarked, other))


def test_a_profile_is_marked_while_used_and_removed_after(tmp_path):
    with pdf_profile.profile(tmp_path) as folder:
        assert folder.name.startswith(pdf_profile.PREFIX)
        assert json.loads((folder / pdf_profile.MARKER).read_text())["pid"] == os.getpid()
        assert pdf_profile.sweep(tmp_path) == []  # our own live profile is left alone
    assert list(tmp_path.iterdir()) == []


def blank_pdf(path: Path, pages: int, size=(595, 842)) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_merge_pads_each_file_to_an_even_page_count_and_is_deterministic(tmp_path):
    from pypdf import PdfReader

    parts = [blank_pdf(tmp_path / f"{n}.pdf", n, (612, 792)) for n in (3, 2, 1)]
    assert pdf_merge.merge(parts, tmp_path / "duplex.pdf", pad_even=True) == 4 + 2 + 2
    assert pdf_merge.merge(parts, tmp_path / "plain.pdf") == 6
    pages = PdfReader(tmp_path / "duplex.pdf").pages
    assert [round(float(x)) for x in pages[3].mediabox[2:]] == [612, 792]  # the blank takes the paper size
    first = (tmp_path / "duplex.pdf").read_bytes()
    pdf_merge.merge(parts, tmp_path / "duplex.pdf", pad_even=True)
    assert (tmp_path / "duplex.pdf").read_bytes() == first


def test_merge_names_a_file_it_cannot_read(tmp_path):
    bad = tmp_path / "exam-B.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(BuildError) as caught:
        pdf_merge.merge([blank_pdf(tmp_path / "a.pdf", 1), bad], tmp_path / "all.pdf")
    assert caught.value.file == str(bad)


# ---- real Chromium -------------------------------------------------------------------------


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    """A server on 127.0.0.1 that counts the requests it gets (a page must send it none)."""
    _Counting.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


HOSTILE = """<!doctype html><html><head><meta charset="utf-8"><title>hostile</title>
<link rel="stylesheet" href="http://127.0.0.1:9/">
<link rel="stylesheet" href="{server}/style.css">
<meta http-equiv="refresh" content="0;url=file:///etc/passwd">
<style>@import url("{server}/import.css"); @import url("{secret_uri}");
body {{ background: url("{server}/bg.png") }}</style>
</head><body>
<p>PRINTED-FROM-INSIDE</p>
<iframe src="file:///etc/passwd"></iframe>
<img src="file:///etc/hostname" alt="">
<img src="{server}/pixel.png" alt="">
<iframe src="{secret_uri}"></iframe>
<iframe src="leak.txt"></iframe>
<object data="file:///etc/passwd"></object>
<embed src="{secret_uri}">
<iframe src="frame.html"></iframe>
<script>while (true) {{}}</script>
<script>document.write("SCRIPT-RAN")</script>
</body></html>
"""


@needs_chromium
def test_a_hostile_page_prints_nothing_from_outside_its_folder(tmp_path, loopback_server):
    """Guards #13: an <iframe src=file:///etc/passwd> in exam text reached the student PDF."""
    from pypdf import PdfReader

    secret = tmp_path / "secret.txt"
    secret.write_text("OUTSIDE-SECRET")
    out = tmp_path / "out"
    out.mkdir()
    (out / "leak.txt").symlink_to(secret)
    (out / "frame.html").write_text("<p>FRAME-FROM-INSIDE</p>")
    html = out / "exam-A.html"
    html.write_text(HOSTILE.format(server=loopback_server, secret_uri=secret.as_uri()), encoding="utf-8")
    start = time.perf_counter()
    [printed] = pdf.print_all(str(CHROMIUM), [html])
    assert time.perf_counter() - start < 45  # the script loop never runs (JS off); no 120 s wait
    text = "".join(page.extract_text() for page in PdfReader(printed).pages)
    assert "PRINTED-FROM-INSIDE" in text and "FRAME-FROM-INSIDE" in text  # the folder's own files load
    assert "root:" not in text and "OUTSIDE-SECRET" not in text and "SCRIPT-RAN" not in text
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").is_file() else ""
    if len(hostname) >= 6:
        assert hostname not in text
    assert _Counting.hits == []  # no http request left the browser


@needs_chromium
def test_a_refresh_cannot_swap_the_page_out_while_it_prints(tmp_path):
    """Guards: a <meta refresh> to a blocked URL turned the tab into Chromium's error page
    ("Printing failed"); one to another file of the folder would print that file instead."""
    from pypdf import PdfReader

    (tmp_path / "other.html").write_text("<p>OTHER-PAGE</p>")
    htmls = []
    for name, target in [("exam-A", "file:///etc/passwd"), ("exam-B", "other.html"), ("exam-C", "exam-C.html")]:
        htmls.append(tmp_path / f"{name}.html")
        htmls[-1].write_text(f'<!doctype html><meta http-equiv="refresh" content="0;url={target}"><p>{name}-TEXT</p>')
    for html, printed in zip(htmls, pdf.print_all(str(CHROMIUM), htmls)):
        assert PdfReader(printed).pages[0].extract_text() == f"{html.stem}-TEXT"


@needs_chromium
def test_a_page_that_does_not_finish_in_time_fails_with_one_line_naming_it(tmp_path):
    html = tmp_path / "exam-A.html"
    html.write_text("<!doctype html><title>x</title><p>slow</p>")
    with pytest.raises(BuildError) as caught:
        pdf.print_all(str(CHROMIUM), [html], timeout=0.001)
    assert str(caught.value) == f"{html}: did not print within 0.001 s"


@needs_chromium
def test_reprints_are_byte_identical(tmp_path):
    """Guards #16: Chromium's tagged-PDF structure ids differed between runs."""
    body = ("<!doctype html><html lang=en><title>t</title><style>@page { size: A4 }</style><h1>Exam</h1>"
            "<table><tr><th>Question</th><th>Score</th></tr><tr><td>1</td><td></td></tr></table>")
    names = [tmp_path / f"exam-{code}.html" for code in "ABC"]
    for name in names:
        name.write_text(body)
    first = [p.read_bytes() for p in pdf.print_all(str(CHROMIUM), names, "20250314", tagged=True)]
    second = pdf.print_all(str(CHROMIUM), names[:1], "20250314", tagged=True)[0].read_bytes()
    assert b"/StructTreeRoot" in first[0] and b"(node00000001)" in first[0]  # still a tagged PDF
    assert first[0] == first[1] == first[2] == second  # in one run, in parallel, and across runs
    assert b"(D:20250314000000" in second


@needs_chromium
def test_pdfs_are_untagged_unless_asked(tmp_path):
    """Guards #16's print time: tagging costs about 40% more; a spec asks for it with tagged_pdf."""
    html = tmp_path / "exam-A.html"
    html.write_text("<!doctype html><html lang=en><title>t</title><h1>Exam</h1>")
    assert b"/StructTreeRoot" not in pdf.print_all(str(CHROMIUM), [html])[0].read_bytes()


@needs_chromium
def test_the_browser_cannot_be_started_is_one_line(tmp_path):
    html = tmp_path / "exam-A.html"
    html.write_text("<p>x</p>")
    with pytest.raises(BuildError) as caught:
        pdf.print_all("/bin/false", [html])
    assert re.fullmatch(r"/bin/false: cannot start Chromium: [^\n]+", str(caught.value))


# ---- whole exams ---------------------------------------------------------------------------


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
    from pypdf import PdfReader

    return PdfReader(str(path)).pages


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
    for name in ("exam-A.pdf", "key-A.pdf", "print-all.pdf", "keys-all.pdf"):
        assert (tmp_path / "again" / name).read_bytes() == (printed / "one" / name).read_bytes(), name


@needs_chromium
def test_printing_works_inside_a_running_event_loop(tmp_path):
    """Guards: asyncio.run() refused to start under a Playwright sync session or a notebook."""
    import asyncio

    html = tmp_path / "exam-A.html"
    html.write_text("<!doctype html><title>x</title><p>inside a loop</p>")

    async def inside():
        return pdf.print_all(str(CHROMIUM), [html])

    results = []  # a thread of its own: the browser tests may leave a loop running in this one
    thread = threading.Thread(target=lambda: results.append(asyncio.run(inside())))
    thread.start()
    thread.join()
    [[printed]] = results
    assert printed.read_bytes().startswith(b"%PDF")


@needs_chromium
def test_a_three_question_quiz_without_a_cover_prints_on_two_pages_at_most(tmp_path):
    """Guards #16: a 3-question quiz was 5 pages (forced cover, fixed space, formula sheet page)."""
    quiz = Path(__file__).resolve().parents[2] / "examples" / "quiz.toml"
    assert main(["exam", str(quiz), "--versions", "3", "--pdf", "--out", str(tmp_path / "q")]) == 0
    counts = []
    for code in "ABC":
        texts = [p.extract_text() for p in pages(tmp_path / "q" / f"exam-{code}.pdf")]
        counts.append(len(texts))
        assert 1 <= len(texts) <= 2, code
        assert "Conventions" in texts[0] and "Name" in texts[0] and "Question 1" in texts[0]
        for text in texts[1:]:  # the running header: fields to fill in on every further page
            assert re.search(rf"Name _+\s+Student ID _+\s+Version {code}", text), text[:200]
    assert len(pages(tmp_path / "q" / "print-all.pdf")) == sum(n + n % 2 for n in counts)
