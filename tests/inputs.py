"""Valid inputs for any catalog entry, drawn from its ``layout`` and ``domains``.

``draw_inputs(spec, rng, ...)`` returns the positional arguments of ``spec.loss``. The
layout fixes the shapes (``elementwise``: every argument ``shape``; ``classes``: scores
``(N, C)`` and indices ``(N,)``; ``rows``: every argument ``(N, D)``); each domain fixes
the values. ``scale`` multiplies real-valued draws, so that property tests reach logits
of 1e4 and residuals from 1e-12 to 1e12; ``edges`` puts exact 0 and 1 into
probabilities.
"""

from __future__ import annotations

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
    if domain == "counts":
        return rng.poisson(3.0, size=shape).astype(float)
    if domain == "index":
        return rng.integers(0, NUM_CLASSES, size=shape)
    if domain == "simplex":
        z = rng.normal(size=shape) * min(scale, 30.0)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if domain == "onehot":
        return np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[:-1])]
    raise ValueError(f"no generator for domain {domain!r}")


def draw_inputs(spec, rng, n=6, width=3, scale=1.0, edges=False):
    """Positional arguments for ``spec.loss``: ``n`` examples, ``width`` columns."""
    if spec.layout == "elementwise":
        shapes = [(n, width)] * len(spec.domains)
    elif spec.layout == "classes":
        shapes = [(n, NUM_CLASSES), (n,)]
    else:  # rows
        shapes = [(n, NUM_CLASSES)] * len(spec.domains)
    return tuple(
        _draw(domain, rng, shape, scale, edges) for domain, shape in zip(spec.domains, shapes)
    )


def kwargs_for(spec, param_set):
    """The keyword arguments of one tested parameter setting: defaults, then overrides."""
    return {**spec.params, **param_set}
