r"""Overlap losses for segmentation: one term per image, from sums over its pixels.

A segmentation model predicts, for every pixel, the probability that it belongs to the
object. A per-pixel loss (BCE) averages one term per pixel, so an object covering 2 % of
the image carries 2 % of the loss. The losses here compare the predicted mask with the
true one *as sets*: with the soft counts over the pixels of one image

.. math:: \mathrm{TP} = \sum_i p_i t_i, \quad \mathrm{FP} = \sum_i p_i (1 - t_i), \quad
   \mathrm{FN} = \sum_i (1 - p_i)\, t_i,

they score the overlap, whatever the size of the object. Every function takes ``(N, ...)``
arrays, one image (of any shape) per entry of the first axis, and returns one term per
image before ``reduction``. With ``multiclass=True`` the arrays are ``(N, C, ...)``
(channels first, as in PyTorch), the target one-hot (or soft) over the class axis; the
overlap is computed per image and class and averaged over the classes.

``smooth`` (the smoothing constant :math:`s`) is added to the numerator and denominator:
it keeps an image with an empty target and an empty prediction at a loss of 0 instead of
0/0, and it sets how hard an empty target pulls a prediction down
(:func:`soft_dice_grad` says by how much).
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax
from .binary import _exp_minus_abs, _sigmoid, _softplus_pair
from .checks import (
    as_float_array,
    as_label_array,
    check_in_unit_interval,
    check_nonempty,
    check_nonnegative,
    check_same_shape,
    check_wrt,
)
from .reduction import grad_scale, reduce

__all__ = [
    "soft_dice",
    "soft_dice_grad",
    "tversky",
    "tversky_grad",
    "focal_tversky",
    "focal_tversky_grad",
    "dice_bce",
    "dice_bce_grad",
]


def _prepare(pred, target, pred_name, multiclass, probabilities=True):
    pred = as_float_array(pred, pred_name)
    target = as_label_array(target, "target", pred.dtype)
    check_same_shape(pred, target, pred_name, "target")
    check_nonempty(pred, pred_name)
    if pred.ndim < 2:
        expected = "(N, C, ...): classes on axis 1" if multiclass else \
            "(N, ...): one image per entry of axis 0"
        raise ValueError(f"{pred_name} must have shape {expected}, got {pred.shape}")
    if probabilities:
        check_in_unit_interval(pred, pred_name)
    check_in_unit_interval(target, "target")
    return pred, target


def _pixel_axes(x, multiclass):
    """The axes summed over: every axis after the image (and class) axes."""
    return tuple(range(2 if multiclass else 1, x.ndim))


def _pixels_last(x, multiclass):
    """``x`` as ``(N, P)`` (``(N, C, P)`` with ``multiclass``): the pixels of each image (and
    class) on one last axis, a view of a contiguous array."""
    return x.reshape(x.shape[:2 if multiclass else 1] + (-1,))


def _pixel_sum(x, y=None):
    r""":math:`\sum_i x_i` (:math:`\sum_i x_i y_i` if ``y`` is given) over the last axis.

    Chosen for speed: in float64 a matrix-vector product with ones (or ``einsum`` for the
    products) reads the arrays once and forms no temporary, where ``np.sum(axis=-1)`` over
    short rows runs one inner loop per row. In float32 the (products are formed and) summed
    pairwise by ``np.sum``: a float32 dot product over a large image rounds far more.
    """
    if x.shape[-1] == 1:  # one pixel per image (and class): no sum to take
        return x[..., 0].copy() if y is None else x[..., 0] * y[..., 0]
    if x.dtype != np.float64:
        return np.sum(x if y is None else x * y, axis=-1)
    if y is None:
        return x @ np.ones(x.shape[-1])
    return np.einsum("...i,...i->...", x, y)


def _ratio_parts(probs, target, a, k, alpha, beta, smooth, multiclass):
    r"""Numerator, denominator and the ratio :math:`R = (aI + s)/(kI + \alpha P + \beta T + s)`
    with :math:`I = \sum p t`, :math:`P = \sum p`, :math:`T = \sum t` per image (and class)."""
    p, t = _pixels_last(probs, multiclass), _pixels_last(target, multiclass)
    inter, total_p, total_t = _pixel_sum(p, t), _pixel_sum(p), _pixel_sum(t)
    num = a * inter + smooth
    den = k * inter + alpha * total_p + beta * total_t + smooth
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = num / den
    return num, den, ratio


def _direct_counts(probs, target, multiclass):
    r"""TP, FP and FN per image (and class), each summed from its own products: FP as
    :math:`\sum p (1 - t)`, not :math:`\sum p - \mathrm{TP}`, which cancels where the
    overlap is nearly perfect. One temporary, holding :math:`1 - t`, then :math:`1 - p`."""
    p, t = _pixels_last(probs, multiclass), _pixels_last(target, multiclass)
    rest = 1 - t
    fp = _pixel_sum(p, rest)
    np.subtract(1, p, out=rest)
    return _pixel_sum(p, t), fp, _pixel_sum(rest, t)


def _tversky_miss(probs, target, alpha, beta, smooth, multiclass):
    r"""Numerator :math:`N = \mathrm{TP} + s`, denominator :math:`D` of the Tversky index,
    and :math:`1 - R = (\alpha\,\mathrm{FP} + \beta\,\mathrm{FN}) / D`, from the false
    positives and negatives counted directly: :math:`1 - R` computed as a difference cancels
    where the overlap is nearly perfect, and the focal power magnifies the error."""
    tp, fp, fn = _direct_counts(probs, target, multiclass)
    misses = alpha * fp + beta * fn
    den = tp + misses + smooth
    with np.errstate(divide="ignore", invalid="ignore"):
        return tp + smooth, den, misses / den


def _ratio_grad_coefficients(num, den, a, k, alpha):
    r""":math:`\partial R / \partial p_i = (a t_i D - N (k t_i + \alpha)) / D^2
    = t_i\,(aD - kN)/D^2 - \alpha N / D^2`: an affine function of :math:`t_i` whose slope
    and intercept are per image (and class); returned as ``(slope, intercept)``."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        den2 = den * den
        return (a * den - k * num) / den2, -alpha * num / den2


def _affine_in_target(target, slope, intercept, multiclass):
    """``slope * t + intercept`` at every pixel, with per-image (and class) ``slope`` and
    ``intercept``: the whole gradient in one pass that writes it and one in place."""
    t = _pixels_last(target, multiclass)
    with np.errstate(invalid="ignore"):
        out = t * slope[..., None]
        out += intercept[..., None]
    return out.reshape(target.shape)


def _grad_factor(probs, reduction, multiclass):
    """What the gradient of the summed terms is multiplied by: the reduction's ``1/N`` for
    ``"mean"``, and ``1/C`` for the mean over the classes."""
    factor = grad_scale(reduction, probs.shape[0], probs.dtype)
    return factor / probs.shape[1] if multiclass else factor


def _class_mean(terms, multiclass):
    return terms.mean(axis=1) if multiclass else terms


def _check_tversky(alpha, beta, smooth):
    check_nonnegative(alpha, "alpha")
    check_nonnegative(beta, "beta")
    check_nonnegative(smooth, "smooth")


def _tversky_coefficients(alpha, beta):
    """Tversky as the ratio: a = 1, k = 1 - alpha - beta (the TP count in the denominator
    after FP = P - I and FN = T - I are expanded)."""
    return 1.0, 1.0 - alpha - beta, alpha, beta


def soft_dice(probs, target, *, smooth=1.0, multiclass=False, reduction="mean"):
    r"""Soft Dice loss: one minus the soft Dice coefficient of each image.

    .. math:: \ell_n = 1 - \frac{2\sum_i p_i t_i + s}{\sum_i p_i + \sum_i t_i + s}

    the sums over the pixels of image :math:`n`; with ``multiclass=True``, the mean over
    the classes of that term computed per class.

    Gradient, with :math:`I = \sum p t` and :math:`U = \sum p + \sum t`:

    .. math:: \frac{\partial \ell_n}{\partial p_i} =
       -\frac{2 t_i (U + s) - (2I + s)}{(U + s)^2}

    On an image with an empty target (:math:`t = 0`) this is :math:`s / (\sum p + s)^2`
    at every pixel: :math:`1/s` when the prediction is empty too, so the smaller ``smooth``,
    the harder such an image pushes (and with ``smooth=0`` the loss there is 1 for any
    non-empty prediction and 0/0 for an empty one).

    Shape: ``probs``, ``target``: ``(N, ...)`` (``(N, C, ...)`` with ``multiclass``),
    equal; output ``(N,)`` or scalar.

    Args:
        probs: predicted probabilities in [0, 1] (after a sigmoid, or a softmax over axis 1).
        target: the true mask, labels (or soft labels) in [0, 1], same shape.
        smooth: the smoothing constant :math:`s \ge 0`.
        multiclass: axis 1 holds classes: one Dice term per image and class, averaged.
        reduction: ``"mean"`` (over images), ``"sum"`` or ``"none"``.

    Notes:
        Milletari et al. square the probabilities and labels in the denominator; this is
        the linear form most libraries use (for 0/1 labels the two share their optimum).

    See also:
        PyTorch: none (``lossbook.torch_losses.soft_dice`` writes it in torch); Keras:
        ``keras.losses.Dice`` (not compared here); scikit-learn: none.
        :func:`tversky` with ``alpha = beta = 1/2`` (and smoothing doubled).

    References:
        :cite:`milletari2016vnet`.

    Examples:
        >>> print(f"{soft_dice([[0.9, 0.1, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]]):.4f}")
        0.0667
        >>> print(soft_dice([[0.0, 0.0]], [[0.0, 0.0]]))
        0.0

    Book chapter: Segmentation: overlap losses.
    """
    probs, target = _prepare(probs, target, "probs", multiclass)
    check_nonnegative(smooth, "smooth")
    _, _, ratio = _ratio_parts(probs, target, 2.0, 0.0, 1.0, 1.0, smooth, multiclass)
    return reduce(_class_mean(1 - ratio, multiclass), reduction)


def soft_dice_grad(probs, target, *, smooth=1.0, multiclass=False, reduction="mean",
                   wrt="probs"):
    r"""Gradient of :func:`soft_dice` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    probs, target = _prepare(probs, target, "probs", multiclass)
    check_nonnegative(smooth, "smooth")
    num, den, _ = _ratio_parts(probs, target, 2.0, 0.0, 1.0, 1.0, smooth, multiclass)
    slope, intercept = _ratio_grad_coefficients(num, den, 2.0, 0.0, 1.0)
    factor = -_grad_factor(probs, reduction, multiclass)
    return _affine_in_target(target, factor * slope, factor * intercept, multiclass)


def tversky(probs, target, *, alpha=0.5, beta=0.5, smooth=1.0, multiclass=False,
            reduction="mean"):
    r"""Tversky loss: one minus the Tversky index, which weighs false positives by
    :math:`\alpha` and false negatives by :math:`\beta`.

    .. math:: \ell_n = 1 - \frac{\mathrm{TP} + s}
       {\mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s}

    with the soft counts of the module's introduction. ``alpha = beta = 1/2`` gives the
    soft Dice loss with smoothing :math:`2s`; ``alpha = beta = 1``, the soft Jaccard
    (IoU) loss. A larger :math:`\beta` makes a missed object pixel cost more than a false
    alarm: the choice for small objects a model tends to miss.

    Gradient: with :math:`N = \mathrm{TP} + s`, :math:`D` the denominator and
    :math:`k = 1 - \alpha - \beta`,

    .. math:: \frac{\partial \ell_n}{\partial p_i} = -\frac{t_i D - N(k\,t_i + \alpha)}{D^2}

    Shape: as :func:`soft_dice`.

    Args:
        probs: predicted probabilities in [0, 1].
        target: the true mask in [0, 1], same shape.
        alpha: weight of false positives, >= 0.
        beta: weight of false negatives, >= 0.
        smooth: the smoothing constant :math:`s \ge 0`.
        multiclass: axis 1 holds classes: one term per image and class, averaged.
        reduction: ``"mean"`` (over images), ``"sum"`` or ``"none"``.

    See also:
        PyTorch: none (``lossbook.torch_losses.tversky``); Keras: ``keras.losses.Tversky``
        (not compared here); scikit-learn: none.

    References:
        :cite:`salehi2017tversky`.

    Examples:
        >>> p, t = [[0.9, 0.6, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]]
        >>> print(f"{tversky(p, t, alpha=0.3, beta=0.7, smooth=0.0):.4f}")
        0.2174

    Book chapter: Segmentation: overlap losses.
    """
    probs, target = _prepare(probs, target, "probs", multiclass)
    _check_tversky(alpha, beta, smooth)
    a, k, al, be = _tversky_coefficients(alpha, beta)
    _, _, ratio = _ratio_parts(probs, target, a, k, al, be, smooth, multiclass)
    return reduce(_class_mean(1 - ratio, multiclass), reduction)


def tversky_grad(probs, target, *, alpha=0.5, beta=0.5, smooth=1.0, multiclass=False,
                 reduction="mean", wrt="probs"):
    r"""Gradient of :func:`tversky` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    probs, target = _prepare(probs, target, "probs", multiclass)
    _check_tversky(alpha, beta, smooth)
    a, k, al, be = _tversky_coefficients(alpha, beta)
    num, den, _ = _ratio_parts(probs, target, a, k, al, be, smooth, multiclass)
    slope, intercept = _ratio_grad_coefficients(num, den, a, k, al)
    factor = -_grad_factor(probs, reduction, multiclass)
    return _affine_in_target(target, factor * slope, factor * intercept, multiclass)


def focal_tversky(probs, target, *, alpha=0.7, beta=0.3, gamma=0.75, smooth=1.0,
                  multiclass=False, reduction="mean"):
    r"""Focal Tversky loss: the Tversky loss raised to the power :math:`\gamma`.

    .. math:: \ell_n = (1 - \mathrm{TI}_n)^{\gamma}

    with :math:`\mathrm{TI}_n` the Tversky index of :func:`tversky` (with
    ``multiclass``, the power is taken per class, then averaged). :math:`\gamma < 1` makes
    the loss *steeper* near a good overlap than far from it (the gradient grows as the
    index approaches 1), so images the model already segments well keep contributing.
    Abraham and Khan write the exponent as :math:`1/\gamma` with :math:`\gamma = 4/3`;
    ``gamma`` here is the exponent itself, 0.75 by default.

    Gradient: :math:`-\gamma (1 - \mathrm{TI})^{\gamma - 1}\, \partial \mathrm{TI} /
    \partial p_i`, with the Tversky index's gradient of :func:`tversky`. For
    :math:`\gamma < 1` it is infinite where the index is exactly 1 (a perfect prediction
    with ``smooth`` > 0, or any perfect one).

    Shape: as :func:`soft_dice`.

    Args:
        probs: predicted probabilities in [0, 1].
        target: the true mask in [0, 1], same shape.
        alpha: weight of false positives, >= 0.
        beta: weight of false negatives, >= 0.
        gamma: the exponent, >= 0 (1 gives :func:`tversky`).
        smooth: the smoothing constant :math:`s \ge 0`.
        multiclass: axis 1 holds classes.
        reduction: ``"mean"`` (over images), ``"sum"`` or ``"none"``.

    See also:
        PyTorch: none (``lossbook.torch_losses.focal_tversky``); Keras, scikit-learn: none.

    References:
        :cite:`abraham2019focal`.

    Examples:
        >>> p, t = [[0.9, 0.6, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]]
        >>> print(f"{focal_tversky(p, t, smooth=0.0, gamma=1.0):.4f}")
        0.3333

    Book chapter: Segmentation: overlap losses.
    """
    probs, target = _prepare(probs, target, "probs", multiclass)
    _check_tversky(alpha, beta, smooth)
    check_nonnegative(gamma, "gamma")
    _, _, miss = _tversky_miss(probs, target, alpha, beta, smooth, multiclass)
    with np.errstate(invalid="ignore"):
        terms = np.maximum(miss, 0) ** gamma
    return reduce(_class_mean(terms, multiclass), reduction)


def focal_tversky_grad(probs, target, *, alpha=0.7, beta=0.3, gamma=0.75, smooth=1.0,
                       multiclass=False, reduction="mean", wrt="probs"):
    r"""Gradient of :func:`focal_tversky` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    probs, target = _prepare(probs, target, "probs", multiclass)
    _check_tversky(alpha, beta, smooth)
    check_nonnegative(gamma, "gamma")
    a, k, al, be = _tversky_coefficients(alpha, beta)
    num, den, miss = _tversky_miss(probs, target, alpha, beta, smooth, multiclass)
    slope, intercept = _ratio_grad_coefficients(num, den, a, k, al)
    with np.errstate(divide="ignore", invalid="ignore"):
        outer = gamma * np.maximum(miss, 0) ** (gamma - 1)
    factor = -outer * _grad_factor(probs, reduction, multiclass)
    with np.errstate(invalid="ignore"):
        slope, intercept = factor * slope, factor * intercept
    return _affine_in_target(target, slope, intercept, multiclass)


def dice_bce(logits, target, *, smooth=1.0, dice_weight=1.0, multiclass=False,
             reduction="mean"):
    r"""Cross-entropy plus soft Dice, from logits: the per-pixel loss averaged over each
    image, plus ``dice_weight`` times that image's soft Dice loss.

    .. math:: \ell_n = \frac{1}{|\Omega|}\sum_{i \in \Omega} \mathrm{CE}_i
       + w \, \mathrm{Dice}_n(p)

    Binary (``multiclass=False``): :math:`p = \sigma(z)` per pixel and
    :math:`\mathrm{CE}_i` the binary cross-entropy on logits. ``multiclass=True``: logits
    ``(N, C, ...)``, :math:`p = \operatorname{softmax}` over axis 1,
    :math:`\mathrm{CE}_i = -\sum_c t_{ci} \log p_{ci}` and the Dice term averaged over the
    classes, as :func:`soft_dice`.

    Gradient: the cross-entropy's :math:`(p_i - t_i)/|\Omega|`, plus :math:`w` times the
    soft Dice gradient of :func:`soft_dice_grad` carried through the sigmoid
    (:math:`\times\, p_i(1 - p_i)`) or the softmax (its Jacobian-vector product).

    Shape: ``logits``, ``target``: ``(N, ...)`` (``(N, C, ...)``), equal; output ``(N,)``
    or scalar.

    Args:
        logits: raw scores, float.
        target: the true mask in [0, 1] (one-hot over axis 1 with ``multiclass``).
        smooth: the smoothing constant of the Dice term, >= 0.
        dice_weight: the weight :math:`w \ge 0` of the Dice term.
        multiclass: axis 1 holds classes: softmax and categorical cross-entropy.
        reduction: ``"mean"`` (over images), ``"sum"`` or ``"none"``.

    Notes:
        The per-pixel term gives every pixel a gradient of its own error however large
        the image; the Dice term scores the object as a whole. On an image with no
        foreground the Dice term alone would be near 1 for any false alarm; the
        cross-entropy term keeps the pull on each pixel bounded.

    See also:
        PyTorch: ``binary_cross_entropy_with_logits`` (or ``cross_entropy``) plus
        ``lossbook.torch_losses.soft_dice``; Keras, scikit-learn: none.

    References:
        :cite:`milletari2016vnet`.

    Examples:
        >>> print(f"{dice_bce([[4.0, -4.0, -4.0, -4.0]], [[1.0, 0.0, 0.0, 0.0]]):.4f}")
        0.0418

    Book chapter: Segmentation: overlap losses.
    """
    logits, target = _prepare(logits, target, "logits", multiclass, probabilities=False)
    check_nonnegative(smooth, "smooth")
    check_nonnegative(dice_weight, "dice_weight")
    ce, probs = _ce_and_probs(logits, target, multiclass)
    _, _, ratio = _ratio_parts(probs, target, 2.0, 0.0, 1.0, 1.0, smooth, multiclass)
    terms = ce + dice_weight * _class_mean(1 - ratio, multiclass)
    return reduce(terms, reduction)


def dice_bce_grad(logits, target, *, smooth=1.0, dice_weight=1.0, multiclass=False,
                  reduction="mean", wrt="logits"):
    r"""Gradient of :func:`dice_bce` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    logits, target = _prepare(logits, target, "logits", multiclass, probabilities=False)
    check_nonnegative(smooth, "smooth")
    check_nonnegative(dice_weight, "dice_weight")
    pixels = _pixel_count(logits, multiclass)
    factor = _grad_factor(logits, reduction, multiclass)
    if multiclass:
        log_p = log_softmax(logits, axis=1)
        probs = np.exp(log_p, out=log_p)
    else:
        probs, slope_of_sigmoid = _sigmoid_and_slope(logits)
    num, den, _ = _ratio_parts(probs, target, 2.0, 0.0, 1.0, 1.0, smooth, multiclass)
    slope, intercept = _ratio_grad_coefficients(num, den, 2.0, 0.0, 1.0)
    weight = -dice_weight * factor
    dice_p = _affine_in_target(target, weight * slope, weight * intercept, multiclass)
    ce_scale = grad_scale(reduction, logits.shape[0], logits.dtype) / pixels
    if multiclass:
        dice_p -= np.sum(dice_p * probs, axis=1, keepdims=True)  # the softmax's VJP
        dice_p *= probs
        grad = probs * target.sum(axis=1, keepdims=True)
    else:
        dice_p *= slope_of_sigmoid
        grad = probs
    grad -= target
    grad *= ce_scale
    grad += dice_p
    return grad.astype(logits.dtype, copy=False)


def _sigmoid_and_slope(logits):
    r""":math:`\sigma(z)` and :math:`\sigma'(z) = \sigma(z)\,\sigma(-z) = e^{-|z|} / (1 +
    e^{-|z|})^2` from one exponential, as :func:`lossbook.activations.sigmoid` computes it."""
    e = _exp_minus_abs(logits)
    one_plus = 1 + e
    probs = np.maximum(e, logits >= 0)  # the numerator of lossbook.binary's _sigmoid
    probs /= one_plus
    e /= one_plus
    e /= one_plus
    return probs, e


def _pixel_count(logits, multiclass):
    return int(np.prod(logits.shape[2 if multiclass else 1:], dtype=np.int64))


def _ce_and_probs(logits, target, multiclass):
    """The per-image mean cross-entropy and the probabilities, both from the logits."""
    axes = _pixel_axes(logits, multiclass)
    if multiclass:
        log_p = log_softmax(logits, axis=1)
        with np.errstate(invalid="ignore"):
            per_pixel = -np.sum(np.where(target == 0, 0, target * log_p), axis=1)
        probs = np.exp(log_p)  # softmax(logits, axis=1), without its second log-softmax
        axes = tuple(a - 1 for a in axes)
    else:
        # -log sigma(z) and -log sigma(-z) from one exponential, in place, as
        # lossbook.bce_with_logits computes them
        e = _exp_minus_abs(logits)
        per_pixel, minus_log_not_p = _softplus_pair(logits, e)
        per_pixel *= target
        minus_log_not_p *= 1 - target
        per_pixel += minus_log_not_p
        probs = _sigmoid(logits, e)
    return per_pixel.mean(axis=axes) if axes else per_pixel, probs
