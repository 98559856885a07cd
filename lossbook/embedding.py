r"""Embedding losses: compare vectors by direction or distance, not value by value.

Vectors lie along the last axis: inputs are ``(N, D)`` (a batch of ``N`` vectors of
dimension ``D``) or ``(D,)``, and the unreduced loss has one term per vector.
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax, softmax
from .checks import as_float_array, check_positive, check_same_shape, check_wrt, prepare_pair
from .reduction import check_reduction, grad_scale, reduce

__all__ = [
    "cosine_similarity_loss",
    "cosine_similarity_loss_grad",
    "triplet_margin",
    "triplet_margin_grad",
    "info_nce",
    "info_nce_grad",
    "symmetric_info_nce",
    "symmetric_info_nce_grad",
    "nt_xent",
    "nt_xent_grad",
]


def _sum_last(x):
    """The sum over the last axis, as a product with a vector of ones.

    Chosen for speed: a matrix-vector product reads the array once, in BLAS, where
    NumPy's ``sum(axis=-1)`` over a short axis runs one inner loop per vector.
    """
    return x @ np.ones(x.shape[-1], dtype=x.dtype)


def _dot(x, y):
    """The dot product of each pair of vectors along the last axis.

    Chosen for speed: ``einsum`` multiplies and sums in one pass with no temporary array,
    where ``np.sum(x * y, axis=-1)`` writes the products first and then runs one short
    inner loop per vector (``np.linalg.norm(axis=-1)`` does the same).
    """
    return np.einsum("...d,...d->...", x, y)


def _length(x):
    """The Euclidean norm of each vector along the last axis."""
    return np.sqrt(_dot(x, x))


def _norm(x, eps):
    """Euclidean norm along the last axis, clamped below at ``eps``, kept as an axis."""
    return np.maximum(_length(x), eps)[..., None]


def cosine_similarity_loss(pred, target, *, eps=1e-8, reduction="mean"):
    r"""Cosine similarity loss: one minus the cosine of the angle between two vectors.

    .. math:: \ell_i = 1 - \frac{a_i \cdot b_i}{\lVert a_i\rVert\, \lVert b_i\rVert}

    in :math:`[0, 2]`: 0 for the same direction, 1 for orthogonal, 2 for opposite.
    Scaling either vector by a positive number leaves it unchanged.

    Gradient with respect to :math:`a`: :math:`-\bigl(\hat b - \cos(a, b)\,\hat a\bigr) /
    \lVert a \rVert`, with :math:`\hat a = a / \lVert a\rVert`; it is orthogonal to
    :math:`a`, so a gradient step never changes the length of :math:`a` to first order.
    The loss is symmetric, so the gradient with respect to :math:`b` (``wrt="target"``,
    when both vectors come from a model) is the same formula with :math:`a` and :math:`b`
    exchanged.

    Shape: ``pred``, ``target``: ``(N, D)`` or ``(D,)``, equal; output ``(N)`` or a scalar.

    Args:
        pred: predicted vectors :math:`a`.
        target: target vectors :math:`b`, same shape.
        eps: lower clamp of each norm; a zero vector has cosine 0 with everything.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        As PyTorch (2.x) does, each norm is clamped below at ``eps`` separately (older
        PyTorch clamped their product at ``eps**2``), and the clamp is invisible to the
        gradient, which still differentiates the norm: a vector shorter than ``eps`` gets
        a gradient of order :math:`1/\mathrm{eps}`, large but finite, and a zero vector
        :math:`-\hat b / \mathrm{eps}`.

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
    # a . b / (max(|a|, eps) max(|b|, eps)): three dot products per vector, no temporary
    # array (PyTorch divides each vector by its norm first; the same up to rounding)
    cos = _dot(a, b) / (np.maximum(_length(a), eps) * np.maximum(_length(b), eps))
    return reduce(1 - cos, reduction)


def cosine_similarity_loss_grad(pred, target, *, eps=1e-8, reduction="mean", wrt="pred"):
    r"""Gradient of :func:`cosine_similarity_loss` with respect to ``pred`` or ``target``."""
    check_wrt(wrt, ("pred", "target"))
    a, b = prepare_pair(pred, target)
    if wrt == "target":  # the loss is symmetric in its two vectors
        a, b = b, a
    true_norm = _length(a)
    a_norm, b_norm = np.maximum(true_norm, eps), np.maximum(_length(b), eps)
    cos = _dot(a, b) / (a_norm * b_norm)
    # -(b_hat - cos * direction) / a_norm with b_hat = b / b_norm and direction =
    # a / ||a|| (0 for a = 0): the derivative of ||a||, which PyTorch lets through even
    # where the norm is clamped at eps, so a vector shorter than eps gets the same
    # gradient here as there. Written as a and b times one coefficient per vector each.
    scale = grad_scale(reduction, a_norm.size, a.dtype) / a_norm
    along_a = np.divide(cos, true_norm, out=np.zeros_like(cos), where=true_norm > 0)
    grad = a * (along_a * scale)[..., None]
    grad -= b * (scale / b_norm)[..., None]
    return grad


def _pairwise_distance(x, y, p, eps):
    """PyTorch's ``pairwise_distance``: ``||x - y + eps||_p`` along the last axis.

    Returns the shifted difference too, which the gradient needs.
    """
    diff = x - y
    diff += eps
    if p == 2:
        return diff, _length(diff)
    if p == np.inf:
        return diff, np.abs(diff).max(axis=-1)
    return diff, _sum_last(np.abs(diff) ** p) ** (1 / p)


def _norm_grad(diff, norm, p):
    r"""The gradient of :math:`\lVert d\rVert_p` at ``diff``, with ``norm`` its value.

    :math:`\operatorname{sign}(d_k)\,(|d_k| / \lVert d\rVert_p)^{p-1}`: :math:`d /
    \lVert d\rVert` for p = 2, the sign for p = 1; for p = inf the sign at the largest
    entries, shared equally among ties. 0 where the norm is 0, and for p < 1 where an
    entry is 0 (where the formula divides by 0); PyTorch's norm backward makes the same
    choices. For p = 2 it is computed in place in ``diff``, a fresh array.
    """
    norm = norm[..., None]
    if p == 2:  # the common case, in one division in place: diff is 0 where the norm is
        return np.divide(diff, np.where(norm > 0, norm, 1), out=diff)
    if p == np.inf:
        at_max = np.abs(diff) == norm
        share = at_max / np.count_nonzero(at_max, axis=-1, keepdims=True)
        return np.sign(diff) * share.astype(diff.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = np.sign(diff) * (np.abs(diff) / norm) ** (p - 1)
    return np.where((norm > 0) & ((diff != 0) | (p >= 1)), grad, 0)


def _prepare_triplet(anchor, positive, negative, margin, p, reduction):
    check_reduction(reduction)
    anchor, positive = prepare_pair(anchor, positive, "anchor", "positive")
    negative = as_float_array(negative, "negative").astype(anchor.dtype, copy=False)
    check_same_shape(anchor, negative, "anchor", "negative")
    check_positive(margin, "margin")
    check_positive(p, "p")
    return anchor, positive, negative


def _triplet_distances(anchor, positive, negative, p, eps, swap):
    """``d(a, p)``, ``d(a, n)``, ``d(p, n)`` (None without swap) and the differences."""
    diff_ap, d_ap = _pairwise_distance(anchor, positive, p, eps)
    diff_an, d_an = _pairwise_distance(anchor, negative, p, eps)
    diff_pn, d_pn = _pairwise_distance(positive, negative, p, eps) if swap else (None, None)
    return diff_ap, d_ap, diff_an, d_an, diff_pn, d_pn


def _distance(x, y, p, eps):
    """``||x - y + eps||_p`` alone, for the value: the Euclidean one squares the fresh
    difference in place and sums it, one temporary array in all (for speed: at 1e5
    elements, allocating temporaries costs more than the arithmetic)."""
    if p != 2:
        return _pairwise_distance(x, y, p, eps)[1]
    diff = x - y
    diff += eps
    return np.sqrt(_sum_last(np.square(diff, out=diff)))


def triplet_margin(anchor, positive, negative, *, margin=1.0, p=2, eps=1e-6, swap=False,
                   reduction="mean"):
    r"""Triplet margin loss: the anchor should be nearer its positive than its negative.

    .. math:: \ell_i = \max\bigl(0,\; d(a_i, p_i) - d(a_i, n_i) + m\bigr),
       \qquad d(x, y) = \lVert x - y + \varepsilon \rVert_p

    With ``swap=True`` (the "distance swap" of :cite:t:`balntas2016learning`) the
    negative's distance is :math:`\min\bigl(d(a_i, n_i),\, d(p_i, n_i)\bigr)`: the harder
    of the two negatives in the triplet.

    Gradient, where the loss is positive, with :math:`g(x, y) = \nabla_x \lVert x - y +
    \varepsilon\rVert_p` (for :math:`p = 2`: :math:`(x - y + \varepsilon) / d(x, y)`):
    :math:`g(a, p) - g(a, n)` for the anchor, :math:`-g(a, p)` for the positive and
    :math:`g(a, n)` for the negative; with ``swap``, where :math:`d(p, n)` is the smaller,
    :math:`g(a, n)` is replaced by :math:`g(p, n)` and moves from the anchor to the
    positive (a tie shares it equally, as PyTorch's ``min`` does).

    Shape: ``anchor``, ``positive``, ``negative``: ``(N, D)`` or ``(D,)``, equal; output
    ``(N)`` or a scalar.

    Args:
        anchor: anchor embeddings, float.
        positive: embeddings of the same class, same shape.
        negative: embeddings of another class, same shape.
        margin: the margin :math:`m` by which the negative must be farther, > 0.
        p: the degree of the norm, > 0 (``np.inf`` for the largest absolute difference).
        eps: PyTorch's small shift inside the distance, keeps its gradient finite.
        swap: use the distance swap.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        All three inputs are learned in metric learning (one tower, or two), so the
        gradient is given for each: ``wrt="anchor"`` (default), ``"positive"``,
        ``"negative"``. Exactly at the hinge (loss argument 0) the gradient is 0; the
        autograd of PyTorch's ``clamp_min`` passes the full gradient there.

    See also:
        ``torch.nn.functional.triplet_margin_loss(anchor, positive, negative,
        margin=margin, p=p, eps=eps, swap=swap, reduction=reduction)``.
        Keras and scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`schroff2015facenet`; distance swap :cite:`balntas2016learning`.

    Examples:
        >>> print(f"{triplet_margin([0.0, 0.0], [1.0, 0.0], [0.0, 1.5], eps=0.0):.4f}")
        0.5000
        >>> print(f"{triplet_margin([0.0, 0.0], [1.0, 1.0], [0.0, 1.5], p=1, eps=0.0):.4f}")
        1.5000

    Book chapter: Cosine similarity and embedding losses.
    """
    a, pos, neg = _prepare_triplet(anchor, positive, negative, margin, p, reduction)
    d_neg = _distance(a, neg, p, eps)
    if swap:
        d_neg = np.minimum(d_neg, _distance(pos, neg, p, eps))
    return reduce(np.maximum(0, _distance(a, pos, p, eps) - d_neg + margin), reduction)


def triplet_margin_grad(anchor, positive, negative, *, margin=1.0, p=2, eps=1e-6, swap=False,
                        reduction="mean", wrt="anchor"):
    r"""Gradient of :func:`triplet_margin` with respect to ``anchor``, ``positive`` or
    ``negative``."""
    check_wrt(wrt, ("anchor", "positive", "negative"))
    a, pos, neg = _prepare_triplet(anchor, positive, negative, margin, p, reduction)
    diff_ap, d_ap, diff_an, d_an, diff_pn, d_pn = _triplet_distances(a, pos, neg, p, eps, swap)
    g_ap, g_an, g_pn = _norm_grad(diff_ap, d_ap, p), _norm_grad(diff_an, d_an, p), 0
    d_neg = d_an
    if swap:  # min(d_an, d_pn): the smaller one takes the gradient, a tie shares it
        d_neg = np.minimum(d_an, d_pn)
        share_an = np.where(d_an < d_pn, 1, np.where(d_an == d_pn, 0.5, 0)).astype(a.dtype)
        g_pn = (1 - share_an)[..., None] * _norm_grad(diff_pn, d_pn, p)
        g_an = share_an[..., None] * g_an
    # the loss d(a, p) - d_neg + m: the anchor is in both distances, the positive in
    # d(a, p) (and d(p, n) with swap), the negative in d_neg; each on a fresh array
    if wrt == "anchor":
        grad = np.subtract(g_ap, g_an, out=g_ap)
    elif wrt == "positive":
        grad = np.negative(g_ap + g_pn, out=g_ap)
    else:
        grad = g_an + g_pn if swap else g_an
    # one coefficient per triplet: the reduction's scale where the loss is positive, else 0
    scale = grad_scale(reduction, d_ap.size, a.dtype)
    grad *= np.where(d_ap - d_neg + margin > 0, scale, 0)[..., None]
    return grad


def _prepare_info_nce(queries, keys, temperature, reduction, names=("queries", "keys")):
    check_reduction(reduction)
    queries, keys = prepare_pair(queries, keys, *names)
    if queries.ndim != 2:
        raise ValueError(f"{names[0]} must have shape (N, D), got {queries.shape}")
    check_positive(temperature, "temperature")
    return queries, keys


def _normalize(x, eps=1e-12):
    """``F.normalize``: each row divided by its norm clamped below at ``eps``; and the norm."""
    norm = _norm(x, eps)
    return x / norm, norm


def _normalize_vjp(grad_hat, x, x_hat, norm, eps=1e-12):
    r"""The gradient with respect to ``x`` of a loss whose gradient at :math:`\hat x =
    x / \lVert x\rVert` is ``grad_hat``: :math:`(g - (g \cdot \hat x)\,\hat x) / \lVert x
    \rVert`, the radial part removed. Below ``eps`` the norm is a constant (``F.normalize``
    clamps it, and the clamp passes no gradient), so there is no radial part."""
    radial = _dot(grad_hat, x_hat)[..., None] * x_hat
    radial = np.where(_length(x)[..., None] > eps, radial, 0)
    return (grad_hat - radial) / norm


def _info_nce_logits(queries, keys, temperature):
    q_hat, q_norm = _normalize(queries)
    k_hat, k_norm = _normalize(keys)
    return q_hat, q_norm, k_hat, k_norm, q_hat @ k_hat.T / temperature


def _similarity_grad(grad_logits, queries, keys, parts, temperature, wrt):
    """Through ``logits = q_hat @ k_hat.T / temperature`` and the normalisations."""
    q_hat, q_norm, k_hat, k_norm, _ = parts
    if wrt == "queries":
        return _normalize_vjp(grad_logits @ k_hat / temperature, queries, q_hat, q_norm)
    return _normalize_vjp(grad_logits.T @ q_hat / temperature, keys, k_hat, k_norm)


def info_nce(queries, keys, *, temperature=0.1, reduction="mean"):
    r"""InfoNCE: cross-entropy over a similarity matrix, the positive on the diagonal.

    Query :math:`q_i` is paired with key :math:`k_i`; every other key in the batch is a
    negative. With cosine similarities :math:`s_{ij} = \hat q_i \cdot \hat k_j` and
    temperature :math:`\tau`:

    .. math:: \ell_i = -\log \frac{e^{s_{ii}/\tau}}{\sum_{j=1}^{N} e^{s_{ij}/\tau}}

    Gradient with respect to :math:`\hat q_i`: :math:`\frac{1}{\tau}\sum_j
    (\operatorname{softmax}(s_i/\tau)_j - \delta_{ij})\,\hat k_j`, then through the
    normalisation: :math:`(g - (g\cdot\hat q)\hat q)/\lVert q\rVert`. With respect to
    :math:`\hat k_j` (``wrt="keys"``, when the keys come from a trained encoder too):
    :math:`\frac{1}{\tau}\sum_i (\operatorname{softmax}(s_i/\tau)_j - \delta_{ij})\,
    \hat q_i`, then through the normalisation of :math:`k_j`.

    Shape: ``queries``, ``keys``: ``(N, D)``, equal; output ``(N)`` or a scalar.

    Args:
        queries: query embeddings, float.
        keys: key embeddings, the positive of query ``i`` in row ``i``.
        temperature: :math:`\tau > 0`; smaller sharpens the softmax.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        This is the one-directional form (queries against keys).
        :func:`symmetric_info_nce` (CLIP) averages it with the keys-against-queries
        direction; :func:`nt_xent` (SimCLR) compares each of 2N views with all 2N - 1
        others.

    See also:
        ``torch.nn.functional.cross_entropy(F.normalize(queries) @ F.normalize(keys).T
        / temperature, torch.arange(N), reduction=reduction)``.
        Keras and scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`oord2018representation`.

    Examples:
        >>> print(f"{info_nce([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], temperature=1.0):.4f}")
        0.3133

    Book chapter: Cosine similarity and embedding losses.
    """
    queries, keys = _prepare_info_nce(queries, keys, temperature, reduction)
    logits = _info_nce_logits(queries, keys, temperature)[-1]
    return reduce(-np.diagonal(log_softmax(logits)).copy(), reduction)


def info_nce_grad(queries, keys, *, temperature=0.1, reduction="mean", wrt="queries"):
    r"""Gradient of :func:`info_nce` with respect to ``queries`` or ``keys``."""
    check_wrt(wrt, ("queries", "keys"))
    queries, keys = _prepare_info_nce(queries, keys, temperature, reduction)
    parts = _info_nce_logits(queries, keys, temperature)
    grad_logits = softmax(parts[-1]) - np.eye(len(queries), dtype=queries.dtype)
    grad = _similarity_grad(grad_logits, queries, keys, parts, temperature, wrt)
    return grad * grad_scale(reduction, len(queries), queries.dtype)


def symmetric_info_nce(queries, keys, *, temperature=0.1, reduction="mean"):
    r"""Symmetric InfoNCE (CLIP): the mean of the two directions of :func:`info_nce`.

    With :math:`s_{ij} = \hat q_i \cdot \hat k_j / \tau`, pair :math:`i` contributes its
    query's cross-entropy over all keys and its key's cross-entropy over all queries:

    .. math:: \ell_i = \frac12 \left(-\log \frac{e^{s_{ii}}}{\sum_j e^{s_{ij}}}
       - \log \frac{e^{s_{ii}}}{\sum_j e^{s_{ji}}}\right)

    Gradient with respect to the similarities: :math:`\frac12\bigl(\operatorname{softmax}_
    \text{rows}(s) - I\bigr) + \frac12\bigl(\operatorname{softmax}_\text{columns}(s) -
    I\bigr)`, then through :math:`s = \hat q \hat k^\top / \tau` and the normalisations,
    for ``queries`` or ``keys`` (both towers are trained).

    Shape: ``queries``, ``keys``: ``(N, D)``, equal; output ``(N)``, one term per pair, or
    a scalar.

    Args:
        queries: embeddings of one modality (CLIP: the images), float.
        keys: embeddings of the other (CLIP: the texts); row ``i`` pairs with query ``i``.
        temperature: :math:`\tau > 0` (CLIP learns :math:`1/\tau`; here it is fixed).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``. The mean is CLIP's
            ``(loss_images + loss_texts) / 2``.

    Notes:
        Swapping ``queries`` and ``keys`` leaves it unchanged, unlike :func:`info_nce`.

    See also:
        ``(F.cross_entropy(s, labels, reduction=reduction) + F.cross_entropy(s.T, labels,
        reduction=reduction)) / 2`` with ``s = F.normalize(queries) @ F.normalize(keys).T
        / temperature`` and ``labels = torch.arange(N)``: the pseudocode of CLIP's paper;
        PyTorch has no such function. Keras and scikit-learn: none. Chapter: One loss,
        three libraries.

    References:
        :cite:`radford2021learning` (Figure 3).

    Examples:
        >>> q, k = [[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.6, 0.8]]
        >>> print(f"{symmetric_info_nce(q, k, temperature=1.0):.4f}")
        0.4489

    Book chapter: Cosine similarity and embedding losses.
    """
    queries, keys = _prepare_info_nce(queries, keys, temperature, reduction)
    logits = _info_nce_logits(queries, keys, temperature)[-1]
    queries_to_keys = np.diagonal(log_softmax(logits, axis=1))
    keys_to_queries = np.diagonal(log_softmax(logits, axis=0))
    return reduce(-(queries_to_keys + keys_to_queries) / 2, reduction)


def symmetric_info_nce_grad(queries, keys, *, temperature=0.1, reduction="mean",
                            wrt="queries"):
    r"""Gradient of :func:`symmetric_info_nce` with respect to ``queries`` or ``keys``."""
    check_wrt(wrt, ("queries", "keys"))
    queries, keys = _prepare_info_nce(queries, keys, temperature, reduction)
    parts = _info_nce_logits(queries, keys, temperature)
    eye = np.eye(len(queries), dtype=queries.dtype)
    grad_logits = (softmax(parts[-1], axis=1) - eye + softmax(parts[-1], axis=0) - eye) / 2
    grad = _similarity_grad(grad_logits, queries, keys, parts, temperature, wrt)
    return grad * grad_scale(reduction, len(queries), queries.dtype)


def _nt_xent_logits(view1, view2, temperature):
    """The (2N, 2N) cosine similarities over temperature of all views, -inf on the
    diagonal (a view is not its own negative), the normalised views and their norms."""
    views = np.concatenate([view1, view2])
    z_hat, norm = _normalize(views)
    logits = z_hat @ z_hat.T / temperature
    np.fill_diagonal(logits, -np.inf)
    return views, z_hat, norm, logits


def _nt_xent_positives(n):
    """The row of each view's positive: view ``k`` of the first half pairs with ``k + N``."""
    return np.concatenate([np.arange(n, 2 * n), np.arange(n)])


def nt_xent(view1, view2, *, temperature=0.1, reduction="mean"):
    r"""NT-Xent (SimCLR): each of 2N views against the 2N - 1 others, its pair positive.

    The 2N embeddings :math:`z_1 \dots z_{2N}` are the rows of ``view1`` and ``view2``;
    :math:`z_k` and :math:`z_{k+N}` are two views of one example. With :math:`s_{kj} =
    \hat z_k \cdot \hat z_j / \tau` and :math:`k^+` the index of the other view:

    .. math:: \ell_k = -\log \frac{e^{s_{k k^+}}}{\sum_{j \ne k} e^{s_{kj}}}

    Gradient with respect to the similarities: :math:`\operatorname{softmax}_{j \ne k}
    (s_k) - \delta_{j k^+}` per row; :math:`s` is symmetric, so the gradient at
    :math:`\hat z` is :math:`(G + G^\top)\hat z / \tau`, then through the normalisation;
    its first N rows are the gradient with respect to ``view1``, the last N with respect
    to ``view2``.

    Shape: ``view1``, ``view2``: ``(N, D)``, equal; output ``(2N)`` (first the anchors of
    ``view1``, then those of ``view2``) or a scalar.

    Args:
        view1: embeddings of the first augmented view of each example, float.
        view2: embeddings of the second view, same shape; row ``i`` pairs with row ``i``
            of ``view1``.
        temperature: :math:`\tau > 0`.
        reduction: ``"mean"`` (over the 2N terms, SimCLR's :math:`\frac{1}{2N}\sum_k`),
            ``"sum"`` or ``"none"``.

    Notes:
        Unlike :func:`info_nce`, the other views of the same side are negatives too, so
        each anchor has 2N - 2 negatives rather than N - 1.

    See also:
        ``F.cross_entropy(s, positives, reduction=reduction)`` with ``z =
        F.normalize(torch.cat([view1, view2]))``, ``s = (z @ z.T / temperature)`` with its
        diagonal filled with ``-inf``, and ``positives = torch.cat([arange(N) + N,
        arange(N)])``: the loss of SimCLR's paper written in PyTorch, which has no such
        function. Keras and scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`chen2020simple` (Algorithm 1).

    Examples:
        >>> v1, v2 = [[1.0, 0.0], [0.0, 1.0]], [[0.8, 0.6], [0.0, 1.0]]
        >>> print(f"{nt_xent(v1, v2, temperature=1.0):.4f}")
        0.7588

    Book chapter: Cosine similarity and embedding losses.
    """
    view1, view2 = _prepare_info_nce(view1, view2, temperature, reduction, ("view1", "view2"))
    logits = _nt_xent_logits(view1, view2, temperature)[-1]
    positives = _nt_xent_positives(len(view1))
    return reduce(-log_softmax(logits)[np.arange(len(logits)), positives], reduction)


def nt_xent_grad(view1, view2, *, temperature=0.1, reduction="mean", wrt="view1"):
    r"""Gradient of :func:`nt_xent` with respect to ``view1`` or ``view2``."""
    check_wrt(wrt, ("view1", "view2"))
    view1, view2 = _prepare_info_nce(view1, view2, temperature, reduction, ("view1", "view2"))
    views, z_hat, norm, logits = _nt_xent_logits(view1, view2, temperature)
    grad_logits = softmax(logits)
    grad_logits[np.arange(len(logits)), _nt_xent_positives(len(view1))] -= 1
    grad = _normalize_vjp((grad_logits + grad_logits.T) @ z_hat / temperature, views, z_hat,
                          norm)
    half = slice(None, len(view1)) if wrt == "view1" else slice(len(view1), None)
    return grad[half] * grad_scale(reduction, len(logits), views.dtype)
