"""`quizgen grade RESPONSES.csv --exam EXAM_DIR`: scores.csv and a class report."""

from __future__ import annotations

import sys

from quizgen.commands.options import add_lang
from quizgen.messages import t
from quizgen.render.terminal import clean

MAX_PRINTED = 200  # bad rows printed to stderr; the report lists every one


def register(sub):
    p = sub.add_parser("grade", help=t("grade.cli_help"), description=t("grade.cli_description"))
    p.add_argument("responses", metavar="RESPONSES.csv", help=t("grade.opt_responses"))
    p.add_argument("--exam", required=True, metavar="EXAM_DIR", help=t("grade.opt_exam"))
    p.add_argument("--out", default="grade-out", metavar="DIR", help=t("grade.opt_out"))
    p.add_argument("--spec", metavar="SPEC", help=t("grade.opt_spec"))
    return add_lang(p)


def run(args) -> int:
    from quizgen.grade import grade_class

    result = grade_class(args.responses, args.exam, args.out, args.spec)
    sheet = result.sheet
    for bad in sheet.bad[:MAX_PRINTED]:
        line = t("grade.bad_line", file=args.responses, line=bad.line, reason=bad.reason)
        print(clean(line).replace("\n", " "), file=sys.stderr)
    if len(sheet.bad) > MAX_PRINTED:
        print(clean(t("grade.more_bad", file=args.responses, count=len(sheet.bad) - MAX_PRINTED,
                      report=str(result.out / "report.html"))), file=sys.stderr)
    print(t("grade.written", students=len(sheet.students), title=clean(result.key.title), rows=sheet.rows,
            bad=len({b.line for b in sheet.bad}), out=str(args.out).rstrip("/")))
    return 0
