"""Property-based tests over the catalog: random shapes and values, extremes included.

Hypothesis draws a seed, a shape and a scale; ``tests.inputs`` turns them into valid
inputs for each loss. Scales run from 1e-12 to 1e12 for real-valued arguments (logits up
to 1e4, where float64 is still meaningful for a sigmoid), and probabilities may be exactly
0 or 1. Wherever PyTorch gives a finite number, lossbook must give the same finite number.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossbook.catalog import CATALOG
from tests.inputs import draw_inputs, kwargs_for
from tests.test_against_torch import torch_value_and_grad

SCALES = [10.0**k for k in range(-12, 13, 3)]

#: Absolute rounding error per element, in units of 1e12 (the tolerance multiplies by
#: 1e-12), for losses that are logarithms of quantities of order 1. Such a loss is exact only
#: to about machine epsilon absolute: log(1 + 1e-223) is 1e-223 in lossbook's log1p and 0 in
#: torch's log(exp(0) + exp(-512)), and KL's terms p (log p - log q) carry an error of about
#: epsilon times |p log p| <= 1/e each, however small the divergence. 1e-3 gives 1e-15 per
#: element. Regression losses (real-valued first argument) get no floor: their tiny values
#: at tiny residuals are compared relatively.
ROUNDING_FLOOR = {"logits": 1e-3, "probs": 1e-3, "simplex": 1e-3}

@st.composite
def problems(draw, spec):
    params = draw(st.sampled_from(spec.param_sets))
    scale = draw(st.sampled_from(SCALES))
    if spec.domains[0] == "logits":
        scale = min(scale, 1e4)
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 7))
    width = draw(st.integers(1, 4))
    edges = draw(st.booleans())
    reduction = draw(st.sampled_from(spec.reductions))
    args = draw_inputs(spec, np.random.default_rng(seed), n=n, width=width, scale=scale, edges=edges)
    return spec, kwargs_for(spec, params), reduction, args


def finite_where(reference, ours, what, scale):
    """Equal where ``reference`` is finite, to 1e-7 relative or 1e-12 of ``scale``.

    ``scale`` is the summed size of the unreduced terms: a sum of terms that cancel (a KL
    divergence of two nearly equal distributions) is exact only to rounding of the terms.
    """
    reference, ours = np.asarray(reference), np.asarray(ours)
    finite = np.isfinite(reference)
    assert np.all(np.isfinite(ours[finite])), f"{what}: lossbook not finite where torch is"
    np.testing.assert_allclose(ours[finite], reference[finite], rtol=1e-7,
                               atol=1e-12 * scale, err_msg=what)


def magnitude(values):
    values = np.abs(np.asarray(values))
    return float(values[np.isfinite(values)].sum()) + 1e-300


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_finite_and_equal_wherever_torch_is_finite(spec, data):
    spec, kwargs, reduction, args = data.draw(problems(spec))
    with np.errstate(all="ignore"):
        value = spec.loss(*args, **kwargs, reduction=reduction)
        grad = spec.grad(*args, **kwargs, reduction=reduction)
    expected_value, expected_grad = torch_value_and_grad(spec, args, kwargs, reduction)
    terms, term_grads = torch_value_and_grad(spec, args, kwargs, "none")
    floor = ROUNDING_FLOOR.get(spec.domains[0], 0) * args[0].size
    finite_where(expected_value, value, f"{spec.name} value", magnitude(terms) + floor)
    # The same floor for the gradient: at a logit of 378, torchvision's focal gradient is 0.0
    # (its 1 - sigmoid(z) rounds to 0) where lossbook's sigmoid(-z) gives the true 7.7e-165.
    finite_where(expected_grad, grad, f"{spec.name} gradient", magnitude(term_grads) + floor)


@pytest.mark.parametrize(
    "spec", [s for s in CATALOG if s.task == "regression" and s.name not in
             ("gaussian_nll", "poisson_nll")], ids=lambda s: s.name)
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_perfect_predictions_have_zero_loss(spec, data):
    """For error-based regression losses, predicting the target exactly costs nothing."""
    spec, kwargs, reduction, args = data.draw(problems(spec))
    target = args[1]
    assert np.all(spec.loss(target, target, **kwargs, reduction="none") == 0)
    grad = spec.grad(target, target, **kwargs, reduction="none")
    if spec.name != "quantile":  # a kink at zero: the mean of the one-sided slopes
        assert np.all(grad == 0)


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1.0, 1e3, 1e4]))
def test_extreme_logits_stay_finite(seed, scale):
    """Logits of +-1e4: every loss on logits gives a finite value and gradient."""
    rng = np.random.default_rng(seed)
    for spec in CATALOG:
        if spec.domains[0] != "logits":
            continue
        args = draw_inputs(spec, rng, scale=scale)
        args = (np.sign(args[0]) * scale,) + args[1:]
        value = spec.loss(*args, **spec.params, reduction="none")
        grad = spec.grad(*args, **spec.params, reduction="none")
        assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad)), spec.name
