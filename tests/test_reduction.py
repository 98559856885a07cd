"""The shared reduction helpers: what the losses' speed-minded forms rely on."""

import numpy as np
import pytest

from lossbook.reduction import grad_scale, reduce, reduce_products, scale_grad


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_reduce_products_is_the_reduction_of_the_products(reduction, dtype, rng):
    a, b = rng.normal(size=(2, 7, 3)).astype(dtype)
    ours = reduce_products(a, b, reduction)
    assert np.asarray(ours).dtype == dtype
    np.testing.assert_allclose(ours, reduce(a * b, reduction), rtol=1e-12 if dtype == np.float64
                               else 1e-6)


def test_reduce_products_follows_the_memory_layout(rng):
    """Fresh arrays computed from a transposed input are Fortran-ordered: the dot product
    must pair the same elements."""
    a = rng.normal(size=(5, 4)).T
    b = np.abs(a)
    assert reduce_products(a, b, "sum") == pytest.approx(float((a * b).sum()), rel=1e-12)


def test_float32_sums_stay_pairwise_accurate_over_millions_of_terms(rng):
    """reduce_products sums float32 products pairwise, as reduce does: a float32 dot product
    over four million terms would be off by about 1e-6, a hundred times more."""
    a = rng.random(4_000_000).astype(np.float32)
    exact = float(np.dot(a.astype(np.float64), a.astype(np.float64)))
    assert abs(float(reduce_products(a, a, "sum")) / exact - 1) < 2e-7


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_scale_grad_is_grad_scale_in_place(reduction, rng):
    grad = rng.normal(size=(4, 3))
    expected = grad * grad_scale(reduction, grad.size, grad.dtype)
    out = scale_grad(grad, reduction, grad.size)
    assert out is grad
    np.testing.assert_array_equal(out, expected)
