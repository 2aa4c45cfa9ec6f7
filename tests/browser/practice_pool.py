"""What the browser tests read from a built site: the practice page's embedded questions, and a
value written the way a student types it."""

from __future__ import annotations

import json
import re
from pathlib import Path


def pool(site: Path) -> list[dict]:
    """The questions practice.html embeds, in page order."""
    html = (site / "practice.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'id="quizgen-practice">(.*?)</script>', html).group(1))


def pool_by_id(site: Path) -> dict[str, dict]:
    return {q["id"]: q for q in pool(site)}


def typed(value) -> str:
    """A value as a student types it, at full precision."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return "; ".join(" ".join(repr(x) for x in row) for row in value)
    if isinstance(value, list):
        return " ".join(repr(x) for x in value)
    return repr(value)
