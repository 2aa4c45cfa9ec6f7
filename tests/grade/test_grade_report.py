"""report.html as a reader and a checker see it: valid HTML (vnu), no serious axe violation, no
script or outside resource, every cell from the responses file shown as text, printable."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from synthetic import make_class, to_csv

from quizgen.grade.exam import load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grade"
VNU = os.environ.get("QUIZGEN_VNU_JAR", "")
AXE = os.environ.get("QUIZGEN_AXE_JS", "")
CHROMIUM = Path("/usr/bin/chromium")
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def reports(class_exam, tmp_path_factory) -> list[Path]:
    """Two reports: the synthetic class (mistakes, ECF) and the Moodle sample (bad rows, hostile cells)."""
    from quizgen.cli import main

    root = tmp_path_factory.mktemp("reports")
    responses = root / "responses.csv"
    responses.write_text(to_csv(make_class(load(class_exam))[0]), encoding="utf-8")
    out = []
    for name, source in (("class", responses), ("moodle", FIXTURES / "moodle_responses.csv")):
        assert main(["grade", str(source), "--exam", str(class_exam), "--out", str(root / name)]) == 0
        out.append(root / name / "report.html")
    return out


def test_the_report_runs_nothing_and_loads_nothing(reports):
    # Guards "no script, no CDN": a typed <script> is text, and the page names no outside resource.
    for path in reports:
        page = path.read_text(encoding="utf-8")
        assert "<script" not in page.lower() and not re.search(r"\b(src|href)=", page)
        assert "<svg" in page
    moodle = reports[1].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in moodle


def test_the_report_is_valid_html(reports):
    if not VNU or not Path(VNU).is_file():
        pytest.skip("set QUIZGEN_VNU_JAR to vnu.jar to check HTML validity")
    done = subprocess.run(["java", "-jar", VNU, "--errors-only", *map(str, reports)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[:4000]


# Run in a child process: the browser tests keep a session-wide Playwright (sync API) open in this one.
BROWSE = """
import json, sys
from pathlib import Path
from playwright.sync_api import sync_playwright
axe = Path(sys.argv[1]).read_text(encoding="utf-8")
out = []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
    for path in sys.argv[2:]:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(Path(path).as_uri())
        page.add_script_tag(content=axe)
        found = page.evaluate(\"\"\"async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))\"\"\")
        pdf = page.pdf(format="A4")
        out.append({"violations": found, "outside": [u for u in requests if not u.startswith("file:")],
                    "pdf": pdf.startswith(b"%PDF"), "pages": pdf.count(b"/Type /Page")})
        page.close()
    browser.close()
print(json.dumps(out))
"""


def test_axe_finds_no_serious_violation_and_the_report_prints(reports, tmp_path):
    if not AXE or not Path(AXE).is_file():
        pytest.skip("set QUIZGEN_AXE_JS to axe.min.js to check accessibility")
    if not CHROMIUM.exists():
        pytest.skip("no Chromium")
    pytest.importorskip("playwright.sync_api")
    import json
    import sys

    script = tmp_path / "browse.py"
    script.write_text(BROWSE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), AXE, *map(str, reports)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for path, seen in zip(reports, json.loads(done.stdout)):
        assert [v for v in seen["violations"] if v["impact"] in SERIOUS] == [], path
        assert seen["outside"] == [] and seen["pdf"] and seen["pages"] >= 2, path
