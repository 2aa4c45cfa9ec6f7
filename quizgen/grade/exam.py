"""The exam a class sat, regenerated from its folder: which question each (version, number) is.

roster.json records the spec's file name, the versions, the replacements made in order, the
class list and the fingerprint. The records are drawn again from that spec (exam/build.draft
with the recorded replacements), never read back from the printed pages; a spec, bank or
quizgen that would draw other numbers is refused, as one line, by the recorded fingerprint.
A response for a replaced question is graded against the replacement: the one drawn last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizgen import datafile
from quizgen.bank.question import Question
from quizgen.errors import BuildError, ErrorList
from quizgen.exam import fingerprint
from quizgen.exam.roster import recorded
from quizgen.messages import t
from quizgen.resources import shipped


@dataclass(frozen=True)
class Slot:
    """One question of the exam as the report counts it: the same drawn place in every version."""

    key: int  # 1-based, in version A's order
    section: str  # the section's title
    points: float
    parts: tuple[str, ...]  # part names ("a", "b", ...); () for a one-answer question


@dataclass(frozen=True)
class Asked:
    """Question `number` of one version: its record as printed and the slot it fills."""

    slot: Slot
    points: float
    question: Question  # as printed in that version (choices relabelled as on the paper)


@dataclass(frozen=True)
class Sitter:
    id: str
    name: str
    version: str


@dataclass(frozen=True)
class ExamKey:
    title: str
    folder: str
    slots: tuple[Slot, ...]
    versions: dict  # version code -> {printed number: Asked}
    codes: dict  # printed code (as on the paper) -> version code
    students: tuple[Sitter, ...]  # from the class list; () when the exam had none
    replaced: tuple[tuple[str, int], ...]

    @property
    def total(self) -> float:
        return sum(s.points for s in self.slots)

    def version(self, text: str) -> str | None:
        """The version code a typed "A" / "a" / printed code names, or None."""
        text = text.strip()
        if text.upper() in self.versions:
            return text.upper()
        return self.codes.get(text.upper())


def find_spec(folder: Path, name: str, given: str | None) -> Path:
    """The spec to regenerate from: --spec, else the recorded file name beside the exam folder,
    in the current folder or among the shipped examples (the fingerprint decides if it is the one)."""
    if given:
        return Path(given)
    for place in (folder.parent, Path.cwd(), shipped("examples")):
        if place is not None and name and (place / name).is_file():
            return place / name
    raise BuildError(t("grade.no_spec", spec=name or "?"), file=str(folder / "roster.json"))


def load(folder: str | Path, spec: str | None = None) -> ExamKey:
    """Regenerate the exam recorded in `folder` (BuildError, one line, when it cannot be the same)."""
    from quizgen.exam.build import draft

    folder = Path(folder)
    roster = folder / "roster.json"
    if not folder.is_dir():
        raise BuildError(t("grade.not_exam_folder"), file=str(folder))
    if not roster.is_file():
        raise BuildError(t("grade.no_roster"), file=str(folder))
    document = datafile.load(roster, BuildError, fmt="json")
    if not isinstance(document, dict) or not str(document.get("schema", "")).startswith("quizgen.exam-roster/"):
        raise BuildError(t("grade.not_roster"), file=str(roster))
    was = recorded(document)
    if was.versions < 1:
        raise BuildError(t("grade.not_roster"), file=str(roster))
    name = document.get("spec") if isinstance(document.get("spec"), str) else ""
    path = find_spec(folder, Path(name).name, spec)

    def guard(now):
        fingerprint.check(was.fingerprint, now, roster, str(folder), "grade.fingerprint_differs")

    try:
        made = draft(path, was.versions, history=was.replaced, guard=guard)
    except ErrorList as exc:
        if len(exc.errors) == 1:
            raise exc.errors[0] from None
        raise
    printed = {}
    for entry in document.get("versions") or []:
        if isinstance(entry, dict) and isinstance(entry.get("printed_code"), str):
            printed[entry["printed_code"].upper()] = entry.get("code")
    _same_questions(document, made.exam, roster)
    return _key(made.exam, str(folder), printed, document.get("students"), made.replaced)


def _same_questions(document: dict, exam, roster: Path) -> None:
    """The redrawn questions are the ones the roster lists (a second guard beside the fingerprint)."""
    listed = {}
    for entry in document.get("versions") or []:
        if isinstance(entry, dict):
            for q in entry.get("questions") or []:
                if isinstance(q, dict):
                    listed[(entry.get("code"), q.get("question"))] = q.get("question_id")
    for version in exam.versions:
        for item in version.items:
            if listed.get((version.code, item.number)) != item.question.id:
                raise BuildError(t("grade.roster_differs", version=version.code, number=item.number),
                                 file=str(roster))


def _key(exam, folder: str, printed: dict, students, replaced) -> ExamKey:
    """Slots are the drawn places: (section, family, occurrence) in each version's print order."""
    slots: dict[tuple, Slot] = {}
    versions: dict[str, dict[int, Asked]] = {}
    for version in exam.versions:
        seen: dict[tuple, int] = {}
        asked = {}
        for item in version.items:
            q = item.question
            place = (item.section.number, q.family)
            seen[place] = seen.get(place, 0) + 1
            place = place + (seen[place],)
            if place not in slots:
                slots[place] = Slot(len(slots) + 1, item.section.title or "", float(item.points),
                                    tuple(p.name for p in q.parts))
            asked[item.number] = Asked(slots[place], float(item.points), q)
        versions[version.code] = asked
    sitters = []
    for s in students if isinstance(students, list) else []:
        if isinstance(s, dict) and all(isinstance(s.get(k), str) for k in ("id", "name", "version")):
            sitters.append(Sitter(s["id"], s["name"], s["version"]))
    return ExamKey(exam.spec.title, folder, tuple(slots.values()), versions,
                   {k: v for k, v in printed.items() if v in versions}, tuple(sitters), tuple(replaced))


