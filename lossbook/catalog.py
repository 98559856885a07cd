r"""The catalog: one entry per loss, the single description the tests and the book read.

A loss added here is tested against its reference and listed in the book's tables with no
other edit. Each :class:`LossSpec` says what the loss is for (task, paired activation,
the space its prediction lives in), how to call it (function, gradient, default and
tested hyperparameters), what its arguments are (``layout`` and ``domains``, from which
the tests draw valid inputs), and where it comes from (formula, PyTorch equivalent, bib
key, chapter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import binary, distribution, embedding, multiclass, regression

__all__ = ["LossSpec", "CATALOG", "TASKS", "LAYOUTS", "DOMAINS", "by_name", "by_task"]

#: Tasks, in the order the book presents them.
TASKS = ("regression", "binary", "multi-label", "multi-class", "distribution", "embedding")

#: How the positional arguments are shaped relative to each other.
LAYOUTS = {
    "elementwise": "every argument has the same shape, any shape; one term per element",
    "classes": "scores (N, C), then integer class indices (N,); one term per example",
    "rows": "every argument is (N, D): one distribution or vector per row; one term per row",
}

#: What values each positional argument may take.
DOMAINS = {
    "real": "any real number",
    "logits": "any real number, a raw score before a sigmoid or softmax",
    "probs": "a probability in [0, 1]",
    "labels01": "a binary label, 0 or 1",
    "signs": "a label in {-1, +1}",
    "positive": "a real number > 0",
    "counts": "a count 0, 1, 2, ... stored as float",
    "index": "an integer class index in [0, C)",
    "simplex": "a row of probabilities that sums to 1",
    "onehot": "a one-hot row: a single 1, zeros elsewhere",
}


@dataclass(frozen=True)
class LossSpec:
    """Everything the book and the tests need to know about one loss."""

    name: str
    title: str
    loss: Callable
    grad: Callable
    task: str
    activation: str
    input_space: str
    formula: str
    torch: str
    reference: str
    layout: str
    domains: tuple
    params: dict = field(default_factory=dict)
    param_sets: tuple = ({},)
    chapter: str = ""
    reductions: tuple = ("mean", "sum", "none")
    also_tasks: tuple = ()

    def __post_init__(self):
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {self.task!r}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {tuple(LAYOUTS)}, got {self.layout!r}")
        unknown = set(self.domains) - set(DOMAINS)
        if unknown:
            raise ValueError(f"domains must be among {tuple(DOMAINS)}, got {sorted(unknown)}")


CATALOG = (
    # -- regression ------------------------------------------------------------------
    LossSpec(
        name="mse", title="Mean squared error", loss=regression.mse, grad=regression.mse_grad,
        task="regression", activation="identity", input_space="real",
        formula=r"(\hat y - y)^2",
        torch="torch.nn.functional.mse_loss(pred, target)",
        reference="bishop2006pattern", layout="elementwise", domains=("real", "real"),
    ),
    LossSpec(
        name="mae", title="Mean absolute error", loss=regression.mae, grad=regression.mae_grad,
        task="regression", activation="identity", input_space="real",
        formula=r"|\hat y - y|",
        torch="torch.nn.functional.l1_loss(pred, target)",
        reference="koenker1978regression", layout="elementwise", domains=("real", "real"),
    ),
    LossSpec(
        name="huber", title="Huber loss", loss=regression.huber, grad=regression.huber_grad,
        task="regression", activation="identity", input_space="real",
        formula=r"\tfrac12 e^2 \text{ if } |e| \le \delta \text{ else } \delta(|e| - \tfrac12\delta)",
        torch="torch.nn.functional.huber_loss(pred, target, delta=delta)",
        reference="huber1964robust", layout="elementwise", domains=("real", "real"),
        params={"delta": 1.0}, param_sets=({"delta": 1.0}, {"delta": 0.3}, {"delta": 2.5}),
    ),
    LossSpec(
        name="smooth_l1", title="Smooth L1 loss", loss=regression.smooth_l1,
        grad=regression.smooth_l1_grad,
        task="regression", activation="identity", input_space="real",
        formula=r"\tfrac{1}{2\beta} e^2 \text{ if } |e| < \beta \text{ else } |e| - \tfrac12\beta",
        torch="torch.nn.functional.smooth_l1_loss(pred, target, beta=beta)",
        reference="girshick2015fast", layout="elementwise", domains=("real", "real"),
        params={"beta": 1.0}, param_sets=({"beta": 1.0}, {"beta": 0.3}, {"beta": 0.0}),
    ),
    LossSpec(
        name="log_cosh", title="Log-cosh loss", loss=regression.log_cosh,
        grad=regression.log_cosh_grad,
        task="regression", activation="identity", input_space="real",
        formula=r"\log\cosh(\hat y - y)",
        torch="none; torch.log(torch.cosh(pred - target)) in its stable form",
        reference="chen2019logcosh", layout="elementwise", domains=("real", "real"),
    ),
    LossSpec(
        name="quantile", title="Quantile (pinball) loss", loss=regression.quantile,
        grad=regression.quantile_grad,
        task="regression", activation="identity", input_space="real",
        formula=r"\max(q\,(y - \hat y),\, (q - 1)(y - \hat y))",
        torch="none; torch.maximum(q * (target - pred), (q - 1) * (target - pred))",
        reference="koenker1978regression", layout="elementwise", domains=("real", "real"),
        params={"q": 0.5}, param_sets=({"q": 0.5}, {"q": 0.1}, {"q": 0.9}),
    ),
    LossSpec(
        name="gaussian_nll", title="Gaussian negative log-likelihood",
        loss=regression.gaussian_nll, grad=regression.gaussian_nll_grad,
        task="regression", activation="identity (mean), softplus (variance)",
        input_space="real (mean), positive (variance)",
        formula=r"\tfrac12\left(\log\sigma^2 + (\mu - y)^2/\sigma^2\right)",
        torch="torch.nn.functional.gaussian_nll_loss(mean, target, var, full=full)",
        reference="nix1994estimating", layout="elementwise",
        domains=("real", "real", "positive"),
        params={"full": False, "eps": 1e-6}, param_sets=({"full": False}, {"full": True}),
    ),
    LossSpec(
        name="poisson_nll", title="Poisson negative log-likelihood",
        loss=regression.poisson_nll, grad=regression.poisson_nll_grad,
        task="regression", activation="exp (log-rate input)", input_space="log-rate",
        formula=r"e^{z} - y z",
        torch="torch.nn.functional.poisson_nll_loss(pred, target, log_input=True, full=full)",
        reference="mccullagh1989generalized", layout="elementwise",
        domains=("real", "counts"),
        params={"log_input": True, "full": False}, param_sets=({"full": False}, {"full": True}),
    ),
    # -- binary and multi-label ----------------------------------------------------------
    LossSpec(
        name="bce", title="Binary cross-entropy", loss=binary.bce, grad=binary.bce_grad,
        task="binary", also_tasks=("multi-label",), activation="sigmoid",
        input_space="probabilities",
        formula=r"-[y \log \hat p + (1 - y)\log(1 - \hat p)]",
        torch="torch.nn.functional.binary_cross_entropy(probs, target)",
        reference="goodfellow2016deep", layout="elementwise", domains=("probs", "labels01"),
    ),
    LossSpec(
        name="bce_with_logits", title="Binary cross-entropy on logits",
        loss=binary.bce_with_logits, grad=binary.bce_with_logits_grad,
        task="binary", also_tasks=("multi-label",), activation="sigmoid (fused)",
        input_space="logits",
        formula=r"-[w_+ y \log\sigma(z) + (1 - y)\log\sigma(-z)]",
        torch="torch.nn.functional.binary_cross_entropy_with_logits(logits, target, pos_weight=pos_weight)",
        reference="goodfellow2016deep", layout="elementwise", domains=("logits", "labels01"),
        params={"pos_weight": 1.0}, param_sets=({"pos_weight": 1.0}, {"pos_weight": 7.0}),
    ),
    LossSpec(
        name="weighted_bce", title="Weighted binary cross-entropy",
        loss=binary.weighted_bce, grad=binary.weighted_bce_grad,
        task="binary", activation="sigmoid", input_space="probabilities",
        formula=r"-[w_1 y \log \hat p + w_0 (1 - y)\log(1 - \hat p)]",
        torch="torch.nn.functional.binary_cross_entropy(probs, target, weight=w1 * target + w0 * (1 - target))",
        reference="king2001logistic", layout="elementwise", domains=("probs", "labels01"),
        params={"w1": 1.0, "w0": 1.0},
        param_sets=({"w1": 1.0, "w0": 1.0}, {"w1": 9.0, "w0": 1.0}, {"w1": 0.5, "w0": 2.0}),
    ),
    LossSpec(
        name="sigmoid_focal", title="Sigmoid focal loss",
        loss=binary.sigmoid_focal, grad=binary.sigmoid_focal_grad,
        task="binary", also_tasks=("multi-label",), activation="sigmoid (fused)",
        input_space="logits",
        formula=r"-\alpha_t (1 - p_t)^\gamma \log p_t",
        torch="torchvision.ops.sigmoid_focal_loss(logits, target, alpha=alpha, gamma=gamma)",
        reference="lin2017focal", layout="elementwise", domains=("logits", "labels01"),
        params={"alpha": 0.25, "gamma": 2.0},
        param_sets=(
            {"alpha": 0.25, "gamma": 2.0}, {"alpha": -1.0, "gamma": 0.0},
            {"alpha": 0.5, "gamma": 0.5}, {"alpha": 0.9, "gamma": 5.0},
        ),
    ),
    LossSpec(
        name="hinge", title="Hinge loss", loss=binary.hinge, grad=binary.hinge_grad,
        task="binary", activation="identity (raw score)", input_space="scores",
        formula=r"\max(0,\, 1 - y \hat y)",
        torch="none; torch.clamp(margin - target * scores, min=0)",
        reference="cortes1995support", layout="elementwise", domains=("logits", "signs"),
        params={"margin": 1.0}, param_sets=({"margin": 1.0}, {"margin": 0.5}),
    ),
    LossSpec(
        name="squared_hinge", title="Squared hinge loss",
        loss=binary.squared_hinge, grad=binary.squared_hinge_grad,
        task="binary", activation="identity (raw score)", input_space="scores",
        formula=r"\max(0,\, 1 - y \hat y)^2",
        torch="none; torch.clamp(margin - target * scores, min=0) ** 2",
        reference="fan2008liblinear", layout="elementwise", domains=("logits", "signs"),
        params={"margin": 1.0}, param_sets=({"margin": 1.0}, {"margin": 2.0}),
    ),
    # -- multi-class ---------------------------------------------------------------------
    LossSpec(
        name="cross_entropy", title="Cross-entropy (softmax, from logits)",
        loss=multiclass.cross_entropy, grad=multiclass.cross_entropy_grad,
        task="multi-class", activation="softmax (fused)", input_space="logits",
        formula=r"-\log \operatorname{softmax}(z)_{y}",
        torch="torch.nn.functional.cross_entropy(logits, target)",
        reference="goodfellow2016deep", layout="classes", domains=("logits", "index"),
        params={"label_smoothing": 0.0},
        param_sets=({}, {"label_smoothing": 0.1}, {"weight": (0.2, 1.0, 3.0, 0.7)},
                    {"weight": (0.2, 1.0, 3.0, 0.7), "label_smoothing": 0.3}),
    ),
    LossSpec(
        name="categorical_cross_entropy", title="Categorical cross-entropy (on probabilities)",
        loss=multiclass.categorical_cross_entropy,
        grad=multiclass.categorical_cross_entropy_grad,
        task="multi-class", activation="softmax", input_space="probabilities",
        formula=r"-\sum_c y_c \log \hat y_c",
        torch="-(target * torch.log(probs).clamp(min=-100)).sum(1)",
        reference="goodfellow2016deep", layout="rows", domains=("simplex", "onehot"),
    ),
    LossSpec(
        name="nll", title="Negative log-likelihood (on log-probabilities)",
        loss=multiclass.nll, grad=multiclass.nll_grad,
        task="multi-class", activation="log-softmax", input_space="log-probabilities",
        formula=r"-\log \hat p_{y}",
        torch="torch.nn.functional.nll_loss(log_probs, target)",
        reference="goodfellow2016deep", layout="classes", domains=("logits", "index"),
        param_sets=({}, {"weight": (0.2, 1.0, 3.0, 0.7)}),
    ),
    LossSpec(
        name="multi_margin", title="Multi-class hinge loss",
        loss=multiclass.multi_margin, grad=multiclass.multi_margin_grad,
        task="multi-class", activation="identity (raw scores)", input_space="scores",
        formula=r"\tfrac1C \sum_{j \ne y} \max(0,\, m - s_y + s_j)^p",
        torch="torch.nn.functional.multi_margin_loss(scores, target, p=p, margin=margin)",
        reference="weston1999support", layout="classes", domains=("logits", "index"),
        params={"p": 1, "margin": 1.0},
        param_sets=({"p": 1, "margin": 1.0}, {"p": 2, "margin": 0.5},
                    {"p": 1, "margin": 1.0, "weight": (0.2, 1.0, 3.0, 0.7)}),
    ),
    # -- distributions and embeddings -------------------------------------------------
    LossSpec(
        name="kl_divergence", title="Kullback–Leibler divergence",
        loss=distribution.kl_divergence, grad=distribution.kl_divergence_grad,
        task="distribution", activation="softmax", input_space="probabilities",
        formula=r"\sum_x P(x) \log \frac{P(x)}{Q(x)}",
        torch="torch.nn.functional.kl_div(torch.log(q), p, reduction='batchmean')",
        reference="kullback1951information", layout="rows", domains=("simplex", "simplex"),
        reductions=distribution.KL_REDUCTIONS,
    ),
    LossSpec(
        name="cosine_similarity_loss", title="Cosine similarity loss",
        loss=embedding.cosine_similarity_loss, grad=embedding.cosine_similarity_loss_grad,
        task="embedding", activation="none (embedding)", input_space="embeddings",
        formula=r"1 - \frac{a \cdot b}{\lVert a\rVert\,\lVert b\rVert}",
        torch="1 - torch.nn.functional.cosine_similarity(pred, target, dim=-1)",
        reference="reimers2019sentence", layout="rows", domains=("real", "real"),
    ),
    LossSpec(
        name="triplet_margin", title="Triplet margin loss",
        loss=embedding.triplet_margin, grad=embedding.triplet_margin_grad,
        task="embedding", activation="none (embedding)", input_space="embeddings",
        formula=r"\max(0,\, d(a, p) - d(a, n) + m)",
        torch="torch.nn.functional.triplet_margin_loss(anchor, positive, negative, margin=margin)",
        reference="schroff2015facenet", layout="rows", domains=("real", "real", "real"),
        params={"margin": 1.0}, param_sets=({"margin": 1.0}, {"margin": 0.2}),
    ),
    LossSpec(
        name="info_nce", title="InfoNCE (contrastive)",
        loss=embedding.info_nce, grad=embedding.info_nce_grad,
        task="embedding", activation="softmax over similarities (fused)",
        input_space="embeddings",
        formula=r"-\log \frac{e^{s_{ii}/\tau}}{\sum_j e^{s_{ij}/\tau}}",
        torch="torch.nn.functional.cross_entropy(F.normalize(q) @ F.normalize(k).T / tau, arange(N))",
        reference="oord2018representation", layout="rows", domains=("real", "real"),
        params={"temperature": 0.1}, param_sets=({"temperature": 0.1}, {"temperature": 1.0}),
    ),
)

_BY_NAME = {spec.name: spec for spec in CATALOG}


def by_name(name: str) -> LossSpec:
    """The catalog entry of the loss called ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"name must be a loss in the catalog, got {name!r}") from None


def by_task(task: str) -> tuple:
    """The entries whose main or additional task is ``task``, in catalog order."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    return tuple(s for s in CATALOG if s.task == task or task in s.also_tasks)
