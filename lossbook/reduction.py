"""The one reducer every loss hands its unreduced terms to.

``reduction`` has PyTorch's meaning:

* ``"none"``: the unreduced terms, one per element (or per example when a class or
  feature axis has been summed out);
* ``"sum"``: their sum;
* ``"mean"``: their sum divided by a count, which is the number of terms unless the loss
  defines a different divisor (a class-weighted cross-entropy divides by the sum of the
  weights of its targets, as ``torch.nn.functional.cross_entropy`` does).

Gradients follow the same rule. Every ``*_grad`` function returns the gradient of the
*reduced* value with respect to the prediction; for ``"none"`` it returns the gradient of
the sum of the unreduced terms (what ``torch.autograd.grad(loss.sum(), input)`` gives).
So the ``"mean"`` gradient is the ``"sum"`` gradient divided by the same divisor the value
used; :func:`grad_scale` returns that factor.
"""

from __future__ import annotations

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: str, allowed=REDUCTIONS) -> None:
    """Raise ``ValueError`` unless ``reduction`` is one of ``allowed``."""
    if reduction not in allowed:
        raise ValueError(
            f"reduction must be one of {', '.join(repr(r) for r in allowed)}, "
            f"got {reduction!r}"
        )


def reduce(terms: np.ndarray, reduction: str, divisor=None):
    """Reduce the unreduced ``terms`` of a loss.

    Args:
        terms: unreduced loss terms.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        divisor: what ``"mean"`` divides the sum by; defaults to ``terms.size``.

    Returns:
        ``terms`` for ``"none"``, else a NumPy scalar of the same dtype as ``terms``.
    """
    check_reduction(reduction)
    if reduction == "none":
        return terms
    total = terms.sum(dtype=terms.dtype)
    if reduction == "sum":
        return total
    count = terms.size if divisor is None else divisor
    return terms.dtype.type(total / terms.dtype.type(count))


def reduce_products(a: np.ndarray, b: np.ndarray, reduction: str, divisor=None):
    """``reduce(a * b, reduction, divisor)``: the reduced elementwise products of ``a`` and ``b``.

    For ``"sum"`` and ``"mean"`` in float64 the sum of the products is a dot product, which
    reads each array once and forms no array of products (chosen for speed; its float64
    rounding is far below what a loss needs). ``a`` and ``b`` must have the same shape and
    memory layout (fresh arrays computed from the same input do). In float32, and for
    ``"none"``, the products are formed and summed pairwise as :func:`reduce` does: a float32
    dot product over millions of terms rounds a hundred times more.
    """
    check_reduction(reduction)
    if reduction == "none" or a.dtype != np.float64 or b.dtype != np.float64:
        return reduce(a * b, reduction, divisor)
    total = np.dot(a.ravel(order="K"), b.ravel(order="K"))
    if reduction == "sum":
        return total
    count = a.size if divisor is None else divisor
    return np.float64(total / count)


def grad_scale(reduction: str, count, dtype=np.float64):
    """The factor that turns the gradient of the summed terms into that of ``reduction``."""
    check_reduction(reduction)
    if reduction == "mean":
        return np.asarray(1, dtype=dtype) / np.asarray(count, dtype=dtype)
    return np.asarray(1, dtype=dtype)


def scale_grad(grad: np.ndarray, reduction: str, count):
    """:func:`grad_scale` applied in place to ``grad``, a fresh array the caller owns.

    For ``"mean"`` it multiplies ``grad`` by the same factor ``1 / count`` as
    ``grad * grad_scale(reduction, count, grad.dtype)``; for ``"sum"`` and ``"none"`` it
    returns ``grad`` untouched. One pass over memory and one temporary fewer than that
    product, and no pass at all for ``"sum"`` and ``"none"`` (chosen for speed).
    """
    check_reduction(reduction)
    if reduction == "mean":
        grad *= grad_scale(reduction, count, grad.dtype)
    return grad
