r"""Output activations, written so that no intermediate overflows.

The losses in this package pair with four activations. Each is computed in the form
that stays finite for any finite input:

* ``sigmoid`` never exponentiates a large positive number: for ``z >= 0`` it evaluates
  :math:`1 / (1 + e^{-z})`, for ``z < 0`` the equal :math:`e^{z} / (1 + e^{z})`.
* ``log_sigmoid`` is :math:`-\log(1 + e^{-z}) = \min(z, 0) - \log(1 + e^{-|z|})`,
  finite where ``np.log(sigmoid(z))`` would give ``-inf``.
* ``softmax`` and ``log_softmax`` subtract the row maximum before exponentiating
  (the log-sum-exp trick): the largest exponent is then :math:`e^0 = 1`.

Their derivatives are here too, as vector–Jacobian products (``*_vjp``): the softmax
Jacobian is never built.
"""

from __future__ import annotations

import numpy as np

from .checks import as_float_array

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "log_sigmoid",
    "log_sigmoid_grad",
    "softmax",
    "softmax_vjp",
    "log_softmax",
    "log_softmax_vjp",
    "logsumexp",
]


def sigmoid(z):
    r"""Logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, stable for any ``z``.

    PyTorch: ``torch.sigmoid(z)``.
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1, e) / (1 + e)


def sigmoid_grad(z):
    r"""Elementwise derivative :math:`\sigma'(z) = \sigma(z)\,\sigma(-z)`."""
    return sigmoid(z) * sigmoid(-as_float_array(z, "z"))


def log_sigmoid(z):
    r""":math:`\log \sigma(z) = -\log(1 + e^{-z})`, computed as :math:`\min(z, 0) - \log(1 + e^{-|z|})`.

    The exponent is never positive, so nothing overflows, and ``log1p`` keeps the tiny
    values of :math:`\log\sigma(z)` for large :math:`z` exact.

    PyTorch: ``torch.nn.functional.logsigmoid(z)``.
    """
    z = as_float_array(z, "z")
    return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


def log_sigmoid_grad(z):
    r"""Elementwise derivative :math:`\frac{d}{dz}\log\sigma(z) = \sigma(-z)`."""
    return sigmoid(-as_float_array(z, "z"))


def _shift_by_max(z, axis):
    """``z`` minus its maximum along ``axis`` (an all ``-inf`` slice is left as it is)."""
    m = np.max(z, axis=axis, keepdims=True)
    return z - np.where(np.isfinite(m), m, 0), m


def logsumexp(z, axis=-1, keepdims=False):
    r""":math:`\log \sum_j e^{z_j}` along ``axis``, with the maximum subtracted first."""
    z = as_float_array(z, "z")
    shifted, m = _shift_by_max(z, axis)
    out = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)) + np.where(np.isfinite(m), m, 0)
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(z, axis=-1):
    r""":math:`\log \operatorname{softmax}(z)_j = z_j - \log\sum_k e^{z_k}` along ``axis``.

    Computed as :math:`(z_j - m) - \log\sum_k e^{z_k - m}` with :math:`m = \max_k z_k`: the
    largest exponent is :math:`e^0`, and the small correction :math:`\log\sum` is not added
    to a large :math:`m` and then subtracted again.

    PyTorch: ``torch.log_softmax(z, dim=axis)``.
    """
    z = as_float_array(z, "z")
    shifted, _ = _shift_by_max(z, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(z, axis=-1):
    r""":math:`\operatorname{softmax}(z)_j = e^{z_j} / \sum_k e^{z_k}` along ``axis``.

    PyTorch: ``torch.softmax(z, dim=axis)``.
    """
    return np.exp(log_softmax(z, axis=axis))


def softmax_vjp(z, v, axis=-1):
    r"""Vector–Jacobian product of softmax: :math:`s \odot (v - \langle v, s\rangle)`.

    ``s = softmax(z)``; the result is :math:`J^\top v` with
    :math:`J_{jk} = s_j(\delta_{jk} - s_k)`, computed without forming :math:`J`.
    """
    s = softmax(z, axis=axis)
    v = as_float_array(v, "v")
    return s * (v - np.sum(v * s, axis=axis, keepdims=True))


def log_softmax_vjp(z, v, axis=-1):
    r"""Vector–Jacobian product of log-softmax: :math:`v - s\,\sum_j v_j`."""
    s = softmax(z, axis=axis)
    v = as_float_array(v, "v")
    return v - s * np.sum(v, axis=axis, keepdims=True)
