"""`quizgen solve FILE...`: solve any network written as a problem file."""

from __future__ import annotations

import json
import sys

from quizgen.commands.options import add_lang
from quizgen.engine import solve
from quizgen.errors import ProblemError
from quizgen.messages import t
from quizgen.problem import load_problem
from quizgen.render.solution_text import render_solution


def register(sub):
    p = sub.add_parser("solve", help=t("solve.help"), description=t("solve.description"))
    p.add_argument("files", nargs="+", metavar="FILE", help=t("solve.opt_files"))
    p.add_argument("--json", action="store_true", help=t("solve.opt_json"))
    return add_lang(p, terminal=True)


def _json_line(path: str, tape) -> str:
    """One JSON Lines record; never the non-standard Infinity or NaN (load_problem refuses them first)."""
    try:
        return json.dumps(tape.to_json(), separators=(",", ":"), allow_nan=False) + "\n"
    except ValueError:
        raise ProblemError(t("input.solve_not_finite"), file=path) from None


def run(args) -> int:
    # Validate and render every file before printing anything, so output is never half a batch.
    tapes = [(path, solve(load_problem(path))) for path in args.files]
    if args.json:
        texts = [_json_line(path, tape) for path, tape in tapes]
    else:
        texts = [("\n" if i else "") + render_solution(tape, title=str(path)) + "\n"
                 for i, (path, tape) in enumerate(tapes)]
    sys.stdout.write("".join(texts))
    return 0
