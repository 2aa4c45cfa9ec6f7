"""Study-site writer: Question records -> a static site that works offline from disk.

    index.html  practice.html  flashcards.html  reference.html
    families/<family>.html  questions/<question id>.html  static/css/  static/js/

A question page is rendered from its Question alone (`question_page`, cheap to run in worker
processes); the collection pages are rendered from the small per-question `entry` summaries
(`collection_pages`). No page refers to anything outside the site: no CDN, fonts or analytics.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from quizgen.bank.question import Question
from quizgen.errors import BuildError
from quizgen.messages import area, html_tag, t
from quizgen.messages.text import text
from quizgen.writers import Context, Option, register, site_cards, site_editions, site_env, site_views
from quizgen.writers.destination import Owner
from quizgen.writers.site_env import json_script, messages, render, templates_root, topic_name

MARKER = ".quizgen-site"
OWNER = Owner("quizgen build", "site", re.compile(r"README\.md"), MARKER)
STATIC = ("css/site.css", "js/flashcards.js", "js/grader.js", "js/parts.js", "js/practice.js", "js/question.js",
          "js/site.js")


@lru_cache(maxsize=None)
def script_messages(lang: str = "en") -> Markup:
    """The words the browser scripts say: the site's js_* messages and the grader's."""
    site = {k[3:]: v for k, v in messages(lang).items() if k.startswith("js_")}
    return json_script({"site": site, "grading": area("grading", lang)})


@lru_cache(maxsize=None)
def _header(page: str, root: str, lang: str) -> Markup:
    return Markup(render("header.html", m=messages(lang), page=page, root=root).strip())


def _page(m: dict, page: str, title: str, root: str, lang: str, path: str = "", editions: str = "") -> dict:
    """What base.html needs; `path` (inside the site) and `editions` ("en,zh") make the language switch."""
    return {"m": m, "page": page, "title": title, "root": root, "lang": html_tag(lang), "js_messages": script_messages(lang),
            "header": _header(page, root, lang), "switch": site_editions.switch(editions, lang, path, root)}


def question_page(q: Question, variants: int, lang: str = "en", editions: str = "") -> tuple[str, dict]:
    """questions/<id>.html and the question's entry (with its practice body if it is in the pool)."""
    m = messages(lang)
    context = site_views.question_page(q, variants, m)
    html = render("question.html", **_page(m, "question", q.title, "../", lang, f"questions/{q.id}.html", editions),
                  **context)
    body = None
    if q.index < site_views.PRACTICE_VARIANTS:  # the page's own body, as a template of its own would write it
        body = str(context["body"]) + "\n"  # plain text in the entry, as a rendered template was
        if site_env.XMLNS in body:
            body = body.replace(site_env.XMLNS, "")
    return html, site_views.entry(q, m, body, context)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write(path: Path | str, text: str) -> None:
    """One page as UTF-8, written as is (no newline translation); a bare descriptor, since a
    text file object per page costs more than the page's write."""
    data = text.encode("utf-8")
    try:
        fd = os.open(path, _CREATE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        raise BuildError(t("output.cannot_write", reason=exc.strerror or exc), file=str(path)) from None


def write_question(q: Question, variants: int, out: Path, lang: str = "en", editions: str = "") -> dict:
    """Write questions/<id>.html into the site folder `out` (see `prepare`); return the entry."""
    html, entry = question_page(q, variants, lang, editions)
    _write(os.path.join(out, "questions", f"{q.id}.html"), html)  # the str Path's `/` makes, at a fifth the cost
    return entry


def _families(entries: list[dict], summaries: dict[str, str], m: dict) -> list[dict]:
    by_family: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_family[e["family"]].append(e)
    families = []
    for family in sorted(by_family):
        group = sorted(by_family[family], key=lambda e: e["index"])
        first = group[0]
        families.append({
            "id": family, "title": first["title"], "topic": first["topic"], "topic_name": topic_name(first["topic"], m),
            "tags": first["tags"], "difficulty": first["difficulty"], "source": first["source"],
            "notation": first["notation"], "kind": first["kind"], "answer_kind": first["answer_kind"],
            "summary": summaries.get(family, ""),
            # worded and laid out here, once each (a macro call per family costs more than the page)
            "badge": site_views.difficulty(m, first["difficulty"]), "tag_list": site_views.tags(m, first["tags"]),
            "variants": [{"id": e["id"], "n": e["index"] + 1, "label": m["variant_n"].format(n=e["index"] + 1)}
                         for e in group],
        })
    return families


def _topics(families: list[dict]) -> list[dict]:
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for f in families:
        by_topic[f["topic"]].append(f)
    return [{"id": topic, "name": by_topic[topic][0]["topic_name"],
             "families": sorted(by_topic[topic], key=lambda f: (f["difficulty"], f["id"]))}
            for topic in sorted(by_topic)]


def _practice(entries: list[dict], m: dict) -> dict:
    """The practice pool: question bodies for <template> elements, the rest as JSON (each
    question's encoded by its worker: site_views.entry)."""
    pool = [e["practice"] for e in entries if e["practice"]]
    return {"pool": [{"id": p["id"], "body": Markup(p["body"])} for p in pool],
            "topics": [{"id": t, "name": topic_name(t, m)} for t in sorted({p["topic"] for p in pool})],
            "difficulties": sorted({p["difficulty"] for p in pool}),
            "data": site_env.json_script_list([p["json"] for p in pool])}


def collection_pages(entries: list[dict], summaries: dict[str, str] | None = None, lang: str = "en",
                     editions: str = "") -> dict[str, str]:
    """index, family pages, practice, flashcards and reference, keyed by path inside the site."""
    m = messages(lang)
    families = _families(entries, summaries or {}, m)
    pages = {"index.html": render(
        "index.html", **_page(m, "index", m["index_title"], "", lang, "index.html", editions), topics=_topics(families),
        tags=sorted({t for f in families for t in f["tags"]}),
        difficulties=sorted({f["difficulty"] for f in families}), n_families=len(families), n_questions=len(entries))}
    for f in families:
        pages[f"families/{f['id']}.html"] = render("family.html", **_page(m, "family", f["title"], "../", lang,
                                                                            f"families/{f['id']}.html", editions), f=f)
    pages["practice.html"] = render("practice.html", **_page(m, "practice", m["practice_title"], "", lang, "practice.html", editions),
                                    **_practice(entries, m))
    pages["flashcards.html"] = render("flashcards.html", **_page(m, "flashcards", m["cards_title"], "", lang, "flashcards.html", editions),
                                      cards=site_cards.deck(entries, m))
    pages["reference.html"] = render("reference.html", **_page(m, "reference", m["reference_title"], "", lang, "reference.html", editions),
                                     sections=site_cards.reference_sections(m))
    return pages


def prepare(out: Path) -> None:
    """Create the site's folders inside the fresh folder `out`."""
    for folder in ("families", "questions", "static/css", "static/js"):
        (out / folder).mkdir(parents=True, exist_ok=True)


def write_files(out: Path, pages: dict[str, str]) -> list[str]:
    """Write `pages` and the static files into `out` (after `prepare`); return their paths, sorted."""
    for name in sorted(pages):
        _write(out / name, pages[name])
    static = templates_root() / "static"
    for name in STATIC:
        try:
            shutil.copyfile(static / name, out / "static" / name)
        except OSError as exc:
            raise BuildError(t("output.cannot_copy", reason=exc.strerror or exc), file=str(static / name)) from None
    return sorted([*pages, *(f"static/{name}" for name in STATIC)])


def write(questions: list[Question], out: str | Path, options: dict | None = None) -> list[str]:
    """Every page of the site for `questions` into the fresh folder `out` (in one process)."""
    options, out = options or {}, Path(out)
    lang = options.get("lang", "en")
    counts: dict[str, int] = defaultdict(int)
    for q in questions:
        counts[q.family] = max(counts[q.family], q.index + 1)
    prepare(out)
    entries = [write_question(q, counts[q.family], out, lang) for q in questions]
    files = write_files(out, collection_pages(entries, options.get("summaries"), lang))
    return sorted(files + [f"questions/{e['id']}.html" for e in entries])


def warm_up(lang: str = "en") -> None:
    """Compile the templates and load the messages once, before worker processes fork; and
    convert a first formula, so latex2mathml (~50 ms of imports and set-up, which the collection
    pages need here anyway) is loaded once, not again in every forked worker. python-markdown is
    left to the first text that needs it: render.plain_markdown writes every text of the
    shipped bank itself."""
    site_env.environment().get_template("question.html")
    site_env.macros()
    _header("question", "../", lang)
    script_messages(lang)
    site_views.md("$x$", inline=True, bare=True)


def warm_collection(lang: str = "en") -> None:
    """Compile the collection pages' templates and convert the reference's and formula cards'
    math (memoized), while the workers render the questions (SiteWriter.meanwhile)."""
    for name in ("index.html", "family.html", "practice.html", "flashcards.html", "reference.html"):
        site_env.environment().get_template(name)
    m = messages(lang)
    site_cards.reference_sections(m)
    site_cards.formula_cards(m)


class SiteWriter:
    """The study site as a registered writer: each question page is written by the worker that
    generated it, and only its small entry comes back for the collection pages."""

    name = "site"
    output = "folder"
    options = (Option("lang", text("writers.opt_pages_lang"), "en"),
               Option("editions", text("writers.opt_editions"), ""))
    owner = OWNER

    def warm_up(self, context: Context) -> None:
        warm_up(context.options.get("lang", "en"))

    def start(self, context: Context) -> None:
        prepare(context.folder)
        (context.folder / MARKER).write_text("This folder is written whole by `quizgen build`.\n", encoding="utf-8")

    def meanwhile(self, context: Context) -> None:
        warm_collection(context.options.get("lang", "en"))

    def render(self, question: Question, context: Context) -> dict:
        return write_question(question, context.variants, context.folder, context.options.get("lang", "en"),
                              context.options.get("editions", ""))

    def write(self, entries: list[dict], context: Context) -> list[str]:
        pages = collection_pages(entries, context.summaries, context.options.get("lang", "en"),
                                 context.options.get("editions", ""))
        files = write_files(context.folder, pages) + [f"questions/{e['id']}.html" for e in entries]
        return sorted(files)


WRITER = register(SiteWriter())
