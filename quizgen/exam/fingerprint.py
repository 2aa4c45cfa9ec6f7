"""What an exam's numbers depend on, recorded so a rebuild never silently prints other numbers.

    quizgen   the version of quizgen that drew it
    bank      a hash of the family files the exam uses (their ids and bytes)
    spec      a hash of the spec's keys that decide what is drawn (not title, date, layout, ...)
    seed      the spec's bank seed

The roster and every key record it; `--replace` and any rebuild into a folder that holds an
exam refuse when the recorded fingerprint differs (`--force-new` builds anyway).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from quizgen import __version__, datafile
from quizgen.bank.spec import Family
from quizgen.errors import BuildError, SpecError
from quizgen.messages import t

# Spec keys that change how the papers look or read, never which numbers they print.
PRESENTATION = frozenset({"title", "course", "date", "duration", "instructions", "paper", "formula_sheet",
                          "lang", "bank", "replace", "cover", "space", "conventions", "tagged_pdf"})
SECTION_PRESENTATION = frozenset({"title", "space"})
FIELDS = ("quizgen", "bank", "spec", "seed")


@dataclass(frozen=True)
class Fingerprint:
    quizgen: str
    bank: str  # 16 hex digits
    spec: str  # 16 hex digits
    seed: int

    @property
    def id(self) -> str:
        """One short name for the whole fingerprint (the printed codes derive from it)."""
        text = json.dumps([self.quizgen, self.bank, self.spec, self.seed])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def record(self) -> dict:
        return asdict(self) | {"id": self.id}

    def line(self) -> str:
        return t("roster.fingerprint_line", quizgen=self.quizgen, bank=self.bank, spec=self.spec,
                 seed=self.seed, id=self.id)


def _canon(value) -> str:
    def default(v):
        if isinstance(v, (dt.date, dt.datetime, dt.time)):
            return v.isoformat()
        raise TypeError(type(v).__name__)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=default)


def spec_hash(data: dict) -> str:
    """A hash of the spec table without its presentation keys (nor [replace])."""
    kept = {k: v for k, v in data.items() if k not in PRESENTATION}
    if isinstance(kept.get("sections"), list):
        kept["sections"] = [{k: v for k, v in s.items() if k not in SECTION_PRESENTATION}
                            if isinstance(s, dict) else s for s in kept["sections"]]
    return hashlib.sha256(_canon(kept).encode("utf-8")).hexdigest()[:16]


def bank_hash(families: list[Family]) -> str:
    """A hash of the files of the families an exam uses, by id (where the bank lies does not count)."""
    digest = hashlib.sha256()
    for family in sorted({f.id: f for f in families}.values(), key=lambda f: f.id):
        try:
            content = Path(family.path).read_bytes()
        except OSError as exc:
            raise SpecError(t("spec.cannot_read_family", reason=exc.strerror or exc), file=family.path) from None
        digest.update(family.id.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:16]


def of(spec_path: str | Path, seed: int, families: list[Family]) -> Fingerprint:
    data = datafile.load(spec_path, SpecError, fmt="toml")
    return Fingerprint(__version__, bank_hash(families), spec_hash(data), seed)


def from_record(record) -> Fingerprint | None:
    """The fingerprint a roster recorded, or None when it holds none that can be read."""
    if not isinstance(record, dict):
        return None
    values = [record.get(k) for k in FIELDS]
    if not (all(isinstance(v, str) for v in values[:3]) and isinstance(values[3], int)
            and not isinstance(values[3], bool)):
        return None
    return Fingerprint(*values)


def differences(recorded: Fingerprint, now: Fingerprint) -> list[str]:
    """The parts that differ, named as the message catalog names them."""
    return [t(f"roster.part_{name}", was=getattr(recorded, name), now=getattr(now, name))
            for name in FIELDS if getattr(recorded, name) != getattr(now, name)]


def check(recorded: Fingerprint | None, now: Fingerprint, roster: Path, shown: str,
          differs: str = "roster.fingerprint_differs") -> None:
    """BuildError (one line naming the roster) when the folder's exam came from other inputs;
    `differs` is the message key that says what to do (rebuild, or grade with the same inputs)."""
    if recorded is None:
        raise BuildError(t("roster.no_fingerprint", out=shown), file=str(roster))
    changed = differences(recorded, now)
    if changed:
        raise BuildError(t(differs, changed=t("cli.clause_separator").join(changed), out=shown), file=str(roster))
