"""The site's rendering shortcuts write the same bytes as plain Jinja and plain file objects
(issue 15, speed): escaping without a Markup per value, a page written through a descriptor."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.errors import BuildError
from quizgen.resources import templates_root
from quizgen.writers import site, site_env

ROOT = Path(__file__).resolve().parents[2]


class Html:
    def __html__(self):
        return "<b>safe</b>"


@pytest.mark.parametrize("value", ["plain", "<a href='x'>&\"</a>", "", "&#39;", Markup("<i>kept</i>"), 3, -7,
                                   2.5, None, True, Html(), ["<list>"]], ids=repr)
def test_fast_escape_writes_what_markupsafe_escape_writes(value):
    assert site_env._escape(value) == str(escape(value))
    assert site_env._escape(value) == str(escape(value))  # and again, once remembered


def test_every_site_template_escapes_with_the_fast_path():
    env = site_env.environment()
    for name in env.list_templates(extensions=["html"]):
        assert env.get_template(name).root_render_func.__globals__["escape"] is site_env._escape, name


def test_a_question_page_is_the_same_bytes_as_plain_jinja_renders_it():
    """Guards the escaping shortcut: the shipped templates through a stock Environment."""
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_root() / "site")),
                               autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True, keep_trailing_newline=True)
    plain.filters.update(site_env.environment().filters)
    for family in load_bank(ROOT / "question_bank")[:12]:
        q = variant(family, 1, 0)
        m = site_env.messages("en")
        context = {**site._page(m, "question", q.title, "../", "en"), **site.site_views.question_page(q, 3, m)}
        fast = site_env.render("question.html", **context)
        assert fast == plain.get_template("question.html").render(**context).replace(site_env.XMLNS, "")


def test_a_page_is_written_as_utf8_bytes_untranslated(tmp_path):
    text = "é\n<p>\r\n</p>" + "x" * 200_000
    site._write(tmp_path / "p.html", text)
    assert (tmp_path / "p.html").read_bytes() == text.encode("utf-8")
    site._write(tmp_path / "p.html", "short")  # replaced whole, not overwritten in place
    assert (tmp_path / "p.html").read_bytes() == b"short"


def test_a_page_that_cannot_be_written_is_one_build_error(tmp_path):
    with pytest.raises(BuildError):
        site._write(tmp_path / "missing" / "p.html", "x")


def test_remembered_badges_are_what_the_macros_write(monkeypatch):
    """Guards site_views.difficulty/tags: keyed by the wording they read and the catalog in use."""
    from quizgen import messages
    from quizgen.writers import site_views

    m = site_env.messages("en")
    module = site_env.environment().from_string("{% import 'macros.html' as x %}{{ x.difficulty(m, n) }}|{{ x.tags(m, t) }}")
    for n, tags in ((1, ["relu"]), (3, ["sigmoid", "chain-rule"]), (5, [])):
        want = module.render(m=m, n=n, t=tags)
        assert f"{site_views.difficulty(m, n)}|{site_views.tags(m, tags)}" == want
        assert f"{site_views.difficulty(m, n)}|{site_views.tags(m, tags)}" == want  # remembered
    english = messages.catalog
    monkeypatch.setattr(site_env, "catalog", lambda lang="en": {**english(lang), "tags.relu": "«relu»"})
    assert "«relu»" in site_views.tags(m, ["relu"])


def test_the_practice_body_is_the_question_page_body():
    """The practice pool's body is the page's own (practice_item.html is gone): same bytes."""
    for family in load_bank(ROOT / "question_bank")[:12]:
        q = variant(family, 0, 0)
        html, entry = site.question_page(q, 3)
        body = entry["practice"]["body"]
        assert type(body) is str and body.endswith("\n") and body[:-1] in html and site_env.XMLNS not in body


def test_a_page_from_the_uncleaned_view_is_the_page_from_the_cleaned_one(monkeypatch):
    """Guards present.view(cleaned=False) on the site: fmt prints float noise and -0.0 as 0, so
    skipping the clean copy changes no byte, even for a record full of noise."""
    import copy

    from quizgen.present import view as present

    for family in load_bank(ROOT / "question_bank")[:40:4]:
        q = copy.deepcopy(variant(family, 1, 0))
        for g in q.given:
            if isinstance(g.value, list) and g.value and not isinstance(g.value[0], list):
                g.value = [-0.0, 3e-17, *g.value[2:]]
        for s in q.steps:
            if isinstance(s.result, float):
                s.result = s.result + 1e-17 if s.result else -0.0
            s.parts = [{"num": -1e-16} if "num" in p and isinstance(p["num"], float) else p for p in s.parts]
        for d in q.distractors:
            if isinstance(d.value, float):
                d.value = -2e-14
        fast = site.question_page(q, 3)
        real = present.view
        monkeypatch.setattr(present, "view", lambda q, lang=None, cleaned=True: real(q, lang))
        assert site.question_page(q, 3) == fast, family.id
        monkeypatch.setattr(present, "view", real)


def test_a_view_is_read_by_its_keys_and_freed_without_the_collector():
    """Guards site_env.View: a template's `x.key` reads the key (one named like a dict method too,
    as the View's attribute did), a missing key is still undefined, and a page's views hold no
    reference cycle, so they are freed while workers pause the collector."""
    import gc
    import weakref

    env = site_env.environment()
    view = site_env.View(items="its own", title="<t>")
    assert env.from_string("{{ v.items }}|{{ v.title }}|{{ v.get('title') }}").render(v=view) == "its own|&lt;t&gt;|&lt;t&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ v.missing }}").render(v=view)
    m = site_env.messages("en")
    assert m.step_n == m["step_n"] and env.from_string("{{ m.step_n }}").render(m=m) == str(escape(m["step_n"]))

    class Probe:
        pass

    gc.disable()
    try:
        probe = Probe()
        held = weakref.ref(probe)
        views = [site_env.View(value=probe, n=i) for i in range(3)]
        del probe, views
        assert held() is None  # freed at once: no cycle waits for the collector
    finally:
        gc.enable()


def test_joined_blocks_render_what_streamed_blocks_render():
    """Guards site_env._CodeGenerator: a block (nested, in a loop, with super()) and a parent
    template joined where they are called give what Jinja's streamed generators give."""
    sources = {
        "base.html": "<h>{% block head %}H{{ a }}{% endblock %}</h>{% for i in items %}"
                     "{% block row scoped %}[{{ i }}]{% block inner %}{{ a }}{% endblock %}{% endblock %}{% endfor %}"
                     "{% block tail %}{% endblock %}",
        "child.html": "{% extends 'base.html' %}{% block head %}{{ super() }}<{{ a }}>{% endblock %}"
                      "{% block inner %}({{ a|upper }}){% endblock %}",
        "grandchild.html": "{% extends 'child.html' %}{% block tail %}T{{ items|length }}{% endblock %}",
    }
    plain = jinja2.Environment(loader=jinja2.DictLoader(sources), autoescape=True)
    env = site_env.environment().overlay(loader=jinja2.DictLoader(sources))
    for name in sources:
        compiled = env.compile(sources[name], name, raw=True)
        assert "yield from" not in compiled and "concat(" in compiled, name
        for context in ({"a": "<x>", "items": [1, 2]}, {"a": "", "items": []}):
            assert env.get_template(name).render(**context) == plain.get_template(name).render(**context)


def test_every_site_template_joins_its_blocks():
    env = site_env.environment()
    for name in env.list_templates(extensions=["html"]):
        assert "yield from" not in env.compile(env.loader.get_source(env, name)[0], name, raw=True), name


@pytest.mark.parametrize("items", [[], [{}], [1, "x"], [{"z": {"y": 1, "x": [None, True]}}, 3.141592653589793, ""],
                                   [{"b": [1.5, -0.0, 1e-05], "a": "</script> & <b> \u2028"}, [], "é"]], ids=repr)
def test_a_list_of_encoded_items_is_the_encoded_list(items):
    """Guards site_env.json_script_list (practice.html's pool, encoded item by item in workers)."""
    assert site_env.json_script_list([site_env.json_text(x) for x in items]) == site_env.json_script(items)


def test_the_practice_pool_json_is_each_entrys_data():
    """The practice pool holds, per question, what its entry's data was before it came encoded."""
    import json

    entries = [site.question_page(variant(family, 0, 0), 3)[1] for family in load_bank(ROOT / "question_bank")[:6]]
    pages = site.collection_pages(entries)
    data = json.loads(pages["practice.html"].split('id="quizgen-practice">')[1].split("</script>")[0])
    assert [d["id"] for d in data] == [e["id"] for e in entries]
    keys = {"answer", "distractors", "format", "tolerance", "title", "topic", "difficulty"}
    assert all(keys <= d.keys() for d in data)
