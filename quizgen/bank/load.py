"""Read a bank directory: question_bank/<topic>/<family>.toml, the path being the id."""

from __future__ import annotations

from pathlib import Path

from quizgen import datafile
from quizgen.bank.spec import Family, parse_family
from quizgen.resources import shipped
from quizgen.errors import BankError, ErrorList


def default_bank() -> Path:
    """./question_bank when run from a checkout, else the bank shipped with the package."""
    local = Path("question_bank")
    if local.is_dir():
        return local
    shipped_bank = shipped("question_bank")
    if shipped_bank is not None:
        return shipped_bank
    raise BankError("no ./question_bank here and no bank shipped with the installed package; pass --bank DIR")


def family_files(bank: Path) -> list[Path]:
    return sorted(p for p in bank.rglob("*.toml") if p.is_file())


def load_bank(bank: str | Path | None = None) -> list[Family]:
    """Every family, sorted by id; raises ErrorList with every problem found."""
    root = Path(bank) if bank else default_bank()
    if not root.is_dir():
        raise BankError("no such bank directory", file=str(root))
    families, errors = load_files(family_files(root), root)
    if errors:
        raise ErrorList(errors)
    if not families:
        raise BankError("holds no family files (<topic>/<id>.toml)", file=str(root))
    return families


def load_files(paths: list[Path], root: Path | None = None) -> tuple[list[Family], list[BankError]]:
    families, errors, seen = [], [], {}
    for path in paths:
        rel = path.relative_to(root) if root and path.is_relative_to(root) else path
        topic = rel.parts[0] if len(rel.parts) > 1 else "general"
        try:
            data = datafile.load(path, BankError, fmt="toml")
        except BankError as exc:
            errors.append(exc)
            continue
        family, problems = parse_family(data, str(path), path.stem, data.get("topic", topic) if isinstance(data.get("topic", topic), str) else topic)
        errors += problems
        if family:
            if family.id in seen:
                errors.append(BankError(f"duplicate family id (also {seen[family.id]})", file=str(path), key="id"))
                continue
            seen[family.id] = str(path)
            families.append(family)
    return sorted(families, key=lambda f: f.id), errors
