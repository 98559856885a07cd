"""Every catalog entry against its PyTorch reference: values, gradients, dtypes.

Parametrised over ``lossbook.catalog.CATALOG``: a loss added to the catalog is tested
here without any edit to this file.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lossbook.catalog import CATALOG
from tests.inputs import draw_inputs, kwargs_for
from tests.torch_reference import REFERENCES

FLOAT64_RTOL = 1e-10
FLOAT32_RTOL = 1e-4

CASES = [
    pytest.param(spec, params, reduction, id=f"{spec.name}-{i}-{reduction}")
    for spec in CATALOG
    for i, params in enumerate(spec.param_sets)
    for reduction in spec.reductions
]


def assert_close(actual, expected, rtol):
    """Relative error at most ``rtol``, measured against the largest reference entry."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * np.abs(expected).max())


def to_torch(args, requires_grad_first=False):
    tensors = [torch.from_numpy(np.ascontiguousarray(a)) for a in args]
    if requires_grad_first:
        tensors[0].requires_grad_(True)
    return tensors


def torch_value_and_grad(spec, args, kwargs, reduction):
    tensors = to_torch(args, requires_grad_first=True)
    out = REFERENCES[spec.name](*tensors, **kwargs, reduction=reduction)
    (grad,) = torch.autograd.grad(out.sum(), tensors[0])
    return out.detach().numpy(), grad.numpy()


@pytest.mark.parametrize("spec, params, reduction", CASES)
def test_value_matches_torch(spec, params, reduction, rng):
    args = draw_inputs(spec, rng, params=params)
    kwargs = kwargs_for(spec, params, args)
    expected, _ = torch_value_and_grad(spec, args, kwargs, reduction)
    assert_close(spec.loss(*args, **kwargs, reduction=reduction), expected, FLOAT64_RTOL)


@pytest.mark.parametrize("spec, params, reduction", CASES)
def test_gradient_matches_torch_autograd(spec, params, reduction, rng):
    args = draw_inputs(spec, rng, params=params)
    kwargs = kwargs_for(spec, params, args)
    _, expected = torch_value_and_grad(spec, args, kwargs, reduction)
    assert_close(spec.grad(*args, **kwargs, reduction=reduction), expected, FLOAT64_RTOL)


WRT_CASES = [
    pytest.param(spec, name, reduction, id=f"{spec.name}-{name}-{reduction}")
    for spec in CATALOG
    for name in spec.learned
    for reduction in spec.reductions
]


@pytest.mark.parametrize("spec, name, reduction", WRT_CASES)
def test_gradient_wrt_every_learned_input_matches_torch_autograd(spec, name, reduction, rng):
    """``grad(..., wrt=name)`` for every input a model produces (both towers of a metric
    loss, the teacher of a distillation loss), with the richest parameter set."""
    args = draw_inputs(spec, rng, params=spec.param_sets[-1])
    kwargs = kwargs_for(spec, spec.param_sets[-1], args)
    k = spec.inputs.index(name)
    tensors = to_torch(args)
    tensors[k].requires_grad_(True)
    out = REFERENCES[spec.name](*tensors, **kwargs, reduction=reduction)
    (expected,) = torch.autograd.grad(out.sum(), tensors[k])
    actual = spec.grad(*args, **kwargs, reduction=reduction, wrt=name)
    assert_close(actual, expected.numpy(), FLOAT64_RTOL)


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_gradient_refuses_an_input_that_is_not_learned(spec, rng):
    args = draw_inputs(spec, rng)
    for name in sorted(set(spec.inputs) - set(spec.learned)) + ["nothing"]:
        with pytest.raises(ValueError, match="wrt must name a learned input"):
            spec.grad(*args, **spec.params, wrt=name)


LEARNED = [pytest.param(spec, name, id=f"{spec.name}-{name}")
           for spec in CATALOG for name in spec.learned]


@pytest.mark.parametrize("spec, name", LEARNED)
def test_gradient_matches_finite_differences(spec, name, rng):
    """Independent of torch: central differences of the summed loss, for every learned input."""
    params = spec.param_sets[-1]
    args = draw_inputs(spec, rng, n=3, width=2, params=params)
    kwargs = kwargs_for(spec, params, args)
    k = spec.inputs.index(name)
    x = args[k]
    step = 1e-6

    def total(moved):
        return float(spec.loss(*args[:k], moved, *args[k + 1:], **kwargs, reduction="sum"))

    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += step
        down[i] -= step
        numeric[i] = (total(up) - total(down)) / (2 * step)
    analytic = spec.grad(*args, **kwargs, reduction="sum", wrt=name)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


FLOAT32_CASES = [pytest.param(spec, params, id=f"{spec.name}-{i}")
                 for spec in CATALOG for i, params in enumerate(spec.param_sets)]


@pytest.mark.parametrize("spec, params", FLOAT32_CASES)
@pytest.mark.parametrize("reduction", ["none", "mean"])
def test_float32_in_float32_out(spec, params, reduction, rng):
    """Every tested parameter set, float32 in (array-valued options stay float64: the loss
    casts them to the prediction's dtype, as the torch references do)."""
    args64 = draw_inputs(spec, rng, params=params)
    args32 = tuple(a.astype(np.float32) if a.dtype == np.float64 else a for a in args64)
    kwargs = kwargs_for(spec, params, args64)
    value = np.asarray(spec.loss(*args32, **kwargs, reduction=reduction))
    grad = spec.grad(*args32, **kwargs, reduction=reduction)
    assert value.dtype == np.float32, f"value dtype {value.dtype}"
    assert grad.dtype == np.float32, f"gradient dtype {grad.dtype}"
    expected_value, expected_grad = torch_value_and_grad(spec, args32, kwargs, reduction)
    assert_close(value, expected_value, FLOAT32_RTOL)
    assert_close(grad, expected_grad, FLOAT32_RTOL)


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_gradient_has_the_shape_of_the_prediction(spec, rng):
    args = draw_inputs(spec, rng)
    assert spec.grad(*args, **spec.params).shape == args[0].shape


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_every_catalog_entry_has_a_torch_reference(spec):
    assert spec.name in REFERENCES
