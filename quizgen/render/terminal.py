"""Text bound for a terminal: every control sequence from untrusted text is removed first.

Bank files, file names and typed answers reach the screen through `show`, `practice`, `stats`,
`check` and the CLI's error lines. An ESC in any of them could clear the screen, retitle the
window, or write the clipboard (OSC 52); a bidi override can make a line read differently from
what it holds. `clean` is the one filter all of those outputs go through.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# Whole sequences first, so their parameters do not survive as visible junk.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI (7- and 8-bit), e.g. ESC[2J
    r"|(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape (charset switches, ESC c reset, a lone ESC)
)
# C0 except tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """`text` without control characters, escape sequences or bidi overrides; tabs and newlines stay."""
    return _CONTROLS.sub("", _SEQUENCES.sub("", str(text)))


def echo(text: str, stream: TextIO | None = None) -> None:
    """Print cleaned `text` and a newline to `stream` (stdout by default)."""
    stream = sys.stdout if stream is None else stream
    stream.write(clean(text) + "\n")
    stream.flush()
