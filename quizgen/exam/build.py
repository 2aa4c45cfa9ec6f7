"""The exam build as named stages: load -> validate -> sample -> replace -> assemble -> write (-> print).

Every problem in the spec (and the bank it names) is found before anything is written; the
output folder goes through the writers' one guard (writers/destination.py) and is built beside
the target and swapped in whole (writers/atomic.py), so a failed build leaves the previous
output untouched.

A folder that already holds an exam is rebuilt only from the same inputs: its roster.json's
fingerprint must match (else `--force-new`), and its replacements are made again, in order,
so the rebuild prints the same papers.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizgen import datafile
from quizgen.bank.load import default_bank, family_files, load_bank
from quizgen.errors import BankError, BuildError, ErrorList, QuizgenError, SpecError
from quizgen.exam.assemble import MAX_VERSIONS, Bank, Exam, assemble
from quizgen.exam import classlist, code, fingerprint, replace
from quizgen.exam.classlist import Student
from quizgen.exam.fingerprint import Fingerprint
from quizgen.exam.roster import Record, recorded, roster_csv, roster_json
from quizgen.exam.select import draw, plan
from quizgen.exam.spec import in_file_order, read_spec
from quizgen.messages import current, t, using
from quizgen.resources import shipped
from quizgen.writers import exam as exam_writer
from quizgen.writers import pdf as pdf_writer
from quizgen.writers import destination
from quizgen.writers.atomic import atomic_directory


EXAM = exam_writer.OWNER  # the writer names what it writes; destination.py guards the folder


@dataclass(frozen=True)
class Draft:
    """An assembled exam and what roster.json records to rebuild it."""

    exam: Exam
    fingerprint: Fingerprint
    replaced: tuple[tuple[str, int], ...]  # (version, question) in the order made
    students: tuple[Student, ...] = ()

    def marks(self) -> dict[str, code.Mark]:
        """Each version's printed code and QR."""
        return {v.code: code.mark(self.fingerprint.id, v.code, self.replaced_in(v.code)) for v in self.exam.versions}

    def replaced_in(self, version: str) -> tuple[int, ...]:
        return tuple(n for v, n in self.replaced if v == version)

    def record(self) -> Record:
        marks = self.marks()
        return Record(self.fingerprint, self.replaced, {v: m.code for v, m in marks.items()}, self.students)


@dataclass(frozen=True)
class Result:
    exam: Exam
    out: Path
    files: list[str]  # names inside `out`, in version order (see file_order)
    pdf_missing: str | None  # --pdf asked but "chromium" or "playwright" is missing: HTML only
    draft: Draft | None = None
    new_replacements: tuple[tuple[str, int], ...] = ()  # made by this run (--replace or the spec's table)


def prepare(spec_path: str | Path, versions: int = 1, lang: str | None = None) -> Exam:
    """The assembled exam, or ErrorList naming every problem at once; its questions are worded in
    `lang`, else the spec's `lang`, else the language in use."""
    return draft(spec_path, versions, lang).exam


def draft(spec_path: str | Path, versions: int = 1, lang: str | None = None, *,
          history: list | tuple = (), option: list | tuple = (), class_list: str | None = None,
          guard: Callable[[Fingerprint], None] | None = None) -> Draft:
    """`prepare`, with replacements (`history`: those already made, then the spec's [replace]
    table, then `option`: `--replace` values) and a class list read and assigned. `guard` sees
    the fingerprint before any replacement is made (and may refuse it)."""
    if not 1 <= versions <= MAX_VERSIONS:
        raise QuizgenError(t("spec.bad_versions", most=MAX_VERSIONS, value=versions))
    spec, errors = read_spec(spec_path)
    if spec is None:
        raise ErrorList(errors)
    wanted, slot_errors = replace.parse_option(list(option))  # reported with the slots' own checks
    table: list = []
    try:
        table, table_errors = replace.parse_table(datafile.load(spec_path, SpecError, fmt="toml"), str(spec_path))
        slot_errors += table_errors
    except SpecError as exc:  # read_spec has read it: only a race gets here
        errors.append(exc)
    students: list[Student] = []
    if class_list is not None:
        try:
            students = classlist.read(class_list)
        except ErrorList as exc:
            errors += exc.errors
        except QuizgenError as exc:
            errors.append(exc)
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
            raise ErrorList(in_file_order(errors) + slot_errors)
        printed = fingerprint.of(spec_path, spec.seed, [f for p in plans for f in p.families])
        if guard is not None:
            guard(printed)
        slots = replace.merge(list(history), table, wanted)
        errors = slot_errors + replace.check(slots, spec, drawn, table, wanted)
        if errors:
            raise ErrorList(errors)
        try:
            drawn = replace.apply(spec, plans, drawn, slots)
        except QuizgenError as exc:
            raise ErrorList([exc]) from None
        exam = assemble(spec, drawn, bank)
        assigned = classlist.assign(students, [v.code for v in exam.versions]) if students else []
        return Draft(exam, printed, tuple(slots), tuple(assigned))


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


def previous(out: Path):
    """What the roster.json in `out` records (roster.Recorded), or None when `out` holds no exam."""
    target = destination.folder(out, EXAM)
    path = target / "roster.json"
    if not path.exists():
        return None
    try:
        return recorded(datafile.load(path, BuildError, fmt="json"))
    except BuildError:
        return recorded(None)  # unreadable: no fingerprint, refused like any other


def build(spec_path: str | Path, out: str | Path, versions: int = 1, pdf: bool = False,
          progress: pdf_writer.Progress | None = None, lang: str | None = None, *,
          replacements: list | tuple = (), class_list: str | None = None, force_new: bool = False) -> Result:
    """Build into `out`. A folder holding an exam is rebuilt with its recorded replacements, and
    only when its fingerprint matches this build's (`force_new`: start over, whatever it holds)."""
    out = Path(out)
    was = None if force_new else previous(out)
    history = was.replaced if was is not None else []

    def guard(now: Fingerprint) -> None:  # before the recorded replacements are made again
        if was is None:
            return
        fingerprint.check(was.fingerprint, now, out / "roster.json", str(out))
        if history and was.versions != versions:
            raise BuildError(t("roster.versions_changed", was=was.versions, now=versions), file=str(out / "roster.json"))

    made = draft(spec_path, versions, lang, history=history, option=replacements, class_list=class_list, guard=guard)
    with using(lang or made.exam.spec.lang or current()):
        result = _write(made, out, pdf, progress)
    return Result(result.exam, result.out, result.files, result.pdf_missing, made,
                  tuple(made.replaced[len(history):]))


def _write(made: Draft, out: Path, pdf: bool, progress: pdf_writer.Progress | None) -> Result:
    """Write every version and key, each student's copy (and their PDFs) into `out`, replaced whole."""
    exam = made.exam
    check_out(out)
    missing = pdf_writer.missing() if pdf else None
    record = made.record()
    marks = made.marks()
    copies = {classlist.copy_name(s): (s.version, code.Mark(marks[s.version].code, marks[s.version].qr_svg, s.name, s.id))
              for s in made.students}
    options = {"files": {"roster.csv": roster_csv(exam, record), "roster.json": roster_json(exam, record)},
               "marks": marks, "copies": copies, "fingerprint": made.fingerprint.line()}
    with atomic_directory(out, EXAM) as tmp:
        files = exam_writer.write(exam, tmp, options)
        if pdf and not missing:
            files += print_pdfs(exam, tmp, progress, list(copies))
    return Result(exam, out, sorted(files, key=file_order), pdf_missing=missing)


def file_order(name: str) -> tuple:
    """exam-A … exam-Z, exam-AA, … (by version, as printed; a version's named copies after
    it), then keys, then the roster."""
    match = re.fullmatch(r"(exam|key)-([A-Z]+)(-[0-9]+)?(\..+)", name)
    if not match:
        return (name,)
    return (match.group(1), len(match.group(2)), match.group(2), match.group(3) or "", match.group(4))


def print_pdfs(exam: Exam, tmp: Path, progress: pdf_writer.Progress | None, copies: list[str] = ()) -> list[str]:
    """Print every exam and key, and the combined files (an error naming the build folder is
    renamed to `out` by atomic_directory). Named copies are printed too, and joined in
    class-list order into class-all.pdf."""
    chromium = pdf_writer.find_chromium()
    files = pdf_writer.print_exam(chromium, tmp, [v.code for v in exam.versions], pdf_date(exam.spec.date),
                                  progress=progress, tagged=exam.spec.tagged_pdf)
    if copies:
        files += print_copies(chromium, tmp, copies, pdf_date(exam.spec.date), progress, exam.spec.tagged_pdf)
    return files


def print_copies(chromium: str, tmp: Path, copies: list[str], date: str,
                 progress: pdf_writer.Progress | None, tagged: bool = False) -> list[str]:
    """Each named copy as a PDF, and class-all.pdf: every copy in class-list order, each padded
    to an even page count (duplex), so the printed stack is handed out down the list."""
    from quizgen.writers.pdf_merge import Joiner

    pdfs = [tmp / f"{name}.pdf" for name in copies]
    joiner = Joiner(pdfs, tmp / "class-all.pdf", pad_even=True)
    try:
        pdf_writer.print_all(chromium, [p.with_suffix(".html") for p in pdfs], date, progress=progress,
                             printed=joiner.ready, tagged=tagged)
        joiner.finish()
    finally:
        joiner.cancel()
    return [p.name for p in pdfs] + ["class-all.pdf"]
