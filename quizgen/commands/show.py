"""`quizgen show FAMILY`: one question and its worked solution in the terminal."""

from __future__ import annotations

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
from quizgen.render.terminal import echo
from quizgen.render.text import question_text, solution_text


def register(sub):
    p = sub.add_parser("show", help="print one question and its worked solution",
                       description="Print one variant of a family with its worked solution.")
    p.add_argument("family", metavar="FAMILY", help="family id (file name without .toml)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="bank seed (default: 0)")
    p.add_argument("--index", type=int, default=0, metavar="I", help="variant index (default: 0)")
    p.add_argument("--bank", metavar="DIR", help="question bank directory")
    p.add_argument("--no-solution", action="store_true", help="print only the question")
    return p


def run(args) -> int:
    if args.index < 0:
        raise QuizgenError(f"--index must be 0 or more, got {args.index}")
    families = {f.id: f for f in load_bank(args.bank)}
    if args.family not in families:
        close = [f for f in families if args.family in f] or sorted(families)[:5]
        raise QuizgenError(f"unknown family {args.family!r} (try: {', '.join(close)})")
    q = variant(families[args.family], args.index, args.seed)
    echo(question_text(q))
    if not args.no_solution:
        echo("\n" + solution_text(q))
    return 0
