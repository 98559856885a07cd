r"""A loss between two probability distributions: the Kullback–Leibler divergence.

Two forms: :func:`kl_divergence` is the formula the book teaches, :math:`D_{KL}(P \parallel Q)`
on probabilities, model first; :func:`kl_div` is PyTorch's ``kl_div``, on the model's
log-probabilities, with its ``log_target`` and its reductions.
"""

from __future__ import annotations

import numpy as np

from .checks import check_in_unit_interval, check_wrt, prepare_pair
from .reduction import check_reduction, grad_scale, reduce

__all__ = ["kl_divergence", "kl_divergence_grad", "kl_div", "kl_div_grad", "KL_REDUCTIONS"]

#: ``"batchmean"`` divides the sum by the batch size: the mean KL per distribution.
KL_REDUCTIONS = ("batchmean", "mean", "sum", "none")


def kl_divergence(q, p, *, reduction="batchmean"):
    r"""Kullback–Leibler divergence :math:`D_{KL}(P \parallel Q)` of a model :math:`Q` from data :math:`P`.

    .. math:: D_{KL}(P \parallel Q) = \sum_{x} P(x) \log\frac{P(x)}{Q(x)}

    Unreduced, one term :math:`p \log(p / q)` per element (0 where :math:`p = 0`); each
    row of ``q`` and ``p`` is one distribution over the last axis.

    Gradient with respect to ``q``: :math:`-p / q`; with respect to ``p`` (a teacher's
    output in distillation): :math:`\log(p / q) + 1`, which is :math:`-\infty` where
    :math:`p = 0` (the one-sided limit; PyTorch's autograd gives NaN there).

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


def kl_divergence_grad(q, p, *, reduction="batchmean", wrt="q"):
    r"""Gradient of :func:`kl_divergence` with respect to ``q`` (:math:`-p/q`) or ``p``
    (:math:`\log(p/q) + 1`)."""
    check_wrt(wrt, ("q", "p"))
    q, p = _prepare_kl(q, p, reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        if wrt == "q":
            grad = np.where(p > 0, -p / q, 0 * q)
        else:
            grad = np.log(p) - np.log(q) + 1
    return grad * _kl_grad_scale(reduction, q)


def _kl_grad_scale(reduction, x):
    """The factor of the summed gradient for ``reduction``; "batchmean" divides by the
    first dimension (1 for a 0-d input), "mean" by the number of elements."""
    if reduction == "batchmean":
        return grad_scale("mean", x.shape[0] if x.ndim else 1, x.dtype)
    return grad_scale(reduction, x.size, x.dtype)


def kl_div(input, target, *, log_target=False, reduction="mean"):
    r"""KL divergence in PyTorch's form: the model's log-probabilities first.

    With :math:`x` = ``input`` the model's log-probabilities :math:`\log Q` and
    :math:`t` = ``target`` the probabilities :math:`P`, one term per element:

    .. math:: \ell = t\,(\log t - x)

    0 where :math:`t = 0`. With ``log_target=True`` the target is given as
    log-probabilities too, :math:`t = \log P`, and :math:`\ell = e^{t}\,(t - x)`. Summed
    over a row the terms are :math:`D_{KL}(P \parallel Q)`.

    Gradient with respect to ``input``: :math:`-t` (:math:`-e^{t}` with ``log_target``);
    with respect to ``target`` (a model's output too, as in distillation):
    :math:`\log t + 1 - x` (:math:`e^{t}(t - x + 1)` with ``log_target``), which is
    :math:`-\infty` where :math:`t = 0` (the one-sided limit; PyTorch's autograd gives
    NaN there).

    Shape: ``input``, ``target``: any shape, equal (lossbook does not broadcast); output
    that shape for ``"none"``, else a scalar.

    Args:
        input: log-probabilities :math:`\log Q` of the model, e.g. a log-softmax output
            (not checked, as in :func:`~lossbook.multiclass.nll`).
        target: probabilities :math:`P` in [0, 1], same shape; or log-probabilities with
            ``log_target=True`` (then not checked).
        log_target: whether ``target`` holds log-probabilities.
        reduction: PyTorch's meanings: ``"mean"`` (default, as in PyTorch: the sum divided
            by the number of *elements*, which is the KL divided by the number of classes
            as well), ``"batchmean"`` (the sum divided by ``input.shape[0]``: the mean KL
            per row, what one usually wants), ``"sum"`` or ``"none"``.

    Notes:
        PyTorch warns that its default ``"mean"`` is not the KL per distribution; lossbook
        keeps the same default silently and says so here. A target of probability 0
        contributes 0 even against an input of :math:`-\infty` (a masked class), where
        PyTorch's ``xlogy(t, t) - t * input`` gives NaN; NaN in either argument still
        propagates. :func:`kl_divergence` is the same divergence written on probabilities,
        the model second in the notation and first in the call.

    See also:
        ``torch.nn.functional.kl_div(input, target, reduction=reduction,
        log_target=log_target)``. Keras ``keras.losses.KLDivergence()(exp(target),
        exp(input))`` for ``"batchmean"`` (probabilities, the data first); scikit-learn:
        none. Chapter: One loss, three libraries.

    References:
        :cite:`kullback1951information`.

    Examples:
        >>> import numpy as np
        >>> print(f"{kl_div(np.log([[0.5, 0.5]]), np.array([[0.9, 0.1]]), reduction='batchmean'):.4f}")
        0.3681
        >>> print(f"{kl_div(np.log([[0.5, 0.5]]), np.log([[0.9, 0.1]]), log_target=True, reduction='sum'):.4f}")
        0.3681

    Book chapter: KL divergence.
    """
    x, t = _prepare_kl_div(input, target, log_target, reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        if log_target:  # P = e^t; e^t (t - x), 0 where P = 0 (t = -inf)
            terms = np.where(t == -np.inf, 0, np.exp(t) * (t - x))
        else:  # 0 where t = 0, unless the input is NaN
            terms = np.where(t == 0, np.where(np.isnan(x), x, 0), t * (np.log(t) - x))
    if reduction == "batchmean":
        return reduce(terms, "mean", divisor=x.shape[0] if x.ndim else 1)
    return reduce(terms, reduction)


def kl_div_grad(input, target, *, log_target=False, reduction="mean", wrt="input"):
    r"""Gradient of :func:`kl_div` with respect to ``input`` or ``target``."""
    check_wrt(wrt, ("input", "target"))
    x, t = _prepare_kl_div(input, target, log_target, reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        if wrt == "input":
            grad = -np.exp(t) if log_target else -t
        elif log_target:  # e^t (t - x + 1), 0 where P = e^t = 0
            grad = np.where(t == -np.inf, 0, np.exp(t) * (t - x + 1))
        else:
            grad = np.log(t) + 1 - x
    return grad * _kl_grad_scale(reduction, x)


def _prepare_kl_div(input, target, log_target, reduction):
    check_reduction(reduction, KL_REDUCTIONS)
    x, t = prepare_pair(input, target, "input", "target")
    if not log_target:
        check_in_unit_interval(t, "target")
    return x, t


def _prepare_kl(q, p, reduction):
    check_reduction(reduction, KL_REDUCTIONS)
    q, p = prepare_pair(q, p, "q", "p")
    check_in_unit_interval(q, "q")
    check_in_unit_interval(p, "p")
    return q, p
