"""Join printed PDFs into one file to send to the printer, while the rest are still printing.

pypdf (pure Python) writes no date and no random /ID unless asked to encrypt, so the same
inputs give the same bytes. Reading the printed PDFs costs seconds of CPU for 30 versions, so
a Joiner takes each file as soon as it and every file before it are printed, on a thread of
its own, and the browser keeps printing meanwhile.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from quizgen.errors import BuildError
from quizgen.messages import t


class Joiner:
    """Files joined in a fixed order: tell it each one that is ready, then `finish()`.

    pad_even adds a blank page (the size of the one before) after each file with an odd page
    count, so that every file starts on the front of a sheet when printed on both sides.
    """

    def __init__(self, order: list[Path], out: Path, pad_even: bool = False):
        from pypdf import PdfWriter

        self.order, self.out, self.pad_even = [Path(p) for p in order], Path(out), pad_even
        self.writer = PdfWriter()
        self.ready_files: set[Path] = set()
        self.next = 0
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizgen-join")  # keeps the order
        self.jobs: list[Future] = []

    def ready(self, path: Path) -> None:
        """`path` is printed: join it and any files after it that were waiting for it."""
        self.ready_files.add(Path(path))
        while self.next < len(self.order) and self.order[self.next] in self.ready_files:
            self.jobs.append(self.worker.submit(self._add, self.order[self.next]))
            self.next += 1

    def finish(self) -> int:
        """Write the joined file once every file was ready; return its page count."""
        try:
            for path in self.order[self.next:]:
                self.ready(path)
            for job in self.jobs:
                job.result()
            return self.worker.submit(self._write).result()
        finally:
            self.worker.shutdown()

    def cancel(self) -> None:
        self.worker.shutdown(cancel_futures=True)

    def _add(self, path: Path) -> None:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            reader = PdfReader(path, strict=True)  # Chromium's files are well formed: skip the repair scan
            for page in reader.pages:
                self.writer.add_page(page)
        except (OSError, PyPdfError) as exc:
            raise BuildError(t("pdf.cannot_merge", why=exc), file=str(path)) from None
        if self.pad_even and len(reader.pages) % 2:
            box = reader.pages[-1].mediabox
            self.writer.add_blank_page(width=box.width, height=box.height)

    def _write(self) -> int:
        self.writer.add_metadata({"/Producer": "quizgen"})
        try:
            with open(self.out, "wb") as fh:
                self.writer.write(fh)
        except OSError as exc:
            raise BuildError(t("pdf.cannot_write", why=exc.strerror or exc), file=str(self.out)) from None
        return len(self.writer.pages)


def merge(pdfs: list[Path], out: Path, pad_even: bool = False) -> int:
    """Write `pdfs` one after another into `out`; return its page count."""
    return Joiner(pdfs, out, pad_even).finish()
