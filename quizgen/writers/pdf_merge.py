"""Join printed PDFs into one file to send to the printer (pypdf: pure Python, no clock in output).

pypdf writes no date and no random /ID unless asked to encrypt, so the same inputs give the
same bytes.
"""

from __future__ import annotations

from pathlib import Path

from quizgen.errors import BuildError
from quizgen.messages import t


def merge(pdfs: list[Path], out: Path, pad_even: bool = False) -> int:
    """Write `pdfs` one after another into `out`; return its page count.

    pad_even adds a blank page (the size of the one before) after each file with an odd page
    count, so that every file starts on the front of a sheet when printed on both sides.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    writer = PdfWriter()
    for path in pdfs:
        try:
            reader = PdfReader(path, strict=True)
            for page in reader.pages:
                writer.add_page(page)
        except (OSError, PyPdfError) as exc:
            raise BuildError(t("pdf.cannot_merge", why=exc), file=str(path)) from None
        if pad_even and len(reader.pages) % 2:
            box = reader.pages[-1].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
    writer.add_metadata({"/Producer": "quizgen"})
    try:
        with open(out, "wb") as fh:
            writer.write(fh)
    except OSError as exc:
        raise BuildError(t("pdf.cannot_write", why=exc.strerror or exc), file=str(out)) from None
    return len(writer.pages)
