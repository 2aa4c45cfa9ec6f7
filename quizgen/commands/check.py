"""`quizgen check`: validate every family and stress-test a sample of its variants."""

from __future__ import annotations

import sys
from collections import Counter

from quizgen.bank.generate import draw
from quizgen.bank.load import default_bank, load_files, scan_bank
from quizgen.commands.options import add_lang
from quizgen.errors import BankError, QuizgenError
from quizgen.limits import check_variants, seed_arg
from quizgen.messages import t

INSEPARABLE = "reject.inseparable"  # the key of an Inseparable draw's reason (quizgen/bank/kinds/common.py)
RARELY_SEPARATE = 0.5  # share of draws with a mistake inside the answer's tolerance that check reports


def register(sub):
    p = sub.add_parser("check", help=t("check.help"), description=t("check.description"))
    p.add_argument("--bank", metavar="DIR", help=t("check.opt_bank"))
    p.add_argument("--variants", type=int, default=5, metavar="N", help=t("check.opt_variants"))
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help=t("check.opt_seed"))
    return add_lang(p, terminal=True)


def run(args) -> int:
    from quizgen.render.terminal import clean  # error lines carry bank text and file names
    from pathlib import Path

    check_variants(args.variants)
    root = Path(args.bank) if args.bank else default_bank()
    if not root.is_dir():
        raise BankError(t("check.no_bank"), file=str(root))
    files, errors = scan_bank(root)
    families, problems = load_files(files, root)
    errors += problems
    for family in families:
        drawn, inseparable = 0, Counter()
        for index in range(args.variants):
            try:
                _, rejected = draw(family, index, args.seed)
            except QuizgenError as exc:
                errors.append(exc)
                break
            drawn += 1 + sum(rejected.values())
            inseparable.update({k: v for k, v in rejected.items() if k.message == INSEPARABLE})
        else:
            count = sum(inseparable.values())
            if drawn and count / drawn > RARELY_SEPARATE:  # most draws are thrown away: the ranges need work
                cause = str(inseparable.most_common(1)[0][0])  # worded here, in the language in use
                errors.append(BankError(t("answer.rarely_separate", count=count, drawn=drawn, cause=cause),
                                        file=family.path, key="network"))
    for error in errors:
        print(clean(str(error)), file=sys.stderr)
    if errors:
        print(t("check.problems", errors=len(errors), files=len(files)), file=sys.stderr)
        return 2
    def count(what: str, n: int) -> str:
        return t(f"check.{what}_{'one' if n == 1 else 'many'}", n=n)

    print(t("check.ok", families=count("families", len(families)), variants=count("variants", args.variants)))
    return 0
