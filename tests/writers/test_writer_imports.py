"""Start-up of `quizgen export`: listing the writers (every export does, for --format's help and
the writer options) loads no page renderer, so a JSON export does not pay for Jinja, Markdown,
pylatexenc or SQLite (issue 15, speed)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import quizgen.writers as writers

FOLDER = Path(writers.__file__).parent
HEAVY = ("jinja2", "markdown", "pylatexenc", "sqlite3")


def test_modules_skipped_by_discovery_hold_no_writer():
    """Guards writers._HELPERS: a module listed there is never imported to find a WRITER, so one
    that gained a WRITER would silently be missing from --format."""
    for name in sorted(writers._HELPERS):
        tree = ast.parse((FOLDER / f"{name}.py").read_text(encoding="utf-8"))
        assigned = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)}
        assert "WRITER" not in assigned, f"quizgen/writers/{name}.py holds a WRITER but discovery skips it"


def test_listing_writers_loads_no_page_renderer():
    """Guards the lazy imports in render/safe.py, render/text.py, writers/site_env.py and anki.py."""
    code = ("import sys\nfrom quizgen.cli import build_parser\nbuild_parser('export')\n"
            "from quizgen import writers\nassert 'json' in writers.names() and 'site' in writers.names()\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"listing the writers imported {loaded}"


def test_site_warm_up_loads_the_converters_before_workers_fork():
    """Guards site.warm_up: latex2mathml (~50 ms) loads in the parent, once, so no forked worker
    imports it again at its first formula; python-markdown (~40 ms) no longer does, since
    render.plain_markdown writes every text of the shipped bank: its pages never load it (issue
    15, speed; this test asserted python-markdown loaded before)."""
    code = ("import sys\nfrom quizgen.bank.generate import variant\nfrom quizgen.bank.load import load_bank\n"
            "from quizgen.writers import site\nsite.warm_up('en')\nwarm = 'latex2mathml.converter' in sys.modules\n"
            "for family in load_bank(None):\n    site.question_page(variant(family, 0, 0), 1)\n"
            "print(warm, 'markdown' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "True False"
