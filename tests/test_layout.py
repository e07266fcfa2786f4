"""The package layout follows the pipeline: no import cycles, small modules, and layers that import downstream only.

Imports are read from the source with `ast`, at module level and inside functions alike (a function-level import
is still a dependency, only a hidden one); imports under `if TYPE_CHECKING:` are annotations, not dependencies.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "missionfit"
MAX_LINES = 500

#: What each layer may import from missionfit (itself included); the pipeline is
#: scenario -> engine -> model -> runner -> analysis, with cli and viz on top.
ALLOWED = {
    "missionfit.contract": {"missionfit.contract"},
    "missionfit.paths": set(),
    "missionfit.scenario": {"missionfit.scenario", "missionfit.paths", "missionfit.contract"},
    "missionfit.engine": {"missionfit.engine"},
    "missionfit.importers": {"missionfit.importers", "missionfit.scenario", "missionfit.paths"},
    "missionfit.model": {"missionfit.model", "missionfit.engine", "missionfit.scenario", "missionfit.contract"},
    # figures work on results copied to a laptop: no model, no Mesa, no Hydra; the scenario layer (plain Python
    # and YAML) gives them the mission vocabulary and the interventions' labels
    "missionfit.analysis": {"missionfit.analysis", "missionfit.contract", "missionfit.paths", "missionfit.scenario"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The missionfit modules `name` imports, resolved to modules (a name imported from a package may be one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    modules = _modules()
    g = nx.DiGraph()
    for name, path in modules.items():
        g.add_node(name)
        for target in _imports(name, path, modules):
            g.add_edge(name, target)
    return g


def _without_package_inits(g: nx.DiGraph) -> nx.DiGraph:
    """Drop the edges from a package's `__init__` to its own submodules (re-exports, not dependencies of them)."""
    h = g.copy()
    for a, b in list(h.edges):
        if b.startswith(a + "."):
            h.remove_edge(a, b)
    return h


def test_the_import_graph_has_no_cycle(graph):
    cycles = list(nx.simple_cycles(_without_package_inits(graph)))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


def test_a_package_init_is_imported_only_for_its_re_exports(graph):
    # a submodule that imports its own package's __init__ would close a cycle through the re-exports
    offenders = [(a, b) for a, b in graph.edges if a.startswith(b + ".") and (SRC / b.replace(".", "/")).is_dir()]
    assert not offenders, offenders


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_comes_before_it_in_the_pipeline(graph, layer):
    bad = []
    for a, b in graph.edges:
        if a == layer or a.startswith(layer + "."):
            if not any(b == ok or b.startswith(ok + ".") for ok in ALLOWED[layer] | {layer}):
                bad.append(f"{a} -> {b}")
    assert not bad, bad


def test_model_code_never_imports_hydra():
    for name, path in _modules().items():
        if name.startswith(("missionfit.scenario", "missionfit.engine", "missionfit.model", "missionfit.contract")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    assert not any(a.name.split(".")[0] in ("hydra", "omegaconf") for a in node.names), name
                elif isinstance(node, ast.ImportFrom) and node.module:
                    assert node.module.split(".")[0] not in ("hydra", "omegaconf"), name


def test_no_module_is_over_500_lines():
    long = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, long
