r"""A loss between two probability distributions: the Kullback–Leibler divergence."""

from __future__ import annotations

import numpy as np

from .checks import check_in_unit_interval, prepare_pair
from .reduction import check_reduction, grad_scale, reduce

__all__ = ["kl_divergence", "kl_divergence_grad", "KL_REDUCTIONS"]

#: ``"batchmean"`` divides the sum by the batch size: the mean KL per distribution.
KL_REDUCTIONS = ("batchmean", "mean", "sum", "none")


def kl_divergence(q, p, *, reduction="batchmean"):
    r"""Kullback–Leibler divergence :math:`D_{KL}(P \parallel Q)` of a model :math:`Q` from data :math:`P`.

    .. math:: D_{KL}(P \parallel Q) = \sum_{x} P(x) \log\frac{P(x)}{Q(x)}

    Unreduced, one term :math:`p \log(p / q)` per element (0 where :math:`p = 0`); each
    row of ``q`` and ``p`` is one distribution over the last axis.

    Gradient with respect to ``q``: :math:`-p / q`.

    Shape: ``q``, ``p``: ``(N, C)`` (or any shape), equal. Output ``(N, C)`` for
    ``"none"``, else a scalar.

    Args:
        q: the model's probabilities :math:`Q`, in [0, 1]. Model output first, as
            everywhere in lossbook.
        p: the target probabilities :math:`P`, in [0, 1], same shape.
        reduction: ``"batchmean"`` (default: the sum divided by ``q.shape[0]``, the mean
            KL per row, which is the true KL of each distribution averaged over the
            batch), ``"sum"``, ``"mean"`` (mean over *elements*: the KL divided by the
            number of classes too, rarely what one wants) or ``"none"``.

    Notes:
        :math:`D_{KL}` is not symmetric: ``kl_divergence(q, p) != kl_divergence(p, q)``.
        PyTorch's ``kl_div`` takes the *log* of the model's distribution first and the
        target second, the reverse of the order in :math:`D_{KL}(P \parallel Q)`; for a
        single 1-D distribution ``"batchmean"`` divides by its length, as PyTorch does,
        so use ``"sum"`` there. Where :math:`q = 0 < p` the divergence is ``inf``.

    See also:
        ``torch.nn.functional.kl_div(torch.log(q), p, reduction=reduction)``.
        Keras ``keras.losses.KLDivergence()(p, q)``: the data distribution first,
        probabilities, and the batch mean; scikit-learn: none. Chapter: One loss, three
        libraries.

    References:
        :cite:`kullback1951information`.

    Examples:
        >>> print(f"{kl_divergence([[0.5, 0.5]], [[0.9, 0.1]]):.4f}")
        0.3681

    Book chapter: KL divergence.
    """
    q, p = _prepare_kl(q, p, reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0 * q)
    if reduction == "batchmean":
        return reduce(terms, "mean", divisor=q.shape[0] if q.ndim else 1)
    return reduce(terms, reduction)


def kl_divergence_grad(q, p, *, reduction="batchmean"):
    r"""Gradient of :func:`kl_divergence` with respect to ``q``: :math:`-p/q`."""
    q, p = _prepare_kl(q, p, reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = np.where(p > 0, -p / q, 0 * q)
    if reduction == "batchmean":
        return grad * grad_scale("mean", q.shape[0] if q.ndim else 1, q.dtype)
    return grad * grad_scale(reduction, q.size, q.dtype)


def _prepare_kl(q, p, reduction):
    check_reduction(reduction, KL_REDUCTIONS)
    q, p = prepare_pair(q, p, "q", "p")
    check_in_unit_interval(q, "q")
    check_in_unit_interval(p, "p")
    return q, p
