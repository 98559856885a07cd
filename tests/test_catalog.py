"""The catalog is complete, consistent, and the package stays NumPy-only at import."""

import ast
import inspect
import pathlib
import re
import subprocess
import sys

import pytest

import lossbook
from lossbook.catalog import CATALOG, TASKS, by_name, by_task
from scripts.book_toc import toc_entries

ROOT = pathlib.Path(__file__).resolve().parents[1]
LOSS_MODULES = ("regression", "binary", "multiclass", "distribution", "embedding",
                "ordinal", "overlap", "pairs", "sequence")


def public_losses():
    names = set()
    for module in LOSS_MODULES:
        mod = getattr(lossbook, module)
        names |= {n for n in mod.__all__ if not n.endswith("_grad") and n in dir(lossbook)
                  and callable(getattr(mod, n))}
    return names


def test_every_public_loss_is_in_the_catalog_and_back():
    assert public_losses() == {spec.name for spec in CATALOG}


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_entry_points_at_the_public_functions(spec):
    assert getattr(lossbook, spec.name) is spec.loss
    assert getattr(lossbook, f"{spec.name}_grad") is spec.grad


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_loss_and_gradient_share_one_signature(spec):
    # The gradient takes the loss's arguments, and ``wrt``: which learned input.
    loss, grad = inspect.signature(spec.loss), inspect.signature(spec.grad)
    assert list(grad.parameters)[-1] == "wrt"
    assert grad.parameters["wrt"].default == spec.inputs[0]
    assert grad.replace(parameters=list(grad.parameters.values())[:-1]) == loss


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_docstring_has_formula_torch_equivalent_and_reference(spec):
    doc = spec.loss.__doc__
    assert ".. math::" in doc or ":math:" in doc
    assert "See also:" in doc and "References:" in doc and "Examples:" in doc
    assert f":cite:`{spec.reference}`" in doc


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_defaults_in_the_catalog_match_the_signature(spec):
    signature = inspect.signature(spec.loss)
    for key, value in spec.params.items():
        assert signature.parameters[key].default == value, key


def test_every_cited_key_is_in_the_bibliography():
    bib = (ROOT / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = {spec.reference for spec in CATALOG}
    for module in LOSS_MODULES:
        cited |= set(re.findall(r":cite:t?`([^`]+)`", inspect.getsource(getattr(lossbook, module))))
    assert cited <= keys, sorted(cited - keys)


def test_every_loss_names_a_chapter_that_is_in_the_book():
    in_book = {entry.file for entry in toc_entries()}
    for spec in CATALOG:
        assert (ROOT / (spec.chapter + ".ipynb")).is_file(), (spec.name, spec.chapter)
        assert spec.chapter in in_book, (spec.name, spec.chapter)


DRAWN = [pytest.param(spec, params, id=f"{spec.name}-{i}") for spec in CATALOG
         for i, params in enumerate(spec.param_sets) if "_domains" in params]


@pytest.mark.parametrize("spec, params", DRAWN)
def test_a_parameter_set_draws_its_arguments_from_the_domains_it_names(spec, params):
    """``"_domains"`` of a tested setting is honoured, so that the option it needs (index
    targets for ``ignore_index``, log-probabilities for ``log_target``) is exercised."""
    import dataclasses

    import numpy as np
    from tests.inputs import draw_inputs
    domains = list(spec.domains)
    for name, domain in params["_domains"].items():
        domains[spec.inputs.index(name)] = domain
    as_if_catalog = dataclasses.replace(spec, domains=tuple(domains))
    drawn = draw_inputs(spec, np.random.default_rng(0), params=params)
    default = draw_inputs(spec, np.random.default_rng(0))
    for ours, expected in zip(drawn, draw_inputs(as_if_catalog, np.random.default_rng(0))):
        np.testing.assert_array_equal(ours, expected)
    assert any(a.shape != b.shape or not np.array_equal(a, b) for a, b in zip(drawn, default))


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_torch_equivalent_is_a_python_expression(spec):
    ast.parse(spec.torch, mode="eval")


def test_lookups():
    assert by_name("huber").title == "Huber loss"
    with pytest.raises(ValueError, match="name must be a loss in the catalog, got 'hubber'"):
        by_name("hubber")
    assert all(by_task(task) for task in TASKS)
    assert by_name("bce_with_logits") in by_task("multi-label")


def test_importing_lossbook_imports_numpy_only():
    code = ("import sys, lossbook; "
            "print(sorted(m for m in ('torch', 'matplotlib', 'keras', 'sklearn', 'scipy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
