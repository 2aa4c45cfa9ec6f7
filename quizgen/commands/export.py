"""`quizgen export --format F`: every family × N variants through one registered writer."""

from __future__ import annotations

from quizgen import writers
from quizgen.bank.collection import cores
from quizgen.bank.load import load_bank
from quizgen.messages import t
from quizgen.publish import check_jobs, publish


def register(sub):
    p = sub.add_parser("export", help="export the bank's questions (JSON schema quizgen.questions/2)",
                       description="Write every family × N variants as {\"schema\": \"quizgen.questions/2\", "
                                   "\"questions\": [...]} (see docs/schema.md).")
    p.add_argument("--format", default="json", metavar="FORMAT",
                   help=t("writers.opt_format", formats=", ".join(writers.names())))
    p.add_argument("--bank", metavar="DIR", help="question bank directory (default: ./question_bank or the shipped bank)")
    p.add_argument("--variants", type=int, default=1, metavar="N", help="variants per family (default: 1)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="bank seed (default: 0)")
    p.add_argument("--family", action="append", metavar="ID", help="only these families (repeatable)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output (- for standard output)")
    p.add_argument("--jobs", type=int, metavar="N", help=t("writers.opt_jobs", cores=cores()))
    add_writer_options(p)
    return p


def add_writer_options(p) -> None:
    """A `--NAME` flag for every option any registered writer declares (once, unless the
    command already has it)."""
    for name in writers.names():
        for option in writers.get(name).options:
            flag = "--" + option.name.replace("_", "-")
            if flag not in p._option_string_actions:
                p.add_argument(flag, dest=option.name, type=option.type, metavar=option.name.upper(),
                               help=f"{option.help} ({name})")


def run(args) -> int:
    from quizgen.errors import QuizgenError
    from quizgen.limits import check_variants

    if args.format not in writers.names():
        raise QuizgenError(t("writers.unknown_format", name=args.format, formats=", ".join(writers.names())))
    check_variants(args.variants)
    check_jobs(args.jobs)
    writer = writers.get(args.format)
    families = load_bank(args.bank)
    if args.family:
        known = {f.id for f in families}
        missing = [f for f in args.family if f not in known]
        if missing:
            raise QuizgenError(f"--family: unknown family {missing[0]!r}")
        families = [f for f in families if f.id in set(args.family)]
    options = {o.name: getattr(args, o.name, None) for o in writer.options}
    out = None if args.out in (None, "-") else args.out
    publish(writer, families, args.variants, args.seed, out, jobs=args.jobs, options=options)
    return 0
