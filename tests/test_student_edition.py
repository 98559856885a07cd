"""The student edition keeps every exercise, loses every solution, and still runs.

``scripts/student_edition.py`` writes it by removing the solutions' code cells (tagged
``solution``) and adding an empty answer cell after each exercise; every other cell is kept,
in order. The tests here check, without running anything:

* every exercise stays, every solution goes, every other code cell is kept, outputs cleared;
* no kept cell reads a name whose value, at that point of the notebook, a removed cell gave:
  where the book's last assignment of a name before a kept cell that reads it is in a
  solution, that cell would fail in the student edition (the name is missing) or compute
  something else (the name holds an older value). :func:`solution_reads` finds such reads by
  parsing each code cell with :mod:`ast`. A cell that really needs a solution's result must
  be tagged ``uses-solution``; names it assigns then count as a solution's too.

The code the student edition keeps is the book's code, which ``make nbval`` executes: every
notebook, under other math kernels than the machine's own, compared with the stored outputs.
So this file does not execute the notebooks again. What the name check cannot see is a
solution that changes an object in place (``rng.normal(...)`` advances ``rng``, a training
step moves a model) and a kept cell after it that uses the object; so a second rule holds:
no kept code cell comes after the first solution's code cell, unless it is tagged
``uses-solution``.
"""

import ast
import pathlib

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from scripts import student_edition
from scripts.check_notebooks import find_notebooks

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = find_notebooks([str(ROOT / "chapters")])
IDS = [str(p.relative_to(ROOT / "chapters")) for p in NOTEBOOKS]


def count(cells, text):
    return sum(c.source.count(text) for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_stay_and_solutions_go(path):
    book = nbformat.read(path, as_version=4)
    student = student_edition.student_notebook(path)
    solutions = count(book.cells, "{solution-start}") + count(book.cells, "{solution}")
    assert count(student.cells, "{exercise") == count(book.cells, "{exercise")
    assert count(student.cells, "{solution") == 0
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    answers = [c for c in student.cells if c.source == student_edition.ANSWER.strip()]
    assert len(answers) == solutions
    # Every other code cell is kept, in order, with its outputs cleared.
    kept = [c.source for c in book.cells if c.cell_type == "code"
            and "solution" not in c.metadata.get("tags", [])]
    assert [c.source for c in student.cells if c.cell_type == "code" and c not in answers] == kept
    assert all(not c.outputs and c.execution_count is None
               for c in student.cells if c.cell_type == "code")
    nbformat.validate(student)


def test_an_untagged_code_cell_inside_a_solution_is_refused():
    cells = [nbformat.v4.new_markdown_cell("````{solution-start} ex-1\n````"),
             nbformat.v4.new_code_cell("answer = 42"),
             nbformat.v4.new_markdown_cell("````{solution-end}\n````")]
    with pytest.raises(ValueError, match="not tagged 'solution'"):
        student_edition.student_cells(cells)


# ---------------------------------------------------------------------------------------------
# Which names a cell reads and assigns


class CellNames(ast.NodeVisitor):
    """The global names a cell assigns, and those it reads before it has assigned them.

    Statements are followed in the order Python runs them (the value of ``x = x + 1`` before
    its target). Comprehensions, classes and functions have their own names; a function's
    body runs when it is called, so it is read after the rest of the cell.
    """

    def __init__(self, source):
        self.assigns, self.reads = set(), set()
        self.scopes = []     # (kind, names) of the comprehensions, classes, functions we are in
        self.later = []      # function bodies, with the scopes around them
        tree = ast.parse(TransformerManager().transform_cell(source))  # %magics to Python
        for statement in tree.body:
            self.visit(statement)
        while self.later:
            node, scopes = self.later.pop(0)
            self.scopes = scopes + [("function", function_locals(node))]
            for statement in node.body if isinstance(node.body, list) else [node.body]:
                self.visit(statement)

    def assign(self, name, walrus=False):
        # `:=` in a comprehension assigns in the scope around it.
        scopes = [names for kind, names in self.scopes
                  if not (walrus and kind == "comprehension")]
        (scopes[-1] if scopes else self.assigns).add(name)

    def read(self, name):
        if name not in self.assigns and not any(name in names for _, names in self.scopes):
            self.reads.add(name)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.read(node.id)
        elif isinstance(node.ctx, ast.Store):
            self.assign(node.id)

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node):           # x += 1 reads x first
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.read(node.target.id)
        self.visit(node.target)

    def visit_AnnAssign(self, node):
        for part in (node.value, node.annotation, node.target):
            if part is not None:
                self.visit(part)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self.assign(node.target.id, walrus=True)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        for statement in node.body + node.orelse:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_ExceptHandler(self, node):
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.assign(node.name)
        for statement in node.body:
            self.visit(statement)

    def visit_alias(self, node):               # import a.b binds a; import a.b as c binds c
        if node.name != "*":
            self.assign((node.asname or node.name).split(".")[0])

    def visit_FunctionDef(self, node):
        for part in node.decorator_list + [node.args] + [node.returns] * bool(node.returns):
            self.visit(part)                   # decorators, defaults, annotations: now
        self.assign(node.name)
        self.defer(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit(node.args)
        self.defer(node)

    def defer(self, node):
        # A function sees the scopes around it except class bodies.
        self.later.append((node, [s for s in self.scopes if s[0] != "class"]))

    def visit_ClassDef(self, node):
        for part in node.decorator_list + node.bases + node.keywords:
            self.visit(part)
        self.scopes.append(("class", set()))
        for statement in node.body:
            self.visit(statement)
        self.scopes.pop()
        self.assign(node.name)

    def visit_ListComp(self, node):
        # The first iterable is evaluated outside; the loop variables are the comprehension's.
        self.visit(node.generators[0].iter)
        self.scopes.append(("comprehension", set()))
        for k, generator in enumerate(node.generators):
            if k:
                self.visit(generator.iter)
            self.visit(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        for part in ("key", "value", "elt"):
            if hasattr(node, part):
                self.visit(getattr(node, part))
        self.scopes.pop()

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp


def function_locals(node):
    """A function's own names: its parameters and every name its body assigns."""
    names, declared = set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif isinstance(sub, ast.arg):
            names.add(sub.arg)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
        elif isinstance(sub, ast.alias):
            names.add((sub.asname or sub.name).split(".")[0])
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            names.add(sub.name)
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            declared.update(sub.names)
    return names - declared


def solution_reads(cells):
    """The kept code cells that read a name a removed cell assigned last, with the names.

    ``cells`` are the book's; the student edition is what ``student_edition`` makes of them.
    """
    kept = {c.id for c in student_edition.student_cells(cells) if c.cell_type == "code"}
    last = {}        # name -> "kept" or "solution": which kind of cell assigned it last
    problems = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        names = CellNames(cell.source)
        tagged = "uses-solution" in cell.metadata.get("tags", [])
        if cell.id in kept and not tagged:
            missing = sorted(n for n in names.reads if last.get(n) == "solution")
            if missing:
                first = cell.source.strip().splitlines()[0]
                problems.append(f"{first!r} reads {', '.join(missing)}")
        for name in names.assigns:
            last[name] = "kept" if cell.id in kept and not tagged else "solution"
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_kept_cell_needs_a_solution(path):
    problems = solution_reads(nbformat.read(path, as_version=4).cells)
    assert problems == [], ("cells kept in the student edition read what only a solution "
                            "assigned (tag such a cell uses-solution): " + "; ".join(problems))


def code_after_a_solution(cells):
    """The kept code cells (not tagged ``uses-solution``) after the first solution cell."""
    kept = {c.id for c in student_edition.student_cells(cells) if c.cell_type == "code"}
    seen_solution, found = False, []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        if cell.id not in kept:
            seen_solution = True
        elif seen_solution and "uses-solution" not in cell.metadata.get("tags", []):
            found.append(cell.source.strip().splitlines()[0])
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_kept_code_cell_follows_a_solution(path):
    found = code_after_a_solution(nbformat.read(path, as_version=4).cells)
    assert found == [], ("kept code cells after a solution (a solution may change what they "
                         "use; move them before the exercises): " + "; ".join(found))


def test_the_order_check_finds_a_kept_cell_after_a_solution():
    assert code_after_a_solution(notebook("x = 1", "S:y = 2", "print(x)")) == ["print(x)"]
    assert code_after_a_solution(notebook("x = 1", "S:y = 2", "U:print(y)")) == []
    assert code_after_a_solution(notebook("x = 1", "print(x)", "S:y = 2")) == []


# ---------------------------------------------------------------------------------------------
# The checker itself, on small notebooks


def notebook(*cells):
    """Cells from strings; a string starting with "S:" is a solution cell, "U:" uses one."""
    out = [nbformat.v4.new_markdown_cell("```{exercise-start}\n:label: ex-1\n```\nDo it.\n"
                                         "```{exercise-end}\n```")]
    for source in cells:
        tag, source = (source[:2], source[2:]) if source[:2] in ("S:", "U:") else ("", source)
        if tag == "S:":
            out += [nbformat.v4.new_markdown_cell("```{solution-start} ex-1\n```"),
                    nbformat.v4.new_code_cell(source, metadata={"tags": ["solution"]}),
                    nbformat.v4.new_markdown_cell("```{solution-end}\n```")]
        else:
            tags = ["uses-solution"] if tag == "U:" else []
            out.append(nbformat.v4.new_code_cell(source, metadata={"tags": tags}))
    return out


@pytest.mark.parametrize("cells, found", [
    # a kept cell reads what only a solution assigned
    (["import numpy as np", "S:answer = np.pi", "print(answer)"], ["answer"]),
    (["S:def helper(): pass", "helper()"], ["helper"]),
    (["S:import math", "print(math.pi)"], ["math"]),
    (["S:for i in range(3): pass", "print(i)"], ["i"]),
    (["S:x = 1", "x = x + 1"], ["x"]),
    (["S:total = 0", "total += 1"], ["total"]),
    (["S:x = 1", "print([x for _ in range(2)])"], ["x"]),
    (["S:x = 1", "def f():\n    return x\nprint(f())"], ["x"]),
    # ... or which a solution assigned again after a kept cell: the student edition would
    # print the kept cell's value, not the book's
    (["x = 1", "S:x = 2", "print(x)"], ["x"]),
    (["S:print = None", "print(1)"], ["print"]),
    # a kept cell that assigns the name only after reading it, in the cell or in a later one
    (["S:x = 1", "print(x)\nx = 2"], ["x"]),
    (["S:x = 1", "print(x)", "x = 2"], ["x"]),
    # fine: a kept cell assigned the name after the solution, or before in the same cell
    (["S:x = 1", "x = 2", "print(x)"], []),
    (["S:x = 1", "x = 2\nprint(x)"], []),
    (["S:x = 1", "x = [x for x in range(3)]"], []),
    (["S:x = 1", "[x for x in range(3)]\nprint(sum(y := 1 for x in range(2)))"], []),
    (["S:x = 1", "def f(x):\n    return x\nf(2)"], []),
    (["S:x = 1", "f = lambda x: x + 1\nfor x in range(2): f(x)"], []),
    (["S:x = 1", "try:\n    pass\nexcept ValueError as x:\n    print(x)"], []),
    (["S:x = 1", "import os.path as x\nprint(x)"], []),
    (["S:x, y = 1, 2", "def g():\n    return y\ny = 3\nprint(g())"], []),
    (["S:x = 1", "class C:\n    x = 2\n    y = x\nprint(C.y)"], []),
    # fine: the solution only reads a kept name, and builtins stay builtins
    (["x = 1", "S:print(x)", "print(x, len([x]))"], []),
    # tagged cells may read a solution's names; what they assign is then a solution's too
    (["S:answer = 1", "U:double = 2 * answer", "print(double)"], ["double"]),
    (["S:answer = 1", "U:print(answer)"], []),
])
def test_the_check_finds_reads_of_solution_names(cells, found):
    problems = solution_reads(notebook(*cells))
    assert [p.rsplit(" reads ", 1)[1] for p in problems] == (
        [", ".join(found)] if found else [])
