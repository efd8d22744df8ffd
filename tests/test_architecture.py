"""The layers hold (docs/architecture.md "Layers"): what the import-linter contracts in
pyproject.toml cannot say alone. No module imports itself round a cycle of imports, across apps
as well as inside one; and every module of cases and consent takes its side in the contract that
orders the two apps, so a new module cannot slip between them unchecked. Imports made only for
type checking are left out, as lint-imports leaves them out."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PAIR_CONTRACT = "Cases and consent, one way"


@cache
def _config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


@cache
def _graph() -> grimp.ImportGraph:
    return grimp.build_graph(*_config()["root_packages"], exclude_type_checking_imports=True, cache_dir=None)


def _cycles(modules: Iterable[str], imports: Mapping[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round a cycle (strongly connected components
    of more than one module, or one that imports itself), by Tarjan's algorithm without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(imports[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(sorted(imports[imported]))))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1 or module in imports[module]:
                        found.append(sorted(group))
    return found


def _described(graph: grimp.ImportGraph, group: list[str]) -> str:
    """One cycle of the group, spelt out: a → b → … → a."""
    first, members = group[0], set(group)
    for imported in sorted(graph.find_modules_directly_imported_by(first) & members):
        chain = graph.find_shortest_chain(importer=imported, imported=first)
        if chain:
            return " → ".join((first, *chain))
    return ", ".join(group)


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph = _graph()
    imports = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    cycles = [_described(graph, group) for group in _cycles(graph.modules, imports)]
    assert not cycles, "Import cycles (move the code to the layer it belongs to):\n" + "\n".join(cycles)


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert _cycles(imports, imports) == [["a", "b", "c"], ["e"]]


def test_every_module_of_cases_and_consent_is_placed_in_their_contract() -> None:
    (contract,) = (c for c in _config()["contracts"] if c["name"].startswith(PAIR_CONTRACT))
    named = {name.strip() for layer in contract["layers"] for name in re.split(r"[:|]", layer)}
    graph = _graph()
    unplaced = sorted(child for app in ("cases", "consent") for child in graph.find_children(app) if child not in named)
    assert not unplaced, f"Place these in the contract «{PAIR_CONTRACT}…» in pyproject.toml: {unplaced}"
