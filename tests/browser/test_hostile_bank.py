"""The hostile bank's site and exam in headless Chromium, opened from disk (issue 13).

Every payload in tests/security/fixtures/ calls alert() or names file:///etc/passwd. Chromium
must see no dialog, no console or page error, no javascript: link, no iframe/object/embed, no
element with an event handler or a style from bank text, and no request for a file outside the
built folder (requests that leave the machine are aborted and recorded). It lives here, not in
tests/security/, to share this folder's one Playwright session (conftest.browser).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.commands.build import build as build_site
from quizgen.exam.build import build as build_exam

FIXTURES = Path(__file__).resolve().parents[1] / "security" / "fixtures"

SITE_PAGES = ["index.html", "families/xss-gradient.html", "families/xss-choice.html",
              "questions/xss-gradient--s0-v0.html", "questions/xss-choice--s0-v1.html",
              "questions/xss-derivative--s0-v0.html", "practice.html", "flashcards.html"]
EXAM_PAGES = ["exam-A.html", "key-A.html"]

# What the page holds that could run or load anything, as the browser parsed it.
INSPECT = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    loaders: [...document.querySelectorAll('iframe, frame, object, embed, img, svg, video, audio, image, base')]
      .map(el => el.outerHTML.slice(0, 80)),
    handlers: all.filter(el => [...el.attributes].some(a => a.name.startsWith('on'))).map(el => el.outerHTML.slice(0, 80)),
    styled: all.filter(el => el.hasAttribute('style') && !/^(height: [\\d.]+cm|--cols: \\d+)$/.test(el.getAttribute('style')))
      .map(el => el.outerHTML.slice(0, 80)),
    links: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
      .map(el => el.href || el.src || el.action || '').filter(u => u && !/^(https?|file):/.test(u)),
    scripts: [...document.scripts].filter(s => s.type !== 'application/json' && !/\\/static\\/js\\/\\w+\\.js$/.test(s.src)
      && s.textContent !== 'document.documentElement.className = "js";').map(s => s.outerHTML.slice(0, 80)),
    styles: document.querySelectorAll('style').length,
    mathHrefs: [...document.querySelectorAll('math [href], math [style], math [class], math maction')].length,
  };
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-browser")
    build_site(FIXTURES / "hostile_bank", root / "site", variants=2, seed=0)
    build_exam(FIXTURES / "hostile_exam.toml", root / "exam-out", versions=2)
    return root / "site", root / "exam-out"


class Watch:
    """One page with every dialog, console/page error and request recorded."""

    def __init__(self, browser, folder: Path):
        self.folder = folder.resolve()
        self.context = browser.new_context()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: str):
        self.page.goto((self.folder / path).as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def outside(self) -> list[str]:
        """Requests for anything but a file inside the built folder."""
        inside = self.folder.as_uri() + "/"
        return [url for url in self.requests if not url.startswith(inside)]


def _exercise(page) -> None:
    """Open every <details>, and make every practice template live as practice.js does."""
    page.evaluate("""() => {
      document.querySelectorAll('details').forEach(d => { d.open = true; });
      document.querySelectorAll('template').forEach(t => document.body.appendChild(document.importNode(t.content, true)));
    }""")
    page.wait_for_timeout(100)


@pytest.mark.parametrize("path", SITE_PAGES + EXAM_PAGES)
def test_hostile_text_runs_and_loads_nothing(browser, built, path):
    folder = built[1] if path in EXAM_PAGES else built[0]
    watch = Watch(browser, folder)
    try:
        page = watch.open(path)
        if path == "practice.html":
            for _ in range(6):  # each click shows another pool question from its <template>
                page.click("#practice-new")
        _exercise(page)
        found = page.evaluate(INSPECT)
        assert watch.dialogs == [] and watch.errors == [], (watch.dialogs, watch.errors)
        assert watch.outside() == []
        assert found["loaders"] == [] and found["handlers"] == [] and found["styled"] == []
        assert found["links"] == [] and found["scripts"] == [] and found["mathHrefs"] == 0
        assert found["styles"] == (1 if path in EXAM_PAGES else 0)
    finally:
        watch.context.close()


def test_bank_text_is_visible_as_text(browser, built):
    watch = Watch(browser, built[0])
    try:
        page = watch.open("questions/xss-gradient--s0-v0.html")
        prompt = page.inner_text(".prompt")
        assert "<script>alert('prompt-script')</script>" in prompt
        assert "</template><script>alert('template-breakout')</script><template>" in prompt
        assert page.title().startswith("Hostile: </script><script>alert('title')</script>")
    finally:
        watch.context.close()
