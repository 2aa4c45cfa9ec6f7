"""Every limit quizgen puts on untrusted input, in one place (README.md "Limits" lists them).

A bank, spec or problem file may come from a stranger: each limit keeps a hostile or careless
file from hanging, crashing or exhausting the machine, and each is far above what a
hand-computable exercise needs.
"""

from __future__ import annotations

MAX_FILE_BYTES = 1_048_576      # a bank, spec or problem file (1 MiB)
MAX_DEPTH = 32                  # nesting of tables and lists in such a file
MAX_INT = 2**63 - 1             # any whole number in such a file, in absolute value
MAX_ID_LENGTH = 64              # characters of a family id (it is a file name)
MAX_BANK_ENTRIES = 20_000       # files and folders in a bank folder, all levels together

MAX_VALUE = 1000                # |value| in a family's values.X, values.W, values.b, values.z
MAX_LEARNING_RATE = 100         # a family's network.learning_rate
MAX_UNITS = 10                  # units per layer of a family that computes numbers
MAX_BATCH = 10                  # examples per batch of a family that computes numbers
MAX_SHAPE_UNITS = 100_000       # units per layer and batch size of a shapes_table family
MAX_HIDDEN = 8                  # hidden layers of a family
MAX_DISTRACTORS = 10            # a family's min_distractors
MAX_TEXT = 2000                 # characters of a family's title, summary, source, each hint and tag
MAX_PROMPT = 5000               # characters of a family's prompt
MAX_HINTS = 10                  # hints of a family
MAX_TAGS = 20                   # tags of a family

MAX_VARIANTS = 1000             # --variants of build, export and check
MAX_SEED = 2**63 - 1            # --seed (it is part of every question id and page name)

MAX_DIMENSION = 100             # rows or columns of a matrix in a problem file (`quizgen solve`)
MAX_LAYERS = 20                 # [[layers]] in a problem file
MAX_CHAIN = 4                   # activations chained in one layer ("relu+softmax"), in a problem file or a family

MAX_POINTS = 1000               # points per question in an exam section
MAX_DURATION = 10_000           # minutes of an exam
MAX_LINE = 200                  # characters of an exam's title, course, date and each section title
MAX_INSTRUCTIONS = 5000         # characters of an exam's instructions (Markdown + math, like a prompt)

MAX_RESPONSES_BYTES = 16_777_216  # a responses CSV for `quizgen grade` (16 MiB: a large class, every part)
MAX_RESPONSE_ROWS = 100_000     # rows of a responses CSV (a student's row in a Moodle or Canvas export)
MAX_RESPONSE_COLUMNS = 1000     # columns of a responses CSV (Moodle and Canvas exports are wide)
MAX_RESPONSE_CELL = 10_000      # characters of one cell (an answer as typed: grading.MAX_CHARS)
MAX_STUDENT = 100               # characters of a student's id or name in a responses CSV


def check_variants(value: int) -> None:
    """Refuse a --variants of build, export or check outside 1..MAX_VARIANTS, as one line."""
    from quizgen.errors import QuizgenError
    from quizgen.messages import t

    if value < 1:
        raise QuizgenError(t("site.bad_variants", value=value))
    if value > MAX_VARIANTS:
        raise QuizgenError(t("input.too_many_variants", limit=MAX_VARIANTS, value=value))


def seed_arg(text: str) -> int:
    """argparse type of --seed: a whole number from 0 to MAX_SEED (a 300-digit seed made page
    names too long for the file system)."""
    import argparse

    from quizgen.messages import t

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("input.seed_not_whole", value=text[:40])) from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(t("input.seed_range", most=MAX_SEED))
    return value
