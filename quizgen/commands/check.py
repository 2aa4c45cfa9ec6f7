"""`quizgen check`: validate every family and stress-test a sample of its variants."""

from __future__ import annotations

import sys

from quizgen.bank.generate import variant
from quizgen.bank.load import default_bank, load_files, scan_bank
from quizgen.errors import BankError, QuizgenError
from quizgen.limits import check_variants


def register(sub):
    p = sub.add_parser("check", help="validate the question bank",
                       description="Check every family file; print each problem as 'file: key: what is wrong'.")
    p.add_argument("--bank", metavar="DIR", help="question bank directory (default: ./question_bank)")
    p.add_argument("--variants", type=int, default=5, metavar="N", help="variants generated per family (default: 5)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="bank seed (default: 0)")
    return p


def run(args) -> int:
    from quizgen.render.terminal import clean  # error lines carry bank text and file names
    from pathlib import Path

    check_variants(args.variants)
    root = Path(args.bank) if args.bank else default_bank()
    if not root.is_dir():
        raise BankError("no such bank directory", file=str(root))
    files, errors = scan_bank(root)
    families, problems = load_files(files, root)
    errors += problems
    for family in families:
        for index in range(args.variants):
            try:
                variant(family, index, args.seed)
            except QuizgenError as exc:
                errors.append(exc)
                break
    for error in errors:
        print(clean(str(error)), file=sys.stderr)
    if errors:
        print(f"quizgen check: {len(errors)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return 2
    print(f"quizgen check: {len(families)} families OK ({args.variants} variants each)")
    return 0
