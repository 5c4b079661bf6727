"""The package layout (ARCHITECTURE.md): no import cycles, and each room imports only
the rooms below it. Reads the imports of every module under src/newsgist with
``ast`` (function-level imports included: a lazy import is still a dependency)."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "newsgist"

# The core: the data objects, the options, the errors, the tables and the runner.
CORE = {"newsgist.article", "newsgist.types", "newsgist.options", "newsgist.errors", "newsgist.registry",
        "newsgist.pipeline", "newsgist.text", "newsgist.threads", "newsgist.trees", "newsgist.unionfind",
        "newsgist.version"}
# What each room may import besides the core (and itself). Mirrors ARCHITECTURE.md.
ALLOWED = {
    "reading": set(),
    "grounding": set(),
    "card": {"reading"},
    "highlighting": {"grounding", "card"},
    "generation": {"grounding", "highlighting"},  # LLM lines judged by the checker, extractive replacements
    "evaluation": {"api", "plugins", "reading", "highlighting", "grounding"},  # train_check: the checker
    "api": {"plugins", "reading", "grounding"},   # newsgist.check: the checker of grounding/
    "plugins": {"reading", "card", "highlighting", "grounding", "generation"},  # registers "ground", "generate"
    "story": {"api", "plugins", "reading", "card", "highlighting", "grounding", "corpus"},  # one card from several articles (corpus: its date reader, for the timeline)
    "corpus": {"reading"},   # newsgist cluster: stories from a corpus (its apps/ part reads story/ for --cards)
    "apps": {"*"},
    "__main__": {"apps"},   # ``python -m newsgist`` runs the CLI
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PKG.rglob("*.py")}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The newsgist modules that ``path`` imports (explicitly; parents are not counted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "newsgist"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "newsgist":
                continue
            subs = {f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in known}
            out |= subs
            if len(subs) < len(node.names):  # names that are not submodules come from ``mod`` itself
                out.add(mod)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, name, known) for name, path in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def room(mod: str) -> str:
    if mod in CORE or mod == "newsgist":
        return "core" if mod in CORE else "facade"
    return mod.split(".")[1]


def test_cycle_finder_finds_a_hand_made_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_are_read_relative_and_absolute(tmp_path):
    known = {"newsgist.x", "newsgist.x.y", "newsgist.z"}
    f = tmp_path / "m.py"
    f.write_text("from . import y\nfrom newsgist.z import thing\ndef f():\n    import newsgist.x\n")
    assert imports_of(f, "newsgist.x.m", known) == {"newsgist.x.y", "newsgist.z", "newsgist.x"}


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_core_imports_no_room():
    bad = [(m, d) for m, deps in graph().items() if m in CORE for d in deps if d not in CORE]
    assert bad == [], f"core modules import stages: {bad}"


def test_rooms_import_only_what_they_may():
    bad = []
    for m, deps in graph().items():
        r = room(m)
        if r in ("core", "facade") or "*" in ALLOWED[r]:
            continue
        for d in deps:
            rd = room(d)
            if rd not in ("core", r) and rd not in ALLOWED[r]:
                bad.append(f"{m} -> {d}")
    assert bad == []


def test_nothing_imports_the_facade_or_the_apps():
    """``newsgist/__init__`` imports the library; a module importing it back would cycle."""
    g = graph()
    bad = [(m, d) for m, deps in g.items() for d in deps
           if d == "newsgist" or (room(d) == "apps" and room(m) not in ("apps", "__main__"))]
    assert bad == []


def test_every_subpackage_says_what_it_owns_and_may_import():
    for init in PKG.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init} has no docstring"


def test_modules_stay_small():
    """ARCHITECTURE.md: at most 400 lines a module; split where a module holds two ideas."""
    big = {module_name(p): n for p in PKG.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert big == {}
