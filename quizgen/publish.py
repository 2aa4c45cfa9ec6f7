"""Every question through one writer: generate and render each (in workers), then write the
collection. `quizgen build` and `quizgen export` are thin drivers over `publish`.

A file writer's document goes to standard output, a device, or a file written beside `--out`
and renamed over it; a folder writer's folder is built beside `--out` and swapped in whole. The
output is checked before any work, so a bad `--out` fails fast, and a failure leaves the
previous output intact. The result is the same bytes for any `jobs`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from quizgen.bank import collection
from quizgen.bank.generate import variant
from quizgen.bank.localized import pick
from quizgen.bank.spec import Family
from quizgen.errors import BuildError, QuizgenError
from quizgen.messages import current, t, using
from quizgen.writers import Context, Writer, context, destination
from quizgen.writers.atomic import atomic_directory, atomic_write_text

MAX_JOBS = 64


@dataclass(frozen=True)
class Result:
    out: Path | None  # None: standard output
    files: list[str] = field(default_factory=list)  # folder writers: every path inside `out`, sorted
    questions: int = 0
    families: int = 0


def check_jobs(jobs: int | None) -> None:
    if jobs is None:
        return
    if jobs < 1:
        raise QuizgenError(t("writers.bad_jobs", value=jobs))
    if jobs > MAX_JOBS:
        raise QuizgenError(t("writers.too_many_jobs", limit=MAX_JOBS, value=jobs))


class _Render:
    """Generate one variant and render it with the writer (picklable, for worker processes),
    in the language the command runs in: a spawned worker does not inherit it."""

    def __init__(self, writer: Writer, context: Context):
        self.writer, self.context, self.lang = writer, context, current()

    def __call__(self, family: Family, index: int, bank_seed: int):
        with using(self.lang):
            return self.writer.render(variant(family, index, bank_seed), self.context)

    def warm_up(self) -> None:
        with using(self.lang):
            self.writer.warm_up(self.context)  # a spawned worker compiles its templates once, not per task


def _meanwhile(writer: Writer, context: Context):
    """The writer's `meanwhile(context)` (optional: work for `write` that needs no question, such as
    compiling the collection's templates), run by the main process while the workers render."""
    method = getattr(writer, "meanwhile", None)
    return None if method is None else (lambda: method(context))


def publish(writer: Writer, families: list[Family], variants: int, seed: int = 0, out: str | Path | None = None,
            *, jobs: int | None = None, options: dict | None = None, progress=None) -> Result:
    """Write `families` × `variants` with `writer` to `out`; `progress(total)` may return a
    callable told of each finished question."""
    check_jobs(jobs)
    ctx = context(writer, variants, options, summaries={f.id: pick(f, "summary") for f in families})
    total = len(families) * variants
    if writer.output == "folder":
        if out is None:
            raise BuildError(t("output.is_cwd", example=writer.owner.example), file=".")
        destination.folder(Path(out), writer.owner)  # before the work: a bad --out fails fast
        writer.warm_up(ctx)  # compile templates before workers fork
        tick = progress(total) if progress else None
        with atomic_directory(out, writer.owner) as tmp:
            ctx.folder = tmp
            writer.start(ctx)
            rendered = collection.map_variants(families, variants, seed, _Render(writer, ctx), tick, jobs=jobs,
                                               meanwhile=_meanwhile(writer, ctx))
            files = list(writer.write(rendered, ctx))
        return Result(Path(out), sorted(files), len(rendered), len(families))
    target = destination.file(str(out)) if out is not None else None
    writer.warm_up(ctx)
    tick = progress(total) if progress else None
    rendered = collection.map_variants(families, variants, seed, _Render(writer, ctx), tick, jobs=jobs,
                                       meanwhile=_meanwhile(writer, ctx))
    _write_document(writer.write(rendered, ctx), target, None if out is None else str(out),
                    getattr(writer, "binary", False))
    return Result(None if out is None else Path(out), [], len(rendered), len(families))


def _write_document(pieces, target: destination.FileTarget | None, out: str | None, binary: bool = False) -> None:
    """Write the document where `destination.file` said: a stream, a device, or a replaced file
    (a `binary` writer's pieces are bytes: an .apkg or a zip)."""
    if target is None or target.how in ("stdout", "stderr"):
        stream = sys.stderr if target is not None and target.how == "stderr" else sys.stdout
        if binary:
            stream.flush()
            stream = stream.buffer
        stream.writelines(pieces)
        stream.flush()
    elif target.how == "direct":  # a device or FIFO: written to, never replaced
        try:
            with (open(target.path, "wb") if binary else open(target.path, "w", encoding="utf-8", newline="\n")) as fh:
                fh.writelines(pieces)
        except OSError as exc:
            raise BuildError(t("output.cannot_write", reason=exc.strerror or exc), file=out) from None
    else:
        atomic_write_text(target.path, pieces, shown=out, binary=binary)


def document(writer: Writer, families: list[Family], variants: int, seed: int = 0, *, jobs: int | None = None,
             options: dict | None = None) -> str | bytes:
    """A file writer's whole document as one string (bytes for a binary writer: for tests and
    callers that keep it)."""
    ctx = context(writer, variants, options, summaries={f.id: pick(f, "summary") for f in families})
    writer.warm_up(ctx)
    rendered = collection.map_variants(families, variants, seed, _Render(writer, ctx), jobs=jobs)
    return (b"" if getattr(writer, "binary", False) else "").join(writer.write(rendered, ctx))


def export_json(families: list[Family], variants: int, bank_seed: int = 0, jobs: int | None = None) -> str:
    """The `quizgen export --format json` document as text."""
    from quizgen.writers import get

    return document(get("json"), families, variants, bank_seed, jobs=jobs).decode("utf-8")
