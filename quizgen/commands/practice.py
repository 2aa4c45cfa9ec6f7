"""`quizgen practice`: a self-graded session in the terminal, saved to the practice history."""

from __future__ import annotations

import os
import re
import sys

from quizgen.bank.load import load_bank
from quizgen.commands.options import add_lang
from quizgen.errors import QuizgenError
from quizgen.messages import t
from quizgen.practice.history import default_path, open_history
from quizgen.practice.session import Session
from quizgen.limits import seed_arg


def register(sub):
    p = sub.add_parser("practice", help=t("practice.cli_help"), description=t("practice.cli_description"))
    p.add_argument("--topic", action="append", metavar="T", help=t("practice.opt_topic"))
    p.add_argument("--tag", action="append", metavar="T", help=t("practice.opt_tag"))
    p.add_argument("--difficulty", metavar="D", help=t("practice.opt_difficulty"))
    p.add_argument("--count", type=int, default=10, metavar="N", help=t("practice.opt_count"))
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help=t("practice.opt_seed"))
    p.add_argument("--db", metavar="PATH", help=t("practice.opt_db"))
    p.add_argument("--bank", metavar="DIR", help=t("practice.opt_bank"))
    add_lang(p, terminal=True)
    return p


def difficulty_range(text: str | None) -> tuple[int, int]:
    """"3" -> (3, 3), "2-4" -> (2, 4), None -> (1, 5)."""
    if text is None:
        return 1, 5
    match = re.fullmatch(r"\s*([1-5])\s*(?:-\s*([1-5])\s*)?", text)
    if not match or (match.group(2) and match.group(2) < match.group(1)):
        raise QuizgenError(t("practice.bad_difficulty", value=text))
    return int(match.group(1)), int(match.group(2) or match.group(1))


def select(families, topics, tags, difficulty: tuple[int, int]):
    low, high = difficulty
    return [f for f in families
            if (not topics or f.topic in topics) and (not tags or set(tags) & set(f.tags))
            and low <= f.difficulty <= high]


def run(args) -> int:
    if args.db is not None and not args.db.strip():
        raise QuizgenError(t("practice.db_blank"))
    if args.count < 1:
        raise QuizgenError(t("practice.bad_count", value=args.count))
    difficulty = difficulty_range(args.difficulty)
    everything = load_bank(args.bank)
    families = select(everything, args.topic, args.tag, difficulty)
    if not families:
        filters = " ".join([f"--topic {x}" for x in args.topic or []] + [f"--tag {x}" for x in args.tag or []]
                           + ([f"--difficulty {args.difficulty}"] if args.difficulty else []))
        raise QuizgenError(t("practice.no_families", filters=filters,
                             topics=", ".join(sorted({f.topic for f in everything})),
                             tags=", ".join(sorted({tag for f in everything for tag in f.tags}))))
    if sys.stdin.isatty():
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
    # Only the default data folder may be created; a --db or $QUIZGEN_DB in a missing folder is refused.
    chosen = bool(args.db or os.environ.get("QUIZGEN_DB"))
    with open_history(args.db or default_path(), make_folder=not chosen) as history:
        Session(families, history, count=args.count, seed=args.seed).run()
    return 0
