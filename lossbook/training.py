r"""One PyTorch training loop for every chapter that trains a network.

The chapters of *Losses at work* change one thing between two runs, the loss, and keep the
model, the data, the optimiser and the budget. So the loop lives here, once: :func:`train`
takes a function that builds the model, a loss, a :class:`lossbook.data.Split` and the
budget, and returns a :class:`Run` with the per-epoch curves and the model of the best
epoch. :func:`tune` picks a hyperparameter (the learning rate, say) on the validation set
with the same budget for every loss.

A run is reproducible to the bit on a given machine: the model is built after
``torch.manual_seed(seed)``, minibatches are drawn from a generator seeded with ``seed``,
PyTorch runs with ``torch.use_deterministic_algorithms(True)`` and on one thread (the
models are small, and a thread count changes the order of a sum). Chapters print results
rounded to what the experiment resolves, so that they read the same on any machine.

Importing this module imports torch; ``import lossbook`` does not.

Examples:
    >>> import torch
    >>> from lossbook.data import load_split
    >>> data = load_split("iris", seed=0)
    >>> run = train(lambda: torch.nn.Linear(4, 3), torch.nn.functional.cross_entropy,
    ...             data, lr=0.05, epochs=30, seed=0, metric=accuracy)
    >>> print(f"{run.best_val_metric:.2f}", run.best_epoch <= 30, len(run.history["val_loss"]))
    0.97 True 30
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import torch

__all__ = ["Run", "train", "tune", "predict", "accuracy", "mlp", "as_tensor"]

OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}


def as_tensor(a):
    """NumPy to torch for training: floats as float32, integers (class indices) as int64."""
    a = np.asarray(a)
    if np.issubdtype(a.dtype, np.integer):
        return torch.from_numpy(a.astype(np.int64))
    return torch.from_numpy(a.astype(np.float32))


def mlp(sizes: Iterable[int], *, dropout=0.0, activation=torch.nn.ReLU):
    """A multilayer perceptron: ``Linear`` layers of the given ``sizes`` (input first,
    output last) with ``activation`` (and ``Dropout`` when ``dropout > 0``) between them."""
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least the input and output size, got {sizes}")
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(activation())
            if dropout > 0:
                layers.append(torch.nn.Dropout(dropout))
    return torch.nn.Sequential(*layers)


def accuracy(output, target):
    """The share of rows whose largest output is the target class (or, for one output
    column and 0/1 targets, whose logit has the target's sign)."""
    if output.ndim == 1 or output.shape[-1] == 1:
        guess = (output.reshape(-1) > 0).to(target.dtype)
        return (guess == target.reshape(-1)).double().mean().item()
    return (output.argmax(-1) == target).double().mean().item()


@dataclass
class Run:
    """The result of :func:`train`.

    Attributes:
        model: the model, with the weights of the epoch with the lowest validation loss
            (``best_epoch``), in evaluation mode.
        history: per epoch (1, 2, ...): ``"train_loss"`` (the mean of the minibatch
            losses during the epoch), ``"val_loss"``, with a metric ``"val_metric"``, and
            with a monitor ``"monitor"``.
        best_epoch: the epoch whose weights ``model`` holds.
        stopped_early: whether training stopped before ``epochs`` (``patience`` ran out).
    """

    model: object  # the torch.nn.Module trained
    history: dict[str, list[float]] = field(default_factory=dict)
    best_epoch: int = 0
    stopped_early: bool = False

    @property
    def best_val_loss(self) -> float:
        return self.history["val_loss"][self.best_epoch - 1]

    @property
    def best_val_metric(self) -> float:
        return self.history["val_metric"][self.best_epoch - 1]


@contextlib.contextmanager
def _reproducible(seed):
    """One thread, deterministic kernels and the global seed, restored afterwards."""
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(seed)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)


def predict(model, x):
    """The model's output for inputs ``x`` (NumPy or torch), in evaluation mode, without
    gradient."""
    model.eval()
    with torch.no_grad():
        return model(x if isinstance(x, torch.Tensor) else as_tensor(x))


def train(make_model: Callable[[], torch.nn.Module], loss, data, *, lr, epochs,
          batch_size=64, seed=0, optimizer="adam", weight_decay=0.0, patience=None,
          metric=None, augment=None, augment_val=False, clip=None, monitor=None) -> Run:
    """Train a fresh model on ``data`` with ``loss``; return the curves and the best model.

    Args:
        make_model: builds the model (called after ``torch.manual_seed(seed)``, so its
            initial weights depend on ``seed`` only).
        loss: ``loss(output, target) -> scalar tensor``, the mean over the batch (any of
            ``torch.nn.functional``'s losses, or of :mod:`lossbook.torch_losses`).
        data: a :class:`lossbook.data.Split`; its training part is shuffled every epoch.
        lr: the learning rate.
        epochs: the largest number of passes over the training data.
        batch_size: the minibatch size (the last minibatch of an epoch may be smaller).
        seed: seeds the initial weights, the shuffling, dropout and ``augment``.
        optimizer: ``"adam"`` or ``"sgd"`` (plain, no momentum).
        weight_decay: the optimiser's L2 penalty.
        patience: stop when the validation loss has not improved for this many epochs
            (early stopping); ``None`` trains every epoch. Either way the returned model
            has the weights of the epoch with the lowest validation loss.
        metric: ``metric(output, target) -> float`` on the validation set after every
            epoch (for example :func:`accuracy`).
        augment: ``augment(x, generator) -> x`` applied to every training minibatch.
        augment_val: also augment the validation inputs, once, with a generator seeded
            with ``seed + 1``, so that every epoch is validated on the same inputs (for
            losses that compare two views of an example).
        clip: clip the gradient norm to this value before each step.
        monitor: ``monitor(model) -> value``, called after every epoch (after the
            validation) with the model of that epoch in evaluation mode; its values go to
            ``history["monitor"]``, one per epoch. It follows a measure through training,
            on the test set say, without a second loop; torch's random state is restored
            after each call, so a run with a monitor is the run without it.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {optimizer!r}")
    if lr <= 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be >= 1, got {epochs}, {batch_size}")
    x, y = as_tensor(data.x_train), as_tensor(data.y_train)
    x_val, y_val = as_tensor(data.x_val), as_tensor(data.y_val)
    if augment_val:
        if augment is None:
            raise ValueError("augment_val=True needs an augment function, got augment=None")
        x_val = augment(x_val, torch.Generator().manual_seed(seed + 1))
    with _reproducible(seed):
        model = make_model()
        opt = OPTIMIZERS[optimizer](model.parameters(), lr=lr, weight_decay=weight_decay)
        generator = torch.Generator().manual_seed(seed)
        history = {"train_loss": [], "val_loss": []} | ({"val_metric": []} if metric else {})
        if monitor is not None:
            history["monitor"] = []
        best, best_state, since_best = float("inf"), None, 0
        run = Run(model, history)
        for epoch in range(1, epochs + 1):
            model.train()
            total, count = 0.0, 0
            for batch in torch.randperm(len(x), generator=generator).split(batch_size):
                xb, yb = x[batch], y[batch]
                if augment is not None:
                    xb = augment(xb, generator)
                value = loss(model(xb), yb)
                opt.zero_grad()
                value.backward()
                if clip is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                opt.step()
                total += value.item() * len(batch)
                count += len(batch)
            history["train_loss"].append(total / count)
            out = predict(model, x_val)
            val = loss(out, y_val).item()
            history["val_loss"].append(val)
            if metric:
                history["val_metric"].append(metric(out, y_val))
            if monitor is not None:
                state = torch.get_rng_state()
                history["monitor"].append(monitor(model))
                torch.set_rng_state(state)
            if val < best:
                best, best_state, since_best = val, copy.deepcopy(model.state_dict()), 0
                run.best_epoch = epoch
            else:
                since_best += 1
                if patience is not None and since_best >= patience:
                    run.stopped_early = True
                    break
        if best_state is not None:
            model.load_state_dict(best_state)
        model.eval()
    return run


def tune(fit: Callable[..., Run], grid: Iterable, *, seeds=(0,),
         score: Callable[[Run], float] = lambda run: run.best_val_loss, maximize=False):
    """Choose a hyperparameter on the validation set: the grid value with the best mean
    ``score`` over ``seeds``.

    Args:
        fit: ``fit(value, seed) -> Run``, one training run.
        grid: the values to try; every loss of a comparison gets the same grid and seeds.
        score: what to compare (default: the best validation loss; compare a metric
            instead when the losses being compared are on different scales).
        maximize: whether a larger score is better.

    Returns:
        ``(best value, {value: mean score})``.
    """
    means = {}
    for value in grid:
        means[value] = float(np.mean([score(fit(value, seed)) for seed in seeds]))
    pick = max if maximize else min
    return pick(means, key=means.get), means
