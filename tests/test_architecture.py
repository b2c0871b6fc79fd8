"""The apps' import graph: layered, with no cycle, and none hidden inside a function.

An import inside a function is how a cycle hides (the module loads, the cycle waits for the
first call). Project modules are imported at the top of a module; the only exception is an
AppConfig.ready(), where Django wants registrations made once every app is loaded.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "psd",
    "accounts",
    "cases",
    "vetting",
    "deadlines",
    "reporting",
    "audit",
    "stats",
    "api",
    "portability",
    "datagen",
)


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path, ast.parse(path.read_text(), filename=str(path))


def _project_imports(tree: ast.Module):
    """(node, top-level package or None for a relative import) for each import of ours."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS:
                    yield node, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield node, None
            elif node.module and node.module.split(".")[0] in APPS:
                yield node, node.module.split(".")[0]


def test_no_project_import_is_hidden_inside_a_function():
    hidden = []
    for _, path, tree in _modules():
        if path.name == "apps.py":
            continue
        top = {id(node) for node in tree.body}
        for node, _package in _project_imports(tree):
            if id(node) not in top:
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == []


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path, or None (depth-first search with colours)."""
    colour: dict[str, int] = defaultdict(int)  # 0 new, 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if colour[nxt] == 0 and (found := visit(nxt)):
                return found
        stack.pop()
        colour[node] = 2
        return None

    for node in sorted(graph):
        if colour[node] == 0 and (found := visit(node)):
            return found
    return None


def test_apps_import_each_other_without_a_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], str] = {}
    for app, path, tree in _modules():
        graph[app]
        for node, package in _project_imports(tree):
            if package and package != app:
                graph[app].add(package)
                where.setdefault((app, package), f"{path.relative_to(ROOT)}:{node.lineno}")
    cycle = _cycle(graph)
    assert cycle is None, (
        " -> ".join(cycle)
        + "; first edges: "
        + ", ".join(where[(a, b)] for a, b in zip(cycle, cycle[1:], strict=False))
    )


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
