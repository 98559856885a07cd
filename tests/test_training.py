"""The training loop, the real data sets and the torch-only losses the chapters train with.

The torch versions of the losses PyTorch lacks are the references of their NumPy namesakes
in ``tests/test_against_torch.py`` (values and gradients, over the catalog); here are the
parts that have no NumPy namesake: the mined triplet loss, the data splits and the loop.
"""

import subprocess
import sys

import numpy as np
import pytest
import torch

from lossbook import data, metrics, torch_losses, training


# ---- the mined triplet loss, against a loop over every (anchor, positive) pair


def brute_force_triplet(emb, labels, margin, mining):
    d = torch.cdist(emb.double(), emb.double())
    terms = []
    for a in range(len(labels)):
        for p in range(len(labels)):
            if p == a or labels[p] != labels[a]:
                continue
            negatives = [n for n in range(len(labels)) if labels[n] != labels[a]]
            d_an = torch.stack([d[a, n] for n in negatives])
            if mining == "hard":
                n = negatives[int(d_an.argmin())]
            else:
                further = [n for n in negatives if d[a, n] > d[a, p]]
                n = (min(further, key=lambda n: d[a, n]) if further
                     else negatives[int(d_an.argmax())])
            terms.append(torch.clamp(d[a, p] - d[a, n] + margin, min=0))
    return torch.stack(terms)


@pytest.mark.parametrize("mining", ["hard", "semi-hard"])
@pytest.mark.parametrize("seed", range(5))
def test_mined_triplets_are_the_ones_a_loop_over_pairs_picks(mining, seed):
    g = torch.Generator().manual_seed(seed)
    emb = torch.randn(12, 3, generator=g, dtype=torch.float64)
    labels = torch.randint(0, 3, (12,), generator=g)
    labels[:3] = torch.arange(3)   # every class present
    labels[3:6] = torch.arange(3)  # and with a positive
    ours = torch_losses.batch_triplet(emb, labels, margin=0.5, mining=mining,
                                      reduction="none")
    theirs = brute_force_triplet(emb, labels, 0.5, mining)
    assert torch.allclose(ours, theirs, atol=1e-6)


def test_random_negatives_have_another_label_and_follow_the_generator():
    emb = torch.randn(10, 2, generator=torch.Generator().manual_seed(0))
    labels = torch.tensor([0, 0, 1, 1, 2, 2, 0, 1, 2, 0])
    first = torch_losses.batch_triplet(emb, labels, mining="random",
                                       generator=torch.Generator().manual_seed(1))
    again = torch_losses.batch_triplet(emb, labels, mining="random",
                                       generator=torch.Generator().manual_seed(1))
    assert first.item() == again.item()
    # hard negatives give the largest loss, random ones no more than that
    hard = torch_losses.batch_triplet(emb, labels, mining="hard")
    assert first.item() <= hard.item()


def test_the_mined_triplet_loss_has_a_gradient_for_every_embedding():
    emb = torch.randn(8, 2, dtype=torch.float64, requires_grad=True,
                      generator=torch.Generator().manual_seed(3))
    labels = torch.tensor([0, 0, 1, 1, 0, 1, 0, 1])
    assert torch.autograd.gradcheck(
        lambda e: torch_losses.batch_triplet(e, labels, margin=2.0, mining="hard"), (emb,))


@pytest.mark.parametrize("labels, match", [([0, 0, 0], "positive and a negative"),
                                           ([0, 1, 2], "positive and a negative")])
def test_a_batch_without_triplets_is_refused(labels, match):
    with pytest.raises(ValueError, match=match):
        torch_losses.batch_triplet(torch.zeros(3, 2), torch.tensor(labels))


def test_an_unknown_mining_is_refused():
    with pytest.raises(ValueError, match="mining must be one of"):
        torch_losses.batch_triplet(torch.zeros(4, 2), torch.tensor([0, 0, 1, 1]),
                                   mining="hardest")


# ---- the data sets and the split


@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_every_data_set_loads_from_the_installed_package(name):
    x, y = data.load(name)
    assert x.ndim == 2 and len(x) == len(y) and x.dtype == np.float64
    task = data.DATASETS[name][1]
    assert (y.dtype == np.int64) == (task == "classification")
    size = f"{len(x):,}"
    assert size in data.DATASETS[name][2], "the description states the size"


def test_the_split_is_a_partition_stratified_and_standardised_on_training_data():
    x, y = data.load("digits")
    s = data.split(x, y, seed=3, val=0.2, test=0.2, stratify=True)
    assert len(s.y_train) + len(s.y_val) + len(s.y_test) == len(y)
    rows = np.concatenate([s.x_train, s.x_val, s.x_test]) * s.scale + s.mean
    assert np.unique(rows, axis=0).shape[0] == np.unique(x, axis=0).shape[0]
    shares = [np.bincount(part, minlength=10) / len(part) for part in
              (s.y_train, s.y_val, s.y_test)]
    assert np.abs(shares[0] - shares[2]).max() < 0.01
    assert np.allclose(s.x_train.mean(0), 0)
    assert not np.allclose(s.x_test.mean(0), 0)  # the test part is not used to standardise
    again = data.split(x, y, seed=3, stratify=True)
    assert np.array_equal(again.x_test, s.x_test)
    other = data.split(x, y, seed=4, stratify=True)
    assert not np.array_equal(other.x_test, s.x_test)


@pytest.mark.parametrize("kwargs, match", [({"val": 0.0}, "val must be a fraction"),
                                           ({"test": 1.2}, "test must be a fraction"),
                                           ({"val": 0.5, "test": 0.5}, "val \\+ test")])
def test_bad_fractions_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.split(np.zeros((10, 2)), np.zeros(10), seed=0, **kwargs)


def test_an_unknown_data_set_is_refused():
    with pytest.raises(ValueError, match="name must be one of"):
        data.load("mnist")


def test_the_rare_class_has_the_asked_ratio():
    x, y = data.load("digits")
    x_rare, y_rare, keep = data.rare_class(x, y, 3, ratio=50, seed=0)
    negatives, positives = np.sum(y_rare == 0), np.sum(y_rare == 1)
    assert negatives == np.sum(y != 3)
    assert abs(negatives / positives - 50) < 1
    assert np.array_equal(x_rare, x[keep])
    with pytest.raises(ValueError, match="ratio must be >= 1"):
        data.rare_class(x, y, 3, ratio=0.5, seed=0)


# ---- the loop


def linear_digits():
    return torch.nn.Linear(64, 10)


@pytest.fixture(scope="module")
def digits():
    return data.load_split("digits", seed=0)


def test_a_run_is_reproducible_and_depends_on_its_seed(digits):
    kw = dict(lr=0.01, epochs=3, seed=5, metric=training.accuracy)
    a = training.train(linear_digits, torch.nn.functional.cross_entropy, digits, **kw)
    b = training.train(linear_digits, torch.nn.functional.cross_entropy, digits, **kw)
    c = training.train(linear_digits, torch.nn.functional.cross_entropy, digits,
                       **(kw | {"seed": 6}))
    assert a.history == b.history
    assert a.history != c.history


def test_training_lowers_the_loss_and_returns_the_best_epoch(digits):
    run = training.train(lambda: training.mlp([64, 32, 10]),
                         torch.nn.functional.cross_entropy, digits, lr=0.01, epochs=15,
                         metric=training.accuracy)
    h = run.history
    assert h["train_loss"][-1] < h["train_loss"][0] / 3
    assert run.best_val_loss == min(h["val_loss"])
    out = training.predict(run.model, digits.x_val)
    assert abs(torch.nn.functional.cross_entropy(out, training.as_tensor(digits.y_val)).item()
               - run.best_val_loss) < 1e-6
    assert run.best_val_metric > 0.9


def test_early_stopping_stops_when_the_validation_loss_stops_falling(digits):
    run = training.train(lambda: training.mlp([64, 256, 10]),
                         torch.nn.functional.cross_entropy, digits, lr=0.05, epochs=200,
                         patience=3)
    assert run.stopped_early
    assert len(run.history["val_loss"]) == run.best_epoch + 3


def test_the_loop_restores_the_global_torch_settings(digits):
    threads = torch.get_num_threads()
    training.train(linear_digits, torch.nn.functional.cross_entropy, digits, lr=0.01,
                   epochs=1)
    assert torch.get_num_threads() == threads
    assert not torch.are_deterministic_algorithms_enabled()


def test_augment_sees_every_training_batch(digits):
    seen = []

    def augment(x, generator):
        seen.append(len(x))
        return x

    training.train(linear_digits, torch.nn.functional.cross_entropy, digits, lr=0.01,
                   epochs=2, batch_size=100, augment=augment)
    assert sum(seen) == 2 * len(digits.y_train)


def test_a_monitor_follows_every_epoch_and_leaves_the_run_unchanged(digits):
    def dropout_digits():
        return torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(64, 10))

    def monitor(model):
        torch.rand(3)          # draws from torch's random state, which the loop restores
        assert not model.training
        return training.accuracy(training.predict(model, digits.x_test),
                                 training.as_tensor(digits.y_test))

    kw = dict(lr=0.01, epochs=4, seed=3)
    plain = training.train(dropout_digits, torch.nn.functional.cross_entropy, digits, **kw)
    followed = training.train(dropout_digits, torch.nn.functional.cross_entropy, digits,
                              monitor=monitor, **kw)
    assert len(followed.history.pop("monitor")) == 4
    assert followed.history == plain.history
    stopped = training.train(lambda: training.mlp([64, 256, 10]),
                             torch.nn.functional.cross_entropy, digits, lr=0.05,
                             epochs=200, patience=3, monitor=monitor)
    assert len(stopped.history["monitor"]) == len(stopped.history["val_loss"])


@pytest.mark.parametrize("kwargs, match", [({"optimizer": "rmsprop"}, "optimizer must be"),
                                           ({"lr": 0.0}, "lr must be > 0"),
                                           ({"epochs": 0}, "epochs and batch_size")])
def test_bad_settings_are_refused(digits, kwargs, match):
    with pytest.raises(ValueError, match=match):
        training.train(linear_digits, torch.nn.functional.cross_entropy, digits,
                       **({"lr": 0.01, "epochs": 1} | kwargs))


def test_tune_picks_the_best_mean_score():
    scores = {0.1: [3.0, 1.0], 0.01: [1.5, 1.5], 0.001: [4.0, 4.0]}

    def fit(lr, seed):
        run = training.Run(None, {"val_loss": [scores[lr][seed]]}, best_epoch=1)
        return run

    best, means = training.tune(fit, scores, seeds=(0, 1))
    assert best in (0.1, 0.01) and means[0.1] == 2.0 and means[0.01] == 1.5
    assert best == 0.01
    assert training.tune(fit, scores, seeds=(0, 1), maximize=True)[0] == 0.001


def test_import_lossbook_does_not_import_torch_or_sklearn():
    code = ("import sys, lossbook, lossbook.data; "
            "print('torch' in sys.modules, 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_shift_and_noise_moves_each_image_by_at_most_one_pixel():
    image = torch.zeros(1, 64)
    image[0, 3 * 8 + 4] = 1.0            # one lit pixel at row 3, column 4
    batch = image.repeat(200, 1)
    out = data.shift_and_noise(batch, torch.Generator().manual_seed(0))
    rows, cols = torch.nonzero(out.reshape(-1, 8, 8), as_tuple=True)[1:]
    assert len(rows) == 200                # every image keeps its pixel
    assert set(rows.tolist()) == {2, 3, 4} and set(cols.tolist()) == {3, 4, 5}
    noisy = data.shift_and_noise(batch, torch.Generator().manual_seed(0), noise=0.1)
    assert 0.08 < (noisy - out).std().item() < 0.12
    with pytest.raises(ValueError, match="8x8 = 64 pixels"):
        data.shift_and_noise(torch.zeros(2, 10), torch.Generator())


def test_augmented_validation_is_the_same_every_epoch(digits):
    calls = []

    def augment(x, generator):
        calls.append(torch.rand(1, generator=generator).item())
        return x

    training.train(linear_digits, torch.nn.functional.cross_entropy, digits, lr=0.01,
                   epochs=1, batch_size=len(digits.y_train), augment=augment,
                   augment_val=True, seed=2)
    first = calls[0]
    calls.clear()
    training.train(linear_digits, torch.nn.functional.cross_entropy, digits, lr=0.01,
                   epochs=1, batch_size=len(digits.y_train), augment=augment,
                   augment_val=True, seed=2)
    assert calls[0] == first
    with pytest.raises(ValueError, match="augment_val=True needs an augment"):
        training.train(linear_digits, torch.nn.functional.cross_entropy, digits, lr=0.01,
                       epochs=1, augment_val=True)


def test_unstandardised_split_keeps_the_pixels():
    s = data.load_split("digits", seed=0, standardize=False)
    assert s.x_train.max() == 16.0 and s.x_train.min() == 0.0


# ---- the metrics


def test_a_calibrated_forecaster_has_a_small_calibration_error():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200_000)
    y = rng.uniform(size=p.shape) < p                 # labels drawn with probability p
    assert metrics.expected_calibration_error(p, y) < 0.01
    over = np.clip(0.5 + 1.5 * (p - 0.5), 0, 1)       # over-confident forecasts
    assert metrics.expected_calibration_error(over, y) > 0.05
    conf, freq, count = metrics.reliability(p, y, bins=5)
    assert count.sum() == len(p) and np.all(np.abs(conf - freq) < 0.01)


def test_the_top_label_calibration_of_class_probabilities():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]])
    conf, freq, count = metrics.reliability(probs, np.array([0, 2, 2]), bins=10)
    assert np.allclose(conf, [0.4, 0.6, 0.7]) and np.allclose(freq, [1, 0, 1])
    with pytest.raises(ValueError, match="probs must have shape"):
        metrics.reliability(np.zeros((2, 2, 2)), np.zeros(2))


def test_nearest_neighbour_accuracy_leaves_the_query_out():
    points = np.array([[0.0], [0.1], [5.0], [5.1]])
    labels = np.array([0, 0, 1, 1])
    assert metrics.nearest_neighbour_accuracy(points, labels, points, labels) == 1.0
    assert metrics.nearest_neighbour_accuracy(points, 1 - labels, points, labels) == 0.0
    assert metrics.nearest_neighbour_accuracy(points, np.array([0, 1, 0, 1]), points,
                                              np.array([0, 1, 0, 1])) == 0.0


def test_coverage_counts_the_targets_inside():
    assert metrics.coverage([0, 0, 0], [1, 1, 1], [0.5, 1.0, 2.0]) == pytest.approx(2 / 3)
