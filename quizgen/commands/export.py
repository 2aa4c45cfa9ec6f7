"""`quizgen export --format F`: every family × N variants (or those chosen by --family, --tag,
--topic) through one registered writer: json, anki, moodle, qti, gift, csv (docs/formats.md)."""

from __future__ import annotations

import sys

from quizgen import writers
from quizgen.bank.collection import cores
from quizgen.bank.load import load_bank
from quizgen.bank.question import SCHEMA
from quizgen.commands.options import add_lang
from quizgen.messages import current, t
from quizgen.messages.text import say
from quizgen.publish import check_jobs, publish
from quizgen.limits import seed_arg


def register(sub):
    p = sub.add_parser("export", help=t("exports.help", schema=SCHEMA), description=t("exports.description", schema=SCHEMA))
    p.add_argument("--format", default="json", metavar="FORMAT",
                   help=t("writers.opt_format", formats=", ".join(writers.names())))
    p.add_argument("--bank", metavar="DIR", help=t("export.opt_bank"))
    p.add_argument("--variants", type=int, default=1, metavar="N", help=t("export.opt_variants"))
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help=t("export.opt_seed"))
    p.add_argument("--family", action="append", metavar="ID", help=t("export.opt_family"))
    p.add_argument("--tag", action="append", metavar="T", help=t("exports.opt_tag"))
    p.add_argument("--topic", action="append", metavar="T", help=t("exports.opt_topic"))
    p.add_argument("--out", metavar="FILE", help=t("export.opt_out"))
    p.add_argument("--jobs", type=int, metavar="N", help=t("writers.opt_jobs", cores=cores()))
    add_lang(p)
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
                               help=t("writers.opt_of_writer", help=say(option.help), writer=name))


def chosen(families: list, tags: list[str] | None, topics: list[str] | None) -> list:
    """The families carrying any of `tags` and in any of `topics` (None: no condition)."""
    return [f for f in families
            if (not tags or set(tags) & set(f.tags)) and (not topics or f.topic in topics)]


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
            raise QuizgenError(t("export.unknown_family", family=missing[0]))
        families = [f for f in families if f.id in set(args.family)]
    families = chosen(families, args.tag, args.topic)
    if not families:
        raise QuizgenError(t("exports.nothing_selected"))
    if getattr(writer, "binary", False) and args.out is None and sys.stdout.isatty():
        raise QuizgenError(t("exports.binary_to_terminal", name=writer.name))
    options = {o.name: getattr(args, o.name, None) for o in writer.options}
    if "lang" in options:
        options["lang"] = current()  # the checked language (an alias such as zh-CN names its folder)
    out = None if args.out in (None, "-") else args.out
    publish(writer, families, args.variants, args.seed, out, jobs=args.jobs, options=options)
    return 0
