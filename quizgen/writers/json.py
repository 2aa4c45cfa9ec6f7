"""JSON export: every question's record under `"schema": "quizgen.questions/1"` (docs/schema.md).

Each question is encoded where it is generated (in a worker), so only its text travels back;
the document is then written in pieces, never joined into one string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from quizgen.bank.question import SCHEMA, Question
from quizgen.writers import Context, FileWriter, register


# One encoder for every question: json.dumps with these options would build a new one per call.
# A record is a tree (to_dict builds fresh dicts and lists, never a cycle), so the encoder skips
# its cycle check: a marker per dict and list was ~15% of encoding; the text is the same.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


class JsonWriter(FileWriter):
    name = "json"

    def render(self, question: Question, context: Context) -> str:
        return _ENCODER.encode(question.to_dict())

    def write(self, rendered: list[str], context: Context) -> Iterator[str]:
        yield '{"schema":' + json.dumps(SCHEMA) + ',"questions":['
        for n, part in enumerate(rendered):
            yield "," + part if n else part
        yield "]}\n"


WRITER = register(JsonWriter())
