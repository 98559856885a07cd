"""Property-based tests over the catalog: random shapes and values, extremes included.

Hypothesis draws a seed, a shape and a scale; ``tests.inputs`` turns them into valid
inputs for each loss. Scales run from 1e-12 to 1e12 for real-valued arguments (logits up
to 1e4, where float64 is still meaningful for a sigmoid), and probabilities may be exactly
0 or 1. Wherever PyTorch gives a finite number, lossbook must give the same finite number.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossbook.catalog import CATALOG
from tests.inputs import draw_inputs, kwargs_for
from tests.test_against_torch import torch_value_and_grad

SCALES = [10.0**k for k in range(-12, 13, 3)]

#: Absolute rounding error per element, in units of 1e12 (the tolerance multiplies by
#: 1e-12), for losses that are logarithms of quantities of order 1. Such a loss is exact only
#: to about machine epsilon absolute: log(1 + 1e-223) is 1e-223 in lossbook's log1p and 0 in
#: torch's log(exp(0) + exp(-512)), and KL's terms p (log p - log q) carry an error of about
#: epsilon times |p log p| <= 1/e each, however small the divergence. 1e-3 gives 1e-15 per
#: element. Regression losses (real-valued first argument) get no floor: their tiny values
#: at tiny residuals are compared relatively.
ROUNDING_FLOOR = {"logits": 1e-3, "probs": 1e-3, "simplex": 1e-3, "log_simplex": 1e-3}

#: The same for gradients that are a difference of unit-size pieces: the triplet gradient
#: g(a, p) - g(a, n) of two distances' gradients (each of norm about 1) is exact only to
#: about machine epsilon absolute, however small the difference (inputs of 1e-13 with
#: eps = 1e-3 make the two distances equal to 1e-10).
GRADIENT_FLOOR = {"triplet_margin": 1e-3}

def gradient_floor(spec, args):
    """The gradient's rounding floor beyond the value's, in the same units of 1e-12.

    - ``GRADIENT_FLOOR``: a per-element floor for gradients that are differences of
      unit-size pieces.
    - Poisson NLL: its gradient e^z - y (or 1 - y / (x + eps)) is a difference of two pieces
      of the size of the count y, exact to about epsilon y absolute however small the
      difference: NumPy's and PyTorch's exp differ in the last bit (1.1e-16 at a gradient
      of -1.3e-11). 1e-3 per unit of count, 1e-15 y.
    - CTC: its gradient is softmax minus the occupancy exp(log alpha + log beta - log p),
      whose log terms are sums over up to T frames of log-probabilities as large as the
      largest |logit|; their rounding, about epsilon T max|z| absolute, becomes a relative
      error of the occupancy. Where softmax and occupancy are both 1 (logits of 1e4) the
      gradient is exact only to that (lossbook's -1.5e-11 against PyTorch's 0.0 at T = 5).
      1e-3 T max|z|: 5e-11 at T = 5, z = 1e4, and 5e-15 for logits of order 1.
    """
    floor = GRADIENT_FLOOR.get(spec.name, 0) * args[0].size
    if spec.name == "poisson_nll":
        floor += 1e-3 * float(np.abs(args[1]).sum())
    if spec.name == "ctc":
        logits = np.asarray(args[0])
        floor += 1e-3 * logits.shape[0] * float(np.abs(logits).max(initial=0))
    return floor


@st.composite
def problems(draw, spec):
    params = draw(st.sampled_from(spec.param_sets))
    scale = draw(st.sampled_from(SCALES))
    if spec.domains[0] == "logits":
        scale = min(scale, 1e4)
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 7))
    width = draw(st.integers(1, 4))
    edges = draw(st.booleans())
    reduction = draw(st.sampled_from(spec.reductions))
    args = draw_inputs(spec, np.random.default_rng(seed), n=n, width=width, scale=scale,
                       edges=edges, params=params)
    return spec, kwargs_for(spec, params, args), reduction, args


def finite_where(reference, ours, what, scale):
    """Equal where ``reference`` is finite, to 1e-7 relative or 1e-12 of ``scale``.

    ``scale`` is the summed size of the unreduced terms: a sum of terms that cancel (a KL
    divergence of two nearly equal distributions) is exact only to rounding of the terms.
    """
    reference, ours = np.asarray(reference), np.asarray(ours)
    finite = np.isfinite(reference)
    assert np.all(np.isfinite(ours[finite])), f"{what}: lossbook not finite where torch is"
    np.testing.assert_allclose(ours[finite], reference[finite], rtol=1e-7,
                               atol=1e-12 * scale, err_msg=what)


def magnitude(values):
    values = np.abs(np.asarray(values))
    return float(values[np.isfinite(values)].sum()) + 1e-300


@pytest.mark.parametrize("spec", CATALOG, ids=lambda s: s.name)
@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_finite_and_equal_wherever_torch_is_finite(spec, data):
    spec, kwargs, reduction, args = data.draw(problems(spec))
    with np.errstate(all="ignore"):
        value = spec.loss(*args, **kwargs, reduction=reduction)
        grad = spec.grad(*args, **kwargs, reduction=reduction)
    expected_value, expected_grad = torch_value_and_grad(spec, args, kwargs, reduction)
    terms, term_grads = torch_value_and_grad(spec, args, kwargs, "none")
    floor = ROUNDING_FLOOR.get(spec.domains[0], 0) * args[0].size
    finite_where(expected_value, value, f"{spec.name} value", magnitude(terms) + floor)
    # The same floor for the gradient: at a logit of 378, torchvision's focal gradient is 0.0
    # (its 1 - sigmoid(z) rounds to 0) where lossbook's sigmoid(-z) gives the true 7.7e-165.
    floor += gradient_floor(spec, args)
    finite_where(expected_grad, grad, f"{spec.name} gradient", magnitude(term_grads) + floor)


@pytest.mark.parametrize(
    "spec", [s for s in CATALOG if s.task == "regression" and s.name not in
             ("gaussian_nll", "poisson_nll")], ids=lambda s: s.name)
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_perfect_predictions_have_zero_loss(spec, data):
    """For error-based regression losses, predicting the target exactly costs nothing."""
    spec, kwargs, reduction, args = data.draw(problems(spec))
    target = args[1]
    assert np.all(spec.loss(target, target, **kwargs, reduction="none") == 0)
    grad = spec.grad(target, target, **kwargs, reduction="none")
    if spec.name != "quantile":  # a kink at zero: the mean of the one-sided slopes
        assert np.all(grad == 0)


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1.0, 1e3, 1e4]))
def test_extreme_logits_stay_finite(seed, scale):
    """Logits of +-1e4: every loss on logits gives a finite value and gradient."""
    rng = np.random.default_rng(seed)
    for spec in CATALOG:
        if spec.domains[0] != "logits":
            continue
        args = draw_inputs(spec, rng, scale=scale)
        args = (np.sign(args[0]) * scale,) + args[1:]
        value = spec.loss(*args, **spec.params, reduction="none")
        grad = spec.grad(*args, **spec.params, reduction="none")
        assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad)), spec.name


# -- ignored positions, masked classes, zero vectors -----------------------------------------

#: What an ignored position (or a masked entry) may hold: anything.
GARBAGE = [np.inf, -np.inf, np.nan, 1e308, -1e308, 0.0]
#: Probabilities must lie in [0, 1] even where ignored; NaN is let through everywhere.
GARBAGE_PROBS = [0.0, 1.0, np.nan]
NUM = 4  # classes


def _batch_with_ignored(rng, ignore_index):
    target = rng.integers(0, NUM, size=7)
    ignored = rng.random(7) < 0.4
    ignored[0], ignored[1] = True, False
    target[ignored] = ignore_index
    return target, target == ignore_index


def _torch_index_loss(name, scores, target, kwargs, reduction):
    import torch
    import torch.nn.functional as F
    z = torch.from_numpy(scores).requires_grad_(True)
    t = torch.from_numpy(target)
    weight = None if kwargs["weight"] is None else torch.as_tensor(kwargs["weight"], dtype=z.dtype)
    if name == "cross_entropy":
        out = F.cross_entropy(z, t, weight=weight, ignore_index=kwargs["ignore_index"],
                              label_smoothing=kwargs["label_smoothing"], reduction=reduction)
    else:
        log_p = z if name == "nll" else torch.log(z).clamp(min=-100)
        out = F.nll_loss(log_p, t, weight=weight, ignore_index=kwargs["ignore_index"],
                         reduction=reduction)
    (grad,) = torch.autograd.grad(out.sum(), z)
    return out.detach().numpy(), grad.numpy()


@pytest.mark.parametrize("name", ["cross_entropy", "nll", "categorical_cross_entropy"])
@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), garbage=st.lists(st.sampled_from(GARBAGE), min_size=NUM,
                                                        max_size=NUM),
       reduction=st.sampled_from(["mean", "sum", "none"]), weighted=st.booleans(),
       smoothing=st.sampled_from([0.0, 0.2]), ignore_index=st.sampled_from([-100, 2]))
def test_ignored_positions_cannot_influence_the_result(name, seed, garbage, reduction, weighted,
                                                       smoothing, ignore_index):
    """Whatever an ignored position holds (+-inf, NaN, 1e308), the value and the gradient are
    exactly those of the same batch with ordinary numbers there, the gradient there is 0, and
    both equal PyTorch's wherever PyTorch is finite. (The bug this guards against: the
    ignored index swapped for 0 and multiplied by a zero weight, 0 * -inf = NaN.)"""
    import lossbook
    rng = np.random.default_rng(seed)
    target, ignored = _batch_with_ignored(rng, ignore_index)
    scores = rng.normal(size=(7, NUM)) * 3
    kwargs = {"weight": (0.2, 1.0, 3.0, 0.7) if weighted else None, "ignore_index": ignore_index}
    if name == "cross_entropy":
        kwargs["label_smoothing"] = smoothing
    elif name == "nll":
        scores = lossbook.log_softmax(scores)
    else:
        scores = lossbook.softmax(scores)
        garbage = [GARBAGE_PROBS[GARBAGE.index(g) % 3] for g in garbage]
    dirty = scores.copy()
    dirty[ignored] = garbage
    loss, grad = getattr(lossbook, name), getattr(lossbook, f"{name}_grad")
    with np.errstate(invalid="ignore", divide="ignore"):  # torch's 0/0 when all are ignored
        np.testing.assert_array_equal(loss(dirty, target, **kwargs, reduction=reduction),
                                      loss(scores, target, **kwargs, reduction=reduction))
        clean_grad = grad(scores, target, **kwargs, reduction=reduction)
        dirty_grad = grad(dirty, target, **kwargs, reduction=reduction)
    np.testing.assert_array_equal(dirty_grad, clean_grad)
    assert np.all(dirty_grad[ignored] == 0)
    expected_value, expected_grad = _torch_index_loss(name, dirty, target, kwargs, reduction)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = loss(dirty, target, **kwargs, reduction=reduction)
    finite_where(expected_value, value, f"{name} value", magnitude(expected_value))
    kept = ~ignored  # torch's gradient at an ignored NaN row is NaN; at a kept row it is ours
    finite_where(expected_grad[kept], dirty_grad[kept], f"{name} gradient",
                 magnitude(expected_grad))


def test_ignored_minus_infinity_at_class_zero_is_not_nan():
    """The repro of issue 13: PyTorch gives 0.9."""
    import lossbook
    log_probs = np.array([[-np.inf, 0.0], [-0.5, -0.9]])
    assert lossbook.nll(log_probs, np.array([-100, 1])) == 0.9
    assert np.array_equal(lossbook.nll_grad(log_probs, np.array([-100, 1])),
                          [[0.0, 0.0], [0.0, -1.0]])
    assert np.isfinite(lossbook.cross_entropy(log_probs, np.array([-100, 1])))


@pytest.mark.parametrize("name", ["cross_entropy", "nll", "softmax_focal", "kl_div"])
@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), reduction=st.sampled_from(["mean", "sum", "none"]))
def test_classes_masked_at_minus_infinity_stay_finite(name, seed, reduction):
    """Classes masked out with a logit (log-probability) of -inf, which are never the target
    (probability 0 in a target distribution): value and gradient are finite and equal to
    PyTorch's; for kl_div, whose PyTorch value is NaN there (xlogy(0, 0) - 0 * -inf), equal
    to the divergence over the other classes."""
    import torch
    import lossbook
    from tests.torch_reference import REFERENCES
    rng = np.random.default_rng(seed)
    masked = rng.random((7, NUM)) < 0.4
    masked[:, 0] = False  # class 0 stays available in every row
    scores = np.where(masked, -np.inf, rng.normal(size=(7, NUM)) * 3)
    if name == "kl_div":
        log_q = lossbook.log_softmax(scores)
        p = np.where(masked, 0.0, lossbook.softmax(rng.normal(size=(7, NUM))))
        p /= p.sum(axis=1, keepdims=True)
        value = lossbook.kl_div(log_q, p, reduction="none")
        grad = lossbook.kl_div_grad(log_q, p, reduction=reduction)
        assert np.all(value[masked] == 0) and np.all(grad[masked] == 0)
        kept = lossbook.kl_div(np.where(masked, 0, log_q), p, reduction="none")
        np.testing.assert_array_equal(value, kept)
        x = torch.from_numpy(log_q).requires_grad_(True)
        out = REFERENCES["kl_div"](x, torch.from_numpy(p), log_target=False, reduction=reduction)
        (expected_grad,) = torch.autograd.grad(out.sum(), x)
        finite_where(expected_grad.numpy(), grad, "kl_div gradient", magnitude(grad))
        return
    target = np.array([rng.choice(np.flatnonzero(~row)) for row in masked])
    if name == "nll":
        scores = lossbook.log_softmax(scores)
    spec_kwargs = {"softmax_focal": {"alpha": (0.25, 0.5, 1.0, 2.0), "gamma": 2.0},
                   "cross_entropy": {"label_smoothing": 0.0}}.get(name, {})
    value = getattr(lossbook, name)(scores, target, **spec_kwargs, reduction=reduction)
    grad = getattr(lossbook, f"{name}_grad")(scores, target, **spec_kwargs, reduction=reduction)
    z = torch.from_numpy(scores).requires_grad_(True)
    out = REFERENCES[name](z, torch.from_numpy(target), **spec_kwargs, reduction=reduction)
    (expected_grad,) = torch.autograd.grad(out.sum(), z)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    finite_where(out.detach().numpy(), value, f"{name} value", magnitude(value))
    finite_where(expected_grad.numpy(), grad, f"{name} gradient", magnitude(grad))


@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), zero_pred=st.booleans(), zero_target=st.booleans(),
       eps=st.sampled_from([1e-8, 1e-3]), reduction=st.sampled_from(["mean", "sum", "none"]))
def test_cosine_of_zero_vectors_is_finite_and_equal_to_torch(seed, zero_pred, zero_target, eps,
                                                              reduction):
    """A zero vector (in either argument, or both) has cosine 0 with everything, as in PyTorch,
    whose norms are clamped at eps; the gradient with respect to each is finite and equal."""
    import torch
    import lossbook
    from tests.torch_reference import REFERENCES
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(2, 6, 3))
    a[rng.random(6) < 0.5] *= 0 if zero_pred else 1e-9
    b[rng.random(6) < 0.5] *= 0 if zero_target else 1e-9
    ta, tb = (torch.from_numpy(x).requires_grad_(True) for x in (a, b))
    out = REFERENCES["cosine_similarity_loss"](ta, tb, eps=eps, reduction=reduction)
    expected = torch.autograd.grad(out.sum(), (ta, tb))
    value = lossbook.cosine_similarity_loss(a, b, eps=eps, reduction=reduction)
    finite_where(out.detach().numpy(), value, "value", magnitude(value))
    for name, torch_grad in zip(("pred", "target"), expected):
        grad = lossbook.cosine_similarity_loss_grad(a, b, eps=eps, reduction=reduction, wrt=name)
        assert np.all(np.isfinite(grad)), name
        finite_where(torch_grad.numpy(), grad, f"gradient wrt {name}", magnitude(grad))


# -- binary and regression losses: infinite logits, weights that silence, zero variances -----

ELEMENTWISE_ON_LOGITS = [s for s in CATALOG if s.layout == "elementwise"
                         and s.domains[0] == "logits"]


def same_where_torch_is_a_number(reference, ours, what):
    """Wherever ``reference`` is not NaN: the same infinity where it is infinite, and equal
    (as :func:`finite_where`) where it is finite."""
    reference, ours = np.asarray(reference), np.asarray(ours)
    infinite = np.isinf(reference)
    np.testing.assert_array_equal(ours[infinite], reference[infinite], err_msg=what)
    finite_where(reference, ours, what, magnitude(reference) + 1e-3 * reference.size)


@pytest.mark.parametrize("spec", ELEMENTWISE_ON_LOGITS, ids=lambda s: s.name)
@settings(deadline=None, max_examples=60)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_infinite_logits_give_what_torch_gives(spec, data, seed):
    """Logits of +-inf among finite ones, under every tested option (weights of 0 included):
    wherever PyTorch's value or gradient is a number, finite or infinite, lossbook's is the
    same number. (lossbook may give a number where PyTorch gives NaN: at z = -inf, y = 1,
    PyTorch's (1 - y) z is 0 * -inf, where lossbook's softplus form gives +inf.)"""
    spec, kwargs, _, args = data.draw(problems(spec))
    rng = np.random.default_rng(seed)
    logits = args[0].copy()
    infinite = rng.random(logits.shape) < 0.3
    logits[infinite] = rng.choice([np.inf, -np.inf], size=int(infinite.sum()))
    args = (logits,) + args[1:]
    with np.errstate(all="ignore"):
        value = spec.loss(*args, **kwargs, reduction="none")
        grad = spec.grad(*args, **kwargs, reduction="none")
        expected_value, expected_grad = torch_value_and_grad(spec, args, kwargs, "none")
    same_where_torch_is_a_number(expected_value, value, f"{spec.name} value")
    same_where_torch_is_a_number(expected_grad, grad, f"{spec.name} gradient")


SILENCED = {  # a loss with an elementwise weight, and what a silenced element may hold
    "bce": [0.0, 1.0, 0.5, 1e-300],
    "bce_with_logits": [1e308, -1e308, 0.0, 750.0, -750.0],
}


@pytest.mark.parametrize("name", sorted(SILENCED))
@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), reduction=st.sampled_from(["mean", "sum", "none"]),
       smoothing=st.sampled_from([0.0, 0.1]), data=st.data())
def test_a_zero_weight_silences_its_element_whatever_it_holds(name, seed, reduction, smoothing,
                                                              data):
    """Where ``weight`` is 0, the prediction may be anything finite (a probability of exactly
    0 or 1, a logit of 1e308): value and gradient are those of the same batch with ordinary
    numbers there, the gradient there is 0, and both equal PyTorch's."""
    import lossbook
    from lossbook.catalog import by_name
    rng = np.random.default_rng(seed)
    spec = by_name(name)
    pred, target = draw_inputs(spec, rng, n=5, width=3)
    weight = np.where(rng.random((5, 3)) < 0.4, 0.0, rng.uniform(0.5, 2.0, size=(5, 3)))
    silenced = weight == 0
    dirty = pred.copy()
    dirty[silenced] = [data.draw(st.sampled_from(SILENCED[name])) for _ in range(silenced.sum())]
    kwargs = {**spec.params, "weight": weight, "label_smoothing": smoothing}
    loss, grad = getattr(lossbook, name), getattr(lossbook, f"{name}_grad")
    value = loss(dirty, target, **kwargs, reduction=reduction)
    clean = loss(pred, target, **kwargs, reduction=reduction)
    if reduction == "none":
        assert np.all(value[silenced] == 0)
        value, clean = value[~silenced], clean[~silenced]
    np.testing.assert_array_equal(value, clean)
    dirty_grad = grad(dirty, target, **kwargs, reduction=reduction)
    assert np.all(dirty_grad[silenced] == 0)
    np.testing.assert_array_equal(dirty_grad[~silenced],
                                  grad(pred, target, **kwargs, reduction=reduction)[~silenced])
    expected_value, expected_grad = torch_value_and_grad(spec, (dirty, target), kwargs, reduction)
    value = loss(dirty, target, **kwargs, reduction=reduction)
    finite_where(expected_value, value, f"{name} value", magnitude(expected_value))
    finite_where(expected_grad, dirty_grad, f"{name} gradient", magnitude(expected_grad))


@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), tiny=st.sampled_from([0.0, 1e-300, 1e-9, 1e-6]),
       eps=st.sampled_from([1e-6, 1e-3, 0.5]), full=st.booleans(),
       reduction=st.sampled_from(["mean", "sum", "none"]))
def test_zero_variance_rows_are_finite_and_equal_to_torch(seed, tiny, eps, full, reduction):
    """Rows whose predicted variance is 0, or below eps: PyTorch clamps the variance at eps
    (under no_grad), so the value and the gradients with respect to the mean and to the
    variance are finite; lossbook's are the same numbers."""
    import torch
    import torch.nn.functional as F
    import lossbook
    rng = np.random.default_rng(seed)
    mean, target = rng.normal(size=(2, 6, 3)) * 3
    var = np.exp(rng.normal(size=(6, 3)))
    var[rng.random(6) < 0.5] = tiny
    var[0] = tiny  # at least one such row
    tm, tv = (torch.from_numpy(x).requires_grad_(True) for x in (mean, var))
    out = F.gaussian_nll_loss(tm, torch.from_numpy(target), tv, full=full, eps=eps,
                              reduction=reduction)
    expected = torch.autograd.grad(out.sum(), (tm, tv))
    kwargs = {"full": full, "eps": eps, "reduction": reduction}
    value = lossbook.gaussian_nll(mean, target, var, **kwargs)
    assert np.all(np.isfinite(value))
    finite_where(out.detach().numpy(), value, "value", magnitude(value))
    for name, torch_grad in zip(("mean", "var"), expected):
        grad = lossbook.gaussian_nll_grad(mean, target, var, **kwargs, wrt=name)
        assert np.all(np.isfinite(grad)), name
        finite_where(torch_grad.numpy(), grad, f"gradient wrt {name}", magnitude(grad))


@pytest.mark.parametrize("spec", ELEMENTWISE_ON_LOGITS, ids=lambda s: s.name)
@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([40.0, 800.0, 1e4]),
       data=st.data())
def test_extreme_logits_stay_finite_under_every_option(spec, seed, scale, data):
    """Logits of +-40 to +-1e4 (where sigma(-z) underflows to exactly 0 and 1 - p_t = 0),
    under every tested option: finite value and gradient. For the focal loss with gamma < 1,
    (1 - p_t)^(gamma - 1) is infinite there and its product with p (1 - p) = 0 is 0."""
    params = data.draw(st.sampled_from(spec.param_sets))
    rng = np.random.default_rng(seed)
    args = draw_inputs(spec, rng, params=params)
    args = (np.where(rng.random(args[0].shape) < 0.5, -scale, scale),) + args[1:]
    kwargs = kwargs_for(spec, params, args)
    for reduction in spec.reductions:
        value = spec.loss(*args, **kwargs, reduction=reduction)
        grad = spec.grad(*args, **kwargs, reduction=reduction)
        assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad)), (spec.name, params)
