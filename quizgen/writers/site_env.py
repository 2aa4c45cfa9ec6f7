"""The study site's Jinja environment, messages and JSON-for-scripts; compiled once per process."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from markupsafe import Markup, escape

from quizgen.messages import area, catalog, current
from quizgen.resources import templates_root

_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


# json.dumps with these options, made once (json.dumps builds an encoder per call); the data is
# always a fresh tree (grading, the practice pool), so no cycle check: same text, ~10% less work
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False,
                         check_circular=False)


def json_text(data) -> str:
    """The stdlib encoder's JSON of `data`, as json_script writes it before making it safe."""
    return _JSON.encode(data)


def json_script(data) -> Markup:
    """JSON safe inside <script type="application/json"> (no </script>, no HTML specials)."""
    return _script_safe(_JSON.encode(data))


def json_script_list(items: list[str]) -> Markup:
    """json_script of a list whose items' json_text was made elsewhere (each question's by the
    worker that rendered it, which also spares the main process unpickling their numbers): the
    encoder writes a list as its items joined by "," inside "[" and "]", and nothing it writes
    there is a character json_script escapes."""
    return _script_safe("[" + ",".join(items) + "]")


def _script_safe(text: str) -> Markup:
    """Each character unsafe in a script replaced by its escape (str.replace per character,
    cheaper than a regex calling back per match; the replacements hold none of the characters,
    so the order does not matter)."""
    for char, escaped in _JSON_UNSAFE.items():
        if char in text:
            text = text.replace(char, escaped)
    return Markup(text)


class View(dict):
    """A dict a template reads as `x.key`: the site's Environment looks a View's keys up first
    (Jinja alone tries getattr, which fails, before []), a dict lookup per `x.key` over 1,000 pages.
    No attribute per key: a dict aliasing its own __dict__ is a reference cycle, which lives until
    the collector runs, and workers pause it (bank.collection.no_gc): every page's views, MathML
    and all, would stay in memory (~60 MB per 4,000 pages)."""

    __slots__ = ()


class Words(View):
    """The site's messages, which Python code reads as `m.key` too: one per language, kept for the
    process, so its keys are also its attributes (the cycle costs nothing here)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__ = self


@lru_cache(maxsize=None)
def messages(lang: str = "en") -> Words:
    return Words(area("site", lang))


def topic_name(topic: str, m: dict) -> str:
    return m.get(f"topic_{topic.replace('-', '_')}", topic.replace("-", " ").capitalize())


def tag_name(tag: str) -> str:
    """A family tag's word in the language in use (messages/<lang>/tags.toml), else the tag as written."""
    return catalog(current()).get(f"tags.{tag}", tag)


def slug(text: str) -> str:
    """A folder name as an HTML id fragment: no spaces or other characters ids cannot hold."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


_ESCAPED: dict[str, str] = {}
ESCAPED_LIMIT = 8192  # remembered strings: the messages, titles and labels every page repeats


def _escape(value) -> str:
    """markupsafe.escape's text without its Markup wrapper: Jinja only joins what `{{ }}` outputs
    (a macro or block wraps its whole output in Markup itself), and a Markup per value costs a
    Python-level __new__, ~45% of rendering a question page. Same characters, same entities;
    a string is escaped once (the messages, titles and labels recur on every page)."""
    if type(value) is str:
        text = _ESCAPED.get(value)
        if text is None:
            text = (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                    .replace("'", "&#39;").replace('"', "&#34;"))
            if len(_ESCAPED) < ESCAPED_LIMIT:
                _ESCAPED[value] = text
        return text
    if type(value) is Markup:
        return value
    if type(value) is int:
        return str(value)
    return escape(value)


# Jinja's generated calls of a block and of the parent template (see _CodeGenerator)
_STREAMED = ("yield from context.blocks[", "yield from parent_template.root_render_func(")


def _classes():
    """The Template and Environment classes whose output escaping is `_escape` (made with the
    environment: Jinja is imported when a page is first rendered, not when a command that
    renders none, such as `export --format json`, lists the writers)."""
    import jinja2
    import jinja2.compiler

    class _Template(jinja2.Template):
        """A compiled template whose output escaping is `_escape` (the generated module's own
        `escape` name, set before any render; with a Jinja lacking this hook, plain escape runs)."""

        @classmethod
        def _from_namespace(cls, environment, namespace, globals):
            namespace["escape"] = _escape
            return super()._from_namespace(environment, namespace, globals)

        def new_context(self, vars=None, shared=False, locals=None):
            """Jinja's context, its globals read from a plain dict: Jinja merges the template's
            globals (a ChainMap) into every render key by key in Python, twice (~10% of rendering
            a question page). Same variables: the globals, then `vars` over them."""
            maps = getattr(self.globals, "maps", ())
            if shared or locals or vars is None or maps != [{}, self.environment.globals]:  # Jinja's own way
                return super().new_context(vars, shared, locals)
            flat = _flat_globals(self.environment)
            return self.environment.context_class(self.environment, {**flat, **vars}, self.name, self.blocks,
                                                  globals=flat)

    class _CodeGenerator(jinja2.compiler.CodeGenerator):
        """Jinja's code, but a block or parent template is joined where it is called, not
        streamed through: every piece of a question page's main block would otherwise be
        resumed through three generators (block, base.html, question.html), ~5% of its render.
        The same pieces, joined in the same order: the same page."""

        def writeline(self, x: str, node=None, extra: int = 0) -> None:
            if x.startswith(_STREAMED) and not self.environment.is_async:
                x = f"yield concat({x[len('yield from '):]})"  # concat: each function's "".join
            super().writeline(x, node, extra)

    class _Environment(jinja2.Environment):
        template_class = _Template
        code_generator_class = _CodeGenerator

        def getattr(self, obj, attribute):
            """A View's `x.key` is its key, where it has one (what its attribute was); else Jinja's
            rule (an attribute, then an item, then undefined)."""
            if isinstance(obj, View):
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return jinja2.Environment.getattr(self, obj, attribute)

    return jinja2, _Environment


def _flat_globals(env) -> dict:
    """The environment's globals as a plain dict, copied again whenever they change (a test may
    add one), so a render sees exactly the globals Jinja's ChainMap would give it."""
    flat = env.__dict__.get("_quizgen_flat")
    if flat is None or flat != env.globals:
        flat = env._quizgen_flat = dict(env.globals)
    return flat


@lru_cache(maxsize=None)
def environment():
    """The site's Jinja environment (a jinja2.Environment), made once per process."""
    jinja2, environment_class = _classes()
    env = environment_class(loader=jinja2.FileSystemLoader(str(templates_root() / "site")),
                            autoescape=True, undefined=jinja2.StrictUndefined,
                            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                            auto_reload=False, cache_size=-1)  # -1: a plain dict (a dozen templates), no LRU lock
    env.filters["json_script"] = json_script
    env.filters["slug"] = slug
    env.filters["tag_name"] = tag_name
    return env


@lru_cache(maxsize=None)
def macros():
    """macros.html as a module: its macros called from Python give what a template's call gives."""
    return environment().get_template("macros.html").module


XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'


def render(template: str, **context) -> str:
    """A page; <math> needs no xmlns in HTML, so pages name no URL outside the site at all
    (site_views typesets its math bare, so a question page usually has none to drop)."""
    html = environment().get_template(template).render(**context)
    return html.replace(XMLNS, "") if XMLNS in html else html
