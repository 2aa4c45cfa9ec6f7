"""The short code printed (and QR-encoded) on every exam page: which exam, which version.

    Q7RA-B-7F3K      exam part · version · check part

The exam part comes from the exam's fingerprint (same spec, seed, bank and quizgen: same
part); the check part from the fingerprint, the version and that version's replacements, so a
version whose question was replaced gets a new code and an old sheet never maps to the new key.
Crockford's base-32 alphabet (no I, L, O, U) keeps it readable when typed from paper.

The QR code is drawn by segno (pure Python, no dependencies, maintained, writes SVG itself):
an SVG of one <path>, no script, inlined as a data: URL into the page's own stylesheet (the
@page margin box repeats it on every printed page); nothing is loaded from anywhere.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
PART = 4  # characters of the exam and check parts: 20 bits each
MODULE_MM = 0.5  # a QR version 1 (21 modules + 1 quiet each side) is 11.5 mm: fits the bottom margin
SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[A-Z]{1,3}-[0-9A-HJKMNP-TV-Z]{4}")


@dataclass(frozen=True)
class Mark:
    """What a page prints to name its exam and version (and, on a named copy, its student)."""

    code: str  # "Q7RA-B-7F3K"
    qr_svg: str  # <svg>…</svg>, encoding `code`, QR_MM wide
    student: str = ""  # the student's name on a named copy
    student_id: str = ""


def _base32(digest: bytes, n: int) -> str:
    value = int.from_bytes(digest[:8], "big")
    out = ""
    for _ in range(n):
        value, rest = divmod(value, len(ALPHABET))
        out += ALPHABET[rest]
    return out


def exam_part(fingerprint_id: str) -> str:
    return _base32(hashlib.sha256(f"exam:{fingerprint_id}".encode()).digest(), PART)


def version_code(fingerprint_id: str, version: str, replaced: tuple[int, ...] = ()) -> str:
    """`exam-version-check` for `version`; `replaced`: its question numbers replaced, in order."""
    seen = ",".join(str(n) for n in replaced)
    check = _base32(hashlib.sha256(f"check:{fingerprint_id}:{version}:{seen}".encode()).digest(), PART)
    return f"{exam_part(fingerprint_id)}-{version}-{check}"


def qr_svg(code: str) -> str:
    """The QR code of `code` as one <svg> sized in mm (with a 1-module quiet zone: the page
    margin around it is blank too)."""
    import segno

    if not SHAPE.fullmatch(code):  # only our own codes are ever drawn, never text from a file
        raise ValueError(f"not a printed code: {code!r}")
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, border=1, scale=MODULE_MM, unit="mm",
        svgclass=None, lineclass=None)
    return buffer.getvalue().decode("ascii")


def mark(fingerprint_id: str, version: str, replaced: tuple[int, ...] = (), student: str = "",
         student_id: str = "") -> Mark:
    code = version_code(fingerprint_id, version, replaced)
    return Mark(code, qr_svg(code), student, student_id)
