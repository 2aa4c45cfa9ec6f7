"""Print HTML files to PDF through one headless Chromium; the same input gives the same bytes.

Chromium stamps the current time into /CreationDate and /ModDate, and numbers the tagged PDF's
structure elements (`/ID (node00000037)`) from a counter that runs on across pages and runs.
Both are rewritten in place at the same length, so the cross-reference offsets stay valid: the
dates to a fixed day, the ids to their rank (order kept, so the sorted /IDTree stays sorted).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from quizgen.errors import BuildError
from quizgen.messages import t

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60  # seconds per page
_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)[0-9]{14}")
_ID_DEFINED = re.compile(rb"/ID \(node([0-9]+)\)")
_ID_USED = re.compile(rb"\(node([0-9]+)\)")

Progress = Callable[[int], Callable[[int], object] | None]  # progress(total) -> tick(n), as in commands


def find_chromium() -> str | None:
    """The first Chromium-family browser on PATH, or None."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing() -> str | None:
    """What --pdf lacks on this machine ("chromium" or "playwright"), or None when it can print."""
    if find_chromium() is None:
        return "chromium"
    if importlib.util.find_spec("playwright") is None:
        return "playwright"
    return None


def pin_dates(pdf: bytes, date: str = "20000101") -> bytes:
    """Set each date stamp to `date` (YYYYMMDD) at midnight: same length, so offsets hold."""
    stamp = (date + "000000").encode()
    return _DATE.sub(lambda m: m.group(1) + stamp, pdf)


def stable_ids(pdf: bytes) -> bytes:
    """Renumber the tagged PDF's structure ids by rank, keeping each id's length and order."""
    ids = sorted(set(_ID_DEFINED.findall(pdf)), key=int)
    rank = {old: str(n).zfill(len(old)).encode() for n, old in enumerate(ids, 1)}
    if any(len(new) != len(old) for old, new in rank.items()):  # more ids than digits: leave as is
        return pdf
    return _ID_USED.sub(lambda m: b"(node" + rank.get(m.group(1), m.group(1)) + b")", pdf)


def stable(pdf: bytes, date: str = "20000101") -> bytes:
    """Chromium's PDF with nothing in it that depends on the clock or the run."""
    return stable_ids(pin_dates(pdf, date))


def print_all(chromium: str, htmls: list[Path], date: str = "20000101", *, timeout: float | None = None,
              workers: int | None = None, progress: Progress | None = None,
              printed: Callable[[Path], None] | None = None, tagged: bool = False) -> list[Path]:
    """Print every file (name.html -> name.pdf beside it) in one browser; return the PDFs
    (tagged, accessible PDFs when asked: about 40% more print time).

    All files must sit in one folder: it is the only place the pages may load anything from.
    `printed(pdf)` is called as each PDF is written.
    """
    from quizgen.writers.pdf_browser import print_pages

    htmls = [Path(h) for h in htmls]
    if not htmls:
        return []
    root = htmls[0].parent
    strays = [h for h in htmls if h.parent != root]
    if strays:
        raise BuildError(t("pdf.one_folder", folder=str(root)), file=str(strays[0]))
    pdfs = [h.with_suffix(".pdf") for h in htmls]

    def writer(pdf: Path) -> Callable[[bytes], None]:
        def done(data: bytes) -> None:
            try:
                pdf.write_bytes(stable(data, date))
            except OSError as exc:
                raise BuildError(t("pdf.cannot_write", why=exc.strerror or exc), file=str(pdf)) from None
            if printed:
                printed(pdf)
        return done

    tick = progress(len(htmls)) if progress else None
    print_pages(chromium, [(h, writer(p)) for h, p in zip(htmls, pdfs)], root, timeout or TIMEOUT, workers, tick, tagged)
    return pdfs


def print_exam(chromium: str, folder: Path, codes: list[str], date: str = "20000101", *,
               progress: Progress | None = None, workers: int | None = None, tagged: bool = False) -> list[str]:
    """Print exam-<V>.pdf and key-<V>.pdf for each version, joining print-all.pdf and keys-all.pdf.

    print-all.pdf holds the exams in version order, each padded to an even page count so that
    duplex printing starts every exam on a fresh sheet; keys-all.pdf holds the keys.
    """
    from quizgen.writers.pdf_merge import Joiner

    folder = Path(folder)
    exams = [folder / f"exam-{code}.pdf" for code in codes]
    keys = [folder / f"key-{code}.pdf" for code in codes]
    joiners = {"exam": Joiner(exams, folder / "print-all.pdf", pad_even=True),
               "key": Joiner(keys, folder / "keys-all.pdf")}
    htmls = [p.with_suffix(".html") for pair in zip(exams, keys) for p in pair]
    try:
        pdfs = print_all(chromium, htmls, date, progress=progress, workers=workers, tagged=tagged,
                         printed=lambda pdf: joiners[pdf.name.split("-")[0]].ready(pdf))
        for joiner in joiners.values():
            joiner.finish()
    finally:
        for joiner in joiners.values():
            joiner.cancel()
    return [p.name for p in pdfs] + ["print-all.pdf", "keys-all.pdf"]
