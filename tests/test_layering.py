"""The layers of the package point down (docs/contributing: the rules of the house).

The import graph is read from the source with `ast`, imports inside functions included (a deferred import is still
an arrow between layers): no import circle among the package's modules; only the front ends import the plotting
module; the trusted checker imports only `numbers`, `instance`, `lattice`, `errors`, `jsonfile` and itself; and
reading an instance or a network loads no solver (checked in a fresh interpreter, by `sys.modules`).
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "verifier"
DATA = ROOT / "data"

#: the front ends: the only modules that may import `verifier.plots` (plots itself is a leaf drawn from them)
FRONT_ENDS = {"verifier.api", "verifier.cli", "verifier.results", "verifier.views", "verifier.bench",
              "verifier.reproduce"}
#: what the trusted checker may import from the rest of the package
CHECKER_ALLOWED = {"verifier.numbers", "verifier.instance", "verifier.lattice", "verifier.errors",
                   "verifier.jsonfile"}
#: import circles known to remain, each a frozenset of modules with the reason it is tolerated (none today; a
#: circle inside another engineer's modules would be listed here, naming who owns it, until it is broken)
KNOWN_CIRCLES: dict[frozenset, str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _front_end(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FRONT_ENDS)


def import_graph() -> nx.DiGraph:
    """module -> module it imports (anywhere in its source, functions included), for the package's own modules.
    `from . import x` is an arrow to the submodule x; `from .m import name` to m (and to m.name when that is a
    submodule)."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                submodules = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in modules]
                targets = submodules if node.module is None and submodules else [module] + submodules
            else:
                continue
            for target in targets:
                while target not in modules and "." in target:   # `import verifier.checker.core` -> that module
                    target = target.rsplit(".", 1)[0]
                if target in modules and target != name and target != "verifier":
                    graph.add_edge(name, target)
    return graph


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_the_graph_sees_imports_inside_functions_and_relative_submodules(graph):
    """The reader itself: a deferred import counts, and `from . import x` points at the submodule x."""
    assert graph.has_edge("verifier.api", "verifier.landscape")         # imported inside `classify`
    assert graph.has_edge("verifier.results", "verifier.catalog")       # `from . import catalog as _catalog`
    assert graph.has_edge("verifier.checker.core", "verifier.instance")  # `from ..instance import Instance`
    assert graph.number_of_nodes() == len(_modules()) > 40


def test_no_import_circle_among_the_package_modules(graph):
    circles = {frozenset(c) for c in nx.strongly_connected_components(graph) if len(c) > 1}
    unexpected = circles - set(KNOWN_CIRCLES)
    assert not unexpected, [sorted(c) for c in unexpected]
    assert not [c for c in KNOWN_CIRCLES if c not in circles], "a known circle is gone: remove it from KNOWN_CIRCLES"


def test_only_front_ends_import_the_plotting_module(graph):
    importers = set(graph.predecessors("verifier.plots"))
    assert importers, "nothing draws: the test no longer sees the front ends"
    assert {m for m in importers if not _front_end(m)} == set()


def test_nothing_below_the_front_ends_reaches_the_plotting_module_at_all(graph):
    """Not even through another module: whatever a question (catalog, census, curves, ...) imports, transitively,
    is no front end."""
    below = [m for m in graph if not _front_end(m) and m != "verifier.plots"]
    reaching = sorted(m for m in below if "verifier.plots" in nx.descendants(graph, m))
    assert reaching == []


def test_nothing_below_the_front_ends_imports_a_front_end(graph):
    """The questions answer the front ends, never the other way round (plots counts as a front end here)."""
    upward = {(m, t) for m in graph if not _front_end(m) and m != "verifier.plots"
              for t in graph.successors(m) if _front_end(t) or t == "verifier.plots"}
    assert upward == set()


def test_the_checker_imports_only_its_allowed_modules(graph):
    checker = [m for m in graph if m == "verifier.checker" or m.startswith("verifier.checker.")]
    assert len(checker) > 10
    outside = {(m, t) for m in checker for t in graph.successors(m)
               if not (t == "verifier.checker" or t.startswith("verifier.checker.")) and t not in CHECKER_ALLOWED}
    assert outside == set()
    reachable = set().union(*(nx.descendants(graph, m) for m in checker))   # and they stand on nothing else
    assert {t for t in reachable if not t.startswith("verifier.checker")} <= CHECKER_ALLOWED


def _loaded_after(code: str) -> dict:
    """Which heavy libraries a fresh interpreter holds after running `code` (with this worktree first on the path)."""
    probe = code + ("\nimport json, sys\nprint(json.dumps({name: name in sys.modules for name in "
                    "('cvxpy', 'clarabel', 'matplotlib', 'verifier.plots', 'verifier.convex', 'verifier.polish')}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return json.loads(result.stdout.strip().splitlines()[-1])


NOTHING_HEAVY = {"cvxpy": False, "clarabel": False, "matplotlib": False, "verifier.plots": False,
                 "verifier.convex": False, "verifier.polish": False}


def test_reading_an_instance_loads_no_solver():
    loaded = _loaded_after(f"from verifier.instance import Instance\n"
                           f"instance = Instance.load({str(DATA / 'examples' / 'planar.json')!r})\n"
                           f"assert instance.n == 5")
    assert loaded == NOTHING_HEAVY


def test_reading_a_network_loads_no_solver():
    loaded = _loaded_after(f"from verifier.models import read_network\nfrom verifier.instance import Instance\n"
                           f"from verifier.network import Network\n"
                           f"instance = Instance.load({str(DATA / 'paper' / 'one-dimensional.json')!r})\n"
                           f"found = read_network({str(DATA / 'paper' / 'one-dimensional-spurious-network.json')!r})\n"
                           f"assert isinstance(found.network, Network) and found.network.loss(instance) > 0")
    assert loaded == NOTHING_HEAVY


def test_the_checker_loads_no_solver_and_no_drawing():
    loaded = _loaded_after("import verifier.checker")
    assert loaded == NOTHING_HEAVY


#: module-level mutable state known to remain, with its owner (catalog.py is being split by another engineer)
KNOWN_STATE: set[tuple[str, str]] = set()


def _module_state(path: Path) -> set[str]:
    """Names a module binds, at its top level, to an empty container or a counter that functions then fill: a
    process-global cache or registry."""
    empty_calls = {"dict", "list", "set", "count", "defaultdict", "OrderedDict", "deque"}
    names = set()
    for node in ast.parse(path.read_text()).body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        empty = (isinstance(value, (ast.Dict, ast.List, ast.Set)) and not getattr(value, "keys", getattr(value, "elts", None))
                 or isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", None)) in empty_calls)
        names |= {t.id for t in targets if empty and isinstance(t, ast.Name)}
    return names


def test_no_process_global_caches_or_precision():
    """No module keeps a cache or a registry in a module-level container (an object owns its caches: the
    instance its representations, a worker its `parallel.ProcessState`), and nothing sets mpmath's precision for
    the whole process (`mpmath.workdps` contexts instead)."""
    state = {(name, n) for name, path in _modules().items() for n in _module_state(path)}
    assert state - KNOWN_STATE == set()
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                assert not [t for t in targets if isinstance(t, ast.Attribute) and t.attr in {"dps", "prec"}
                            and ast.unparse(t.value).split(".")[-1] == "mp"], name   # mpmath.mp.dps = ...


def test_the_state_reader_sees_a_module_cache(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("_CACHE: dict[int, tuple] = {}\n_TABLE = {'a': 1}\nfrom itertools import count\n_N = count()\n")
    assert _module_state(module) == {"_CACHE", "_N"}
