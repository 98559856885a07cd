"""Bad input raises a clear error that names the argument, the expectation and the value."""

import re

import numpy as np
import pytest

import lossbook
from lossbook.catalog import CATALOG
from tests.inputs import draw_inputs, kwargs_for

X3 = np.array([0.2, 0.5, 0.9])
Y3 = np.array([0.0, 1.0, 1.0])
LOGITS = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]])

CASES = [
    # shape mismatch, never broadcasting
    (lossbook.mse, (X3, X3[:, None]), {}, ValueError,
     "target must have the same shape as pred, expected (3,), got (3, 1)"),
    (lossbook.bce_with_logits, (X3, Y3[:2]), {}, ValueError,
     "target must have the same shape as logits, expected (3,), got (2,)"),
    (lossbook.gaussian_nll, (X3, X3, np.ones(2)), {}, ValueError,
     "var must have the same shape as mean, expected (3,), got (2,)"),
    (lossbook.cross_entropy, (LOGITS, np.array([0, 1, 2])), {}, ValueError,
     "target must hold one class index per example, expected shape (2,), got (3,)"),
    (lossbook.triplet_margin, (LOGITS, LOGITS, LOGITS[:1]), {}, ValueError,
     "negative must have the same shape as anchor, expected (2, 3), got (1, 3)"),
    # probabilities outside [0, 1]
    (lossbook.bce, (np.array([0.5, 1.2]), np.array([1.0, 0.0])), {}, ValueError,
     "probs must be probabilities in [0, 1], got 1.2"),
    (lossbook.bce, (np.array([0.5, 0.2]), np.array([1.0, 2.0])), {}, ValueError,
     "target must be probabilities in [0, 1], got 2.0"),
    (lossbook.kl_divergence, (np.array([[0.5, 0.5]]), np.array([[-0.1, 1.1]])), {}, ValueError,
     "p must be probabilities in [0, 1], got -0.1"),
    (lossbook.categorical_cross_entropy, (np.array([[1.5, -0.5]]), np.array([[1.0, 0.0]])), {},
     ValueError, "probs must be probabilities in [0, 1], got 1.5"),
    # class index out of range
    (lossbook.cross_entropy, (LOGITS, np.array([0, 3])), {}, ValueError,
     "target must hold class indices in [0, 2], got 3"),
    (lossbook.nll, (LOGITS, np.array([-1, 0])), {}, ValueError,
     "target must hold class indices in [0, 2], got -1"),
    (lossbook.multi_margin, (LOGITS, np.array([0, 5])), {}, ValueError,
     "target must hold class indices in [0, 2], got 5"),
    # hinge labels not in {-1, +1}
    (lossbook.hinge, (X3, np.array([1.0, 0.0, -1.0])), {}, ValueError,
     "target must hold labels in {-1, +1}, got 0.0"),
    (lossbook.squared_hinge, (X3, np.array([1.0, 2.0, -1.0])), {}, ValueError,
     "target must hold labels in {-1, +1}, got 2.0"),
    # negative variance
    (lossbook.gaussian_nll, (X3, X3, np.array([1.0, -0.5, 1.0])), {}, ValueError,
     "var must be >= 0, got -0.5"),
    # empty input
    (lossbook.mse, (np.array([]), np.array([])), {}, ValueError,
     "pred must not be empty, got shape (0,)"),
    (lossbook.cross_entropy, (np.zeros((0, 3)), np.zeros(0, dtype=int)), {}, ValueError,
     "logits must not be empty, got shape (0, 3)"),
    # unknown reduction
    (lossbook.mse, (X3, X3), {"reduction": "average"}, ValueError,
     "reduction must be one of 'mean', 'sum', 'none', got 'average'"),
    (lossbook.kl_divergence, (X3, X3), {"reduction": "avg"}, ValueError,
     "reduction must be one of 'batchmean', 'mean', 'sum', 'none', got 'avg'"),
    # wrong dtype: integers where floats are needed, floats where indices are needed
    (lossbook.mse, (np.array([1, 2]), np.array([1.0, 2.0])), {}, TypeError,
     "pred must be a floating-point array, got dtype int64"),
    (lossbook.bce_with_logits, (np.array([1, 2]), np.array([1.0, 0.0])), {}, TypeError,
     "logits must be a floating-point array, got dtype int64"),
    (lossbook.nll, (LOGITS, np.array([0.0, 1.0])), {}, TypeError,
     "target must hold integer class indices, got dtype float64"),
    (lossbook.cross_entropy, (LOGITS, np.array(["a", "b"])), {}, TypeError,
     "target must be integer class indices or float class probabilities, got dtype <U1"),
    # hyperparameters out of their domain
    (lossbook.huber, (X3, Y3), {"delta": 0.0}, ValueError, "delta must be > 0, got 0.0"),
    (lossbook.quantile, (X3, Y3), {"q": 1.5}, ValueError,
     "q must be a quantile level in [0, 1], got 1.5"),
    (lossbook.cross_entropy, (LOGITS, np.array([0, 1])), {"label_smoothing": 2.0}, ValueError,
     "label_smoothing must be in [0, 1], got 2.0"),
    (lossbook.cross_entropy, (LOGITS, np.array([0, 1])), {"weight": np.ones(2)}, ValueError,
     "weight must have one entry per class, expected shape (3,), got (2,)"),
    (lossbook.info_nce, (LOGITS, LOGITS), {"temperature": -1.0}, ValueError,
     "temperature must be > 0, got -1.0"),
    (lossbook.symmetric_info_nce, (LOGITS, LOGITS), {"temperature": 0.0}, ValueError,
     "temperature must be > 0, got 0.0"),
    (lossbook.nt_xent, (LOGITS, LOGITS), {"temperature": -0.5}, ValueError,
     "temperature must be > 0, got -0.5"),
    (lossbook.nt_xent, (LOGITS[0], LOGITS[0]), {}, ValueError,
     "view1 must have shape (N, D), got (3,)"),
    (lossbook.triplet_margin, (LOGITS, LOGITS, LOGITS), {"p": 0}, ValueError,
     "p must be > 0, got 0"),
    (lossbook.triplet_margin, (LOGITS, LOGITS, LOGITS), {"p": -1.5}, ValueError,
     "p must be > 0, got -1.5"),
    (lossbook.softmax_focal, (LOGITS, np.array([0, 1])), {"alpha": (0.5, 0.5)}, ValueError,
     "alpha must have one entry per class, expected shape (3,), got (2,)"),
    (lossbook.softmax_focal, (LOGITS, np.array([0, 1])), {"alpha": (0.5, -0.5, 1.0)},
     ValueError, "alpha must be >= 0, got -0.5"),
    (lossbook.softmax_focal, (LOGITS, np.array([0, 1])), {"gamma": -1.0}, ValueError,
     "gamma must be >= 0, got -1.0"),
    (lossbook.softmax_focal, (LOGITS, np.array([0, 3])), {}, ValueError,
     "target must hold class indices in [0, 2], got 3"),
    (lossbook.categorical_cross_entropy, (np.full((2, 3), 1 / 3), np.array([0, 1])),
     {"weight": np.ones(4)}, ValueError,
     "weight must have one entry per class, expected shape (3,), got (4,)"),
    (lossbook.categorical_cross_entropy, (np.full((2, 3), 1 / 3), np.array([0, 3])), {},
     ValueError, "target must hold class indices in [0, 2], got 3"),
    (lossbook.categorical_cross_entropy, (np.full((2, 3), 1 / 3), np.array([0, 1, 2])), {},
     ValueError, "target must hold one class index per example, expected shape (2,), got (3,)"),
    (lossbook.kl_div, (np.log(np.full((2, 3), 1 / 3)), np.full((2, 3), 1.5)), {}, ValueError,
     "target must be probabilities in [0, 1], got 1.5"),
    (lossbook.kl_div, (np.log(np.full((2, 3), 1 / 3)), np.full((2, 2), 0.5)), {}, ValueError,
     "target must have the same shape as input, expected (2, 3), got (2, 2)"),
    (lossbook.kl_div, (np.zeros((2, 3)), np.zeros((2, 3))), {"reduction": "avg"}, ValueError,
     "reduction must be one of 'batchmean', 'mean', 'sum', 'none', got 'avg'"),
    (lossbook.sigmoid_focal, (X3, Y3), {"alpha": 2.0}, ValueError,
     "alpha must be in [0, 1], or None (or negative, as in torchvision) for no weighting, "
     "got 2.0"),
    (lossbook.poisson_nll, (X3, np.array([1.0, -2.0, 0.0])), {}, ValueError,
     "target must be >= 0, got -2.0"),
    (lossbook.poisson_nll, (np.array([0.5, -0.2, 1.0]), Y3), {"log_input": False}, ValueError,
     "pred must be >= 0, got -0.2"),
    (lossbook.quantile, (X3, Y3), {"q": -0.1}, ValueError,
     "q must be a quantile level in [0, 1], got -0.1"),
    # elementwise weights that do not broadcast to the input, or grow it, or are negative
    (lossbook.bce, (np.full((2, 3), 0.5), np.zeros((2, 3))), {"weight": np.ones(4)}, ValueError,
     "weight must broadcast to probs of shape (2, 3), got shape (4,)"),
    (lossbook.bce, (np.full((2, 3), 0.5), np.zeros((2, 3))), {"weight": np.ones((2, 2, 3))},
     ValueError, "weight must broadcast to probs of shape (2, 3), got shape (2, 2, 3)"),
    (lossbook.bce, (X3, Y3), {"weight": np.array([1.0, -1.0, 1.0])}, ValueError,
     "weight must be >= 0, got -1.0"),
    (lossbook.bce_with_logits, (LOGITS, np.zeros((2, 3))), {"weight": np.ones((3, 1))},
     ValueError, "weight must broadcast to logits of shape (2, 3), got shape (3, 1)"),
    (lossbook.bce_with_logits, (LOGITS, np.zeros((2, 3))), {"pos_weight": np.ones(2)},
     ValueError, "pos_weight must broadcast to logits of shape (2, 3), got shape (2,)"),
    (lossbook.bce_with_logits, (LOGITS, np.zeros((2, 3))), {"pos_weight": np.ones((4, 2, 3))},
     ValueError, "pos_weight must broadcast to logits of shape (2, 3), got shape (4, 2, 3)"),
    (lossbook.bce_with_logits, (X3, Y3), {"pos_weight": -2.0}, ValueError,
     "pos_weight must be >= 0, got -2.0"),
    (lossbook.bce_with_logits, (X3, Y3), {"weight": np.array([0.0, 1.0, -3.0])}, ValueError,
     "weight must be >= 0, got -3.0"),
    # binary label smoothing outside [0, 1]
    (lossbook.bce, (X3, Y3), {"label_smoothing": 1.5}, ValueError,
     "label_smoothing must be in [0, 1], got 1.5"),
    (lossbook.bce_with_logits, (X3, Y3), {"label_smoothing": -0.1}, ValueError,
     "label_smoothing must be in [0, 1], got -0.1"),
    (lossbook.bce_with_logits, (X3, Y3), {"label_smoothing": float("nan")}, ValueError,
     "label_smoothing must be in [0, 1], got nan"),
]


@pytest.mark.parametrize(
    "fn, args, kwargs, error, message", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]
)
def test_bad_input_raises_a_clear_error(fn, args, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        fn(*args, **kwargs)


@pytest.mark.parametrize("fn, args, kwargs, error, message", CASES,
                         ids=[f"{c[0].__name__}_grad-{i}" for i, c in enumerate(CASES)])
def test_the_gradient_checks_its_input_too(fn, args, kwargs, error, message):
    grad = getattr(lossbook, f"{fn.__name__}_grad")
    with pytest.raises(error, match=re.escape(message)):
        grad(*args, **kwargs)


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_every_loss_rejects_an_unknown_reduction(spec, rng):
    args = draw_inputs(spec, rng)
    for fn in (spec.loss, spec.grad):
        with pytest.raises(ValueError, match="reduction must be one of"):
            fn(*args, **spec.params, reduction="average")


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_every_loss_rejects_integer_predictions(spec, rng):
    args = draw_inputs(spec, rng)
    first = np.round(args[0] * 10).astype(np.int64)
    with pytest.raises(TypeError, match="must be a floating-point array, got dtype int64"):
        spec.loss(first, *args[1:], **spec.params)


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
def test_nan_propagates_as_in_pytorch(spec, rng):
    args = draw_inputs(spec, rng)
    first = args[0].copy()
    first[0] = np.nan
    value = spec.loss(first, *args[1:], **spec.params, reduction="sum")
    assert np.isnan(value)


@pytest.mark.parametrize("spec", [s for s in CATALOG if s.layout == "elementwise"],
                         ids=lambda s: s.name)
def test_nan_propagates_into_the_gradient_too(spec, rng):
    """An elementwise loss's gradient is NaN where the prediction is NaN, and only there (for
    hinge, where PyTorch's clamp backward gives 0 at NaN, lossbook keeps the NaN)."""
    params = spec.param_sets[0]
    args = draw_inputs(spec, rng, params=params)
    first = args[0].copy()
    first[0, 0] = np.nan
    grad = spec.grad(first, *args[1:], **kwargs_for(spec, params, args), reduction="sum")
    assert np.isnan(grad[0, 0]) and not np.isnan(grad.flat[1:]).any()
