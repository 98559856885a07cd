r"""Real data sets for the chapters that train networks, split once with a seed.

Every data set here ships inside scikit-learn (pinned in ``requirements.txt``), so nothing is
downloaded: :func:`load` reads it from the installed package. :func:`split` divides it into
training, validation and test sets, stratified by class for classification, and
standardises the features with the training set's mean and spread. A chapter calls
:func:`load_split` once, with its seed, and every run of its experiment uses that split.

:data:`DATASETS` says where each set comes from, its size and its licence; a chapter prints
that line (``print(split)``) where it introduces its data.

Importing this module imports NumPy; :func:`load` imports scikit-learn when called.

Examples:
    >>> s = load_split("iris", seed=0)
    >>> print(s.x_train.shape, s.x_val.shape, s.x_test.shape)
    (90, 4) (30, 4) (30, 4)
    >>> print(bool(np.allclose(s.x_train.mean(0), 0)), bool(np.allclose(s.x_train.std(0), 1)))
    True True
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

__all__ = ["DATASETS", "Split", "load", "split", "load_split", "rare_class", "shift_and_noise",
           "small_objects"]

_UCI = "UCI Machine Learning Repository, CC BY 4.0; shipped with scikit-learn (BSD-3-Clause)"

#: The scikit-learn loader, the task and a description (source, size and licence) of each
#: data set, by name.
DATASETS = {
    "digits": ("load_digits", "classification",
               "Optical Recognition of Handwritten Digits: 1,797 images of 8x8 pixels "
               "(0-16 grey levels), 10 classes; " + _UCI),
    "breast_cancer": ("load_breast_cancer", "classification",
                      "Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, "
                      "malignant or benign; " + _UCI),
    "wine": ("load_wine", "classification",
             "Wine recognition: 178 wines, 13 chemical measurements, 3 cultivars; " + _UCI),
    "iris": ("load_iris", "classification",
             "Iris plants: 150 flowers, 4 measurements, 3 species; " + _UCI),
    "diabetes": ("load_diabetes", "regression",
                 "Diabetes: 442 patients, 10 baseline measurements, disease progression "
                 "after one year (Efron, Hastie, Johnstone and Tibshirani 2004, 'Least "
                 "Angle Regression'); shipped with scikit-learn (BSD-3-Clause)"),
    "linnerud": ("load_linnerud", "regression",
                 "Linnerud: 20 middle-aged men, 3 exercises and 3 physiological "
                 "measurements (Tenenhaus 1998); shipped with scikit-learn (BSD-3-Clause)"),
}


def load(name):
    """The features ``(N, D)`` (float64) and targets of data set ``name``, from scikit-learn.

    Class targets are ``int64`` indices; regression targets are float64.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {sorted(DATASETS)}, got {name!r}")
    import sklearn.datasets

    loader, task, _ = DATASETS[name]
    bunch = getattr(sklearn.datasets, loader)()
    x = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target)
    y = y.astype(np.int64) if task == "classification" else y.astype(np.float64)
    return x, y


@dataclass(frozen=True)
class Split:
    """A data set divided into training, validation and test parts.

    The features are standardised with the training part's mean and standard deviation
    (a feature constant on the training part is only centred); ``mean`` and ``scale`` keep
    them, so new inputs can be transformed the same way: ``(x - mean) / scale``.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    description: str = ""

    def __str__(self):
        sizes = (f"{len(self.y_train)} training, {len(self.y_val)} validation, "
                 f"{len(self.y_test)} test examples, {self.x_train.shape[1]} features")
        return f"{self.description}\n{sizes}" if self.description else sizes

    def with_targets(self, y_train=None, y_val=None, y_test=None):
        """The same split with some targets replaced (a corrupted or a rare-class copy)."""
        new = {k: v for k, v in (("y_train", y_train), ("y_val", y_val), ("y_test", y_test))
               if v is not None}
        for key, value in new.items():
            if len(value) != len(getattr(self, key)):
                raise ValueError(f"{key} must have {len(getattr(self, key))} entries, "
                                 f"got {len(value)}")
        return replace(self, **new)


def _fractions(val, test):
    for argument, value in (("val", val), ("test", test)):
        if not 0 < value < 1:
            raise ValueError(f"{argument} must be a fraction in (0, 1), got {value}")
    if val + test >= 1:
        raise ValueError(f"val + test must be below 1, got {val} + {test}")


def _shuffled_parts(y, stratify, rng, val, test):
    """Indices of the three parts: each class divided in the same proportions when
    ``stratify``, the whole set otherwise."""
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    parts = ([], [], [])
    for group in groups:
        group = rng.permutation(group)
        n_test = int(round(test * len(group)))
        n_val = int(round(val * len(group)))
        parts[0].append(group[n_test + n_val:])
        parts[1].append(group[n_test:n_test + n_val])
        parts[2].append(group[:n_test])
    return [np.sort(np.concatenate(p)) for p in parts]


def split(x, y, *, seed, val=0.2, test=0.2, stratify=False, standardize=True,
          description=""):
    """Divide ``x``, ``y`` into training, validation and test parts and standardise ``x``.

    Args:
        x: features ``(N, D)``.
        y: targets ``(N,)`` or ``(N, K)``.
        seed: seed of the shuffle (``numpy.random.default_rng``).
        val, test: the fractions of the validation and test parts.
        stratify: keep each class's share in every part (``y`` must hold class indices).
        standardize: standardise the features with the training part's statistics; with
            ``False`` they are kept as they are (``mean`` 0, ``scale`` 1), for images that
            are shifted or noised during training.
        description: the data set's source, size and licence, kept for printing.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (N, D), got shape {x.shape}")
    if len(y) != len(x):
        raise ValueError(f"y must have {len(x)} rows like x, got {len(y)}")
    _fractions(val, test)
    rng = np.random.default_rng(seed)
    train, valid, held_out = _shuffled_parts(y, stratify, rng, val, test)
    mean = x[train].mean(0) if standardize else np.zeros(x.shape[1])
    scale = x[train].std(0) if standardize else np.ones(x.shape[1])
    scale = np.where(scale > 0, scale, 1.0)
    standard = (x - mean) / scale
    return Split(standard[train], y[train], standard[valid], y[valid], standard[held_out],
                 y[held_out], mean, scale, description)


def load_split(name, *, seed, val=0.2, test=0.2, standardize=True):
    """:func:`load` then :func:`split`, stratified for the classification sets."""
    x, y = load(name)
    _, task, description = DATASETS[name]
    return split(x, y, seed=seed, val=val, test=test, stratify=task == "classification",
                 standardize=standardize, description=description)


def rare_class(x, y, positive, *, ratio, seed):
    """A binary problem with a rare positive class: ``y == positive`` against the rest.

    Every negative is kept and a random subset of the positives, so that there are
    ``ratio`` negatives for each positive (rounded). Returns ``x``, the 0/1 targets
    (float64) and the indices kept, in the original order.
    """
    x = np.asarray(x)
    y = np.asarray(y)
    if ratio < 1:
        raise ValueError(f"ratio must be >= 1 (negatives per positive), got {ratio}")
    positives = np.flatnonzero(y == positive)
    negatives = np.flatnonzero(y != positive)
    if len(positives) == 0:
        raise ValueError(f"positive must be a label of y, got {positive!r}")
    n_keep = max(1, int(round(len(negatives) / ratio)))
    if n_keep > len(positives):
        raise ValueError(f"ratio {ratio} needs {n_keep} positives, y has {len(positives)}")
    keep = np.sort(np.concatenate(
        [negatives, np.random.default_rng(seed).choice(positives, n_keep, replace=False)]))
    return x[keep], (y[keep] == positive).astype(np.float64), keep


def shift_and_noise(x, generator, *, side=8, max_shift=1, noise=0.0):
    """Augment square images, flattened in the rows of the torch tensor ``x``: each image
    is shifted by a random whole number of pixels in ``[-max_shift, max_shift]`` along each
    axis (pixels shifted in are 0), then Gaussian noise of standard deviation ``noise`` is
    added. ``generator`` (a ``torch.Generator``) draws the shifts and the noise, so a
    seeded generator gives the same augmentations. For :func:`lossbook.training.train`'s
    ``augment`` with 8x8 digits: ``augment=lambda x, g: shift_and_noise(x, g)``.
    """
    import torch

    if x.shape[-1] != side * side:
        raise ValueError(f"x must hold images of {side}x{side} = {side * side} pixels per "
                         f"row, got rows of {x.shape[-1]}")
    images = x.reshape(-1, side, side)
    padded = torch.nn.functional.pad(images, (max_shift,) * 4)
    shifts = torch.randint(0, 2 * max_shift + 1, (len(images), 2), generator=generator)
    rows = shifts[:, 0, None] + torch.arange(side)          # (B, side)
    cols = shifts[:, 1, None] + torch.arange(side)
    batch = torch.arange(len(images))[:, None, None]
    out = padded[batch, rows[:, :, None], cols[:, None, :]]
    if noise > 0:
        out = out + noise * torch.randn(out.shape, generator=generator, dtype=out.dtype)
    return out.reshape(x.shape)


def small_objects(n, *, seed, side=24, max_objects=3, radius=(1.0, 2.5), contrast=1.0,
                  noise=0.7, empty=0.25):
    r"""A synthetic segmentation set: noisy square images with a few small bright discs.

    Each image holds, with probability ``1 - empty``, between 1 and ``max_objects`` discs
    of radius drawn uniformly in ``radius`` (in pixels) at uniform positions; the rest of
    the images hold none. The mask is 1 inside a disc, 0 elsewhere; the image is
    ``contrast`` times the mask plus Gaussian noise of standard deviation ``noise``, so a
    single pixel says little and a model must pool its neighbours. With the defaults the
    discs cover 2 to 3 % of the pixels. Nothing is downloaded: the set is drawn from a
    NumPy generator seeded with ``seed``.

    Returns:
        ``(images, masks)``, both float ``(n, 1, side, side)`` (one channel, as a
        convolution expects); ``masks`` holds 0 and 1.

    Examples:
        >>> x, y = small_objects(200, seed=0)
        >>> print(x.shape, y.shape, f"{y.mean():.3f}", int((y.sum((1, 2, 3)) == 0).sum()))
        (200, 1, 24, 24) (200, 1, 24, 24) 0.025 54
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if not 0 <= empty <= 1:
        raise ValueError(f"empty must be in [0, 1], got {empty}")
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:side, 0:side] + 0.5
    masks = np.zeros((n, 1, side, side))
    for k in range(n):
        if rng.random() < empty:
            continue
        for _ in range(rng.integers(1, max_objects + 1)):
            r = rng.uniform(*radius)
            cy, cx = rng.uniform(0, side, size=2)
            masks[k, 0][(rows - cy) ** 2 + (cols - cx) ** 2 <= r * r] = 1.0
    images = contrast * masks + noise * rng.normal(size=masks.shape)
    return images, masks
