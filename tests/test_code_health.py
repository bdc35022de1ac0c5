"""Checks over the source tree itself: the rooms import only downwards, no block of code is written twice, and the
tree is lint- and format-clean. No simulator: each runs in seconds."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast  # seconds, no simulator

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "isaaclab_mimic_tasks"
SOURCE = REPO / "source" / PACKAGE

ROOMS = (
    ("cli",),
    ("pipeline",),
    ("learning",),
    ("datagen",),
    ("datasets",),
    ("rendering",),
    ("envs",),
    ("tasks", "__init__"),
    ("devices",),
    ("assets",),
    ("errors", "registration", "warp_init"),
)
"""The package's rooms, top to bottom: a module may import from its own room and the rooms below it. The package's
own ``__init__`` (it registers the tasks) lives in the tasks room."""

UNRELATED_ROOMS = {frozenset({"learning", "datagen"})}
"""Pairs of rooms that must not import each other in either direction (policy families and data generation meet
only in the pipeline and the command line)."""

LEVEL = {name: len(ROOMS) - index for index, names in enumerate(ROOMS) for name in names}

WINDOW = 6
"""A block of this many normalized lines found in two modules counts as repeated code."""


def module_name(path: Path) -> str:
    """``isaaclab_mimic_tasks.a.b`` for ``source/isaaclab_mimic_tasks/a/b.py`` (a package is its ``__init__``)."""
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def room_of(module: str) -> str:
    """The room a dotted module name of the package lives in (the package itself is ``__init__``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(name: str, text: str, modules: dict[str, Path]) -> list[tuple[int, str, str]]:
    """``(line, statement, target module)`` for each import of this package in module ``name`` (source ``text``),
    at any depth (module level, in functions, under ``TYPE_CHECKING``), with relative imports resolved.
    ``from X import y`` targets ``X.y`` where that is a module, else ``X``."""
    is_package = modules[name].name == "__init__.py" if name in modules else False
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        statement = " ".join((ast.get_source_segment(text, node) or "").split())
        for target in dict.fromkeys(targets):
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                found.append((node.lineno, statement, target))
    return found


def layering_violations() -> list[str]:
    """One line per import that goes up a room, across learning/datagen, or into a module no room holds."""
    modules = source_modules()
    problems = []
    for name, path in modules.items():
        room = room_of(name)
        where = path.relative_to(REPO)
        if room not in LEVEL:
            problems.append(f"{where}: room {room!r} is not in ROOMS (tests/test_code_health.py): add it")
            continue
        for line, statement, target in imported_modules(name, path.read_text(), modules):
            other = room_of(target)
            if other == room:
                continue
            if other not in LEVEL:
                problems.append(f"{where}:{line}: `{statement}` imports {target}, in no room of ROOMS")
            elif LEVEL[other] > LEVEL[room]:
                problems.append(f"{where}:{line}: `{statement}`: room {room!r} imports from {other!r}, above it")
            elif frozenset({room, other}) in UNRELATED_ROOMS:
                problems.append(f"{where}:{line}: `{statement}`: room {room!r} imports from {other!r} (never)")
    return problems


def test_rooms_import_only_downwards():
    """cli > pipeline > learning > datagen > datasets > rendering > envs > tasks > devices > assets >
    {errors, registration, warp_init}: no module imports from a room above its own, and learning and datagen
    never import each other (docs/architecture.md)."""
    problems = layering_violations()
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def test_layering_check_sees_relative_and_function_level_imports():
    """The check resolves ``from .. import x`` inside a function (the form an upward import hides in), as if this
    source were ``devices/__init__.py``."""
    source = "def f():\n    from ..datagen import record\n    from .. import errors\n"
    targets = [target for _, _, target in imported_modules(f"{PACKAGE}.devices", source, source_modules())]
    assert targets == [f"{PACKAGE}.datagen.record", f"{PACKAGE}.errors"]


def normalized_lines(path: Path) -> list[tuple[int, str]]:
    """``(line number, stripped text)`` of a module's code lines. Dropped: blank and comment-only lines,
    docstrings and other bare string statements (prose that restates a shared contract is not repeated logic),
    import statements (sibling modules naturally open with the same imports) and function signatures (two
    classes implementing one interface, e.g. Isaac Lab's Mimic env API, repeat its signatures by design; their
    bodies are what must not repeat). Kept: everything else, argparse flag definitions included: six identical
    ``add_argument`` lines in two commands belong in one of the ``cli/_*.py`` helpers."""
    text = path.read_text()
    dropped = set()
    for node in ast.walk(ast.parse(text, filename=str(path))):
        is_prose = (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        )
        if is_prose or isinstance(node, (ast.Import, ast.ImportFrom)):
            dropped.update(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            dropped.update(range(node.lineno, node.body[0].lineno))  # the signature, up to the body
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if number not in dropped and stripped and not stripped.startswith("#"):
            lines.append((number, stripped))
    return lines


def repeated_blocks() -> list[str]:
    """One line per block of :data:`WINDOW` normalized lines found in two different modules, with both places
    (overlapping windows of one longer block are reported once, at its first window)."""
    first_seen: dict[tuple[str, ...], tuple[Path, int]] = {}
    repeats = []
    reported = defaultdict(set)  # (module, other module) -> line numbers in module already covered
    for path in sorted(SOURCE.rglob("*.py")):
        lines = normalized_lines(path)
        for start in range(len(lines) - WINDOW + 1):
            window = tuple(text for _, text in lines[start : start + WINDOW])
            seen = first_seen.setdefault(window, (path, lines[start][0]))
            if seen[0] == path:
                continue
            covered = reported[(seen[0], path)]
            if lines[start][0] not in covered:
                repeats.append(
                    f"{path.relative_to(REPO)}:{lines[start][0]} repeats {seen[0].relative_to(REPO)}:{seen[1]}: "
                    f"{window[0]!r} ..."
                )
            covered.update(number for number, _ in lines[start : start + WINDOW + 1])
    return repeats


def test_no_block_repeated_across_modules():
    """No block of six or more code lines is written in two modules of the source tree: shared code lives in
    one place (tasks/common/, cli/_*.py, errors.py, ...)."""
    repeats = repeated_blocks()
    assert not repeats, f"blocks of {WINDOW}+ lines in two modules (move them to one shared place):\n" + "\n".join(
        repeats
    )


def venv_tool(name: str) -> str | None:
    """The tool installed beside this interpreter (scripts/setup.sh puts the lint tools in the venv), else PATH's."""
    beside = Path(sys.executable).parent / name
    return str(beside) if os.access(beside, os.X_OK) else shutil.which(name)


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["codespell"]],
    ids=["ruff-check", "ruff-format", "codespell"],
)
def test_tree_is_lint_clean(command):
    """What CI runs before the tests (.ci/run, .pre-commit-config.yaml) passes on the tree as it is."""
    tool = venv_tool(command[0])
    if tool is None:
        pytest.skip(f"{command[0]} is not installed: `bash scripts/setup.sh` installs it (requirements-dev.lock)")
    result = subprocess.run([tool, *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"`{' '.join(command)}` found:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
