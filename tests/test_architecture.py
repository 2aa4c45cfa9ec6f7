"""The shape of the codebase that the design depends on, pinned."""

from __future__ import annotations

import ast
from pathlib import Path

import quizgen

PACKAGE = Path(quizgen.__file__).parent


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_writers_never_import_the_engine():
    """Renderers read the Question record; they never recompute math."""
    for folder in ("writers", "practice", "exam"):
        for path in sorted((PACKAGE / folder).rglob("*.py")) if (PACKAGE / folder).is_dir() else []:
            bad = {name for name in imports_of(path) if name.startswith(("quizgen.engine", "quizgen.bank.kinds"))}
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
    for path in sorted((PACKAGE / "bank").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "hash", f"{path.relative_to(PACKAGE)} uses hash()"
