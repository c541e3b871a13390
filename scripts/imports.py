#!/usr/bin/env python3
"""Import circles between the source files of a crate (issue 16: layers that do not loop).

Reads every `*.rs` under SRC (default usbdesc-compiler/src), resolves each `crate::`, `super::`
and `self::` path (in `use` trees, braces expanded, and inline in code) to the file of the
longest module prefix that exists, and prints the mutual pairs (a uses b and b uses a) and the
number of elementary cycles, by file and by top-level module. Comments, string literals and
`#[cfg(test)]` modules (inline or in their own file) are left out; a child module named without `self::`/`super::`/`crate::`
(the `mod.rs` naming its children) is not an edge.

    python3 scripts/imports.py [SRC] [--list]

`--list` also prints every cycle. `--check` exits 1 when there is any mutual pair or cycle at
either level (`tests/architecture.rs` runs it, so the layers stay without loops); without it the
exit code is 0: it measures.
"""

import re
import sys
from pathlib import Path


def module_of(src: Path, f: Path) -> tuple:
    rel = f.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return tuple(parts)


def strip(text: str) -> str:
    """Code without comments, string and char literals, and `#[cfg(test)]` modules."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'r(#*)".*?"\1', '""', text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text, flags=re.S)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


TOKEN = re.compile(r"\s*(::|\{|\}|,|\*|[A-Za-z_][A-Za-z0-9_]*)")


def use_tree(text: str, pos: int, prefix: list, out: list, in_group: bool = False) -> int:
    """Parse a path or use tree at `pos` (after `prefix`), append full paths to `out`."""
    path = list(prefix)
    while True:
        m = TOKEN.match(text, pos)
        if not m:
            break
        tok = m.group(1)
        if tok == "{":
            pos = m.end()
            while True:
                pos = use_tree(text, pos, path, out, True)
                m = TOKEN.match(text, pos)
                if not m or m.group(1) == "}":
                    return m.end() if m else pos
                if m.group(1) == ",":
                    pos = m.end()
                else:
                    return pos
        if tok in ("::", ",", "}", "*"):
            break
        if tok == "self" and in_group and path == prefix:
            # `{self, ...}`: the prefix itself
            pos = m.end()
            break
        path.append(tok)
        pos = m.end()
        m = TOKEN.match(text, pos)
        if not m or m.group(1) != "::":
            break
        pos = m.end()
        m = TOKEN.match(text, pos)
        if m and m.group(1) == "*":
            pos = m.end()
            break
    out.append(path)
    return pos


def edges_of(src: Path, f: Path, modules: dict) -> set:
    me = module_of(src, f)
    text = strip(f.read_text())
    paths = []
    for m in re.finditer(r"(?<![A-Za-z0-9_$])(?:\$)?(crate|super|self)\s*::", text):
        paths_here = []
        use_tree(text, m.end(), [m.group(1)], paths_here)
        paths.extend(paths_here)
    targets = set()
    for p in paths:
        base = list(me)
        rest = p
        if rest[0] == "crate":
            base, rest = [], rest[1:]
        else:
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    base = base[:-1]
                rest = rest[1:]
        full = base + list(rest)
        for k in range(len(full), -1, -1):
            t = modules.get(tuple(full[:k]))
            if t is not None:
                if t != f:
                    targets.add(t)
                break
    return targets


def test_files(src: Path, files: list) -> set:
    """Files declared as `#[cfg(test)] mod name;` (and the modules below them)."""
    tests = set()
    for f in files:
        me = module_of(src, f)
        for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", f.read_text()):
            tests.add(me + (m.group(1),))
    return {f for f in files if any(module_of(src, f)[: len(t)] == t for t in tests)}


def cycles(graph: dict) -> list:
    """Elementary cycles, each once (started at its smallest node)."""
    nodes = sorted(graph)
    found = []
    for s in nodes:
        stack = [(s, iter(sorted(graph[s])))]
        onpath = [s]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                onpath.pop()
            elif nxt == s:
                found.append(list(onpath))
            elif nxt > s and nxt not in onpath:
                onpath.append(nxt)
                stack.append((nxt, iter(sorted(graph.get(nxt, ())))))
    return found


def report(title: str, graph: dict, show: bool) -> int:
    """Print the pairs (and with `show` the cycles); return how many pairs and cycles there are."""
    pairs = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph.get(b, ())})
    cyc = cycles(graph)
    print(f"{title}: {len(pairs)} mutual pairs, {len(cyc)} cycles")
    for a, b in pairs:
        print(f"  {a} <-> {b}")
    if show:
        for c in cyc:
            print("  cycle: " + " -> ".join(c + [c[0]]))
    return len(pairs) + len(cyc)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--list" in sys.argv
    src = Path(args[0] if args else "usbdesc-compiler/src")
    files = sorted(src.rglob("*.rs"))
    files = [f for f in files if f not in test_files(src, files)]
    modules = {module_of(src, f): f for f in files}
    name = {f: str(f.relative_to(src)) for f in files}
    by_file = {name[f]: {name[t] for t in edges_of(src, f, modules)} for f in files}
    top = lambda f: (module_of(src, f) or ("lib",))[0]
    by_top = {}
    for f in files:
        by_top.setdefault(top(f), set())
        for t in edges_of(src, f, modules):
            if top(t) != top(f):
                by_top[top(f)].add(top(t))
    loops = report("by file", by_file, show) + report("by top-level module", by_top, show)
    if "--check" in sys.argv and loops:
        sys.exit(1)


if __name__ == "__main__":
    main()
