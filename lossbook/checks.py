"""Input checks shared by every loss.

Each check raises at the edge of the public function, before any arithmetic, with a
message that names the argument, what was expected and what arrived. NaN values are
never rejected: like PyTorch, lossbook lets NaN propagate into the result.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "as_float_array",
    "as_label_array",
    "as_index_array",
    "check_index_range",
    "check_same_shape",
    "check_broadcasts_to",
    "check_in_unit_interval",
    "check_nonempty",
    "check_positive",
    "check_nonnegative",
    "check_wrt",
    "prepare_pair",
]


def as_float_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a floating-point array; raise ``TypeError`` for any other dtype."""
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(
            f"{name} must be a floating-point array, got dtype {arr.dtype}; "
            f"convert it with np.asarray({name}, dtype=np.float64)"
        )
    return arr


def as_label_array(x, name: str, dtype) -> np.ndarray:
    """Return label-valued ``x`` (floats, integers or booleans) as an array of ``dtype``.

    Labels such as 0/1 or -1/+1 may arrive as integers; they are cast to the dtype of
    the prediction so that float32 predictions give a float32 loss.
    """
    arr = np.asarray(x)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    return arr.astype(dtype, copy=False)


def as_index_array(x, name: str, num_classes: int) -> np.ndarray:
    """Return ``x`` as an integer array of class indices in ``[0, num_classes)``."""
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must hold integer class indices, got dtype {arr.dtype}"
        )
    return arr


def check_index_range(idx: np.ndarray, name: str, num_classes: int, ignore=None) -> None:
    """Raise ``ValueError`` if a class index (other than ``ignore``) is outside ``[0, C)``."""
    valid = idx if ignore is None else idx[idx != ignore]
    if valid.size and (valid.min() < 0 or valid.max() >= num_classes):
        bad = valid[(valid < 0) | (valid >= num_classes)][0]
        raise ValueError(
            f"{name} must hold class indices in [0, {num_classes - 1}], got {int(bad)}"
        )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have identical shapes.

    lossbook never broadcasts a prediction against a target: a ``(N,)`` prediction
    against an ``(N, 1)`` target would silently become an ``(N, N)`` loss.
    """
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b} must have the same shape as {name_a}, "
            f"expected {a.shape}, got {b.shape}"
        )


def check_broadcasts_to(value: np.ndarray, name: str, shape: tuple, to_name: str) -> None:
    """Raise ``ValueError`` unless ``value`` broadcasts to ``shape`` without growing it.

    An elementwise weight of shape ``(C,)``, ``(N, 1)`` or ``(N, C)`` broadcasts to an
    ``(N, C)`` input; one of shape ``(2, N, C)`` would make the loss larger than its input,
    and PyTorch refuses it too.
    """
    try:
        fits = np.broadcast_shapes(value.shape, shape) == tuple(shape)
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{name} must broadcast to {to_name} of shape {tuple(shape)}, "
            f"got shape {value.shape}"
        )


def check_nonempty(a: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` for an array with no elements."""
    if a.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {a.shape}")


def check_in_unit_interval(a: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if an entry lies outside ``[0, 1]`` (NaN is let through)."""
    if a.size and 0 <= a.min() and a.max() <= 1:
        return  # one cheap range check; a NaN makes min or max NaN and takes the search below
    outside = (a < 0) | (a > 1)
    if np.any(outside):
        raise ValueError(
            f"{name} must be probabilities in [0, 1], got {float(a[outside][0])!r}"
        )


def check_positive(value: float, name: str) -> None:
    """Raise ``ValueError`` unless the scalar hyperparameter ``value`` is > 0."""
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")


def check_nonnegative(value, name: str) -> None:
    """Raise ``ValueError`` if the scalar or array ``value`` has a negative entry."""
    arr = np.asarray(value)
    if arr.size == 0 or arr.min() >= 0:
        return  # one cheap range check; a NaN makes the minimum NaN and takes the test below
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {float(arr[arr < 0].flat[0])!r}")


def check_wrt(wrt: str, allowed: tuple) -> str:
    """Check the ``wrt`` argument of a gradient: the name of one of its learned inputs.

    Every ``*_grad`` function takes ``wrt``, the name of the positional argument to
    differentiate with respect to (default: the first); ``allowed`` lists the inputs that
    a model produces and so can be learned.
    """
    if wrt not in allowed:
        raise ValueError(f"wrt must name a learned input, one of {allowed}, got {wrt!r}")
    return wrt


def prepare_pair(pred, target, pred_name: str = "pred", target_name: str = "target"):
    """Check a prediction and a same-shaped float target; return both as arrays.

    Both must be floating point, non-empty and of identical shape. They are returned in
    their common dtype, so float32 in gives float32 out.
    """
    pred = as_float_array(pred, pred_name)
    target = as_float_array(target, target_name)
    check_same_shape(pred, target, pred_name, target_name)
    check_nonempty(pred, pred_name)
    dtype = np.result_type(pred, target)
    return pred.astype(dtype, copy=False), target.astype(dtype, copy=False)
