"""`quizgen exam SPEC.toml`: printable exam versions, answer keys and a roster (optionally PDF)."""

from __future__ import annotations

import sys

from quizgen.commands.options import add_lang, chosen_lang
from quizgen.errors import ErrorList
from quizgen.messages import t
from quizgen.render.numbers import fmt
from quizgen.render.terminal import clean


def register(sub):
    p = sub.add_parser(
        "exam", help=t("exam.cli_help"), description=t("exam.cli_description"))
    p.add_argument("spec", metavar="SPEC", help=t("exam.opt_spec"))
    p.add_argument("--versions", type=int, default=1, metavar="N", help=t("exam.opt_versions"))
    p.add_argument("--out", default="exam-out", metavar="DIR", help=t("exam.opt_out"))
    p.add_argument("--pdf", action="store_true", help=t("exam.opt_pdf"))
    p.add_argument("--replace", action="append", default=[], metavar="V:Q", help=t("roster.opt_replace"))
    p.add_argument("--roster", metavar="CSV", help=t("roster.opt_roster"))
    p.add_argument("--force-new", action="store_true", help=t("roster.opt_force_new"))
    return add_lang(p)


def run(args) -> int:
    from quizgen.exam.build import build

    bars = []

    def progress(total: int):
        if not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        # No elapsed time or rate in the bar: nothing quizgen prints depends on the clock.
        bars.append(tqdm(total=total, file=sys.stderr, leave=False, desc=t("pdf.progress"),
                         bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}"))
        return bars[-1].update

    try:
        result = build(args.spec, args.out, versions=args.versions, pdf=args.pdf, progress=progress, lang=chosen_lang(args),
                       replacements=args.replace, class_list=args.roster, force_new=args.force_new)
    except ErrorList as exc:  # one `file: key: what is wrong` line each, as `quizgen check` prints them
        for error in exc.errors:
            print(clean(str(error)), file=sys.stderr)
        return exc.exit_code
    finally:
        for bar in bars:
            bar.close()
    exam = result.exam
    first = exam.versions[0]
    print(t("exam.written", versions=len(exam.versions), title=clean(exam.spec.title), questions=len(first.items),
            points=fmt(first.total), out=str(args.out).rstrip("/")))
    for name in result.files:
        print(f"  {name}")
    made = result.draft
    for slot in result.new_replacements:  # which replacement of that question this was
        count = made.replaced.count(slot)
        print(t("roster.replaced", slot=f"{slot[0]}:{slot[1]}", count=count))
    if made.students:
        first = made.students[0]
        print(t("roster.students", count=len(made.students), first=clean(first.name), version=first.version,
                number=f"{first.number:03d}"))
    if result.pdf_missing:  # asked for PDFs it could not make: say how to get them, and fail
        needs = "exam.pdf_needs_chromium" if result.pdf_missing == "chromium" else "pdf.needs_playwright"
        print(f"quizgen: {t(needs, out=args.out)}", file=sys.stderr)
        return 2
    return 0
