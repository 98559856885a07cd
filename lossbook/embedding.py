r"""Embedding losses: compare vectors by direction or distance, not value by value.

Vectors lie along the last axis: inputs are ``(N, D)`` (a batch of ``N`` vectors of
dimension ``D``) or ``(D,)``, and the unreduced loss has one term per vector.
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax, softmax
from .checks import as_float_array, check_positive, check_same_shape, prepare_pair
from .reduction import grad_scale, reduce

__all__ = [
    "cosine_similarity_loss",
    "cosine_similarity_loss_grad",
    "triplet_margin",
    "triplet_margin_grad",
    "info_nce",
    "info_nce_grad",
]


def _norm(x, eps):
    """Euclidean norm along the last axis, clamped below at ``eps``, kept as an axis."""
    return np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), eps)


def cosine_similarity_loss(pred, target, *, eps=1e-8, reduction="mean"):
    r"""Cosine similarity loss: one minus the cosine of the angle between two vectors.

    .. math:: \ell_i = 1 - \frac{a_i \cdot b_i}{\lVert a_i\rVert\, \lVert b_i\rVert}

    in :math:`[0, 2]`: 0 for the same direction, 1 for orthogonal, 2 for opposite.
    Scaling either vector by a positive number leaves it unchanged.

    Gradient with respect to :math:`a`: :math:`-\bigl(\hat b - \cos(a, b)\,\hat a\bigr) /
    \lVert a \rVert`, with :math:`\hat a = a / \lVert a\rVert`; it is orthogonal to
    :math:`a`, so a gradient step never changes the length of :math:`a` to first order.

    Shape: ``pred``, ``target``: ``(N, D)`` or ``(D,)``, equal; output ``(N)`` or a scalar.

    Args:
        pred: predicted vectors :math:`a`.
        target: target vectors :math:`b`, same shape.
        eps: lower clamp of each norm; a zero vector has cosine 0 with everything.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        ``1 - torch.nn.functional.cosine_similarity(pred, target, dim=-1, eps=eps)``.
        Keras's ``CosineSimilarity`` loss returns -cos, so ``1 +
        keras.losses.CosineSimilarity()(target, pred)`` is this loss; scikit-learn
        ``paired_cosine_distances(pred, target)`` gives 1 - cos per row. Chapter: One loss,
        three libraries.

    References:
        :cite:`reimers2019sentence` (cosine objectives for sentence embeddings).

    Examples:
        >>> print(f"{cosine_similarity_loss([1.0, 0.0], [3.0, 3.0]):.4f}")
        0.2929

    Book chapter: Cosine similarity and embedding losses.
    """
    a, b = prepare_pair(pred, target)
    cos = np.sum(a / _norm(a, eps) * (b / _norm(b, eps)), axis=-1)
    return reduce(1 - cos, reduction)


def cosine_similarity_loss_grad(pred, target, *, eps=1e-8, reduction="mean"):
    r"""Gradient of :func:`cosine_similarity_loss` with respect to ``pred``."""
    a, b = prepare_pair(pred, target)
    a_norm = _norm(a, eps)
    b_hat = b / _norm(b, eps)
    # d||a||/da = a / ||a|| (0 for a = 0); PyTorch lets it through even where the norm is
    # clamped at eps, so a vector shorter than eps gets the same gradient here as there
    true_norm = np.linalg.norm(a, axis=-1, keepdims=True)
    direction = np.divide(a, true_norm, out=np.zeros_like(a), where=true_norm > 0)
    cos_times_norm = np.sum(a * b_hat, axis=-1, keepdims=True) / a_norm
    grad = -(b_hat - cos_times_norm * direction) / a_norm
    return grad * grad_scale(reduction, grad.size // grad.shape[-1], a.dtype)


def _pairwise_distance(x, y, eps):
    """PyTorch's ``pairwise_distance``: ``||x - y + eps||`` along the last axis."""
    diff = x - y + eps
    return diff, np.linalg.norm(diff, axis=-1)


def _prepare_triplet(anchor, positive, negative, margin):
    anchor, positive = prepare_pair(anchor, positive, "anchor", "positive")
    negative = as_float_array(negative, "negative").astype(anchor.dtype, copy=False)
    check_same_shape(anchor, negative, "anchor", "negative")
    check_positive(margin, "margin")
    return anchor, positive, negative


def triplet_margin(anchor, positive, negative, *, margin=1.0, eps=1e-6, reduction="mean"):
    r"""Triplet margin loss: the anchor should be nearer its positive than its negative.

    .. math:: \ell_i = \max\bigl(0,\; d(a_i, p_i) - d(a_i, n_i) + m\bigr),
       \qquad d(x, y) = \lVert x - y + \varepsilon \rVert_2

    Gradient with respect to the anchor, where the loss is positive:
    :math:`\frac{a - p + \varepsilon}{d(a, p)} - \frac{a - n + \varepsilon}{d(a, n)}`.

    Shape: ``anchor``, ``positive``, ``negative``: ``(N, D)`` or ``(D,)``, equal; output
    ``(N)`` or a scalar.

    Args:
        anchor: anchor embeddings, float (the argument the gradient is taken for).
        positive: embeddings of the same class, same shape.
        negative: embeddings of another class, same shape.
        margin: the margin :math:`m` by which the negative must be farther, > 0.
        eps: PyTorch's small shift inside the distance, keeps its gradient finite.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        ``torch.nn.functional.triplet_margin_loss(anchor, positive, negative,
        margin=margin, p=2, eps=eps, reduction=reduction)``.
        Keras and scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`schroff2015facenet`.

    Examples:
        >>> print(f"{triplet_margin([0.0, 0.0], [1.0, 0.0], [0.0, 1.5], eps=0.0):.4f}")
        0.5000

    Book chapter: Cosine similarity and embedding losses.
    """
    anchor, positive, negative = _prepare_triplet(anchor, positive, negative, margin)
    _, d_pos = _pairwise_distance(anchor, positive, eps)
    _, d_neg = _pairwise_distance(anchor, negative, eps)
    return reduce(np.maximum(0, d_pos - d_neg + margin), reduction)


def triplet_margin_grad(anchor, positive, negative, *, margin=1.0, eps=1e-6, reduction="mean"):
    r"""Gradient of :func:`triplet_margin` with respect to ``anchor``."""
    anchor, positive, negative = _prepare_triplet(anchor, positive, negative, margin)
    diff_pos, d_pos = _pairwise_distance(anchor, positive, eps)
    diff_neg, d_neg = _pairwise_distance(anchor, negative, eps)
    active = (d_pos - d_neg + margin > 0)[..., None]
    grad = np.where(active, diff_pos / d_pos[..., None] - diff_neg / d_neg[..., None], 0)
    return grad * grad_scale(reduction, d_pos.size, anchor.dtype)


def _prepare_info_nce(queries, keys, temperature):
    queries, keys = prepare_pair(queries, keys, "queries", "keys")
    if queries.ndim != 2:
        raise ValueError(f"queries must have shape (N, D), got {queries.shape}")
    check_positive(temperature, "temperature")
    return queries, keys


def _info_nce_logits(queries, keys, temperature, eps=1e-12):
    q_norm = _norm(queries, eps)
    q_hat, k_hat = queries / q_norm, keys / _norm(keys, eps)
    return q_hat, k_hat, q_norm, q_hat @ k_hat.T / temperature


def info_nce(queries, keys, *, temperature=0.1, reduction="mean"):
    r"""InfoNCE: cross-entropy over a similarity matrix, the positive on the diagonal.

    Query :math:`q_i` is paired with key :math:`k_i`; every other key in the batch is a
    negative. With cosine similarities :math:`s_{ij} = \hat q_i \cdot \hat k_j` and
    temperature :math:`\tau`:

    .. math:: \ell_i = -\log \frac{e^{s_{ii}/\tau}}{\sum_{j=1}^{N} e^{s_{ij}/\tau}}

    Gradient with respect to :math:`\hat q_i`: :math:`\frac{1}{\tau}\sum_j
    (\operatorname{softmax}(s_i/\tau)_j - \delta_{ij})\,\hat k_j`, then through the
    normalisation: :math:`(g - (g\cdot\hat q)\hat q)/\lVert q\rVert`.

    Shape: ``queries``, ``keys``: ``(N, D)``, equal; output ``(N)`` or a scalar.

    Args:
        queries: query embeddings, float.
        keys: key embeddings, the positive of query ``i`` in row ``i``.
        temperature: :math:`\tau > 0`; smaller sharpens the softmax.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        This is the one-directional form (queries against keys). CLIP averages it with
        the keys-against-queries direction.

    See also:
        ``torch.nn.functional.cross_entropy(F.normalize(queries) @ F.normalize(keys).T
        / temperature, torch.arange(N), reduction=reduction)``.
        Keras and scikit-learn: none; the symmetric (CLIP) and NT-Xent (SimCLR) variants are
        written out in the book. Chapter: One loss, three libraries.

    References:
        :cite:`oord2018representation`.

    Examples:
        >>> print(f"{info_nce([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], temperature=1.0):.4f}")
        0.3133

    Book chapter: Cosine similarity and embedding losses.
    """
    queries, keys = _prepare_info_nce(queries, keys, temperature)
    _, _, _, logits = _info_nce_logits(queries, keys, temperature)
    return reduce(-np.diagonal(log_softmax(logits)).copy(), reduction)


def info_nce_grad(queries, keys, *, temperature=0.1, reduction="mean"):
    r"""Gradient of :func:`info_nce` with respect to ``queries``."""
    queries, keys = _prepare_info_nce(queries, keys, temperature)
    q_hat, k_hat, q_norm, logits = _info_nce_logits(queries, keys, temperature)
    grad_logits = softmax(logits) - np.eye(len(queries), dtype=queries.dtype)
    grad_q_hat = grad_logits @ k_hat / temperature
    radial = np.sum(grad_q_hat * q_hat, axis=-1, keepdims=True) * q_hat
    # below eps the norm is a constant (F.normalize clamps it), so no radial part
    radial = np.where(np.linalg.norm(queries, axis=-1, keepdims=True) > 1e-12, radial, 0)
    grad = (grad_q_hat - radial) / q_norm
    return grad * grad_scale(reduction, len(queries), queries.dtype)
