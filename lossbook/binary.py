r"""Binary and multi-label losses: one yes/no decision per element.

Functions named ``bce*`` take targets in :math:`[0, 1]` (hard labels 0/1 or soft
labels). Those that take probabilities say so in their name's absence of ``logits``;
``bce_with_logits`` and ``sigmoid_focal`` take raw scores (logits) and are the forms to
train with. ``hinge`` and ``squared_hinge`` take labels in :math:`\{-1, +1\}`.

A multi-label problem is the same losses applied to an ``(N, L)`` array: one independent
sigmoid and one binary loss per label, averaged over all ``N * L`` elements.
"""

from __future__ import annotations

import numpy as np

from .checks import (
    as_float_array,
    as_label_array,
    check_broadcasts_to,
    check_in_unit_interval,
    check_nonempty,
    check_nonnegative,
    check_same_shape,
    check_wrt,
)
from .reduction import reduce, scale_grad

__all__ = [
    "bce",
    "bce_grad",
    "weighted_bce",
    "weighted_bce_grad",
    "bce_with_logits",
    "bce_with_logits_grad",
    "sigmoid_focal",
    "sigmoid_focal_grad",
    "hinge",
    "hinge_grad",
    "squared_hinge",
    "squared_hinge_grad",
]

#: PyTorch's ``BCELoss`` clamps each log term at -100 so that p = 0 or 1 gives a finite loss.
LOG_CLAMP = -100.0
#: PyTorch's ``BCELoss`` backward divides by ``max(p (1 - p), 1e-12)``, its 1e-12 a float32
#: constant, 9.99999996e-13 (1e-12 as a float64 would give gradients 4e-9 larger there).
GRAD_EPSILON = float(np.float32(1e-12))


def _prepare_labels(pred, target, pred_name):
    """A float prediction and a label target in [0, 1] of the same shape."""
    pred = as_float_array(pred, pred_name)
    target = as_label_array(target, "target", pred.dtype)
    check_same_shape(pred, target, pred_name, "target")
    check_nonempty(pred, pred_name)
    check_in_unit_interval(target, "target")
    return pred, target


def _prepare_probs(probs, target):
    probs, target = _prepare_labels(probs, target, "probs")
    check_in_unit_interval(probs, "probs")
    return probs, target


def _clamped_log(p):
    """``log(p)`` clamped at ``LOG_CLAMP``, in a fresh array."""
    with np.errstate(divide="ignore"):
        log_p = np.log(p, out=np.empty_like(p))
    return np.maximum(log_p, LOG_CLAMP, out=log_p)


def _clamped_log_of_not(p):
    """``log(1 - p)`` clamped at ``LOG_CLAMP``, in a fresh array, computed as PyTorch does, as
    ``log1p(-p)``: exact where ``p`` is tiny and ``1 - p`` would round to 1."""
    log_not_p = np.negative(p, out=np.empty_like(p))
    with np.errstate(divide="ignore"):
        np.log1p(log_not_p, out=log_not_p)
    return np.maximum(log_not_p, LOG_CLAMP, out=log_not_p)


def _smoothed(target, label_smoothing):
    r"""Keras's binary label smoothing: :math:`y (1 - \varepsilon) + \varepsilon / 2`."""
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing!r}")
    if label_smoothing == 0:
        return target
    return target * (1 - label_smoothing) + 0.5 * label_smoothing


def _elementwise_weight(weight, name, pred, pred_name):
    """A weight >= 0 that broadcasts to ``pred``, in its dtype; None stays None."""
    if weight is None:
        return None
    weight = np.asarray(weight, dtype=pred.dtype)
    check_broadcasts_to(weight, name, pred.shape, pred_name)
    check_nonnegative(weight, name)
    return weight


def _prepare_bce(probs, target, weight, label_smoothing):
    probs, target = _prepare_probs(probs, target)
    weight = _elementwise_weight(weight, "weight", probs, "probs")
    return probs, _smoothed(target, label_smoothing), weight


def bce(probs, target, *, weight=None, label_smoothing=0.0, reduction="mean"):
    r"""Binary cross-entropy on probabilities.

    .. math:: \ell_i = -w_i \left[y_i \log \hat p_i + (1 - y_i) \log(1 - \hat p_i)\right]

    with the elementwise weight :math:`w_i` (``weight``; none means 1) and, for
    ``label_smoothing`` :math:`\varepsilon > 0`, the smoothed target
    :math:`y_i (1 - \varepsilon) + \varepsilon / 2` in place of :math:`y_i` (Keras's binary
    label smoothing: a hard 1 becomes :math:`1 - \varepsilon/2`, a hard 0 becomes
    :math:`\varepsilon/2`).

    Gradient: :math:`w_i\,\dfrac{\hat p_i - y_i}{\hat p_i (1 - \hat p_i)}` (with the smoothed
    :math:`y_i`).

    Shape: ``probs``, ``target``: ``(*)``, equal; ``weight``: any shape that broadcasts to
    ``probs`` (``(C,)`` per label, ``(N, 1)`` per example, ``(N, C)`` per element, as
    PyTorch broadcasts it); output ``(*)`` or scalar.

    Args:
        probs: predicted probabilities :math:`\hat p \in [0, 1]`, float.
        target: labels :math:`y \in [0, 1]` (0/1 or soft), same shape.
        weight: elementwise weights :math:`w \ge 0` that multiply each term, or None.
        label_smoothing: :math:`\varepsilon \in [0, 1]`; 0 (the default) leaves the targets.
        reduction: ``"mean"`` (plain mean over elements, not divided by the weights, as in
            PyTorch), ``"sum"`` or ``"none"``.

    Notes:
        At :math:`\hat p = 0` or :math:`1`, :math:`\log` gives :math:`-\infty` and the naive
        formula gives ``inf`` or ``nan``. Like PyTorch, lossbook clamps each log term at
        :math:`-100` (``LOG_CLAMP``), so the worst possible term is 100, and divides the
        gradient by :math:`\max(\hat p(1 - \hat p), 10^{-12})`. Prefer
        :func:`bce_with_logits`, which needs no clamp. A weight of 0 silences an element
        whatever its probability (the clamped term is finite). NaN propagates. Unlike
        PyTorch, a negative weight raises ``ValueError``.

    See also:
        ``torch.nn.functional.binary_cross_entropy(probs, target, weight=weight,
        reduction=reduction)``; PyTorch has no label smoothing for it: pass
        ``target * (1 - label_smoothing) + label_smoothing / 2``.
        Keras ``keras.losses.BinaryCrossentropy(label_smoothing=label_smoothing)(target,
        probs)`` and scikit-learn ``sklearn.metrics.log_loss(target, probs)``: target
        first; they clip probabilities at 1e-7 and at machine epsilon where this loss
        clamps the log at -100, so they differ at exactly 0 and 1; Keras weights elements
        with ``sample_weight`` on a trailing axis. Chapter: One loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.2; label smoothing :cite:`szegedy2016rethinking`.

    Examples:
        >>> print(f"{bce([0.9, 0.1], [1.0, 0.0]):.4f}")
        0.1054
        >>> print(f"{bce([0.9, 0.1], [1.0, 0.0], weight=[2.0, 0.0]):.4f}")
        0.1054
        >>> print(f"{bce([0.9, 0.1], [1.0, 0.0], label_smoothing=0.2):.4f}")
        0.3251

    Book chapter: Binary cross-entropy.
    """
    probs, target, weight = _prepare_bce(probs, target, weight, label_smoothing)
    # -[y log p + (1 - y) log(1 - p)], in place on the two fresh logarithms (for speed)
    log_p = _clamped_log(probs)
    log_not_p = _clamped_log_of_not(probs)
    log_p *= target
    log_not_p *= target - 1  # -(1 - y) log(1 - p)
    terms = np.subtract(log_not_p, log_p, out=log_not_p)
    if weight is not None:
        terms *= weight
    return reduce(terms, reduction)


def bce_grad(probs, target, *, weight=None, label_smoothing=0.0, reduction="mean",
             wrt="probs"):
    r"""Gradient of :func:`bce` with respect to ``probs``, as PyTorch computes it:
    :math:`w\,(\hat p - y) / \max(\hat p (1 - \hat p), 10^{-12})`."""
    check_wrt(wrt, ("probs",))
    probs, target, weight = _prepare_bce(probs, target, weight, label_smoothing)
    grad = np.subtract(probs, target, out=np.empty_like(probs))
    grad /= np.maximum(probs * (1 - probs), GRAD_EPSILON)
    if weight is not None:
        grad *= weight
    return scale_grad(grad, reduction, probs.size)


def weighted_bce(probs, target, *, w1=1.0, w0=1.0, reduction="mean"):
    r"""Binary cross-entropy with one weight for positives and one for negatives.

    .. math:: \ell_i = -\left[w_1\, y_i \log \hat p_i + w_0\,(1 - y_i) \log(1 - \hat p_i)\right]

    Gradient: :math:`\dfrac{(w_1 y_i + w_0 (1-y_i))\,\hat p_i - w_1 y_i}{\hat p_i(1-\hat p_i)}`
    (for hard labels it is the :func:`bce` gradient times the label's weight).

    Shape: ``probs``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        probs: predicted probabilities in [0, 1].
        target: labels in [0, 1], same shape.
        w1: weight of the positive term, >= 0.
        w0: weight of the negative term, >= 0.
        reduction: ``"mean"`` (plain mean over elements, not divided by the weights),
            ``"sum"`` or ``"none"``.

    Notes:
        Same log clamp as :func:`bce`. For hard labels this equals PyTorch's per-element
        ``weight = w1 * target + w0 * (1 - target)``. The logit-space counterpart is
        :func:`bce_with_logits` with ``pos_weight = w1 / w0``, times ``w0``.

    See also:
        ``torch.nn.functional.binary_cross_entropy(probs, target,
        weight=w1 * target + w0 * (1 - target), reduction=reduction)``.
        Keras ``sample_weight`` weights whole examples (add a trailing axis to weight
        elements); scikit-learn's ``log_loss(sample_weight=...)`` divides by the sum of the
        weights, this loss by the number of elements. Chapter: One loss, three libraries.

    References:
        :cite:`king2001logistic` (weighting rare events).

    Examples:
        >>> print(f"{weighted_bce([0.9, 0.1], [1.0, 0.0], w1=5.0, w0=1.0):.4f}")
        0.3161

    Book chapter: Weighted BCE and focal loss.
    """
    _check_weights(w1, w0)
    probs, target = _prepare_probs(probs, target)
    terms = -(w1 * target * _clamped_log(probs) + w0 * (1 - target) * _clamped_log_of_not(probs))
    return reduce(terms, reduction)


def weighted_bce_grad(probs, target, *, w1=1.0, w0=1.0, reduction="mean", wrt="probs"):
    r"""Gradient of :func:`weighted_bce` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    _check_weights(w1, w0)
    probs, target = _prepare_probs(probs, target)
    numerator = (w1 * target + w0 * (1 - target)) * probs - w1 * target
    numerator /= np.maximum(probs * (1 - probs), GRAD_EPSILON)
    return scale_grad(numerator, reduction, probs.size)


def _check_weights(w1, w0):
    check_nonnegative(w1, "w1")
    check_nonnegative(w0, "w0")


def bce_with_logits(logits, target, *, pos_weight=1.0, weight=None, label_smoothing=0.0,
                    reduction="mean"):
    r"""Binary cross-entropy on logits, in the numerically stable form.

    With :math:`\hat p = \sigma(z)` and :math:`\log(1 - \sigma(z)) = \log\sigma(-z)`:

    .. math:: \ell_i = -w_i \left[w_{+}\, y_i \log\sigma(z_i) + (1 - y_i)\log\sigma(-z_i)\right]

    where :math:`w_+` is ``pos_weight`` (1 gives plain BCE) and :math:`w_i` the elementwise
    ``weight`` (none means 1). For ``label_smoothing`` :math:`\varepsilon > 0` the target
    is :math:`y_i (1 - \varepsilon) + \varepsilon / 2` (Keras's binary label smoothing),
    everywhere in the formula, :math:`w_+` included.

    Gradient: :math:`w_i \left[\sigma(z_i)\,(w_+ y_i + 1 - y_i) - w_+ y_i\right]`, which for
    :math:`w_+ = w_i = 1` is the famous :math:`\sigma(z_i) - y_i`.

    Shape: ``logits``, ``target``: ``(*)``, equal; ``pos_weight`` and ``weight``: any shape
    that broadcasts to ``logits`` (a scalar, ``(C,)`` one per label of an ``(N, C)``
    multi-label input, ``(N, 1)``, ``(N, C)``), as PyTorch broadcasts them; output ``(*)`` or
    scalar.

    Args:
        logits: raw scores :math:`z \in \mathbb{R}`, float.
        target: labels in [0, 1], same shape.
        pos_weight: weight :math:`w_+ \ge 0` of the positive term, a scalar or an array
            (``None``, as in PyTorch, means 1).
        weight: elementwise weights :math:`w \ge 0` that multiply each term, or None.
        label_smoothing: :math:`\varepsilon \in [0, 1]`; 0 (the default) leaves the targets.
        reduction: ``"mean"`` (plain mean over elements, not divided by the weights, as in
            PyTorch), ``"sum"`` or ``"none"``.

    Notes:
        :math:`-\log\sigma(z)` and :math:`-\log\sigma(-z)` are softplus functions, computed
        together by ``_softplus_pair`` (see :func:`lossbook.activations.log_sigmoid`): finite
        for logits of any size, where ``log(sigmoid(z))`` is ``-inf`` for :math:`z < -745`
        in float64. No clamp is needed, so for large logits this and :func:`bce` differ:
        here a wrong logit of -1000 costs 1000, there at most 100. Unlike PyTorch, a
        negative weight raises ``ValueError``.

    See also:
        ``torch.nn.functional.binary_cross_entropy_with_logits(logits, target,
        weight=weight, pos_weight=pos_weight, reduction=reduction)``; PyTorch has no label
        smoothing for it: pass ``target * (1 - label_smoothing) + label_smoothing / 2``.
        Keras ``keras.losses.BinaryCrossentropy(from_logits=True,
        label_smoothing=label_smoothing)(target, logits)``; Keras has no ``pos_weight`` (a
        per-element ``sample_weight`` on a trailing axis does it for hard labels), and
        scikit-learn's ``log_loss`` needs probabilities. Chapter: One loss, three
        libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.2; label smoothing :cite:`szegedy2016rethinking`.

    Examples:
        >>> print(f"{bce_with_logits([2.0, -2.0], [1.0, 0.0]):.4f}")
        0.1269
        >>> z, y = np.array([[2.0, -1.0], [0.5, 3.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> print(f"{bce_with_logits(z, y, pos_weight=[3.0, 1.0]):.4f}")  # one per label
        0.4292

    Book chapter: Binary cross-entropy.
    """
    logits, target, pos_weight, weight = _prepare_logits(logits, target, pos_weight, weight,
                                                         label_smoothing)
    minus_log_p, minus_log_not_p = _softplus_pair(logits)
    # w+ y (-log sigma(z)) + (1 - y) (-log sigma(-z)), in place on the fresh pair (for speed)
    minus_log_p *= target
    if not _is_one(pos_weight):
        minus_log_p *= pos_weight
    minus_log_not_p *= 1 - target
    terms = np.add(minus_log_p, minus_log_not_p, out=minus_log_p)
    if weight is not None:
        terms *= weight
    return reduce(terms, reduction)


def bce_with_logits_grad(logits, target, *, pos_weight=1.0, weight=None, label_smoothing=0.0,
                         reduction="mean", wrt="logits"):
    r"""Gradient of :func:`bce_with_logits` with respect to ``logits``:
    :math:`w\,[\sigma(z)(w_+ y + 1 - y) - w_+ y]`."""
    check_wrt(wrt, ("logits",))
    logits, target, pos_weight, weight = _prepare_logits(logits, target, pos_weight, weight,
                                                         label_smoothing)
    grad = _sigmoid(logits)
    if _is_one(pos_weight):
        grad -= target
    else:
        weighted_target = pos_weight * target
        grad *= weighted_target + 1 - target
        grad -= weighted_target
    if weight is not None:
        grad *= weight
    return scale_grad(grad, reduction, logits.size)


def _exp_minus_abs(z):
    r""":math:`e^{-|z|}` in a fresh array: in (0, 1], it never overflows."""
    e = np.abs(z, out=np.empty_like(z))
    np.negative(e, out=e)
    return np.exp(e, out=e)


def _softplus_pair(z, e=None):
    r""":math:`-\log\sigma(z)` and :math:`-\log\sigma(-z)`, sharing one exp and one log.

    Both are softplus, :math:`\log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})`, at
    :math:`x = -z` and :math:`x = z`; the second term is the same for both. ``e`` is
    :math:`e^{-|z|}` if the caller has it already (it is left as it is).
    """
    shared = np.log1p(_exp_minus_abs(z) if e is None else e)
    minus_log_p = np.negative(z, out=np.empty_like(z))
    np.maximum(minus_log_p, 0, out=minus_log_p)
    minus_log_p += shared
    minus_log_not_p = np.maximum(z, 0, out=np.empty_like(z))
    minus_log_not_p += shared
    return minus_log_p, minus_log_not_p


def _sigmoid(z, e=None):
    r""":math:`\sigma(z)` in a fresh array, from one exponential that never overflows:
    :math:`1 / (1 + e^{-|z|})` for :math:`z \ge 0`, :math:`e^{-|z|} / (1 + e^{-|z|})` below,
    the numbers :func:`lossbook.activations.sigmoid` gives. ``e`` is :math:`e^{-|z|}` if the
    caller has it already (it is left as it is).

    The numerator is :math:`\max(e^{-|z|}, [z \ge 0])`: 1 where :math:`z \ge 0` (there
    :math:`e^{-|z|} \le 1`), :math:`e^{-|z|}` below. One maximum where a select would
    cost two branches and a ``np.where``, several times slower (for speed).
    """
    e = _exp_minus_abs(z) if e is None else e
    sigma = np.maximum(e, z >= 0)
    sigma /= 1 + e
    return sigma


def _is_one(value):
    """Whether a weight is None or the scalar 1, so that its term can be skipped."""
    return value is None or (value.ndim == 0 and value == 1)


def _prepare_logits(logits, target, pos_weight, weight=None, label_smoothing=0.0):
    logits, target = _prepare_labels(logits, target, "logits")
    pos_weight = _elementwise_weight(pos_weight, "pos_weight", logits, "logits")
    weight = _elementwise_weight(weight, "weight", logits, "logits")
    return logits, _smoothed(target, label_smoothing), pos_weight, weight


def sigmoid_focal(logits, target, *, alpha=0.25, gamma=2.0, reduction="mean"):
    r"""Sigmoid focal loss: BCE scaled down on examples the model already gets right.

    With :math:`p = \sigma(z)`, :math:`p_t = p\,y + (1 - p)(1 - y)` (the probability
    given to the true label) and :math:`\alpha_t = \alpha y + (1 - \alpha)(1 - y)`:

    .. math:: \ell_i = -\alpha_t\,(1 - p_t)^\gamma \log p_t

    Gradient: with :math:`c = \mathrm{BCE}(z, y)` and
    :math:`\partial p_t / \partial z = p(1 - p)(2y - 1)`,

    .. math:: \frac{\partial \ell}{\partial z} = \alpha_t \left[(1 - p_t)^\gamma (p - y)
       - \gamma\, c\,(1 - p_t)^{\gamma - 1}\, p(1-p)(2y - 1)\right]

    Shape: ``logits``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        logits: raw scores, float.
        target: labels in [0, 1], same shape.
        alpha: weight of the positive class in [0, 1], or ``None`` for no weighting
            (:math:`\alpha_t = 1`). A negative value also means no weighting: that is how
            torchvision spells it (``alpha=-1``), and lossbook accepts it too.
        gamma: focusing parameter, >= 0; ``gamma=0`` with ``alpha=None`` gives
            :func:`bce_with_logits`.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        :math:`\log p_t` is taken from the stable BCE on logits, and :math:`1 - p_t` is
        computed as :math:`y\,\sigma(-z) + (1-y)\,\sigma(z)`, never as ``1 - p``, so an easy
        example's tiny factor is not rounded to zero. The default ``alpha=0.25`` weights
        the *positive* class down; :cite:t:`lin2017focal` found that best together
        with ``gamma=2``, because the focusing term already down-weights the many easy
        negatives. For :math:`\gamma < 1` the factor :math:`(1 - p_t)^{\gamma - 1}` is
        infinite where :math:`p_t = 1` exactly; its product with :math:`p(1 - p) = 0` is
        taken as 0 there.

    See also:
        ``torchvision.ops.sigmoid_focal_loss(logits, target, alpha=alpha, gamma=gamma,
        reduction=reduction)``, with ``alpha=-1`` for ``alpha=None`` (torchvision is not a
        dependency; the test suite writes the same formula in torch).
        Keras ``keras.losses.BinaryFocalCrossentropy(from_logits=True)`` applies alpha only
        with ``apply_class_balancing=True``; scikit-learn: none. Chapter: One loss, three
        libraries.

    References:
        :cite:`lin2017focal`.

    Examples:
        >>> print(f"{sigmoid_focal([2.0, -2.0], [1.0, 1.0]):.4f}")
        0.2065
        >>> print(f"{sigmoid_focal([2.0, -2.0], [1.0, 1.0], alpha=None):.4f}")
        0.8259

    Book chapter: Weighted BCE and focal loss.
    """
    logits, target = _prepare_labels(logits, target, "logits")
    check_nonnegative(gamma, "gamma")
    _, _, miss, cross_entropy, alpha_t = _focal_parts(logits, target, alpha)
    terms = miss**gamma
    terms *= cross_entropy
    if alpha_t is not None:
        terms *= alpha_t
    return reduce(terms, reduction)


def sigmoid_focal_grad(logits, target, *, alpha=0.25, gamma=2.0, reduction="mean", wrt="logits"):
    r"""Gradient of :func:`sigmoid_focal` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    logits, target = _prepare_labels(logits, target, "logits")
    check_nonnegative(gamma, "gamma")
    p, not_p, miss, cross_entropy, alpha_t = _focal_parts(logits, target, alpha)
    grad = np.subtract(p, target, out=np.empty_like(p))  # p - y
    if gamma != 0:
        grad *= miss**gamma
        # gamma c (1 - p_t)^(gamma - 1) p (1 - p) (2y - 1), in place on the fresh c
        with np.errstate(divide="ignore", invalid="ignore"):
            focus_term = cross_entropy
            focus_term *= miss ** (gamma - 1)
            focus_term *= p
            focus_term *= not_p
            focus_term *= 2 * target - 1
            focus_term *= gamma
        if gamma < 1:  # 0^(gamma - 1) = inf where p_t = 1, times p (1 - p) = 0 there
            focus_term[miss == 0] = 0
        grad -= focus_term
    if alpha_t is not None:
        grad *= alpha_t
    return scale_grad(grad, reduction, logits.size)


def _focal_parts(logits, target, alpha):
    """p, 1 - p, 1 - p_t, the BCE term and alpha_t (None: no weighting), all computed
    stably from one exponential, in place on fresh arrays (for speed)."""
    e = _exp_minus_abs(logits)
    one_minus_y = 1 - target
    minus_log_p, minus_log_not_p = _softplus_pair(logits, e)
    minus_log_p *= target
    minus_log_not_p *= one_minus_y
    cross_entropy = np.add(minus_log_p, minus_log_not_p, out=minus_log_p)  # BCE(z, y)
    # sigma(z) and sigma(-z) = sigma(z) mirrored, from the same e, neither as 1 - the other
    p = _sigmoid(logits, e)
    not_p = _sigmoid(-logits, e)
    miss = target * not_p  # 1 - p_t = y sigma(-z) + (1 - y) sigma(z)
    miss += one_minus_y * p
    alpha_t = _alpha_t(alpha, target, one_minus_y)
    return p, not_p, miss, cross_entropy, alpha_t


def _alpha_t(alpha, target, one_minus_target):
    """alpha y + (1 - alpha)(1 - y); None for no weighting (alpha None or negative)."""
    if alpha is None or alpha < 0:
        return None
    if alpha > 1:
        raise ValueError(
            f"alpha must be in [0, 1], or None (or negative, as in torchvision) for no "
            f"weighting, got {alpha!r}"
        )
    alpha_t = alpha * target
    alpha_t += (1 - alpha) * one_minus_target
    return alpha_t


def _prepare_signed(scores, target, margin):
    scores = as_float_array(scores, "scores")
    target = as_label_array(target, "target", scores.dtype)
    check_same_shape(scores, target, "scores", "target")
    check_nonempty(scores, "scores")
    if not np.all(np.abs(target) == 1):  # one cheap check; the search only if it fails
        bad = (np.abs(target) != 1) & ~np.isnan(target)  # NaN is let through
        if np.any(bad):
            raise ValueError(
                f"target must hold labels in {{-1, +1}}, got {float(target[bad][0])!r}")
    check_nonnegative(margin, "margin")
    return scores, target


def hinge(scores, target, *, margin=1.0, reduction="mean"):
    r"""Hinge loss for labels in :math:`\{-1, +1\}`.

    .. math:: \ell_i = \max(0,\; m - y_i \hat y_i)

    with margin :math:`m = 1` by default. A correct score beyond the margin costs nothing
    and gets no gradient.

    Gradient: :math:`-y_i` where :math:`y_i \hat y_i < m`, else 0. At the kink
    :math:`y_i \hat y_i = m` any value between :math:`-y_i` and 0 is a subgradient; lossbook
    takes 0, the choice of ``torch.relu(margin - target * scores)``, whose backward passes
    no gradient where its input is 0. ``margin_ranking_loss`` and
    ``torch.clamp(margin - target * scores, min=0)`` take the other end, :math:`-y_i`:
    ``clamp``'s backward passes the gradient where the input equals the bound.

    Shape: ``scores``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        scores: raw scores :math:`\hat y \in \mathbb{R}` (no activation).
        target: labels in {-1, +1}, same shape (0/1 labels raise ``ValueError``).
        margin: the margin :math:`m`, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        ``torch.nn.functional.margin_ranking_loss(scores, zeros, target, margin=margin)``
        is this loss (a ranking of each score against 0), as are
        ``torch.clamp(margin - target * scores, min=0)`` and
        ``torch.relu(margin - target * scores)``. Their gradients agree everywhere but at
        the margin, where autograd gives :math:`-y` for the first two and 0, lossbook's
        value, for ``relu``. (``HingeEmbeddingLoss`` is a different loss, on distances.)
        Keras ``margin * keras.losses.Hinge()(target, scores / margin)`` and scikit-learn
        ``sklearn.metrics.hinge_loss(target, scores)`` (margin 1). Chapter: One loss, three
        libraries.

    References:
        :cite:`cortes1995support`.

    Examples:
        >>> print(f"{hinge([2.0, 0.5, -1.0], [1.0, 1.0, 1.0]):.4f}")
        0.8333

    Book chapter: Hinge loss.
    """
    scores, target = _prepare_signed(scores, target, margin)
    return reduce(np.maximum(0, margin - target * scores), reduction)


def hinge_grad(scores, target, *, margin=1.0, reduction="mean", wrt="scores"):
    r"""Gradient of :func:`hinge` with respect to ``scores``."""
    check_wrt(wrt, ("scores",))
    scores, target = _prepare_signed(scores, target, margin)
    slack = margin - target * scores
    # -y where the slack is positive: 0 at the margin (as torch.relu's backward) and beyond it,
    # also for a score of +-inf there; a comparison with NaN is False, so NaN is put back
    grad = np.multiply(-target, slack > 0, out=np.empty_like(scores))
    grad[np.isnan(slack)] = np.nan
    return scale_grad(grad, reduction, scores.size)


def squared_hinge(scores, target, *, margin=1.0, reduction="mean"):
    r"""Squared hinge loss: :math:`\ell_i = \max(0,\; m - y_i \hat y_i)^2`, labels in {-1, +1}.

    Gradient: :math:`-2 y_i \max(0, m - y_i \hat y_i)`, continuous at the margin, so the
    margin is no kink: the gradient there is 0 in lossbook and in the autograd of
    ``torch.clamp(margin - target * scores, min=0) ** 2`` (and of the ``relu`` form).

    Shape: ``scores``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        scores: raw scores, float.
        target: labels in {-1, +1}, same shape.
        margin: the margin :math:`m`, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        ``torch.clamp(margin - target * scores, min=0) ** 2`` (no PyTorch function).
        Keras ``margin ** 2 * keras.losses.SquaredHinge()(target, scores / margin)``;
        scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`fan2008liblinear` (the L2-loss SVM).

    Examples:
        >>> print(f"{squared_hinge([2.0, 0.5, -1.0], [1.0, 1.0, 1.0]):.4f}")
        1.4167

    Book chapter: Hinge loss.
    """
    scores, target = _prepare_signed(scores, target, margin)
    return reduce(np.maximum(0, margin - target * scores) ** 2, reduction)


def squared_hinge_grad(scores, target, *, margin=1.0, reduction="mean", wrt="scores"):
    r"""Gradient of :func:`squared_hinge` with respect to ``scores``."""
    check_wrt(wrt, ("scores",))
    scores, target = _prepare_signed(scores, target, margin)
    grad = -2 * target * np.maximum(0, margin - target * scores)
    return scale_grad(grad, reduction, scores.size)
