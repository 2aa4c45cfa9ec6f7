"""`quizgen export --format json`: every family × N variants as one JSON document."""

from __future__ import annotations

import sys

from quizgen.bank.collection import export_json
from quizgen.bank.load import load_bank
from quizgen.bank.question import SCHEMA
from quizgen.commands.options import add_lang
from quizgen.errors import BuildError
from quizgen.messages import t
from quizgen.writers import destination
from quizgen.writers.atomic import atomic_write_text


def register(sub):
    p = sub.add_parser("export", help=t("export.help", schema=SCHEMA), description=t("export.description", schema=SCHEMA))
    p.add_argument("--format", choices=["json"], default="json", help=t("export.opt_format"))
    p.add_argument("--bank", metavar="DIR", help=t("export.opt_bank"))
    p.add_argument("--variants", type=int, default=1, metavar="N", help=t("export.opt_variants"))
    p.add_argument("--seed", type=int, default=0, metavar="S", help=t("export.opt_seed"))
    p.add_argument("--family", action="append", metavar="ID", help=t("export.opt_family"))
    p.add_argument("--out", metavar="FILE", help=t("export.opt_out"))
    return add_lang(p)


def run(args) -> int:
    from quizgen.errors import QuizgenError
    from quizgen.limits import check_variants

    check_variants(args.variants)
    families = load_bank(args.bank)
    if args.family:
        known = {f.id for f in families}
        missing = [f for f in args.family if f not in known]
        if missing:
            raise QuizgenError(t("export.unknown_family", family=missing[0]))
        families = [f for f in families if f.id in set(args.family)]
    target = destination.file(args.out) if args.out else None  # before the work: a bad --out fails fast
    text = export_json(families, args.variants, args.seed)
    write(text, target, args.out)
    return 0


def write(text: str, target: destination.FileTarget | None, out: str | None) -> None:
    """Write the document where `destination.file` said: a stream, a device, or a replaced file."""
    if target is None or target.how in ("stdout", "stderr"):
        stream = sys.stderr if target is not None and target.how == "stderr" else sys.stdout
        stream.write(text)
        stream.flush()
    elif target.how == "direct":  # a device or FIFO: written to, never replaced
        try:
            with open(target.path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise BuildError(t("output.cannot_write", reason=exc.strerror or exc), file=out) from None
    else:
        atomic_write_text(target.path, text, shown=out)
