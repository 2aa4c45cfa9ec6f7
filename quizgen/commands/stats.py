"""`quizgen stats`: accuracy per topic, reviews due and frequent mistakes from the practice history."""

from __future__ import annotations

from datetime import datetime, timezone

from quizgen.commands.options import add_lang
from quizgen.errors import QuizgenError
from quizgen.messages import t
from quizgen.practice.history import default_path, open_history
from quizgen.practice.report import stats_text
from quizgen.render.terminal import echo


def register(sub):
    p = sub.add_parser("stats", help=t("practice.stats_help"), description=t("practice.stats_description"))
    p.add_argument("--db", metavar="PATH", help=t("practice.opt_db"))
    return add_lang(p, terminal=True)


def run(args) -> int:
    if args.db is not None and not args.db.strip():
        raise QuizgenError(t("practice.db_blank"))
    path = args.db or default_path()
    history = open_history(path, create=False, read_only=True)
    if history is None:
        echo(t("practice.stats_missing", path=path))
        return 0
    with history:
        echo(stats_text(history, datetime.now(timezone.utc)))
    return 0
