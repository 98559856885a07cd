r"""Pair and ranking losses: a label says whether two things belong together, or which
of two scores should be the larger.

Two families share one shape. The pair losses take two batches of vectors, ``input1``
and ``input2`` of shape ``(N, D)`` (row ``i`` of one is paired with row ``i`` of the
other), and one label per pair, ``target`` of shape ``(N,)``; they pull similar pairs
together and push dissimilar ones apart until a margin. The ranking and distance losses
take one number per element, ``(*)``, and a sign per element.

Labels are checked: each loss states its label set, and any other value raises
``ValueError`` (PyTorch's versions silently treat a label outside ``{-1, +1}`` as a third
case; see each function's Notes). NaN is let through, as everywhere in lossbook.
"""

from __future__ import annotations

import numpy as np

from .checks import (
    as_float_array,
    as_label_array,
    check_nonempty,
    check_nonnegative,
    check_same_shape,
    check_wrt,
    prepare_pair,
)
from .reduction import check_reduction, reduce, scale_grad

__all__ = [
    "contrastive",
    "contrastive_grad",
    "cosine_embedding",
    "cosine_embedding_grad",
    "margin_ranking",
    "margin_ranking_grad",
    "hinge_embedding",
    "hinge_embedding_grad",
]

#: The small number PyTorch's ``cosine_embedding_loss`` adds to each squared norm: 1e-12
#: as PyTorch stores it, a float32 constant (9.99999996e-13). With the float64 1e-12 instead,
#: vectors of norm 1e-6 give gradients that differ from PyTorch's in the seventh digit.
COSINE_EPS = float(np.float32(1e-12))


def _check_labels(target, allowed, text):
    """Raise ``ValueError`` for a label outside ``allowed`` (NaN is let through)."""
    bad = ~np.isin(target, allowed) & ~np.isnan(target)
    if np.any(bad):
        raise ValueError(f"target must hold labels in {text}, got {float(target[bad][0])!r}")


def _prepare_vector_pairs(input1, input2, target, reduction, allowed, text):
    check_reduction(reduction)
    x1, x2 = prepare_pair(input1, input2, "input1", "input2")
    if x1.ndim != 2:
        raise ValueError(f"input1 must have shape (N, D), got {x1.shape}")
    y = as_label_array(target, "target", x1.dtype)
    if y.shape != x1.shape[:1]:
        raise ValueError("target must hold one label per pair, "
                         f"expected shape {x1.shape[:1]}, got {y.shape}")
    _check_labels(y, allowed, text)
    return x1, x2, y


def _distance(x1, x2):
    """The Euclidean distance of each pair of rows, and their difference."""
    diff = x1 - x2
    return diff, np.sqrt(np.einsum("nd,nd->n", diff, diff))


def contrastive(input1, input2, target, *, margin=1.0, reduction="mean"):
    r"""The contrastive loss of Hadsell, Chopra and LeCun: similar pairs pulled together,
    dissimilar pairs pushed apart until their distance reaches the margin.

    With :math:`D_i = \lVert x_{1i} - x_{2i}\rVert_2` and the paper's labels
    :math:`Y_i = 0` for a similar pair and :math:`Y_i = 1` for a dissimilar one:

    .. math:: \ell_i = (1 - Y_i)\,\tfrac12 D_i^2 + Y_i\,\tfrac12 \max(0,\; m - D_i)^2

    A dissimilar pair further apart than :math:`m` costs nothing; a similar pair costs
    until it coincides.

    Gradient with respect to :math:`x_1`: :math:`(1 - Y_i)(x_{1i} - x_{2i}) - Y_i
    \max(0, m - D_i)\,(x_{1i} - x_{2i}) / D_i`; with respect to :math:`x_2` its negative.
    At :math:`D_i = 0` the direction is undefined and the second term is taken as 0 (the
    choice of the autograd of ``torch.linalg.vector_norm``).

    Shape: ``input1``, ``input2``: ``(N, D)``, equal; ``target``: ``(N,)``; output ``(N)``
    or a scalar.

    Args:
        input1: embeddings of the first element of each pair, float.
        input2: embeddings of the second element, same shape.
        target: 0 for a similar pair, 1 for a dissimilar one (the paper's convention; note
            that it is the opposite of :func:`cosine_embedding`'s +1 for similar).
        margin: the margin :math:`m`, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        Both inputs come from the model (one network applied twice, a siamese network), so
        the gradient is given for each: ``wrt="input1"`` (default) or ``"input2"``.

    See also:
        ``lossbook.torch_losses.contrastive`` (PyTorch has no such function);
        :func:`hinge_embedding` on the distances is the same loss without the squares.
        Keras and scikit-learn: none.

    References:
        :cite:`hadsell2006dimensionality` (their equation 4, with their :math:`L_S =
        \frac12 D^2` and :math:`L_D = \frac12 \max(0, m - D)^2`).

    Examples:
        >>> x1, x2 = [[0.0, 0.0], [0.0, 0.0]], [[0.6, 0.8], [0.3, 0.4]]
        >>> print(contrastive(x1, x2, [0.0, 1.0], reduction="none"))
        [0.5   0.125]

    Book chapter: Pairs and rankings.
    """
    x1, x2, y = _prepare_vector_pairs(input1, input2, target, reduction, (0, 1), "{0, 1}")
    check_nonnegative(margin, "margin")
    _, d = _distance(x1, x2)
    terms = (1 - y) * d**2 / 2 + y * np.maximum(0, margin - d) ** 2 / 2
    return reduce(terms, reduction)


def contrastive_grad(input1, input2, target, *, margin=1.0, reduction="mean",
                     wrt="input1"):
    r"""Gradient of :func:`contrastive` with respect to ``input1`` or ``input2``."""
    check_wrt(wrt, ("input1", "input2"))
    x1, x2, y = _prepare_vector_pairs(input1, input2, target, reduction, (0, 1), "{0, 1}")
    check_nonnegative(margin, "margin")
    diff, d = _distance(x1, x2)
    push = np.divide(np.maximum(0, margin - d), d, out=np.zeros_like(d), where=d > 0)
    push[np.isnan(d)] = np.nan
    grad = diff * ((1 - y) - y * push)[:, None]
    if wrt == "input2":
        np.negative(grad, out=grad)
    return scale_grad(grad, reduction, len(x1))


def _cosine(x1, x2):
    """PyTorch's cosine of ``cosine_embedding_loss``: the dot product over the square
    root of the product of the squared norms, each plus :data:`COSINE_EPS`."""
    sq1 = np.einsum("nd,nd->n", x1, x1) + COSINE_EPS
    sq2 = np.einsum("nd,nd->n", x2, x2) + COSINE_EPS
    denom = np.sqrt(sq1 * sq2)
    return np.einsum("nd,nd->n", x1, x2) / denom, sq1, sq2, denom


def cosine_embedding(input1, input2, target, *, margin=0.0, reduction="mean"):
    r"""Cosine embedding loss: a similar pair should point the same way, a dissimilar
    pair should have a cosine no larger than the margin.

    .. math:: \ell_i = \begin{cases} 1 - \cos(x_{1i}, x_{2i}) & y_i = +1 \\
       \max\bigl(0,\; \cos(x_{1i}, x_{2i}) - m\bigr) & y_i = -1 \end{cases}

    with :math:`\cos(a, b) = a\cdot b / \sqrt{(\lVert a\rVert^2 + \epsilon)
    (\lVert b\rVert^2 + \epsilon)}`, :math:`\epsilon = 10^{-12}` (in float32, as PyTorch stores it).

    Gradient of the cosine with respect to :math:`x_1`: :math:`x_2 / \sqrt{s_1 s_2} -
    \cos\, x_1 / s_1`, with :math:`s_k = \lVert x_k\rVert^2 + \epsilon`; the loss's
    gradient is it times -1 for a similar pair, times +1 for a dissimilar pair whose
    cosine is at or above the margin (at the margin itself too, as the autograd of
    PyTorch's ``clamp_min`` gives), else 0.

    Shape: ``input1``, ``input2``: ``(N, D)``, equal; ``target``: ``(N,)``; output ``(N)``
    or a scalar.

    Args:
        input1: first vectors of the pairs, float.
        input2: second vectors, same shape.
        target: +1 for a similar pair, -1 for a dissimilar one; any other value raises
            ``ValueError``.
        margin: the largest cosine a dissimilar pair may keep for free, in [-1, 1];
            PyTorch's default 0 asks for orthogonality, not opposition.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        PyTorch's ``cosine_embedding_loss`` computes both cases with ``where(target == 1,
        ...)`` and ``where(target == -1, ...)``, so a pair labelled 0 (a 0/1 label kept
        from a binary dataset) costs exactly 0 and passes no gradient: the dissimilar
        pairs of a 0/1 dataset are silently dropped. lossbook refuses the label.

    See also:
        ``torch.nn.functional.cosine_embedding_loss(input1, input2, target,
        margin=margin, reduction=reduction)``. Keras and scikit-learn: none.

    References:
        :cite:`bromley1993signature` (a siamese network trained on the cosine of its two
        outputs).

    Examples:
        >>> x1, x2 = [[1.0, 0.0], [1.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]]
        >>> print(cosine_embedding(x1, x2, [1.0, -1.0], reduction="none").round(4))
        [0.2929 0.7071]

    Book chapter: Pairs and rankings.
    """
    x1, x2, y = _prepare_vector_pairs(input1, input2, target, reduction, (-1, 1),
                                      "{-1, +1}")
    cos = _cosine(x1, x2)[0]
    terms = np.where(y == 1, 1 - cos, np.maximum(0, cos - margin))
    terms[np.isnan(y)] = np.nan
    return reduce(terms, reduction)


def cosine_embedding_grad(input1, input2, target, *, margin=0.0, reduction="mean",
                          wrt="input1"):
    r"""Gradient of :func:`cosine_embedding` with respect to ``input1`` or ``input2``."""
    check_wrt(wrt, ("input1", "input2"))
    x1, x2, y = _prepare_vector_pairs(input1, input2, target, reduction, (-1, 1),
                                      "{-1, +1}")
    cos, sq1, sq2, denom = _cosine(x1, x2)
    if wrt == "input2":  # the cosine is symmetric in its two vectors
        x1, x2, sq1, sq2 = x2, x1, sq2, sq1
    sign = np.where(y == 1, -1.0, np.where(cos - margin >= 0, 1.0, 0.0)).astype(x1.dtype)
    sign[np.isnan(y) | np.isnan(cos)] = np.nan
    grad = x2 * (sign / denom)[:, None] - x1 * (sign * cos / sq1)[:, None]
    return scale_grad(grad, reduction, len(x1))


def _prepare_signed(x, other, target, names, reduction):
    check_reduction(reduction)
    x = as_float_array(x, names[0])
    check_nonempty(x, names[0])
    arrays = [x]
    if other is not None:
        other = as_float_array(other, names[1])
        check_same_shape(x, other, names[0], names[1])
        arrays.append(other)
    dtype = np.result_type(*arrays)
    y = as_label_array(target, "target", dtype)
    check_same_shape(x, y, names[0], "target")
    _check_labels(y, (-1, 1), "{-1, +1}")
    if other is None:
        return x.astype(dtype, copy=False), y
    return x.astype(dtype, copy=False), other.astype(dtype, copy=False), y


def margin_ranking(input1, input2, target, *, margin=0.0, reduction="mean"):
    r"""Margin ranking loss: the score the label says is the larger should be larger by at
    least the margin.

    .. math:: \ell_i = \max\bigl(0,\; m - y_i\,(x_{1i} - x_{2i})\bigr)

    :math:`y_i = +1` says :math:`x_{1i}` should rank above :math:`x_{2i}`, :math:`y_i =
    -1` the reverse. It is the hinge loss of the score difference: only the order of the
    two scores matters, not their values.

    Gradient: :math:`-y_i` with respect to :math:`x_1` and :math:`+y_i` with respect to
    :math:`x_2` where :math:`m - y_i (x_{1i} - x_{2i}) \ge 0` (at the kink too, as the
    autograd of PyTorch's ``clamp_min`` gives), else 0.

    Shape: ``input1``, ``input2``, ``target``: ``(*)``, equal; output ``(*)`` or a scalar.

    Args:
        input1: scores of the first item of each pair, float.
        input2: scores of the second item, same shape.
        target: +1 where ``input1`` should be the larger, -1 where ``input2`` should;
            any other value raises ``ValueError``.
        margin: the required gap :math:`m`; PyTorch's default 0 is satisfied by any
            correct order, however close.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        PyTorch does not check the labels: with ``target = 0`` its loss is
        :math:`\max(0, m)` for every pair, with no gradient, whatever the scores.

    See also:
        ``torch.nn.functional.margin_ranking_loss(input1, input2, target, margin=margin,
        reduction=reduction)``. :func:`lossbook.binary.hinge` is this loss against a second score
        of 0. Keras and scikit-learn: none.

    References:
        :cite:`joachims2002optimizing` (the pairwise hinge over preference pairs of a
        ranking SVM).

    Examples:
        >>> print(f"{margin_ranking([2.0, 0.5], [1.0, 1.0], [1.0, 1.0], margin=1.0):.4f}")
        0.7500

    Book chapter: Pairs and rankings.
    """
    x1, x2, y = _prepare_signed(input1, input2, target, ("input1", "input2"), reduction)
    return reduce(np.maximum(0, margin - y * (x1 - x2)), reduction)


def margin_ranking_grad(input1, input2, target, *, margin=0.0, reduction="mean",
                        wrt="input1"):
    r"""Gradient of :func:`margin_ranking` with respect to ``input1`` or ``input2``."""
    check_wrt(wrt, ("input1", "input2"))
    x1, x2, y = _prepare_signed(input1, input2, target, ("input1", "input2"), reduction)
    slack = margin - y * (x1 - x2)
    sign = -y if wrt == "input1" else y
    grad = np.where(slack >= 0, sign, 0).astype(x1.dtype)
    grad[np.isnan(slack)] = np.nan
    return scale_grad(grad, reduction, x1.size)


def hinge_embedding(input, target, *, margin=1.0, reduction="mean"):
    r"""Hinge embedding loss: on a distance, which a similar pair should shrink and a
    dissimilar pair should push beyond the margin.

    .. math:: \ell_i = \begin{cases} x_i & y_i = +1 \\ \max(0,\; m - x_i) & y_i = -1
       \end{cases}

    The input :math:`x_i` is meant to be a distance (>= 0) between the two elements of a
    pair; on :math:`x_i = D_i` it is :func:`contrastive` without the squares and with the
    labels recoded (+1 similar, -1 dissimilar).

    Gradient: 1 for a similar pair, -1 for a dissimilar pair with :math:`x_i \le m` (at the
    margin too, as the autograd of PyTorch's ``clamp_min`` gives), else 0.

    Shape: ``input``, ``target``: ``(*)``, equal; output ``(*)`` or a scalar.

    Args:
        input: distances (or any real number), float.
        target: +1 for a similar pair, -1 for a dissimilar one; any other value raises
            ``ValueError``.
        margin: the margin :math:`m`.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        PyTorch computes ``where(target != 1, max(0, m - x), 0) + where(target != -1,
        x, 0)``, so a pair labelled 0 gets both terms, :math:`x + \max(0, m - x)`, and
        never reaches 0. lossbook refuses the label.

    See also:
        ``torch.nn.functional.hinge_embedding_loss(input, target, margin=margin,
        reduction=reduction)``. Keras and scikit-learn: none.

    References:
        :cite:`hadsell2006dimensionality` (the pairwise margin on distances).

    Examples:
        >>> print(hinge_embedding([0.5, 0.5, 2.0], [1.0, -1.0, -1.0], reduction="none"))
        [0.5 0.5 0. ]

    Book chapter: Pairs and rankings.
    """
    x, y = _prepare_signed(input, None, target, ("input",), reduction)
    terms = np.where(y == 1, x, np.maximum(0, margin - x))
    terms[np.isnan(y)] = np.nan
    return reduce(terms, reduction)


def hinge_embedding_grad(input, target, *, margin=1.0, reduction="mean", wrt="input"):
    r"""Gradient of :func:`hinge_embedding` with respect to ``input``."""
    check_wrt(wrt, ("input",))
    x, y = _prepare_signed(input, None, target, ("input",), reduction)
    grad = np.where(y == 1, 1.0, np.where(margin - x >= 0, -1.0, 0.0)).astype(x.dtype)
    grad[np.isnan(x) | np.isnan(y)] = np.nan
    return scale_grad(grad, reduction, x.size)
