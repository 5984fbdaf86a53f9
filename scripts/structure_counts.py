"""Print structure counts of the application code: how tangled are the imports?

Usage: python scripts/structure_counts.py [ROOT]   (ROOT defaults to the repository)

Counts, over the apps' Python files (migrations, tests and benchmarks left out), of
import statements:
- imports inside functions (any ``import`` not at module level or in a class body), and
  how many of them are the documented exception (``AppConfig.ready`` in ``apps.py``:
  Django loads models after app configs, so an app's modules load there);
- imports running back up the layers, by two orders: STYLE.md 12a's coarse layers
  (``COARSE``: an import of a higher layer) and the import contract's finer order
  (``CONTRACT``, the one ``.importlinter`` enforces: an import of a higher layer or of
  another app of the same layer);
- file-level import cycles: strongly connected groups of modules that import each other,
  counting every import (top level and inside functions), and those counting only
  top-level imports;
- lines of code: non-blank, non-comment lines of Python, and lines of templates.

It reads files only (no Django set-up), so it runs on any checkout, e.g. an old commit:
``git worktree add /tmp/old 240c24c && python scripts/structure_counts.py /tmp/old``.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

# STYLE.md 12a: core → accounts, offices → catalog → delivery, visits, softcopies,
# complaints, feedback → reports, privacy → config (ops: beside reports and privacy).
COARSE = {
    "core": 0,
    "history": 0,
    "accounts": 1,
    "offices": 1,
    "catalog": 2,
    "delivery": 3,
    "visits": 3,
    "softcopies": 3,
    "complaints": 3,
    "feedback": 3,
    "reports": 4,
    "privacy": 4,
    "ops": 4,
    "config": 5,
}
# The import contract (.importlinter, docs/architecture.md): the same order, refined so
# that no two apps of one layer import each other.
CONTRACT = {
    "core": 0,
    "history": 1,
    "accounts": 2,
    "offices": 3,
    "catalog": 4,
    "delivery": 5,
    "visits": 5,
    "complaints": 5,
    "softcopies": 6,
    "feedback": 6,
    "reports": 7,
    "privacy": 7,
    "ops": 7,
    "config": 8,
}
LAYERS = CONTRACT
SKIP_PARTS = {"migrations", "tests", "bench", "scripts", ".venv", ".tools", "node_modules"}


def app_files(root):
    for app in LAYERS:
        folder = root / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            if SKIP_PARTS.intersection(path.relative_to(root).parts):
                continue
            yield path


def module_name(root, path):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module, node, is_package):
    """The absolute module an ImportFrom names (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(root, path):
    """Yield (targets, inside_function, function name, line) for every import statement."""
    module = module_name(root, path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = getattr(child, "name", "<lambda>") if function is None else function
            if isinstance(child, ast.Import):
                yield [alias.name for alias in child.names], function, child.lineno
            elif isinstance(child, ast.ImportFrom):
                target = resolve(module, child, is_package)
                # ``from pkg import name`` may import a module: each name is a candidate.
                yield [f"{target}.{alias.name}" for alias in child.names], function, child.lineno
            yield from walk(child, inner)

    yield from walk(tree, None)


def known_module(modules, name):
    """The longest prefix of ``name`` that is one of our modules, or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def strongly_connected(graph):
    """Tarjan's algorithm: the groups of nodes that reach each other."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def code_lines(path):
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            count += 1
    return count


def main(root):
    root = Path(root).resolve()
    files = list(app_files(root))
    modules = {module_name(root, path): path for path in files}
    in_function, documented = [], []
    back_up = {"coarse": [], "contract": []}
    graph_all, graph_top = defaultdict(set), defaultdict(set)
    for module, path in modules.items():
        source_app = module.split(".")[0]
        for targets, function, line in imports_of(root, path):
            where = f"{path.relative_to(root)}:{line}"
            if function is not None:
                if path.name == "apps.py" and function == "ready":
                    documented.append(f"{where} {', '.join(targets)}")
                else:
                    in_function.append(f"{where} {', '.join(targets)}")
            apps_here = set()
            for target in targets:
                local = known_module(modules, target)
                if local is None:
                    continue
                if local != module:
                    graph_all[module].add(local)
                    if function is None:
                        graph_top[module].add(local)
                apps_here.add(local.split(".")[0])
            for target_app in sorted(apps_here - {source_app}):
                if COARSE[target_app] > COARSE[source_app]:
                    back_up["coarse"].append(f"{where} {source_app} -> {target_app}")
                if CONTRACT[target_app] >= CONTRACT[source_app]:
                    back_up["contract"].append(f"{where} {source_app} -> {target_app}")
    cycles_all = strongly_connected(graph_all)
    cycles_top = strongly_connected(graph_top)
    python_lines = sum(code_lines(path) for path in files)
    templates = [
        path for app in LAYERS if (root / app).is_dir() for path in (root / app).rglob("*.html")
    ] + list((root / "templates").rglob("*.html"))
    template_lines = sum(code_lines(path) for path in templates)

    print(f"root: {root}")
    print(
        f"imports inside functions: {len(in_function) + len(documented)} "
        f"({len(documented)} in AppConfig.ready, the documented exception)"
    )
    print(f"imports running back up STYLE.md's layers: {len(back_up['coarse'])}")
    print(
        f"imports against the contract's order (up, or across one layer): {len(back_up['contract'])}"
    )
    print(f"file-level import cycles (all imports): {len(cycles_all)}")
    print(f"file-level import cycles (top-level imports only): {len(cycles_top)}")
    print(f"python files: {len(files)}, lines of code: {python_lines}")
    print(f"templates: {len(templates)}, template lines: {template_lines}")
    if "-v" in sys.argv:
        print("\n-- imports inside functions")
        print("\n".join(in_function + documented))
        print("\n-- back up STYLE.md's layers")
        print("\n".join(back_up["coarse"]))
        print("\n-- against the contract")
        print("\n".join(back_up["contract"]))
        print("\n-- cycles (all imports)")
        for group in cycles_all:
            print("  " + " <-> ".join(group))


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    main(arguments[0] if arguments else Path(__file__).resolve().parent.parent)
