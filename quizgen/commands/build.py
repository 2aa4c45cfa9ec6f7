"""`quizgen build`: the static study site, as named stages: load -> generate + render -> write.

Every question page is rendered right where its question is generated (in worker processes
for large banks), so only HTML and a small summary per question travel back. The site is
written into a folder beside `--out` and swapped in at the end: a failed build leaves the
previous site intact.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from quizgen.bank import collection
from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.spec import Family
from quizgen.commands.options import add_lang
from quizgen.limits import check_variants
from quizgen.messages import current, t, using
from quizgen.writers import destination, site
from quizgen.writers.atomic import atomic_directory
from quizgen.writers.destination import Owner

PROGRESS_FROM = 200  # questions; fewer finish before a bar would be worth drawing


def register(sub):
    p = sub.add_parser("build", help=t("site.cli_help"), description=t("site.cli_description"))
    p.add_argument("--bank", metavar="DIR", help=t("site.opt_bank"))
    p.add_argument("--out", default="site", metavar="DIR", help=t("site.opt_out"))
    p.add_argument("--variants", type=int, default=3, metavar="N", help=t("site.opt_variants"))
    p.add_argument("--seed", type=int, default=0, metavar="S", help=t("site.opt_seed"))
    return add_lang(p)


@dataclass(frozen=True)
class Result:
    out: Path
    files: list[str]  # every path inside `out`, sorted
    questions: int
    families: int

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


class _Job:
    """Generate one variant, write its page, return its entry (picklable, for worker processes)."""

    def __init__(self, variants: int, folder: Path, lang: str):
        self.variants, self.folder, self.lang = variants, folder, lang

    def __call__(self, family: Family, index: int, bank_seed: int) -> dict:
        with using(self.lang):  # a spawned worker does not inherit the parent's language
            return site.write_question(variant(family, index, bank_seed), self.variants, self.folder, self.lang)

    def warm_up(self) -> None:
        site.warm_up(self.lang)  # a spawned worker compiles the templates once, not per task


MARKER = ".quizgen-site"
SITE = Owner("quizgen build", "site", re.compile(r"README\.md"), MARKER)


def check_out(out: Path) -> None:
    """The output folder is replaced whole: refuse one that holds anything a build did not write."""
    destination.folder(out, SITE)


def build(bank: str | Path | None, out: str | Path, variants: int = 3, seed: int = 0, progress=None,
          lang: str | None = None) -> Result:
    """`progress(total)` may return a callable told of each finished question; `lang`: the
    language in use unless given."""
    lang = lang or current()
    check_variants(variants)
    check_out(Path(out))
    families = load_bank(bank)                                      # load: every error at once
    site.warm_up(lang)                                              # compile templates before workers fork
    tick = progress(len(families) * variants) if progress else None
    with atomic_directory(out, SITE) as tmp:                        # built beside `out`, swapped in at the end
        site.prepare(tmp)
        (tmp / MARKER).write_text("This folder is written whole by `quizgen build`.\n", encoding="utf-8")
        # generate + render + write each question page; keep only its entry
        entries = collection.map_variants(families, variants, seed, _Job(variants, tmp, lang), tick)
        pages = site.collection_pages(entries, {f.id: f.summary for f in families}, lang)  # index, practice, ...
        files = site.write_files(tmp, pages) + [f"questions/{e['id']}.html" for e in entries]
    return Result(Path(out), sorted(files), len(entries), len(families))


def run(args) -> int:
    from tqdm import tqdm

    bars = []

    def progress(total: int):
        if total < PROGRESS_FROM or not sys.stderr.isatty():
            return None
        # No elapsed time or rate in the bar: nothing quizgen prints depends on the clock.
        bars.append(tqdm(total=total, file=sys.stderr, leave=False, desc=t("site.progress"),
                         bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}"))
        return bars[-1].update

    try:
        result = build(args.bank, args.out, args.variants, args.seed, progress=progress)
    finally:
        for bar in bars:
            bar.close()
    print(t("site.written", pages=result.pages, questions=result.questions, families=result.families,
            index=str(result.out / "index.html")))
    return 0
