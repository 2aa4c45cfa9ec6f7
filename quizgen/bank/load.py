"""Read a bank directory: question_bank/<topic>/<family>.toml, the path being the id."""

from __future__ import annotations

import os
from pathlib import Path

from quizgen import datafile
from quizgen.bank.fields import visible
from quizgen.bank.spec import Family, parse_family
from quizgen.resources import shipped
from quizgen.errors import BankError, ErrorList
from quizgen.limits import MAX_BANK_ENTRIES
from quizgen.messages import t


def default_bank() -> Path:
    """./question_bank when run from a checkout, else the bank shipped with the package."""
    local = Path("question_bank")
    if local.is_dir():
        return local
    shipped_bank = shipped("question_bank")
    if shipped_bank is not None:
        return shipped_bank
    raise BankError(t("bank.no_bank"))


def scan_bank(bank: Path) -> tuple[list[Path], list[BankError]]:
    """Every <topic>/<id>.toml under `bank`, and an error for each entry that cannot be one.

    Nothing is skipped silently: a symbolic link (file or folder) and a folder that cannot be
    listed are reported, so `check` never passes a bank it did not fully read.
    """
    files, errors, folders, seen = [], [], [bank], 0
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            errors.append(BankError(t("input.unreadable_folder", reason=exc.strerror or exc), file=str(folder)))
            continue
        seen += len(entries)
        if seen > MAX_BANK_ENTRIES:  # e.g. a spec's `bank = "/"`: stop rather than walk the disk
            errors.append(BankError(t("input.bank_too_big", limit=MAX_BANK_ENTRIES), file=str(bank)))
            break
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                if entry.name.endswith(".toml") or entry.is_dir():
                    errors.append(BankError(t("input.bank_symlink"), file=str(path)))
            elif entry.is_dir(follow_symlinks=False):
                folders.append(path)
            elif entry.name.endswith(".toml"):
                files.append(path)  # a FIFO or device named *.toml is refused by datafile.load
    return sorted(files), errors


def family_files(bank: Path) -> list[Path]:
    return scan_bank(bank)[0]


def load_bank(bank: str | Path | None = None) -> list[Family]:
    """Every family, sorted by id; raises ErrorList with every problem found."""
    root = Path(bank) if bank else default_bank()
    if not root.is_dir():
        raise BankError(t("bank.no_directory"), file=str(root))
    files, unreadable = scan_bank(root)
    families, errors = load_files(files, root)
    errors = unreadable + errors
    if errors:
        raise ErrorList(errors)
    if not families:
        raise BankError(t("bank.no_families"), file=str(root))
    return families


def load_files(paths: list[Path], root: Path | None = None) -> tuple[list[Family], list[BankError]]:
    families, errors, seen, titles = [], [], {}, {}
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
                errors.append(BankError(t("bank.duplicate_id", other=seen[family.id]), file=str(path), key="id"))
                continue
            seen[family.id] = str(path)
            seen_as = visible(family.title)  # "T", "T\u200b" and "Ｔ" read the same
            if seen_as in titles:  # a student tells questions apart by their titles
                errors.append(BankError(t("bank.same_title", other=titles[seen_as]), file=str(path), key="title"))
                continue
            titles[seen_as] = str(path)
            families.append(family)
    return sorted(families, key=lambda f: f.id), errors
