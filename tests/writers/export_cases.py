"""What the export tests share: a few shipped families covering every answer layout (a number,
a vector, a matrix, a shapes table, formula choice, find-the-error), their records, and each
format's document."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from quizgen import writers
from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.present import view as present
from quizgen.publish import document

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_bank"
FAMILIES = ("logistic-db", "course-tanh-sigmoid-db1", "textbook-sigmoid-softmax-dw1-matrix", "shapes-lecture-no-bias",
            "formula-dw1-choice", "find-error-tanh-sigmoid")
VARIANTS = 2


@lru_cache(maxsize=None)
def families(bank: str = str(BANK)) -> tuple:
    return tuple(f for f in load_bank(bank) if f.id in FAMILIES)


def records(bank: str = str(BANK), variants: int = VARIANTS) -> list:
    """The questions every export below holds, in export order (family id, then index)."""
    return [variant(f, i, 0) for f in families(bank) for i in range(variants)]


def views(bank: str = str(BANK)) -> dict:
    return {q.id: (q, present.view(q)) for q in records(bank)}


def export(name: str, bank: str = str(BANK), variants: int = VARIANTS, jobs: int | None = 1, **options):
    """The document of format `name` (str, or bytes for anki and qti)."""
    return document(writers.get(name), list(families(bank)), variants, 0, jobs=jobs, options=options)


def copy_bank(tmp_path: Path) -> Path:
    """A writable copy of the chosen families (a test may edit one)."""
    out = tmp_path / "bank"
    for f in families():
        src = Path(f.path)
        (out / src.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, out / src.parent.name / src.name)
    return out


def edit_one_family(bank: Path) -> None:
    """Edit logistic-db in a copied bank (new numbers, a new tag), as an author updating a family
    would, and forget the cached families so the next export reads it."""
    family = bank / "gradients" / "logistic-db.toml"
    text = family.read_text(encoding="utf-8")
    family.write_text(text.replace("X = [-2, 2]", "X = [-1, 1]").replace('"bias"]', '"bias", "edited"]'),
                      encoding="utf-8")
    families.cache_clear()
