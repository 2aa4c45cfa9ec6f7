"""Print HTML files to PDF with headless Chromium; page size comes from the CSS @page rule.

Chromium stamps the current time into /CreationDate and /ModDate; both are overwritten in
place (same length, so the cross-reference offsets stay valid) with a fixed date, which makes
the PDFs byte-identical for identical inputs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from quizgen.errors import BuildError

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 120  # seconds per file
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--no-pdf-header-footer")
_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)[0-9]{14}")


def find_chromium() -> str | None:
    """The first Chromium-family browser on PATH, or None."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pin_dates(pdf: bytes, date: str = "20000101") -> bytes:
    """Set each date stamp to `date` (YYYYMMDD) at midnight: same length, so offsets hold."""
    stamp = (date + "000000").encode()
    return _DATE.sub(lambda m: m.group(1) + stamp, pdf)


def print_pdf(chromium: str, html: Path, pdf: Path, date: str = "20000101", timeout: int = TIMEOUT) -> None:
    """Print one HTML file to `pdf`; raise BuildError naming the file if Chromium fails."""
    with tempfile.TemporaryDirectory(prefix="quizgen-chromium-") as profile:
        cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf.resolve()}",
               html.resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BuildError(f"Chromium did not finish within {timeout} s", file=str(pdf)) from None
        except OSError as exc:
            raise BuildError(f"cannot run Chromium ({chromium}): {exc.strerror or exc}", file=str(pdf)) from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit status {done.returncode}"
        raise BuildError(f"Chromium could not print {html.name}: {why}", file=str(pdf))
    pdf.write_bytes(pin_dates(pdf.read_bytes(), date))


def print_all(chromium: str, htmls: list[Path], date: str = "20000101", workers: int = 3) -> list[Path]:
    """Print every file (name.html -> name.pdf beside it), a few at a time; return the PDFs."""
    pdfs = [h.with_suffix(".pdf") for h in htmls]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(htmls)))) as pool:
        for future in [pool.submit(print_pdf, chromium, h, p, date) for h, p in zip(htmls, pdfs)]:
            future.result()
    return pdfs
