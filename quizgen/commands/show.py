"""`quizgen show FAMILY`: one question and its worked solution in the terminal."""

from __future__ import annotations

import difflib

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.commands.options import add_lang
from quizgen.errors import QuizgenError
from quizgen.messages import t
from quizgen.render.terminal import echo
from quizgen.present.terminal import question_text, solution_text, wrong_answers_text
from quizgen.limits import seed_arg


def register(sub):
    p = sub.add_parser("show", help=t("show.help"), description=t("show.description"))
    p.add_argument("family", metavar="FAMILY", help=t("show.opt_family"))
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help=t("show.opt_seed"))
    p.add_argument("--index", type=int, default=0, metavar="I", help=t("show.opt_index"))
    p.add_argument("--bank", metavar="DIR", help=t("show.opt_bank"))
    p.add_argument("--no-solution", action="store_true", help=t("show.opt_no_solution"))
    return add_lang(p, terminal=True)


def run(args) -> int:
    if args.index < 0:
        raise QuizgenError(t("show.bad_index", index=args.index))
    families = {f.id: f for f in load_bank(args.bank)}
    if args.family not in families:
        close = ([f for f in sorted(families) if args.family in f][:5]  # similar names first, then a few
                 or difflib.get_close_matches(args.family, sorted(families), n=5, cutoff=0.4) or sorted(families)[:5])
        raise QuizgenError(t("show.unknown_family", family=args.family, close=", ".join(close)))
    q = variant(families[args.family], args.index, args.seed)
    echo(question_text(q))  # echo cleans: titles, prompts and steps come from bank files
    if not args.no_solution:
        echo("\n" + solution_text(q))
        wrong = wrong_answers_text(q)
        if wrong:
            echo("\n" + wrong)
    return 0
