"""Print structure counts of the application code: how tangled are the imports?

Usage: python scripts/structure_counts.py [ROOT]   (ROOT defaults to the repository)

Counts, over the apps' Python files (migrations, tests and benchmarks left out):
- imports inside functions (any ``import`` not at module level or in a class body);
- imports running back up the layers: an app importing an app of a higher layer, or an
  app of its own layer (the layer order is docs/architecture.md's, kept below in LAYERS);
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

# The documented layer order (docs/architecture.md): an app may import apps of lower
# layers only. Apps not named here (none today) are reported as unknown.
LAYERS = {
    "core": 0,
    "history": 0,
    "accounts": 1,
    "offices": 2,
    "catalog": 3,
    "delivery": 4,
    "visits": 4,
    "softcopies": 4,
    "complaints": 4,
    "feedback": 5,
    "reports": 6,
    "privacy": 6,
    "ops": 7,
    "config": 8,
}
# The layer order before issue 16 named accounts/offices as one layer and feedback beside
# the other domain apps; the counts below use the finer order above, which the import
# contract (.importlinter) enforces. Same-layer imports count as "back up" because two
# apps of one layer must not depend on each other.
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
    """Yield (target module, inside_function, line) for every import of a file."""
    module = module_name(root, path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, in_function, child.lineno
            elif isinstance(child, ast.ImportFrom):
                target = resolve(module, child, is_package)
                for alias in child.names:
                    # ``from pkg import module`` imports a module when one exists.
                    candidate = f"{target}.{alias.name}"
                    yield candidate, in_function, child.lineno
            yield from walk(child, nested)

    yield from walk(tree, False)


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
    # A package's submodules are reachable as attributes: keep packages as modules too.
    in_function, back_up = [], []
    graph_all, graph_top = defaultdict(set), defaultdict(set)
    for module, path in modules.items():
        source_app = module.split(".")[0]
        for target, nested, line in imports_of(root, path):
            where = f"{path.relative_to(root)}:{line}"
            local = known_module(modules, target)
            if nested:
                in_function.append(f"{where} {target}")
            if local is None:
                continue
            target_app = local.split(".")[0]
            if local != module:
                graph_all[module].add(local)
                if not nested:
                    graph_top[module].add(local)
            if target_app != source_app and LAYERS[target_app] >= LAYERS[source_app]:
                back_up.append(f"{where} {source_app} -> {target_app} ({local})")
    cycles_all = strongly_connected(graph_all)
    cycles_top = strongly_connected(graph_top)
    python_lines = sum(code_lines(path) for path in files)
    templates = [
        path for app in LAYERS for path in (root / app).rglob("*.html") if (root / app).is_dir()
    ] + list((root / "templates").rglob("*.html"))
    template_lines = sum(code_lines(path) for path in templates)

    print(f"root: {root}")
    print(f"imports inside functions: {len(in_function)}")
    print(f"imports running back up the layers (or across one layer): {len(back_up)}")
    print(f"file-level import cycles (all imports): {len(cycles_all)}")
    print(f"file-level import cycles (top-level imports only): {len(cycles_top)}")
    print(f"python files: {len(files)}, lines of code: {python_lines}")
    print(f"templates: {len(templates)}, template lines: {template_lines}")
    if "-v" in sys.argv:
        print("\n-- imports inside functions")
        print("\n".join(in_function))
        print("\n-- back-up imports")
        print("\n".join(back_up))
        print("\n-- cycles (all imports)")
        for group in cycles_all:
            print("  " + " <-> ".join(group))


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    main(arguments[0] if arguments else Path(__file__).resolve().parent.parent)
