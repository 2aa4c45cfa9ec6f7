"""`quizgen solve FILE...`: solve any network written as a problem file."""

from __future__ import annotations

import json
import sys

from quizgen.engine import solve
from quizgen.problem import load_problem
from quizgen.render.solution_text import render_solution


def register(sub):
    p = sub.add_parser("solve", help="solve problem files step by step (TOML or JSON)",
                       description="Print every forward and backward quantity of each problem file.")
    p.add_argument("files", nargs="+", metavar="FILE", help="problem file (.toml or .json)")
    p.add_argument("--json", action="store_true", help="print one JSON object per file per line (JSON Lines)")
    return p


def run(args) -> int:
    # Validate every file before printing anything, so output is never half a batch.
    tapes = [(path, solve(load_problem(path))) for path in args.files]
    out = sys.stdout
    for i, (path, tape) in enumerate(tapes):
        if args.json:
            out.write(json.dumps(tape.to_json(), separators=(",", ":"), allow_nan=False) + "\n")
        else:
            if i:
                out.write("\n")
            out.write(render_solution(tape, title=str(path)) + "\n")
    return 0
