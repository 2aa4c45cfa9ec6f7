"""`quizgen build`: the static study site, as named stages: load -> generate + render -> write.

`--lang en,zh` writes one edition per language side by side (DIR/en/, DIR/zh/, each a whole site
whose pages link each other; DIR/index.html chooses one), built into one folder swapped in whole.
A single language keeps the layout below unchanged.

The site is the `site` writer driven by `quizgen.publish`: every question page is rendered
right where its question is generated (in `--jobs` worker processes), so only HTML and a small
summary per question travel back. The site is written into a folder beside `--out` and swapped
in at the end: a failed build leaves the previous site intact.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from quizgen.bank.collection import cores
from quizgen.bank.load import load_bank
from quizgen.commands.options import add_lang, chosen_langs
from quizgen.limits import check_variants, seed_arg
from quizgen.messages import current, t, using
from quizgen.publish import check_jobs, publish
from quizgen.writers import destination, get, site_editions
from quizgen.writers.atomic import atomic_directory
from quizgen.writers.site import MARKER, OWNER as SITE

PROGRESS_FROM = 200  # questions; fewer finish before a bar would be worth drawing


def register(sub):
    p = sub.add_parser("build", help=t("site.cli_help"), description=t("site.cli_description"))
    p.add_argument("--bank", metavar="DIR", help=t("site.opt_bank"))
    p.add_argument("--out", default="site", metavar="DIR", help=t("site.opt_out"))
    p.add_argument("--variants", type=int, default=3, metavar="N", help=t("site.opt_variants"))
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help=t("site.opt_seed"))
    p.add_argument("--jobs", type=int, metavar="N", help=t("writers.opt_jobs", cores=cores()))
    return add_lang(p, several=True)


@dataclass(frozen=True)
class Result:
    out: Path
    files: list[str]  # every path inside `out`, sorted
    questions: int
    families: int

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def check_out(out: Path) -> None:
    """The output folder is replaced whole: refuse one that holds anything a build did not write."""
    destination.folder(out, SITE)


def build(bank: str | Path | None, out: str | Path, variants: int = 3, seed: int = 0, progress=None,
          jobs: int | None = None, lang: str | None = None, langs: tuple[str, ...] = ()) -> Result:
    """`progress(total)` may return a callable told of each finished question; `jobs` worker
    processes (None: every core), the same bytes for any number; `lang`: the language in use
    unless given; `langs`: two or more build editions side by side (DIR/<lang>/)."""
    langs = tuple(dict.fromkeys(langs)) or (lang or current(),)
    check_variants(variants)
    check_jobs(jobs)
    check_out(Path(out))
    families = load_bank(bank)                                      # load: every error at once
    if len(langs) == 1:
        with using(langs[0]):
            done = publish(get("site"), families, variants, seed, out, jobs=jobs, options={"lang": langs[0]},
                           progress=progress)
        return Result(Path(out), done.files, done.questions, done.families)
    return _editions(families, langs, out, variants, seed, jobs, progress)


def _editions(families, langs: tuple[str, ...], out, variants: int, seed: int, jobs, progress) -> Result:
    """Every edition into DIR/<lang>/ of one folder built beside DIR, then DIR/index.html."""
    files: list[str] = []
    with atomic_directory(out, SITE) as tmp:
        for code in langs:
            with using(code):
                done = publish(get("site"), families, variants, seed, tmp / code, jobs=jobs,
                               options={"lang": code, "editions": ",".join(langs)}, progress=progress)
            files += [f"{code}/{name}" for name in done.files]
        files += site_editions.write_index(tmp, langs)
        (tmp / MARKER).write_text("This folder is written whole by `quizgen build`.\n", encoding="utf-8")
    return Result(Path(out), sorted(files), done.questions * len(langs), done.families)


def run(args) -> int:
    bars = []

    def progress(total: int):
        if total < PROGRESS_FROM or not sys.stderr.isatty():
            return None
        from tqdm import tqdm  # only for a bar someone sees (importing it is ~25 ms of start-up)

        # No elapsed time or rate in the bar: nothing quizgen prints depends on the clock.
        bars.append(tqdm(total=total, file=sys.stderr, leave=False, desc=t("site.progress"),
                         bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}"))
        return bars[-1].update

    try:
        result = build(args.bank, args.out, args.variants, args.seed, progress=progress, jobs=args.jobs,
                       langs=chosen_langs(args))
    finally:
        for bar in bars:
            bar.close()
    print(t("site.written", pages=result.pages, questions=result.questions, families=result.families,
            index=str(result.out / "index.html")))
    return 0
