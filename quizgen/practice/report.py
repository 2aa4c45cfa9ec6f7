"""What `quizgen stats` prints: accuracy per topic, reviews due, frequent mistakes, from the history.

Accuracy is the one score quizgen uses everywhere (terminal summary, stats, the site): each
question counts once, by its first answer; a retry that fixes it does not make it right.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from quizgen.messages import DEFAULT_LANG, catalog, current, t
from quizgen.practice.feedback import when
from quizgen.practice.history import History, sqlite_error
from quizgen.render.width import ljust, rjust, width

MISTAKES_SHOWN = 10


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(width(r[i]) for r in [header] + rows) for i in range(len(header))]  # columns, not characters
    return ["  " + "  ".join(rjust(cell, w) if i in right else ljust(cell, w)
                             for i, (cell, w) in enumerate(zip(r, widths))).rstrip()
            for r in [header] + rows]


def topic_label(topic: str) -> str:
    """A topic as the terminal shows it: in English its id (what --topic takes), in another language
    its name as that edition of the site says it (site.topic_*), else the id as written."""
    key = f"site.topic_{topic.replace('-', '_')}"
    return t(key) if current() != DEFAULT_LANG and key in catalog() else topic


def _percent(correct: int, attempts: int) -> str:
    return f"{correct / attempts:.0%}" if attempts else "–"


def stats_text(history: History, now: datetime) -> str:
    """The whole report; a history without attempts says so in one line."""
    try:
        return _report(history, now)
    except sqlite3.Error as exc:
        raise sqlite_error(history.path, exc) from None


def _report(history: History, now: datetime) -> str:
    db = history.conn
    count, first, last = db.execute("SELECT COUNT(*), CAST(MIN(at) AS TEXT), CAST(MAX(at) AS TEXT)"
                                    " FROM attempts").fetchone()
    if not count:
        return t("practice.stats_empty", path=history.path)
    lines = [t("practice.stats_head", path=history.path, attempts=count, first=first[:10], last=last[:10]), ""]

    # One row per question: its first answer (or the solution shown instead); a skip does not count.
    # CAST: TEXT columns can still hold a blob that another program put there.
    topics = db.execute("SELECT CAST(topic AS TEXT), COUNT(*), SUM(correct) FROM attempts WHERE try_number = 1"
                        " AND outcome != 'skipped' GROUP BY topic ORDER BY topic").fetchall()
    rows = [[topic_label(topic), str(n), str(right), _percent(right, n)] for topic, n, right in topics]
    total_n, total_right = sum(r[1] for r in topics), sum(r[2] for r in topics)
    rows.append([t("practice.stats_all"), str(total_n), str(total_right), _percent(total_right, total_n)])
    lines.append(t("practice.stats_topics"))
    lines += _table([t("practice.stats_topic"), t("practice.stats_attempts"), t("practice.stats_correct"),
                     t("practice.stats_percent")], rows, right={1, 2, 3})

    lines += ["", t("practice.stats_reviews")]
    cards = sorted(history.cards().values(), key=lambda c: (c.due, c.family))  # checked rows only
    if cards:
        rows = [[c.family, c.due.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), when(c.due, now)] for c in cards]
        lines += _table([t("practice.stats_family"), t("practice.stats_due"), ""], rows, right=set())
    else:
        lines.append(t("practice.stats_no_reviews"))

    lines += ["", t("practice.stats_mistakes")]
    mistakes = db.execute(
        "SELECT CAST(COALESCE(MAX(mistake_name), mistake) AS TEXT), COUNT(*) AS n FROM attempts WHERE mistake IS NOT NULL"
        " GROUP BY mistake ORDER BY n DESC, mistake LIMIT ?", (MISTAKES_SHOWN,)).fetchall()
    if mistakes:
        lines += [f"  {n}× {name}" for name, n in mistakes]
    else:
        lines.append(t("practice.stats_no_mistakes"))
    return "\n".join(lines)
