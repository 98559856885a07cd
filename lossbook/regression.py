r"""Regression losses: a real-valued prediction against a real-valued target.

Every function takes ``(pred, target, *, <hyperparameters>, reduction="mean")``, checks
that both are float arrays of the same non-empty shape, computes one unreduced term per
element and hands the terms to :func:`lossbook.reduction.reduce`. Each ``*_grad``
function below its loss returns the gradient of the reduced value with respect to
``pred``, with the shape of ``pred``.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import (
    as_float_array,
    check_nonnegative,
    check_positive,
    check_same_shape,
    check_wrt,
    prepare_pair,
)
from .reduction import grad_scale, reduce, reduce_products, scale_grad

__all__ = [
    "mse",
    "mse_grad",
    "mae",
    "mae_grad",
    "huber",
    "huber_grad",
    "smooth_l1",
    "smooth_l1_grad",
    "log_cosh",
    "log_cosh_grad",
    "quantile",
    "quantile_grad",
    "gaussian_nll",
    "gaussian_nll_grad",
    "poisson_nll",
    "poisson_nll_grad",
]


def _residual(pred, target):
    """``pred - target`` in a fresh array that the loss may overwrite in place.

    An array even for 0-d inputs (where ``pred - target`` is a NumPy scalar, which the
    in-place steps ``out=`` could not write to).
    """
    return np.subtract(pred, target, out=np.empty_like(pred))


def mse(pred, target, *, reduction="mean"):
    r"""Mean squared error.

    .. math:: \ell_i = (\hat y_i - y_i)^2,
       \qquad \mathrm{MSE} = \frac{1}{n}\sum_{i=1}^n (y_i - \hat y_i)^2

    Gradient: :math:`\partial \ell_i / \partial \hat y_i = 2(\hat y_i - y_i)`.

    Shape: ``pred`` and ``target`` are ``(*)``, any shape, equal; the output is ``(*)``
    for ``reduction="none"``, a scalar otherwise.

    Args:
        pred: predictions :math:`\hat y`, float.
        target: targets :math:`y`, float, same shape as ``pred``.
        reduction: ``"mean"`` (default), ``"sum"`` or ``"none"``.

    Notes:
        No factor :math:`\tfrac12`: the loss is PyTorch's, not the
        :math:`\tfrac12 (\hat y - y)^2` of some textbooks. NaN propagates.

    See also:
        ``torch.nn.functional.mse_loss(pred, target, reduction=reduction)``.
        Keras ``keras.losses.MeanSquaredError()(target, pred)`` and scikit-learn
        ``sklearn.metrics.mean_squared_error(target, pred)``: the same number, target first.
        Chapter: One loss, three libraries.

    References:
        Gauss (1809), least squares; :cite:`bishop2006pattern` §1.1.

    Examples:
        >>> print(f"{mse([2.0, 5.0], [3.0, 4.0]):.4f}")
        1.0000

    Book chapter: Mean squared error.
    """
    pred, target = prepare_pair(pred, target)
    error = pred - target
    return reduce_products(error, error, reduction)  # the sum of squares as a dot product


def mse_grad(pred, target, *, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`mse` with respect to ``pred``: :math:`2(\hat y - y)`."""
    check_wrt(wrt, ("pred",))
    pred, target = prepare_pair(pred, target)
    error = _residual(pred, target)
    error *= 2  # in place: 2 (y_hat - y) in the one fresh array, then scaled in place
    return scale_grad(error, reduction, pred.size)


def mae(pred, target, *, reduction="mean"):
    r"""Mean absolute error (L1 loss).

    .. math:: \ell_i = |\hat y_i - y_i|,
       \qquad \mathrm{MAE} = \frac{1}{n}\sum_{i=1}^n |y_i - \hat y_i|

    Gradient: :math:`\operatorname{sign}(\hat y_i - y_i)`. At the kink
    :math:`\hat y_i = y_i` lossbook takes :math:`\operatorname{sign}(0) = 0` (any value in
    :math:`[-1, 1]` is a subgradient there), the value autograd gives for
    ``torch.nn.functional.l1_loss``.

    Shape: ``pred``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        pred: predictions, float.
        target: targets, float, same shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        The gradient has the same size, 1, for every residual, large or small. NaN
        propagates.

    See also:
        ``torch.nn.functional.l1_loss(pred, target, reduction=reduction)``.
        Keras ``keras.losses.MeanAbsoluteError()(target, pred)`` and scikit-learn
        ``sklearn.metrics.mean_absolute_error(target, pred)``: the same number, target
        first. Chapter: One loss, three libraries.

    References:
        Laplace (1774); :cite:`koenker1978regression` (the median as an L1 minimiser).

    Examples:
        >>> print(f"{mae([2.0, 5.0], [3.0, 7.0]):.4f}")
        1.5000

    Book chapter: Mean absolute error.
    """
    pred, target = prepare_pair(pred, target)
    error = _residual(pred, target)
    return reduce(np.abs(error, out=error), reduction)  # in place on the fresh residual


def mae_grad(pred, target, *, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`mae` with respect to ``pred``: :math:`\operatorname{sign}(\hat y - y)`,
    0 at the kink (as ``l1_loss``'s autograd)."""
    check_wrt(wrt, ("pred",))
    pred, target = prepare_pair(pred, target)
    # a fresh array: np.sign in place runs several times slower in NumPy 2.4
    return scale_grad(np.sign(pred - target), reduction, pred.size)


def huber(pred, target, *, delta=1.0, reduction="mean"):
    r"""Huber loss: quadratic for small residuals, linear beyond ``delta``.

    .. math::
        \ell_i = \begin{cases}
        \tfrac12 (\hat y_i - y_i)^2 & |\hat y_i - y_i| \le \delta \\
        \delta\,(|\hat y_i - y_i| - \tfrac12 \delta) & \text{otherwise}
        \end{cases}

    Gradient: the residual clipped to :math:`[-\delta, \delta]`,
    :math:`\operatorname{clip}(\hat y_i - y_i, -\delta, \delta)`; continuous everywhere,
    so the threshold :math:`|\hat y_i - y_i| = \delta` is no kink of the loss (only its
    curvature jumps): both one-sided slopes are :math:`\pm\delta` there, and lossbook and
    ``huber_loss``'s autograd both give :math:`\pm\delta`.

    Shape: ``pred``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        pred: predictions, float.
        target: targets, float, same shape.
        delta: the residual size where the loss turns from quadratic to linear, > 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        Computed as :math:`c\,(e - \tfrac12 c)` with the residual :math:`e` and
        :math:`c = \operatorname{clip}(e, -\delta, \delta)` (the gradient): one expression for
        both branches, since :math:`c = e` gives :math:`\tfrac12 e^2` and :math:`c = \pm\delta`
        gives :math:`\delta(|e| - \tfrac12\delta)`; the two factors have the same sign, so
        nothing cancels.
        ``huber(delta=d) == d * smooth_l1(beta=d)``.

    See also:
        ``torch.nn.functional.huber_loss(pred, target, reduction=reduction, delta=delta)``.
        Keras ``keras.losses.Huber(delta=delta)(target, pred)``: the same number;
        scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`huber1964robust`.

    Examples:
        >>> print(f"{huber([0.0, 0.0], [0.5, 3.0], delta=1.0):.4f}")
        1.3125

    Book chapter: Huber loss.
    """
    check_positive(delta, "delta")
    pred, target = prepare_pair(pred, target)
    error = _residual(pred, target)
    half = np.clip(error, -delta, delta)  # c, which is also the gradient
    half *= 0.5  # c / 2
    # l = c (e - c / 2): 1/2 e^2 where |e| <= delta (c = e), delta (|e| - delta / 2) beyond
    # (c = +-delta); one expression for both branches, as 2 (c / 2)(e - c / 2) in place on
    # the two fresh arrays (a third would cost as much again as a pass, for speed)
    error -= half
    return 2 * reduce_products(half, error, reduction)


def huber_grad(pred, target, *, delta=1.0, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`huber`: :math:`\operatorname{clip}(\hat y - y, -\delta, \delta)`."""
    check_wrt(wrt, ("pred",))
    check_positive(delta, "delta")
    pred, target = prepare_pair(pred, target)
    error = _residual(pred, target)
    return scale_grad(np.clip(error, -delta, delta, out=error), reduction, pred.size)


def smooth_l1(pred, target, *, beta=1.0, reduction="mean"):
    r"""Smooth L1 loss: Huber's shape, rescaled so the linear part has slope 1.

    .. math::
        \ell_i = \begin{cases}
        \tfrac{1}{2\beta} (\hat y_i - y_i)^2 & |\hat y_i - y_i| < \beta \\
        |\hat y_i - y_i| - \tfrac12 \beta & \text{otherwise}
        \end{cases}

    Gradient: :math:`\operatorname{clip}((\hat y_i - y_i)/\beta, -1, 1)`, continuous, so
    :math:`|\hat y_i - y_i| = \beta` is no kink (lossbook and ``smooth_l1_loss``'s autograd
    both give :math:`\pm 1` there). For ``beta=0`` the loss is :func:`mae` and the gradient
    its sign, with :math:`\operatorname{sign}(0) = 0` at the kink, as
    ``smooth_l1_loss(beta=0)``'s autograd gives.

    Shape: ``pred``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        pred: predictions, float.
        target: targets, float, same shape.
        beta: width of the quadratic zone, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        ``smooth_l1(beta=b) == huber(delta=b) / b`` for ``b > 0``: the two losses are not
        the same number for the same parameter value unless it is 1. lossbook computes it
        so, and ``beta=0`` as :func:`mae`.

    See also:
        ``torch.nn.functional.smooth_l1_loss(pred, target, reduction=reduction, beta=beta)``.
        Keras has no smooth L1: ``keras.losses.Huber(delta=beta)(target, pred) / beta``
        (Huber with delta = beta, divided by beta); scikit-learn: none. Chapter: One loss,
        three libraries.

    References:
        Girshick, Fast R-CNN (2015), arXiv:1504.08083 :cite:`girshick2015fast`.

    Examples:
        >>> print(f"{smooth_l1([0.0, 0.0], [0.5, 3.0], beta=1.0):.4f}")
        1.3125

    Book chapter: Huber loss.
    """
    check_nonnegative(beta, "beta")
    if beta == 0:
        return mae(pred, target, reduction=reduction)
    return huber(pred, target, delta=beta, reduction=reduction) / beta


def smooth_l1_grad(pred, target, *, beta=1.0, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`smooth_l1`: :math:`\operatorname{clip}((\hat y - y)/\beta, -1, 1)`,
    :math:`\operatorname{sign}(\hat y - y)` for ``beta=0`` (0 at the kink)."""
    check_wrt(wrt, ("pred",))
    check_nonnegative(beta, "beta")
    if beta == 0:
        return mae_grad(pred, target, reduction=reduction)
    pred, target = prepare_pair(pred, target)
    error = _residual(pred, target)
    slope = np.clip(error, -beta, beta, out=error)  # huber_grad(delta=beta), unscaled
    # clip(e, -beta, beta) / beta = clip(e / beta, -1, 1), and the reduction's 1 / n with it:
    # one multiplication in place (for speed)
    slope *= grad_scale(reduction, pred.size, pred.dtype) / beta
    return slope


def log_cosh(pred, target, *, reduction="mean"):
    r"""Log-cosh loss: :math:`\ell_i = \log\cosh(\hat y_i - y_i)`.

    Close to :math:`\tfrac12 e^2` for small residuals :math:`e` and to
    :math:`|e| - \log 2` for large ones, and smooth everywhere.

    Gradient: :math:`\tanh(\hat y_i - y_i)`.

    Shape: ``pred``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        pred: predictions, float.
        target: targets, float, same shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        ``np.log(np.cosh(e))`` overflows for :math:`|e| > 710` in float64 (89 in float32).
        For large residuals lossbook uses
        :math:`\log\cosh e = |e| - \log 2 + \log(1 + e^{-2|e|})`, finite for every finite
        :math:`e`; for small ones that form cancels (:math:`|e| - \log 2 + \log 2`) and
        loses every digit of the tiny result, so below :math:`|e| = 20` it uses
        :math:`\log(1 + 2\sinh^2(e/2))`, accurate down to the smallest residuals.

    See also:
        PyTorch has no log-cosh loss; ``torch.log(torch.cosh(pred - target))`` is the
        naive form.
        Keras ``keras.losses.LogCosh()(target, pred)``: the same number; scikit-learn: none.
        Chapter: One loss, three libraries.

    References:
        :cite:`chen2019logcosh`.

    Examples:
        >>> print(f"{log_cosh([0.0], [1.0]):.4f}")
        0.4338

    Book chapter: Huber loss.
    """
    pred, target = prepare_pair(pred, target)
    abs_error = np.abs(pred - target)
    small = np.minimum(abs_error, _LOG_COSH_SWITCH)
    near_zero = np.log1p(2 * np.sinh(small / 2) ** 2)  # cosh e = 1 + 2 sinh^2(e / 2)
    far = abs_error - math.log(2) + np.log1p(np.exp(-2 * abs_error))
    return reduce(np.where(abs_error < _LOG_COSH_SWITCH, near_zero, far), reduction)


#: below it log-cosh is computed as log1p(2 sinh^2(e/2)), above as |e| - log 2 + log1p(e^(-2|e|))
_LOG_COSH_SWITCH = 20.0


def log_cosh_grad(pred, target, *, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`log_cosh`: :math:`\tanh(\hat y - y)`."""
    check_wrt(wrt, ("pred",))
    pred, target = prepare_pair(pred, target)
    return np.tanh(pred - target) * grad_scale(reduction, pred.size, pred.dtype)


def quantile(pred, target, *, q=0.5, reduction="mean"):
    r"""Quantile (pinball) loss for the ``q``-th quantile.

    With the residual :math:`e_i = y_i - \hat y_i` (target minus prediction):

    .. math:: \ell_i = \max(q\, e_i,\; (q - 1)\, e_i)

    An under-prediction (:math:`e > 0`) costs :math:`q` per unit, an over-prediction
    :math:`1 - q`; the minimiser over a constant prediction is the ``q``-quantile of the
    targets. ``q=0.5`` gives half the absolute error. The endpoints are pinball losses too:
    ``q=0`` charges only over-predictions, :math:`\max(0, \hat y_i - y_i)` (any constant at
    or below the smallest target minimises it), ``q=1`` only under-predictions,
    :math:`\max(0, y_i - \hat y_i)` (any constant at or above the largest).

    Gradient: :math:`-q` where :math:`\hat y_i < y_i`, :math:`1 - q` where
    :math:`\hat y_i > y_i`. At the kink :math:`\hat y_i = y_i` lossbook takes the mean of
    the two one-sided slopes, :math:`\tfrac12 - q` (a subgradient: any value between
    :math:`-q` and :math:`1 - q` is one), which is what autograd gives for the ``torch.maximum``
    form below, since ``torch.maximum`` splits the gradient evenly at a tie. At ``q=0`` that
    is :math:`\tfrac12`, at ``q=1`` it is :math:`-\tfrac12`.

    Shape: ``pred``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        pred: predicted quantile, float.
        target: targets, float, same shape.
        q: the quantile level, in [0, 1] (endpoints included).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        PyTorch has no quantile loss; written from the definition in torch:
        ``torch.maximum(q * (target - pred), (q - 1) * (target - pred))``, which picks the same
        subgradient at the kink.
        scikit-learn ``sklearn.metrics.mean_pinball_loss(target, pred, alpha=q)``: the same
        number; swapping its arguments gives the loss for 1 - q. Keras: none. Chapter: One
        loss, three libraries.

    References:
        :cite:`koenker1978regression`.

    Examples:
        >>> print(f"{quantile([0.0, 0.0], [1.0, -1.0], q=0.9):.4f}")
        0.5000
        >>> print(f"{quantile([0.0, 0.0], [1.0, -1.0], q=0.0):.4f}")
        0.5000

    Book chapter: Mean absolute error (quantile regression).
    """
    _check_quantile(q)
    pred, target = prepare_pair(pred, target)
    residual = target - pred
    return reduce(np.maximum(q * residual, (q - 1) * residual), reduction)


def quantile_grad(pred, target, *, q=0.5, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`quantile` with respect to ``pred``: :math:`-q`, :math:`1 - q`, and
    :math:`\tfrac12 - q` at the kink (``torch.maximum``'s even split at a tie)."""
    check_wrt(wrt, ("pred",))
    _check_quantile(q)
    pred, target = prepare_pair(pred, target)
    slope = np.where(pred < target, -q, np.where(pred > target, 1 - q, 0.5 - q))
    slope = np.where(np.isnan(pred - target), np.nan, slope)
    return slope.astype(pred.dtype) * grad_scale(reduction, pred.size, pred.dtype)


def _check_quantile(q):
    if not 0 <= q <= 1:
        raise ValueError(f"q must be a quantile level in [0, 1], got {q!r}")


def gaussian_nll(mean, target, var, *, full=False, eps=1e-6, reduction="mean"):
    r"""Negative log-likelihood of a Gaussian whose mean and variance the model predicts.

    .. math:: \ell_i = \tfrac12 \left(\log \sigma_i^2 + \frac{(\mu_i - y_i)^2}{\sigma_i^2}\right)
       \;[+\, \tfrac12 \log 2\pi \text{ if full}]

    with :math:`\sigma_i^2 = \max(\text{var}_i, \varepsilon)`.

    Gradient: with respect to the mean :math:`(\mu_i - y_i) / \sigma_i^2`; with respect to
    the variance (a variance head is learned too, ``wrt="var"``)
    :math:`\tfrac12 \left(1 - (\mu_i - y_i)^2 / \sigma_i^2\right) / \sigma_i^2`, the same
    formula below ``eps`` as above it (see Notes).

    Shape: ``mean``, ``target``, ``var``: ``(*)``, all equal; output ``(*)`` or scalar.

    Args:
        mean: predicted means :math:`\mu`, float.
        target: targets :math:`y`, float, same shape.
        var: predicted variances :math:`\sigma^2`, float, >= 0, same shape.
        full: add the constant :math:`\tfrac12\log 2\pi`, making it the exact NLL.
        eps: lower clamp of the variance, for stability.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Raises:
        ValueError: if ``var`` has a negative entry (as PyTorch does).

    Notes:
        With a constant variance it is :func:`mse` up to scale and shift: MSE is the
        Gaussian NLL with the variance fixed. PyTorch clamps the variance at ``eps`` in
        place under ``torch.no_grad()`` (``var.clamp_(min=eps)`` on a clone): the clamp
        changes the value, not the gradient path. So below ``eps`` the value is that of
        :math:`\sigma^2 = \varepsilon` and the gradient with respect to ``var`` is the
        formula above evaluated at :math:`\varepsilon`, passed through as if the clamp were
        not there, not the 0 that the clamp's own derivative would give. lossbook does the
        same, so that a variance head trained at a variance of 0 still gets PyTorch's
        gradient. A zero variance therefore gives a finite value and gradient.

    See also:
        ``torch.nn.functional.gaussian_nll_loss(mean, target, var, full=full, eps=eps,
        reduction=reduction)``; its gradient with respect to ``var`` is
        ``torch.autograd.grad(loss, var)``. (PyTorch also accepts a ``var`` with one
        dimension fewer, or one broadcast dimension, for a shared variance; lossbook
        needs it of the shape of ``mean``.)
        Keras and scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`nix1994estimating`.

    Examples:
        >>> print(f"{gaussian_nll([0.0], [1.0], [1.0], full=True):.4f}")
        1.4189
        >>> print(gaussian_nll_grad([0.0], [1.0], [1.0], wrt="var"))
        [0.]

    Book chapter: Losses from maximum likelihood.
    """
    mean, target, var = _prepare_gaussian(mean, target, var, eps)
    terms = 0.5 * (np.log(var) + (mean - target) ** 2 / var)
    if full:
        terms = terms + 0.5 * math.log(2 * math.pi)
    return reduce(terms, reduction)


def gaussian_nll_grad(mean, target, var, *, full=False, eps=1e-6, reduction="mean",
                      wrt="mean"):
    r"""Gradient of :func:`gaussian_nll` with respect to ``mean``, :math:`(\mu - y)/\sigma^2`,
    or ``var``, :math:`\tfrac12 (1 - (\mu - y)^2/\sigma^2)/\sigma^2`, with
    :math:`\sigma^2 = \max(\text{var}, \varepsilon)` (PyTorch's gradient below ``eps`` too)."""
    check_wrt(wrt, ("mean", "var"))
    mean, target, var = _prepare_gaussian(mean, target, var, eps)
    scale = grad_scale(reduction, mean.size, mean.dtype)
    standardized = (mean - target) / var  # (mu - y) / sigma^2
    if wrt == "mean":
        return standardized * scale
    return 0.5 * (1 - standardized * (mean - target)) / var * scale


def _prepare_gaussian(mean, target, var, eps):
    mean, target = prepare_pair(mean, target, "mean", "target")
    var = as_float_array(var, "var")
    check_same_shape(mean, var, "mean", "var")
    check_nonnegative(var, "var")
    return mean, target, np.maximum(var, eps).astype(mean.dtype, copy=False)


def poisson_nll(pred, target, *, log_input=True, full=False, eps=1e-8, reduction="mean"):
    r"""Negative log-likelihood of a Poisson count whose rate the model predicts.

    With ``log_input=True`` the prediction is the log-rate :math:`z = \log\lambda`:

    .. math:: \ell_i = e^{z_i} - y_i z_i

    with ``log_input=False`` it is the rate :math:`\lambda` itself:

    .. math:: \ell_i = \lambda_i - y_i \log(\lambda_i + \varepsilon)

    Both drop the term :math:`\log y_i!`, which does not depend on the model. ``full=True``
    adds Stirling's approximation of it,
    :math:`y \log y - y + \tfrac12\log(2\pi y)`, for targets above 1.

    Gradient: :math:`e^{z_i} - y_i` (log input); :math:`1 - y_i/(\lambda_i + \varepsilon)` (rate).

    Shape: ``pred``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        pred: predicted log-rate (``log_input=True``) or rate (>= 0), float.
        target: observed counts, float, >= 0.
        log_input: whether ``pred`` is the log of the rate.
        full: add Stirling's term.
        eps: keeps ``log`` finite at rate 0 when ``log_input=False``.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        ``torch.nn.functional.poisson_nll_loss(pred, target, log_input=log_input,
        full=full, eps=eps, reduction=reduction)``.
        Keras ``keras.losses.Poisson()(target, np.exp(pred))`` takes the rate, not its log,
        and adds 1e-7 inside the log; scikit-learn ``mean_poisson_deviance(target,
        np.exp(pred))`` is the deviance, twice the sum of this loss and a term in ``target``
        alone. Chapter: One loss, three libraries.

    References:
        :cite:`mccullagh1989generalized`.

    Examples:
        >>> print(f"{poisson_nll([0.0], [2.0]):.4f}")
        1.0000

    Book chapter: Losses from maximum likelihood.
    """
    pred, target = _prepare_poisson(pred, target, log_input)
    if log_input:
        terms = np.exp(pred) - target * pred
    else:
        terms = pred - target * np.log(pred + eps)
    if full:
        safe = np.where(target > 1, target, 1)
        stirling = safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe)
        terms = terms + np.where(target > 1, stirling, 0)
    return reduce(terms, reduction)


def poisson_nll_grad(pred, target, *, log_input=True, full=False, eps=1e-8, reduction="mean",
                     wrt="pred"):
    r"""Gradient of :func:`poisson_nll` with respect to ``pred``."""
    check_wrt(wrt, ("pred",))
    pred, target = _prepare_poisson(pred, target, log_input)
    grad = np.exp(pred) - target if log_input else 1 - target / (pred + eps)
    return grad * grad_scale(reduction, pred.size, pred.dtype)


def _prepare_poisson(pred, target, log_input):
    pred, target = prepare_pair(pred, target)
    check_nonnegative(target, "target")
    if not log_input:
        check_nonnegative(pred, "pred")
    return pred, target
