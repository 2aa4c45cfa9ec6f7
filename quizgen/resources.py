"""Where the shipped data folders are, installed or in a checkout.

templates/ and question_bank/ sit at the top of the repository and are installed inside the
package (quizgen/templates, quizgen/question_bank); an editable install finds them beside it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path | None:
    """The installed copy of a top-level folder, else the checkout's; None if neither exists."""
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return None


def templates_root() -> Path:
    root = shipped("templates")
    if root is None:
        raise FileNotFoundError("quizgen's templates folder is missing from this installation")
    return root
