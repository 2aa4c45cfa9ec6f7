"""The exam build as named stages: load -> validate -> sample -> assemble -> write (-> print).

Every problem in the spec (and the bank it names) is found before anything is written; the
output folder is built beside the target and swapped in whole, so a failed build leaves the
previous output untouched.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from quizgen.bank.load import default_bank, family_files, load_bank
from quizgen.errors import BankError, ErrorList, QuizgenError
from quizgen.exam.assemble import MAX_VERSIONS, Bank, Exam, assemble
from quizgen.exam.roster import roster_csv, roster_json
from quizgen.exam.select import draw, plan
from quizgen.exam.spec import in_file_order, read_spec
from quizgen.messages import current, t, using
from quizgen.resources import shipped
from quizgen.writers import exam as exam_writer
from quizgen.writers import pdf as pdf_writer
from quizgen.writers import destination
from quizgen.writers.atomic import atomic_directory
from quizgen.writers.destination import Owner


# What `quizgen exam` writes; a folder holding anything else is not replaced.
OURS = re.compile(r"(exam|key)-[A-Z0-9]+\.(html|pdf)|(print|keys)-all\.pdf|roster\.(csv|json)|README\.md")
EXAM = Owner("quizgen exam", "exam-out", OURS)


@dataclass(frozen=True)
class Result:
    exam: Exam
    out: Path
    files: list[str]  # names inside `out`, in version order (see file_order)
    pdf_missing: str | None  # --pdf asked but "chromium" or "playwright" is missing: HTML only


def prepare(spec_path: str | Path, versions: int = 1, lang: str | None = None) -> Exam:
    """The assembled exam, or ErrorList naming every problem at once; its questions are worded in
    `lang`, else the spec's `lang`, else the language in use."""
    if not 1 <= versions <= MAX_VERSIONS:
        raise QuizgenError(t("spec.bad_versions", most=MAX_VERSIONS, value=versions))
    spec, errors = read_spec(spec_path)
    if spec is None:
        raise ErrorList(errors)
    try:
        families = load_bank(spec.bank)
        bank = bank_identity(spec.bank)
    except ErrorList as exc:
        raise ErrorList(errors + exc.errors) from None
    except QuizgenError as exc:
        raise ErrorList(errors + [exc]) from None
    with using(lang or spec.lang or current()):
        plans, problems = plan(spec, families)
        drawn, shortages = draw(spec, plans, versions)
        errors += problems + shortages
        if errors:
            raise ErrorList(in_file_order(errors))
        return assemble(spec, drawn, bank)


def bank_identity(bank: Path | None) -> Bank:
    """The bank `load_bank(bank)` reads, named by its folder and a hash of its family files."""
    root = Path(bank) if bank else default_bank()
    shipped_bank = shipped("question_bank")
    is_shipped = shipped_bank is not None and os.path.samefile(root, shipped_bank)
    digest = hashlib.sha256()
    for path in family_files(root):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise BankError(t("spec.cannot_read_family", reason=exc.strerror or exc), file=str(path)) from None
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + content + b"\0")
    return Bank(Path(os.path.realpath(root)).name, is_shipped, digest.hexdigest()[:12])


def pdf_date(date: str) -> str:
    """The exam's date as the PDFs' date stamp (YYYYMMDD), else a fixed one: never the clock."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date.strip())
    return "".join(match.groups()) if match else "20000101"


def check_out(out: Path) -> None:
    """The output folder is replaced whole: refuse one that holds anything we did not write."""
    destination.folder(out, EXAM)


def build(spec_path: str | Path, out: str | Path, versions: int = 1, pdf: bool = False,
          progress: pdf_writer.Progress | None = None, lang: str | None = None) -> Result:
    exam = prepare(spec_path, versions, lang)
    with using(lang or exam.spec.lang or current()):
        return _write(exam, Path(out), pdf, progress)


def _write(exam: Exam, out: Path, pdf: bool, progress: pdf_writer.Progress | None) -> Result:
    """Write every version and key (and their PDFs) into `out`, replaced whole."""
    check_out(out)
    missing = pdf_writer.missing() if pdf else None
    with atomic_directory(out, EXAM) as tmp:
        files = exam_writer.write(exam, tmp, {"files": {"roster.csv": roster_csv(exam), "roster.json": roster_json(exam)}})
        if pdf and not missing:
            files += print_pdfs(exam, tmp, out, progress)
    return Result(exam, out, sorted(files, key=file_order), pdf_missing=missing)


def file_order(name: str) -> tuple:
    """exam-A … exam-Z, exam-AA, … (by version, as printed), then keys, then the roster."""
    match = re.fullmatch(r"(exam|key)-([A-Z]+)(\..+)", name)
    return (match.group(1), len(match.group(2)), match.group(2), match.group(3)) if match else (name,)


def print_pdfs(exam: Exam, tmp: Path, out: Path, progress: pdf_writer.Progress | None) -> list[str]:
    """Print every exam and key, and the combined files; errors name `out`, not the build folder."""
    try:
        return pdf_writer.print_exam(pdf_writer.find_chromium(), tmp, [v.code for v in exam.versions],
                                     pdf_date(exam.spec.date), progress=progress)
    except QuizgenError as exc:
        if exc.file and Path(exc.file).parent == tmp:
            exc.file = str(out / Path(exc.file).name)
        raise
