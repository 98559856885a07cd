r"""A loss between two probability distributions: the Kullback–Leibler divergence.

Two forms: :func:`kl_divergence` is the formula the book teaches, :math:`D_{KL}(P \parallel Q)`
on probabilities, model first; :func:`kl_div` is PyTorch's ``kl_div``, on the model's
log-probabilities, with its ``log_target`` and its reductions. :func:`distillation` is the
knowledge-distillation loss built from the divergence and the cross-entropy.
"""

from __future__ import annotations

import numpy as np

from .checks import (as_index_array, check_in_unit_interval, check_index_range,
                     check_positive, check_wrt, prepare_pair)
from .multiclass import _class_sum, _shifted
from .reduction import check_reduction, grad_scale, reduce

__all__ = ["kl_divergence", "kl_divergence_grad", "kl_div", "kl_div_grad", "KL_REDUCTIONS",
           "distillation", "distillation_grad"]

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


def distillation(student_logits, teacher_logits, target, *, temperature=4.0, alpha=0.5,
                 t_squared=True, reduction="mean"):
    r"""Knowledge-distillation loss: a student matches a teacher's softened probabilities.

    With :math:`q^T = \operatorname{softmax}(z_s / T)` the student's and
    :math:`p^T = \operatorname{softmax}(z_t / T)` the teacher's probabilities at temperature
    :math:`T`, one term per example (row):

    .. math:: \ell = \alpha\, T^2\, D_{KL}\big(p^T \parallel q^T\big)
              + (1 - \alpha)\,\big(-\log q^1_y\big)

    The first term pulls the student towards the teacher's distribution over all classes,
    the second towards the label :math:`y`, at :math:`T = 1`.

    Gradient with respect to the student's logits:
    :math:`\alpha\, T\,(q^T - p^T) + (1 - \alpha)\,(q^1 - e_y)`. Without the factor
    :math:`T^2` the first part would be :math:`(q^T - p^T)/T`, which falls like
    :math:`1/T^2` once :math:`T` is large against the logits' spread; the factor keeps the
    two terms' balance, and so the meaning of :math:`\alpha`, the same at every :math:`T`.
    The teacher is a constant: it is not differentiated.

    Shape: ``student_logits``, ``teacher_logits``: ``(N, C)``, equal; ``target``: ``(N,)``
    integer class indices. Output ``(N,)`` for ``"none"``, else a scalar.

    Args:
        student_logits: the student's raw scores :math:`z_s`.
        teacher_logits: the teacher's raw scores :math:`z_t`, same shape.
        target: the labels :math:`y`, integers in ``[0, C)``.
        temperature: :math:`T > 0`; 1 leaves the probabilities as they are, larger values
            flatten them towards uniform.
        alpha: the weight :math:`\alpha \in [0, 1]` of the soft targets; 0 is plain
            cross-entropy on the labels, 1 distillation alone.
        t_squared: multiply the KL term by :math:`T^2` (default, as Hinton, Vinyals and Dean
            do); ``False`` leaves the factor out, to see what it does.
        reduction: ``"mean"`` (over examples), ``"sum"`` or ``"none"``.

    Notes:
        The KL term is the row sum of ``kl_div(log_softmax(z_s / T), log_softmax(z_t / T),
        log_target=True)``: the teacher is the reference distribution :math:`P`, the
        student the model :math:`Q`, as in maximum likelihood. With ``"mean"`` the loss is
        PyTorch's ``"batchmean"`` KL plus its mean cross-entropy, the usual code.

    See also:
        ``alpha * T**2 * torch.nn.functional.kl_div(torch.log_softmax(z_s / T, -1),
        torch.log_softmax(z_t / T, -1), log_target=True, reduction="batchmean") +
        (1 - alpha) * torch.nn.functional.cross_entropy(z_s, y)``; PyTorch, Keras and
        scikit-learn have no such loss. ``lossbook.torch_losses.distillation`` is this
        loss in torch.

    References:
        :cite:`hinton2015distilling`.

    Examples:
        >>> import numpy as np
        >>> z_s, z_t = np.array([[1.0, 0.0, -1.0]]), np.array([[2.0, 1.0, 0.0]])
        >>> print(f"{distillation(z_s, z_t, np.array([0]), temperature=1.0, alpha=1.0):.4f}")
        0.0000
        >>> print(f"{distillation(z_s, z_t, np.array([0]), alpha=0.0):.4f}")
        0.4076

    Book chapter: Distillation.
    """
    z_s, z_t, y, t, scale = _prepare_distillation(
        student_logits, teacher_logits, target, temperature, alpha, t_squared, reduction)
    s_1 = _shifted(z_s)  # the student's scores minus their row maximum
    loss = np.zeros(len(y), dtype=z_s.dtype)
    if alpha > 0:
        # With s the shifted scores over T and L = log sum exp s per row, log q^T = s_q - L_q
        # and log p^T = s_p - L_p; as p^T sums to 1,
        # KL(p^T || q^T) = sum p^T (s_p - s_q) + L_q - L_p.
        s_q = s_1 / t
        s_p = _shifted(z_t)
        s_p /= t
        p, log_norm_p = _softmax_and_log_norm(s_p.copy())
        s_p -= s_q
        s_p *= p
        loss += (alpha * scale) * (_class_sum(s_p) + _log_norm(s_q) - log_norm_p)
    if alpha < 1:
        loss += (1 - alpha) * (_log_norm(s_1) - s_1[np.arange(len(y)), y])
    return reduce(loss, reduction)


def distillation_grad(student_logits, teacher_logits, target, *, temperature=4.0, alpha=0.5,
                      t_squared=True, reduction="mean", wrt="student_logits"):
    r"""Gradient of :func:`distillation` with respect to the student's logits:
    :math:`\alpha\, T^2 (q^T - p^T)/T + (1 - \alpha)(q^1 - e_y)`, per example."""
    check_wrt(wrt, ("student_logits",))
    z_s, z_t, y, t, scale = _prepare_distillation(
        student_logits, teacher_logits, target, temperature, alpha, t_squared, reduction)
    s_1 = _shifted(z_s)
    grad = np.zeros_like(z_s)
    if alpha > 0:
        q, _ = _softmax_and_log_norm(s_1 / t)
        s_p = _shifted(z_t)
        s_p /= t
        p, _ = _softmax_and_log_norm(s_p)
        q -= p
        q *= alpha * scale / t
        grad += q
    if alpha < 1:
        q_1, _ = _softmax_and_log_norm(s_1)
        q_1[np.arange(len(y)), y] -= 1
        q_1 *= 1 - alpha
        grad += q_1
    grad *= grad_scale(reduction, len(y), grad.dtype)
    return grad


def _prepare_distillation(student_logits, teacher_logits, target, temperature, alpha,
                          t_squared, reduction):
    """The checked student logits, the log-probabilities at T of student and teacher, the
    labels and the KL term's factor."""
    check_reduction(reduction)
    z_s, z_t = prepare_pair(student_logits, teacher_logits, "student_logits",
                            "teacher_logits")
    if z_s.ndim != 2:
        raise ValueError(f"student_logits must be (N, C) scores, got shape {z_s.shape}")
    y = as_index_array(target, "target", z_s.shape[1])
    if y.shape != z_s.shape[:1]:
        raise ValueError(f"target must have shape {z_s.shape[:1]} (one label per row of "
                         f"student_logits), got {y.shape}")
    check_index_range(y, "target", z_s.shape[1])
    check_positive(temperature, "temperature")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha!r}")
    t = z_s.dtype.type(temperature)
    return z_s, z_t, y, t, t * t if t_squared else z_s.dtype.type(1)


def _softmax_and_log_norm(shifted):
    r"""Softmax over the classes of ``(N, C)`` scores already shifted by their row maximum,
    written over them, and :math:`\log\sum_c e^{s_c}` per row.

    The shift is ``lossbook.multiclass._shifted``'s, as in
    :func:`lossbook.activations.log_softmax`; row sums are taken a class column at a time,
    which keeps a few-class batch fast, and in place, so that a large batch allocates little.
    """
    np.exp(shifted, out=shifted)
    total = _class_sum(shifted)
    shifted /= total[:, None]
    return shifted, np.log(total)


def _log_norm(shifted):
    r""":math:`\log\sum_c e^{s_c}` per row of shifted scores (the largest term is 1)."""
    return np.log(_class_sum(np.exp(shifted)))
