"""Every catalog entry against Keras (torch backend) and scikit-learn, as a second and
third reference beside PyTorch.

The catalog's ``keras`` and ``sklearn`` fields are Python expressions that give lossbook's
value (reduction ``"mean"``, ``"batchmean"`` for KL) from the other library: the library's
own call where the conventions match, the call plus the translation where they do not. The
book's translation table prints the same strings, so the table and these tests cannot
disagree. An empty field means "not available"; an expression that evaluates to ``None``
means "not available for these keyword arguments".
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import pathlib

import numpy as np
import pytest

os.environ["KERAS_BACKEND"] = "torch"  # before the first import of keras
import keras  # noqa: E402
import sklearn.metrics  # noqa: E402

import lossbook  # noqa: E402
from lossbook.libraries import translation  # noqa: E402
from lossbook.catalog import CATALOG  # noqa: E402
from tests.inputs import draw_inputs, kwargs_for  # noqa: E402
from tests.test_against_torch import FLOAT64_RTOL, assert_close  # noqa: E402

# Keras converts a Loss object's inputs to floatx, float32 by default; float64 keeps the
# inputs exact. Its torch backend still computes some steps in float32 whatever the inputs
# (keras 3.15: ops.mean promotes float64 with "float32" to float32), so Keras values are
# compared at float32 resolution.
keras.config.set_floatx("float64")
KERAS_RTOL = 1e-6

LIBRARIES = {
    "keras": {"keras": keras, "np": np},
    "sklearn": {"sklearn": sklearn, "np": np},
}

CASES = [
    pytest.param(library, spec, params, id=f"{library}-{spec.name}-{i}")
    for library in LIBRARIES
    for spec in CATALOG
    if getattr(spec, library)
    for i, params in enumerate(spec.param_sets)
]


def evaluate(library, spec, args, kwargs):
    """The catalog's expression for ``library``, evaluated on ``args`` and ``kwargs``."""
    value = translation(spec.name, library, *args, **kwargs)
    # every expression gives one number; float() reads a torch tensor and a NumPy scalar
    return None if value is None else float(value)


@pytest.mark.parametrize("library, spec, params", CASES)
def test_value_matches_the_other_library(library, spec, params, rng):
    args = draw_inputs(spec, rng, params=params)
    kwargs = kwargs_for(spec, params, args)
    theirs = evaluate(library, spec, args, kwargs)
    if theirs is None:
        pytest.skip(f"{library} has no equivalent of {spec.name} with {params}")
    rtol = KERAS_RTOL if library == "keras" else FLOAT64_RTOL
    assert_close(spec.loss(*args, **kwargs), theirs, rtol)


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_fields_are_expressions_in_the_bound_names(spec):
    """Each field parses, and uses no name beyond the loss's arguments and the modules."""
    bound = set(spec.bind(draw_inputs(spec, np.random.default_rng(0)), {}))
    for library, modules in LIBRARIES.items():
        code = getattr(spec, library)
        if not code:
            continue
        tree = ast.parse(code, mode="eval")
        loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        known = bound | set(modules) | set(dir(builtins))
        assert loaded <= known, (library, sorted(loaded - known))


CHAPTERS = [pathlib.Path(__file__).resolve().parents[1] / "chapters/practice" / name
            for name in ("libraries.ipynb", "libraries_newer.ipynb")]


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_every_loss_links_a_section_of_a_libraries_chapter(spec):
    markdown = "".join("".join(cell["source"]) for chapter in CHAPTERS
                       for cell in json.loads(chapter.read_text())["cells"]
                       if cell["cell_type"] == "markdown")
    assert f"({spec.libraries})=\n## " in markdown, spec.libraries


def test_keras_runs_on_the_torch_backend():
    assert keras.backend.backend() == "torch"


def test_unreduced_keras_bce_is_the_mean_over_the_last_axis(rng):
    """What the translations rely on: Keras averages the last axis before the batch."""
    probs = rng.uniform(0.02, 0.98, size=(5, 3))
    target = rng.integers(0, 2, size=(5, 3)).astype(float)
    per_row = keras.losses.BinaryCrossentropy(reduction=None)(target, probs).numpy()
    expected = lossbook.bce(probs, target, reduction="none").mean(axis=-1)
    assert_close(per_row, expected, KERAS_RTOL)


@pytest.mark.parametrize("name, library, match", [
    ("mse", "torch", "library must be 'keras' or 'sklearn'"),
    ("ctc", "sklearn", "no sklearn expression for 'ctc'"),
])
def test_translation_refuses_what_the_catalog_does_not_hold(name, library, match):
    with pytest.raises(ValueError, match=match):
        translation(name, library)
