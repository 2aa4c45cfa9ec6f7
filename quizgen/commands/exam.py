"""`quizgen exam SPEC.toml`: printable exam versions, answer keys and a roster (optionally PDF)."""

from __future__ import annotations

import sys

from quizgen.errors import ErrorList
from quizgen.messages import t
from quizgen.render.numbers import fmt
from quizgen.render.terminal import clean


def register(sub):
    p = sub.add_parser(
        "exam", help="print exam versions, answer keys and a roster from an exam spec",
        description="Draw every version of the exam SPEC describes (same questions, different numbers) "
                    "and write exam-<V>.html, key-<V>.html, roster.csv and roster.json into DIR.")
    p.add_argument("spec", metavar="SPEC", help="exam spec (TOML), e.g. examples/midterm.toml")
    p.add_argument("--versions", type=int, default=1, metavar="N", help="versions to draw (default: 1)")
    p.add_argument("--out", default="exam-out", metavar="DIR", help="output folder, replaced whole (default: exam-out)")
    p.add_argument("--pdf", action="store_true", help="also print each HTML file to PDF with headless Chromium")
    return p


def run(args) -> int:
    from quizgen.exam.build import build

    try:
        result = build(args.spec, args.out, versions=args.versions, pdf=args.pdf)
    except ErrorList as exc:  # one `file: key: what is wrong` line each, as `quizgen check` prints them
        for error in exc.errors:
            print(clean(str(error)), file=sys.stderr)
        return exc.exit_code
    if result.pdf_skipped:
        print(f"quizgen: {t('exam.pdf_needs_chromium', out=args.out)}", file=sys.stderr)
    exam = result.exam
    first = exam.versions[0]
    print(t("exam.written", versions=len(exam.versions), title=clean(exam.spec.title), questions=len(first.items),
            points=fmt(first.total), out=str(args.out).rstrip("/")))
    for name in result.files:
        print(f"  {name}")
    return 0
