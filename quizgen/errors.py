"""The error tree: every failure a user can cause knows where it happened.

    QuizgenError                 exit 2, printed once by cli.main as "where: what"
    ├── ProblemError             a problem file (TOML/JSON) for `quizgen solve`
    ├── BankError                a question family in question_bank/
    │   └── FamilyExhausted      a family that cannot produce valid variants
    ├── SpecError                an exam spec
    ├── AnswerError              a typed answer that cannot be read
    ├── HistoryError             the practice database (corrupt, locked, not ours)
    └── BuildError               writing an output (site, exam, export)

Library code raises; only the CLI prints. `location` is "file: key" (either may be empty).
"""

from __future__ import annotations


class QuizgenError(Exception):
    """A failure a user can act on, with the place it happened."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key

    @property
    def location(self) -> str:
        return ": ".join(str(part) for part in (self.file, self.key) if part)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ProblemError(QuizgenError):
    """A problem file that cannot be solved as written."""


class BankError(QuizgenError):
    """A question family that is malformed."""


class FamilyExhausted(BankError):
    """A family whose variants keep coming out degenerate."""


class SpecError(QuizgenError):
    """An exam spec that cannot be printed as written."""


class AnswerError(QuizgenError):
    """A typed answer that cannot be read as a number, vector, matrix or choice."""


class HistoryError(QuizgenError):
    """A practice database that cannot be used safely."""


class BuildError(QuizgenError):
    """An output that could not be written."""


class ErrorList(QuizgenError):
    """Several problems found at once: validators collect, then stop once."""

    def __init__(self, errors: list[QuizgenError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
