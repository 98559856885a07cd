"""Valid inputs for any catalog entry, drawn from its ``layout`` and ``domains``.

``draw_inputs(spec, rng, ...)`` returns the positional arguments of ``spec.loss``. The
layout fixes the shapes (``elementwise``: every argument ``shape``; ``classes``: scores
``(N, C)`` and indices ``(N,)``; ``rows``: every argument ``(N, D)``; ``levels``: scores
``(N, K-1)`` and grades ``(N,)``; ``cutpoints``: scores ``(N,)``, grades ``(N,)`` and
cut-points ``(K-1,)``, with ``K = NUM_CLASSES`` grades; ``pairs``: two ``(N, D)`` arguments
and one label per row ``(N,)``; ``alignments``: logits ``(T, N, C)``, padded targets ``(N, S)``
and two lengths ``(N,)``, with ``S = width + 1`` and ``T = 2 S + 2``, drawn together by
:func:`draw_alignments` because each length depends on the targets); each domain fixes
of 1e4 and residuals from 1e-12 to 1e12; ``edges`` puts exact 0 and 1 into
probabilities.

A tested parameter set may draw an argument from another domain than the catalog's: its
key ``"_domains"`` maps an argument's name to the domain for that setting (index targets
for a probability cross-entropy with ``ignore_index``, log-probabilities for
``kl_div(log_target=True)``). Pass the parameter set as ``params`` to :func:`draw_inputs`;
:func:`kwargs_for` leaves keys that start with ``_`` out of the keyword arguments. An
``"index"`` argument has the shape of the first argument without its last axis.

A parameter set may also give array-valued keyword arguments that must broadcast against
the first argument (an elementwise ``weight``, a per-label ``pos_weight``): its key
``"_arrays"`` maps the keyword to ``(domain, template)``, where ``template`` is a shape
aligned to the right of the first argument's shape and ``-1`` stands for that argument's
size on the axis. For an ``(N, C)`` input, ``(-1,)`` draws ``(C,)`` (one value per label),
``(-1, 1)`` draws ``(N, 1)`` (one per example), ``(-1, -1)`` draws ``(N, C)``, ``()`` a
0-d array. :func:`kwargs_for` draws them once it is given the drawn arguments, from a
generator seeded by their bytes: the same arguments always get the same arrays.
"""

from __future__ import annotations

import zlib

import numpy as np

NUM_CLASSES = 4  # the catalog's class-weight parameter sets have four entries


def _draw(domain, rng, shape, scale, edges):
    if domain in ("real", "logits"):
        return rng.normal(size=shape) * scale
    if domain == "probs":
        p = rng.uniform(0.02, 0.98, size=shape)
        if edges:
            p = np.where(rng.random(shape) < 0.3, rng.integers(0, 2, size=shape), p)
        return p.astype(float)
    if domain == "labels01":
        return rng.integers(0, 2, size=shape).astype(float)
    if domain == "signs":
        return rng.choice([-1.0, 1.0], size=shape)
    if domain == "positive":
        return np.exp(rng.normal(size=shape))
    if domain == "nonnegative":  # a quarter exactly 0: weights that silence, variances < eps
        return np.where(rng.random(shape) < 0.25, 0.0, np.exp(rng.normal(size=shape)))
    if domain == "counts":
        return rng.poisson(3.0, size=shape).astype(float)
    if domain == "index":
        return rng.integers(0, NUM_CLASSES, size=shape)
    if domain == "simplex":
        z = rng.normal(size=shape) * min(scale, 30.0)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if domain == "log_simplex":  # the log of a simplex row, by a log-softmax
        z = rng.normal(size=shape) * min(scale, 30.0)
        shifted = z - z.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    if domain == "grade":
        return rng.integers(0, NUM_CLASSES, size=shape)
    if domain == "increasing":  # gaps of 0.25 to 1.5 before scaling: far from ties
        gaps = rng.uniform(0.25, 1.5, size=shape)
        return (np.cumsum(gaps) - gaps.sum() / 2 + rng.normal()) * scale
    if domain == "onehot":
        return np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[:-1])]
    raise ValueError(f"no generator for domain {domain!r}")


def _frames_needed(targets, lengths):
    """The fewest frames that can carry each target: its labels, plus one blank between
    each pair of equal neighbours (at least one frame)."""
    used = np.arange(targets.shape[1]) < lengths[:, None]
    repeats = (targets[:, 1:] == targets[:, :-1]) & used[:, 1:]
    return np.maximum(lengths + repeats.sum(axis=1), 1)


def draw_alignments(domains, rng, n, width, scale):
    """Logits, padded targets, input lengths and target lengths for a CTC-shaped loss.

    Targets hold the labels of ``domains[1]`` (``labels``: blank 0, labels 1..C-1;
    ``labels_blank_last``: labels 0..C-2, blank C-1), repeats included, padded with -1 past
    each length; target lengths are uniform in ``[0, S]``; input lengths are uniform between
    the frames the target needs and ``T`` (``frames``), or in ``[1, T]`` for a third of the
    sequences (``few_frames``: some targets then cannot be aligned).
    """
    size = width + 1
    num_frames = 2 * size + 2
    logits = rng.normal(size=(num_frames, n, NUM_CLASSES)) * scale
    low = 1 if domains[1] == "labels" else 0
    targets = rng.integers(low, low + NUM_CLASSES - 1, size=(n, size))
    target_lengths = rng.integers(0, size + 1, size=n)
    targets[np.arange(size) >= target_lengths[:, None]] = -1
    needed = _frames_needed(targets, target_lengths)
    input_lengths = rng.integers(needed, num_frames + 1)
    if domains[2] == "few_frames":
        short = rng.random(n) < 1 / 3
        input_lengths[short] = rng.integers(1, num_frames + 1, size=short.sum())
    return logits, targets, input_lengths, target_lengths


def draw_inputs(spec, rng, n=6, width=3, scale=1.0, edges=False, params=None):
    """Positional arguments for ``spec.loss``: ``n`` examples, ``width`` columns.

    ``params``: the tested parameter set the arguments are for; its ``"_domains"`` (if
    any) overrides the catalog's domain of the arguments it names.
    """
    domains = list(spec.domains)
    for name, domain in (params or {}).get("_domains", {}).items():
        domains[spec.inputs.index(name)] = domain
    if spec.layout == "alignments":
        return draw_alignments(domains, rng, n, width, scale)
    if spec.layout == "elementwise":
        shapes = [(n, width)] * len(spec.domains)
    elif spec.layout == "classes":
        shapes = [(n, NUM_CLASSES), (n,)]
    elif spec.layout == "levels":
        shapes = [(n, NUM_CLASSES - 1), (n,)]
    elif spec.layout == "cutpoints":
        shapes = [(n,), (n,), (NUM_CLASSES - 1,)]
    elif spec.layout == "pairs":
        shapes = [(n, NUM_CLASSES), (n, NUM_CLASSES), (n,)]
    else:  # rows
        shapes = [(n, NUM_CLASSES)] * len(spec.domains)
    shapes = [shapes[0][:-1] if d == "index" else s for d, s in zip(domains, shapes)]
    return tuple(_draw(domain, rng, shape, scale, edges) for domain, shape in zip(domains, shapes))


def kwargs_for(spec, param_set, args=None):
    """The keyword arguments of one tested parameter setting: defaults, then overrides
    (keys starting with ``_`` tell the tests how to draw, and are left out), then the
    arrays of ``"_arrays"``, drawn to broadcast against ``args[0]`` (pass ``args``)."""
    kwargs = {k: v for k, v in {**spec.params, **param_set}.items() if not k.startswith("_")}
    arrays = param_set.get("_arrays", {})
    if arrays and args is None:
        raise ValueError(f"{spec.name} parameter set {param_set} draws {sorted(arrays)} to "
                         "broadcast against the first argument: call kwargs_for(spec, "
                         "params, args) with the drawn arguments")
    if arrays:
        first = np.ascontiguousarray(args[0])
        rng = np.random.default_rng(zlib.crc32(first.tobytes()))
        for name, (domain, template) in arrays.items():
            axes = first.shape[first.ndim - len(template):]
            shape = tuple(size if t == -1 else t for t, size in zip(template, axes))
            kwargs[name] = _draw(domain, rng, shape, 1.0, False)
    return kwargs
