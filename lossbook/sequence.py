r"""Sequence losses: a label sequence read from a longer, unsegmented sequence of frames.

The connectionist temporal classification loss (CTC, Graves, Fernández, Gomez and
Schmidhuber 2006) scores a label sequence :math:`l` of length :math:`U` against :math:`T
\ge U` frames of class scores without saying which frame is which label. It adds a
*blank* class, reads each frame as one class (an *alignment* :math:`\pi` of length
:math:`T`), and maps an alignment to a label sequence by the collapsing map :math:`B`:
merge repeated classes, then drop the blanks (``a a - b b`` and ``a - - b -`` both give
``ab``; ``a - a`` gives ``aa``, ``a a`` gives ``a``). The loss is the negative log of
the total probability of the alignments that collapse to :math:`l`.

The sum over alignments is computed by the forward–backward recursion over the *extended*
label sequence :math:`l'` (the labels with a blank before, between and after them,
:math:`2U + 1` states), on probabilities rescaled at every frame (:func:`scaled_alpha`,
:func:`scaled_beta`), and in log space (:func:`log_alpha`, :func:`log_beta`) for the
sequences where rescaling loses digits. These and :func:`extend_with_blanks` are the pieces
of the recursion, kept public for the book's chapter; they are not losses and are not
exported at the top of ``lossbook``.

Shapes follow PyTorch's ``F.ctc_loss``: scores ``(T, N, C)`` (time first), targets ``(N,
S)`` padded with anything after each sequence's length, lengths ``(N,)`` integers.

The module is named ``sequence`` rather than ``ctc`` because ``lossbook.ctc`` is the
loss function itself (every loss of the catalog is ``lossbook.<name>``): a module of the
same name would be hidden behind it.
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax
from .checks import as_float_array, check_index_range, check_wrt
from .reduction import check_reduction

__all__ = ["ctc", "ctc_grad", "extend_with_blanks", "log_alpha", "log_beta", "scaled_alpha",
           "scaled_beta"]


# -- input checks ------------------------------------------------------------------------

def _integers(x, name):
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr


def _lengths(lengths, name, low, high, n):
    """Integer lengths ``(n,)`` in ``[low, high]``."""
    arr = _integers(lengths, name)
    if arr.shape != (n,):
        raise ValueError(f"{name} must hold one length per sequence, expected shape ({n},), "
                         f"got {arr.shape}")
    bad = (arr < low) | (arr > high)
    if np.any(bad):
        raise ValueError(f"{name} must be in [{low}, {high}], got {int(arr[bad][0])}")
    return arr


def _prepare(logits, targets, input_lengths, target_lengths, blank, reduction):
    """Checked inputs; the targets with the blank in place of the padding."""
    check_reduction(reduction)
    z = as_float_array(logits, "logits")
    if z.ndim != 3 or 0 in z.shape:
        raise ValueError(f"logits must have shape (T, N, C) with T, N, C >= 1, got {z.shape}")
    num_frames, n, num_classes = z.shape
    if not (isinstance(blank, (int, np.integer)) and 0 <= blank < num_classes):
        raise ValueError(f"blank must be a class index in [0, {num_classes - 1}], "
                         f"got {blank!r}")
    y = _integers(targets, "targets")
    if y.ndim != 2 or len(y) != n:
        raise ValueError(f"targets must have shape (N, S) with N = {n}, one padded row per "
                         f"sequence, got {y.shape}")
    frames = _lengths(input_lengths, "input_lengths", 1, num_frames, n)
    sizes = _lengths(target_lengths, "target_lengths", 0, y.shape[1], n)
    used = np.arange(y.shape[1]) < sizes[:, None]
    check_index_range(y[used], "targets", num_classes)
    if np.any(y[used] == blank):
        row = int(np.nonzero((y == blank) & used)[0][0])
        raise ValueError(f"targets must not contain the blank {blank} within target_lengths, "
                         f"got it in sequence {row}")
    return z, np.where(used, y, blank), frames, sizes


# -- the recursion -----------------------------------------------------------------------

def extend_with_blanks(targets, blank=0):
    """The extended label sequences :math:`l'`: blank, :math:`l_1`, blank, ..., :math:`l_U`,
    blank; ``(N, S)`` targets give ``(N, 2S + 1)`` states."""
    targets = np.asarray(targets)
    extended = np.full((len(targets), 2 * targets.shape[1] + 1), blank, dtype=targets.dtype)
    extended[:, 1::2] = targets
    return extended


def _can_skip(extended, blank):
    """Whether state ``s`` may be entered from ``s - 2`` (skipping the blank between): only a
    label that differs from the label before it. ``a a`` needs the blank in between."""
    skip = np.zeros(extended.shape, dtype=bool)
    skip[:, 2:] = (extended[:, 2:] != blank) & (extended[:, 2:] != extended[:, :-2])
    return skip


def _from_below(a, k):
    """``a[:, s - k]`` at state ``s``; -inf (no path) where ``s < k``."""
    out = np.full_like(a, -np.inf)
    out[:, k:] = a[:, :a.shape[1] - k]
    return out


def _from_above(a, k):
    """``a[:, s + k]`` at state ``s``; -inf (no path) past the last state."""
    out = np.full_like(a, -np.inf)
    out[:, :a.shape[1] - k] = a[:, k:]
    return out


def _logaddexp(*terms):
    """``log(exp(a) + exp(b) + ...)``, shifted by the largest; -inf if all are -inf. (NumPy's
    ``logaddexp`` warns on NaN, which lossbook lets through silently.)"""
    m = terms[0]
    for term in terms[1:]:
        m = np.maximum(m, term)
    shift = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        return shift + np.log(sum(np.exp(term - shift) for term in terms))


def log_alpha(emit, skip):
    r"""Forward variables :math:`\log\alpha_t(s)`: the log-probability of frames
    :math:`0..t` along the alignments that are in state :math:`s` of :math:`l'` at frame
    :math:`t`, frame :math:`t`'s own emission included (Graves et al. eq. 6–7).

    ``emit[t, n, s]`` is :math:`\log y^t_{l'_s}`, shape ``(T, N, 2S + 1)``; ``skip`` says
    where the jump from :math:`s - 2` is allowed. An alignment starts with the blank or the
    first label; each step stays, moves one state on, or skips a blank between two
    different labels.
    """
    alpha = np.full_like(emit, -np.inf)
    alpha[0, :, :2] = emit[0, :, :2]
    for t in range(1, len(emit)):
        prev = alpha[t - 1]
        skipped = np.where(skip, _from_below(prev, 2), -np.inf)
        alpha[t] = _logaddexp(prev, _from_below(prev, 1), skipped) + emit[t]
    return alpha


def log_beta(emit, skip, input_lengths, target_lengths):
    r"""Backward variables :math:`\log\beta_t(s)`: the log-probability of frames
    :math:`t+1..T_n-1` along the alignments that are in state :math:`s` at frame :math:`t`
    and end in one of the last two states at frame :math:`T_n - 1`.

    Frame :math:`t`'s own emission is left out (Graves et al. include it in their
    :math:`\beta_t(s)` and divide it out again in eq. 16), so that
    :math:`\alpha_t(s)\,\beta_t(s)` is the probability of all alignments through state
    :math:`s` at frame :math:`t`. Frames at or after a sequence's input length hold -inf.
    """
    num_frames, n, num_states = emit.shape
    rows, last = np.arange(n), 2 * target_lengths
    end = np.full((n, num_states), -np.inf, dtype=emit.dtype)
    end[rows, last] = 0.0
    end[rows[last > 0], last[last > 0] - 1] = 0.0
    skip_next = _from_above(skip, 2)
    beta = np.full_like(emit, -np.inf)
    for t in range(num_frames - 1, -1, -1):
        if t < num_frames - 1:
            nxt = beta[t + 1] + emit[t + 1]
            skipped = np.where(skip_next, _from_above(nxt, 2), -np.inf)
            beta[t] = _logaddexp(nxt, _from_above(nxt, 1), skipped)
        beta[t, input_lengths - 1 == t] = end[input_lengths - 1 == t]
    return beta


def _emissions(log_probs, extended):
    """``emit[t, n, s] = log_probs[t, n, l'_s]``: ``(T, N, 2S + 1)``."""
    index = np.broadcast_to(extended[None], (len(log_probs),) + extended.shape)
    return np.take_along_axis(log_probs, index, axis=2)


def _log_likelihood(alpha, input_lengths, target_lengths):
    r""":math:`\log p(l \mid x)`: the forward variables of the last two states at the last
    frame (only the last state, the blank, for an empty target)."""
    rows, last = np.arange(alpha.shape[1]), 2 * target_lengths
    final = alpha[input_lengths - 1, rows]
    before = np.where(last > 0, final[rows, np.maximum(last - 1, 0)], -np.inf)
    return _logaddexp(final[rows, last], before)


# -- the same recursion, rescaled --------------------------------------------------------
#
# The rescaled recursions keep every frame's variables in a row of W = 2S + 3 entries: two
# empty states (always 0) before the 2S + 1 states of l'. Then "state s - 1" and "state s -
# 2" are the row read one and two places earlier, and the whole batch (N, W) is one
# contiguous vector: each step is a few operations on it, shifted by one and two places.

def _with_empty_states(a, fill=0):
    """``(N, 2S + 1)`` per-state values with the two empty states before state 0, set to
    ``fill``."""
    return np.concatenate([np.full((len(a), 2), fill, dtype=a.dtype), a], axis=1)


def scaled_alpha(probs, skip):
    r"""Forward variables rescaled at every frame (Graves et al. §4.1): ``alpha[t]`` is
    :math:`\alpha_t / C_t`, with :math:`C_t` chosen so that each frame's row sums to 1, and
    ``scales[t]`` is :math:`c_t = C_t / C_{t-1}`, so that :math:`\log C_t = \sum_{t' \le t}
    \log c_{t'}`.

    ``probs[t, n, 2 + s]`` is :math:`y^t_{l'_s}` and ``skip[n, 2 + s]`` is 1.0 where state
    :math:`s` may be entered from :math:`s - 2`; both ``(.., 2S + 3)``, with the two empty
    states first (0 in both). Each frame costs a few products and sums over the batch, where
    :func:`log_alpha` takes an exponential and a logarithm per state. A product that falls
    below the smallest normal float loses digits; ``_underflowed`` finds that
    afterwards.
    """
    num_frames, n, width = probs.shape
    # Zeros, not np.empty: the shifts below write every entry of a frame but its first two
    # (the empty states of the first sequence), which must not hold leftover bits (an inf
    # there would make the product with their emission of 0 a NaN, with a warning).
    alpha = np.zeros_like(probs)
    scales = np.empty((num_frames, n), dtype=probs.dtype)
    alpha[0, :, 2:4] = probs[0, :, 2:4]  # start in the first blank or the first label
    skip, ones = skip.reshape(-1), np.ones(width, dtype=probs.dtype)
    for t in range(num_frames):
        cur = alpha[t]
        if t > 0:
            prev, flat = alpha[t - 1].reshape(-1), cur.reshape(-1)
            np.multiply(skip[2:], prev[:-2], out=flat[2:])  # from s - 2 where allowed
            flat[2:] += prev[1:-1]                         # from s - 1
            flat[2:] += prev[2:]                           # stay in s
            cur *= probs[t]
            cur[:, :2] = 0  # the empty states (a NaN in one sequence stays in it)
        scales[t] = cur @ ones
        cur /= np.where(scales[t] > 0, scales[t], 1)[:, None]
    return alpha, scales


def scaled_beta(probs, skip, input_lengths, target_lengths):
    r"""Backward variables rescaled at every frame: ``beta[t]`` is :math:`\beta_t(s)` up to
    a factor that depends on :math:`t` alone, each row summing to 1 (the factors cancel in
    the occupancy). Frame :math:`t`'s own emission is left out, as in :func:`log_beta`.
    Same layout as :func:`scaled_alpha`."""
    num_frames, n, width = probs.shape
    rows, last = np.arange(n), 2 + 2 * target_lengths
    end = np.zeros((n, width), dtype=probs.dtype)
    end[rows, last] = 1.0
    end[rows[last > 2], last[last > 2] - 1] = 1.0
    skip_next = np.zeros(n * width, dtype=probs.dtype)  # skip_next[s] = skip[s + 2]
    skip_next[:-2] = skip.reshape(-1)[2:]
    beta = np.empty_like(probs)  # every entry is written below
    beta[-1] = 0
    nxt = np.zeros(n * width + 2, dtype=probs.dtype)  # two empty states past the last row
    ones = np.ones(width, dtype=probs.dtype)
    for t in range(num_frames - 1, -1, -1):
        cur = beta[t]
        if t < num_frames - 1:
            flat = cur.reshape(-1)
            np.multiply(beta[t + 1].reshape(-1), probs[t + 1].reshape(-1), out=nxt[:-2])
            np.multiply(skip_next, nxt[2:], out=flat)  # to s + 2 where allowed
            flat += nxt[1:-1]                          # to s + 1
            flat += nxt[:-2]                           # stay in s
            cur[:, :2] = 0
            total = cur @ ones
            cur /= np.where(total > 0, total, 1)[:, None]
        starts = input_lengths - 1 == t
        cur[starts] = end[starts]
    return beta


def _earliest(skip, target_lengths):
    """The first frame at which an alignment can be in state ``s`` (a repeated label needs
    the frame of the blank between: ``a - a``); a large number past the last state."""
    n, num_states = skip.shape
    never = np.iinfo(np.int64).max // 2
    first = np.full((n, num_states), never, dtype=np.int64)
    first[:, :2] = 0
    for s in range(2, num_states):
        before = np.minimum(first[:, s - 1], np.where(skip[:, s], first[:, s - 2], never))
        first[:, s] = before + 1
    first[np.arange(num_states) > 2 * target_lengths[:, None]] = never
    return first


def _to_end(skip, target_lengths):
    """The number of frames after this one that an alignment in state ``s`` still needs to
    end in one of the last two states; a large number past the last state."""
    n, num_states = skip.shape
    never = np.iinfo(np.int64).max // 2
    last = 2 * target_lengths
    steps = np.full((n, num_states + 2), never, dtype=np.int64)
    for s in range(num_states - 1, -1, -1):
        after = steps[:, s + 1]
        if s + 2 < num_states:
            after = np.minimum(after, np.where(skip[:, s + 2], steps[:, s + 2], never))
        final = (s == last) | ((s == last - 1) & (last > 0))
        steps[:, s] = np.where(s > last, never, np.where(final, 0, after + 1))
    return steps[:, :num_states]


def _underflowed(alpha, scales, probs, log_probs, skip, input_lengths, target_lengths,
                 beta=None, overlap=None):
    r"""The sequences whose rescaled recursions lost digits: a product below the smallest
    normal float at a state some alignment occupies, or an overlap :math:`\sum_s
    \hat\alpha_t(s)\hat\beta_t(s)` (``overlap``, ``(T, N)``) so small that such a product
    would count in it. Without one, every quantity is a sum or product of normal
    nonnegative floats, accurate to a few rounding errors per frame. ``skip`` is boolean,
    without the empty states; ``beta`` and ``overlap`` are None for the loss alone.

    Most sequences need no search. Along any alignment each frame's probability is at least
    :math:`e^{-w}`, :math:`w` the largest :math:`-\log y^t_k` of the sequence; each
    :math:`c_t \le 1` and each backward total is at most 3 (a state is entered from at most
    three), so every product and overlap above is at least :math:`e^{-T_n (w + \log 3)}`.
    Where that is above the smallest normal float divided by the machine epsilon, nothing
    was lost.
    """
    info = np.finfo(probs.dtype)
    frames = np.arange(len(probs))[:, None]
    used = frames < input_lengths
    worst = -np.min(log_probs, axis=(0, 2))  # over every frame: a bound all the same
    check = input_lengths * (worst + np.log(3)) > np.log(info.eps / info.tiny)
    lost = np.zeros(len(input_lengths), dtype=bool)
    if not np.any(check):
        return lost
    never = np.iinfo(np.int64).max // 2
    frames, used = frames[..., None], used[:, check, None]
    first = _with_empty_states(_earliest(skip[check], target_lengths[check]), never)
    forward = (frames >= first) & used
    products = alpha[:, check] * scales[:, check, None]
    found = np.any(forward & (products < info.tiny), axis=(0, 2))
    if beta is not None:
        remaining = _with_empty_states(_to_end(skip[check], target_lengths[check]), never)
        backward = frames <= input_lengths[check, None] - 1 - remaining
        products = beta[1:, check] * probs[1:, check]
        found |= np.any(backward[1:] & (products < info.tiny), axis=(0, 2))
        aligned = np.any(forward & backward, axis=(0, 2))  # some alignment exists
        small = (overlap[:, check] < info.tiny / info.eps) & used[..., 0]
        found |= aligned & np.any(small, axis=0)
    lost[check] = found
    return lost


def _scaled_log_likelihood(alpha, scales, input_lengths, target_lengths):
    r""":math:`\log p(l \mid x) = \sum_{t < T_n} \log c_t + \log(\hat\alpha_{T_n-1}(|l'|-1)
    + \hat\alpha_{T_n-1}(|l'|-2))`; :math:`-\infty` where no alignment exists."""
    rows, last = np.arange(alpha.shape[1]), 2 + 2 * target_lengths
    final = alpha[input_lengths - 1, rows]
    p = final[rows, last] + np.where(last > 2, final[rows, last - 1], 0)
    used = np.arange(len(scales))[:, None] < input_lengths
    with np.errstate(divide="ignore"):
        return np.log(np.where(used, scales, 1)).sum(axis=0) + np.log(p)


def _recursions(log_probs, extended, blank, input_lengths, target_lengths, backward):
    r""":math:`\log p(l \mid x)` and, with ``backward``, the occupancy of each state up to a
    factor per frame, :math:`\hat\alpha_t(s)\hat\beta_t(s)` ``(T, N, 2S + 3)`` (the two
    empty states first), with that factor, its sum over the states ``(T, N)``; from the
    rescaled recursions, and in log space for the sequences whose digits were lost there.
    """
    num_frames, n, num_classes = log_probs.shape
    skip = _can_skip(extended, blank)
    states = np.arange(extended.shape[1]) <= 2 * target_lengths[:, None]  # not padding
    column = _with_empty_states(np.arange(n)[:, None] * num_classes + extended)
    probs = np.take(np.exp(log_probs).reshape(num_frames, -1), column, axis=1)
    probs *= _with_empty_states(states.astype(probs.dtype))
    skip_at = _with_empty_states(skip.astype(probs.dtype))
    alpha, scales = scaled_alpha(probs, skip_at)
    log_p = _scaled_log_likelihood(alpha, scales, input_lengths, target_lengths)
    occupancy = overlap = beta = None
    if backward:
        beta = scaled_beta(probs, skip_at, input_lengths, target_lengths)
        occupancy = alpha * beta
        overlap = occupancy @ np.ones(occupancy.shape[2], dtype=occupancy.dtype)
    lost = _underflowed(alpha, scales, probs, log_probs, skip, input_lengths, target_lengths,
                        beta, overlap)
    if np.any(lost):
        emit = _emissions(log_probs[:, lost], extended[lost])
        log_alpha_lost = log_alpha(emit, skip[lost])
        log_p[lost] = _log_likelihood(log_alpha_lost, input_lengths[lost],
                                      target_lengths[lost])
        if backward:
            log_beta_lost = log_beta(emit, skip[lost], input_lengths[lost],
                                     target_lengths[lost])
            with np.errstate(invalid="ignore"):  # -inf - -inf where no alignment
                occupancy[:, lost, 2:] = np.exp(log_alpha_lost + log_beta_lost
                                                - log_p[lost][:, None])
            overlap[:, lost] = 1
    return log_p, occupancy, overlap


def _divisors(target_lengths, n, reduction, dtype):
    """What each sequence's loss is divided by: PyTorch's ``"mean"`` divides by the target
    length (at least 1), then averages over the batch."""
    if reduction != "mean":
        return np.ones(n, dtype=dtype)
    return (n * np.maximum(target_lengths, 1)).astype(dtype)


def _reduce(terms, reduction, target_lengths):
    if reduction == "none":
        return terms
    return (terms / _divisors(target_lengths, len(terms), reduction, terms.dtype)).sum(
        dtype=terms.dtype)


# -- the loss ----------------------------------------------------------------------------

def ctc(logits, targets, input_lengths, target_lengths, *, blank=0, zero_infinity=False,
        reduction="mean"):
    r"""Connectionist temporal classification: the negative log-probability of a label
    sequence, summed over every alignment of it with the frames.

    With :math:`y^t = \mathrm{softmax}(z_t)` over the :math:`C` classes (blank included)
    at each frame :math:`t < T_n`, and :math:`B` the collapsing map (merge repeats, then
    drop blanks):

    .. math:: \ell_n = -\log p(l_n \mid x_n), \qquad
       p(l \mid x) = \sum_{\pi \,:\, B(\pi) = l} \; \prod_{t=0}^{T_n - 1} y^t_{\pi_t}
       = \alpha_{T_n-1}(|l'|-1) + \alpha_{T_n-1}(|l'|-2)

    The sum over alignments is the forward recursion over the extended labels :math:`l'`,
    rescaled at every frame (:func:`scaled_alpha`; in log space, :func:`log_alpha`, for a
    sequence where a product falls below the smallest normal float). A target that cannot be aligned (fewer frames than
    its labels plus one blank between each pair of equal neighbours) has probability 0 and
    loss :math:`+\infty`.

    Gradient with respect to the logits (Graves et al. eq. 16, through the softmax):
    :math:`\partial \ell_n / \partial z_{tk} = y^t_k - \gamma_t(k)`, with the posterior
    occupancy :math:`\gamma_t(k) = \sum_{s:\, l'_s = k} \alpha_t(s)\beta_t(s) / p(l \mid
    x)`, the probability that frame :math:`t` reads class :math:`k` given the target;
    0 at frames :math:`t \ge T_n`.

    Shape: ``logits``: ``(T, N, C)``; ``targets``: ``(N, S)``, padded; ``input_lengths``,
    ``target_lengths``: ``(N,)``; output ``(N,)`` or a scalar.

    Args:
        logits: raw class scores per frame, float, time first; a log-softmax over the last
            axis is applied inside (stably), so log-probabilities work too (a log-softmax
            leaves them unchanged).
        targets: integer label sequences, one row per sequence; entries past the sequence's
            target length are ignored. The blank may not appear within the length.
        input_lengths: number of frames of each sequence, in ``[1, T]``; later frames are
            ignored and get zero gradient.
        target_lengths: number of labels of each sequence, in ``[0, S]``.
        blank: the class index of the blank.
        zero_infinity: give an impossible target a loss of 0 and zero gradient instead of
            :math:`+\infty` (and a NaN gradient).
        reduction: ``"mean"`` (PyTorch's: each loss divided by its target length, at least
            1, then the mean over the batch), ``"sum"`` or ``"none"``.

    Notes:
        The first argument is logits, not log-probabilities as in PyTorch, because the
        gradient the book teaches is the one with respect to the logits. PyTorch's
        ``ctc_loss`` takes log-probabilities but its backward returns
        :math:`\exp(\text{log\_probs}) - \gamma`, the gradient with respect to the logits
        under a log-softmax: correct when ``log_softmax`` is in the graph (its backward
        passes a gradient that sums to 0 over classes unchanged), wrong with respect to
        log-probabilities alone (the true one is :math:`-\gamma`).

        ``"mean"`` is not ``"sum"`` divided by :math:`N`: long targets weigh less.

    See also:
        ``torch.nn.functional.ctc_loss(torch.log_softmax(logits, -1), targets,
        input_lengths, target_lengths, blank=blank, reduction=reduction,
        zero_infinity=zero_infinity)``; ``keras.ops.ctc_loss`` (batch first, per-sequence
        losses only). scikit-learn: none.

    References:
        :cite:`graves2006connectionist` (the loss, eq. 14; the recursions, eq. 6–11; the
        gradient, eq. 16).

    Examples:
        >>> z = np.zeros((2, 1, 3))  # two frames, uniform over blank and two labels
        >>> # "1" has three alignments (1 1, - 1, 1 -), each of probability 1/9
        >>> print(f"{ctc(z, np.array([[1]]), np.array([2]), np.array([1])):.4f}")
        1.0986
        >>> print(ctc(z, np.array([[1, 1]]), np.array([2]), np.array([2]), reduction="sum"))
        inf

    Book chapter: Connectionist temporal classification.
    """
    z, y, frames, sizes = _prepare(logits, targets, input_lengths, target_lengths, blank,
                                   reduction)
    log_p, _, _ = _recursions(log_softmax(z), extend_with_blanks(y, blank), blank, frames,
                           sizes, backward=False)
    terms = -log_p
    if zero_infinity:
        terms[terms == np.inf] = 0
    return _reduce(terms, reduction, sizes)


def ctc_grad(logits, targets, input_lengths, target_lengths, *, blank=0, zero_infinity=False,
             reduction="mean", wrt="logits"):
    r"""Gradient of :func:`ctc` with respect to ``logits``: softmax minus the posterior
    occupancy :math:`\gamma_t(k)`, zero at frames past each input length."""
    check_wrt(wrt, ("logits",))
    z, y, frames, sizes = _prepare(logits, targets, input_lengths, target_lengths, blank,
                                   reduction)
    num_frames, n, num_classes = z.shape
    extended = extend_with_blanks(y, blank)
    log_probs = log_softmax(z)
    log_p, occupancy, overlap = _recursions(log_probs, extended, blank, frames, sizes,
                                            backward=True)
    states_of = _with_empty_states(extended, -1)[:, :, None] == np.arange(num_classes)
    gamma = np.einsum("tns,nsk->tnk", occupancy, states_of.astype(z.dtype), optimize=True)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0 where no alignment
        gamma /= overlap[..., None]
    grad = np.exp(log_probs) - gamma
    grad *= (1 / _divisors(sizes, n, reduction, z.dtype))[:, None]
    grad[np.arange(num_frames)[:, None] >= frames] = 0
    if zero_infinity:
        grad[:, log_p == -np.inf] = 0
    return grad
