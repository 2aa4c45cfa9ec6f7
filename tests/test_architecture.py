"""The shape of the codebase that the design depends on, pinned."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import quizgen

PACKAGE = Path(quizgen.__file__).parent
# Every folder the checks below walk; a renamed or missing one fails instead of passing silently.
FOLDERS = ("bank", "commands", "engine", "exam", "messages", "practice", "present", "render", "writers")
RENDERERS = ("writers", "practice", "exam", "present")


def _type_checking(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` — imports for annotations only, never run."""
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def imports_of(path: Path, runtime_only: bool = False) -> set[str]:
    """Every module `path` imports (with runtime_only, not those under `if TYPE_CHECKING:`)."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if runtime_only and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "quizgen":  # `from quizgen import grading`
                names.update(f"quizgen.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def unit(module: str) -> str | None:
    """The package (folder, or top-level module) a quizgen module belongs to."""
    parts = module.split(".")
    return parts[1] if parts[0] == "quizgen" and len(parts) > 1 else None


def package_graph() -> dict[str, set[str]]:
    """quizgen's folders and top-level modules, each with the others it imports at run time."""
    graph: dict[str, set[str]] = {}
    units = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    units |= {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        source = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        edges = graph.setdefault(source, set())
        for name in imports_of(path, runtime_only=True):
            target = unit(name)
            if target in units and target != source:
                edges.add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(found)


def folder(name: str) -> Path:
    path = PACKAGE / name
    assert path.is_dir() and any(path.glob("*.py")), f"quizgen/{name}/ is missing: update FOLDERS if it moved"
    return path


@pytest.mark.parametrize("name", FOLDERS)
def test_expected_folders_exist(name):
    """Regression: a renamed folder made the checks below walk nothing and pass."""
    folder(name)


def test_no_import_cycles_between_packages():
    """Regression: exam <-> writers and bank <-> render imported each other (issue 15)."""
    assert cycles(package_graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_present_reads_records_not_outputs():
    """The presentation layer sits below every output: it never imports a writer, the exam,
    practice or a command, and render (its primitives) imports neither it nor the bank."""
    graph = package_graph()
    assert not graph["present"] & {"writers", "exam", "practice", "commands", "engine"}
    assert not graph["render"] & {"present", "bank", "writers", "exam", "practice"}


def test_writers_never_import_the_engine():
    """Renderers read the Question record; they never recompute math."""
    for name in RENDERERS:
        for path in sorted(folder(name).rglob("*.py")):
            bad = {n for n in imports_of(path) if n.startswith(("quizgen.engine", "quizgen.bank.kinds"))}
            assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_no_eval_or_exec_of_anything():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), f"{path.relative_to(PACKAGE)} calls {node.func.id}"


def test_public_surface_is_pinned():
    import quizgen.engine as engine

    assert quizgen.__all__ == ["__version__"]
    assert sorted(engine.__all__) == sorted([
        "Activation", "Backward", "Layer", "LayerTape", "Loss", "Network", "Notation", "Tape",
        "central_difference", "get_loss", "numerical_gradients", "parse_activation", "solve",
    ])


def test_no_python_hash_for_seeds():
    """Seeds come from SHA-256 of strings (stable across PYTHONHASHSEED), never hash()."""
    for path in sorted(folder("bank").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "hash", f"{path.relative_to(PACKAGE)} uses hash()"
