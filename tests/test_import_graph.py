"""No import circles in ivigcalc, module by module, counting imports made only under
TYPE_CHECKING and those inside functions (issue 24: a circle of types is still a circle of
ideas). import-linter's acyclic_siblings contract checks siblings; this checks modules."""

from __future__ import annotations

import grimp


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The graph's strongly connected parts with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(
                        child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == module:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return found


def test_no_module_imports_its_way_back_to_itself() -> None:
    graph = grimp.build_graph("ivigcalc", exclude_type_checking_imports=False)
    assert len(graph.modules) > 100  # the whole package was read
    assert circles(graph) == []


def test_the_check_finds_a_circle_of_types() -> None:
    """The check itself can fail: a TYPE_CHECKING import back is a circle."""
    graph = grimp.build_graph("ivigcalc", exclude_type_checking_imports=False)
    graph.add_import(importer="ivigcalc.data.model", imported="ivigcalc.data.necessity",
                     line_number=1, line_contents="from ivigcalc.data.necessity import x")
    assert any({"ivigcalc.data.model", "ivigcalc.data.necessity"} <= set(part)
               for part in circles(graph))


def test_type_checking_imports_are_in_the_graph() -> None:
    """grimp counts them (else the check above would miss circles of types)."""
    graph = grimp.build_graph("ivigcalc", exclude_type_checking_imports=False)
    assert "ivigcalc.data.necessity_model" in graph.find_modules_directly_imported_by(
        "ivigcalc.data.model")  # imported there only under TYPE_CHECKING
