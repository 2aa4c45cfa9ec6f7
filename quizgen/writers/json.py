"""JSON export: every question's record under `"schema": "quizgen.questions/3"` (docs/schema.md).

Each question is encoded where it is generated (in a worker), so only its bytes travel back; the
document is then written in pieces, never joined into one string.

The encoder is orjson (issue 15 speed): the stdlib's was 12–13% of an export's CPU, orjson does
the same records in about a third of the time. The data is the same; only the spelling of some
numbers differs from `json.dumps` (orjson writes 1e-9 and 0.00001 where Python's repr writes
1e-09 and 1e-05), and any JSON reader reads the same float from both.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from quizgen.bank.question import SCHEMA, Question
from quizgen.writers import Context, FileWriter, register

# NumPy scalars (np.float64, np.int64) sit in some records beside plain floats; orjson writes them
# only with this option, as the same numbers the stdlib wrote for them.
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def encode(record: dict) -> bytes:
    """One record as compact UTF-8 JSON (no spaces, non-ASCII text as itself)."""
    return orjson.dumps(record, option=_OPTIONS)


class JsonWriter(FileWriter):
    name = "json"
    binary = True  # orjson writes UTF-8 bytes: they go to the file as they are, never decoded

    def render(self, question: Question, context: Context) -> bytes:
        # orjson writes a dataclass as a map of its fields in their order: the same bytes as
        # to_dict's copies of the nested records, without making them (a test pins every family)
        return encode(question.top_level())

    def write(self, rendered: list[bytes], context: Context) -> Iterator[bytes]:
        yield b'{"schema":' + orjson.dumps(SCHEMA) + b',"questions":['
        for n, part in enumerate(rendered):
            yield b"," + part if n else part
        yield b"]}\n"


WRITER = register(JsonWriter())
