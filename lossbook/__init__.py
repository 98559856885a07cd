"""lossbook: the loss functions of deep learning in NumPy, with their gradients.

Every loss takes the model's output first and the target second, as PyTorch does, and a
keyword ``reduction`` (``"mean"``, ``"sum"`` or ``"none"``). Beside each loss ``name``
sits ``name_grad``, with the same signature and a last keyword ``wrt``, returning the
gradient of the reduced loss with respect to the input ``wrt`` names (default: the first
argument; the catalog's ``learned`` lists the others, such as both towers of a
contrastive loss). :mod:`lossbook.catalog` describes every loss; the
book's tables and the test suite are generated from it.

Importing lossbook imports NumPy and nothing else; :mod:`lossbook.plotting` (matplotlib)
is imported only on request.
"""

from . import catalog
from .activations import (
    log_sigmoid,
    log_sigmoid_grad,
    log_softmax,
    log_softmax_vjp,
    logsumexp,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_vjp,
)
from .binary import (
    bce,
    bce_grad,
    bce_with_logits,
    bce_with_logits_grad,
    hinge,
    hinge_grad,
    sigmoid_focal,
    sigmoid_focal_grad,
    squared_hinge,
    squared_hinge_grad,
    weighted_bce,
    weighted_bce_grad,
)
from .distribution import (distillation, distillation_grad, kl_div, kl_div_grad,
                           kl_divergence, kl_divergence_grad)
from .embedding import (
    cosine_similarity_loss,
    cosine_similarity_loss_grad,
    info_nce,
    info_nce_grad,
    nt_xent,
    nt_xent_grad,
    symmetric_info_nce,
    symmetric_info_nce_grad,
    triplet_margin,
    triplet_margin_grad,
)
from .multiclass import (
    categorical_cross_entropy,
    categorical_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    multi_margin,
    multi_margin_grad,
    nll,
    nll_grad,
    softmax_focal,
    softmax_focal_grad,
)
from .ordinal import coral, coral_grad, cumulative_link, cumulative_link_grad
from .overlap import (
    dice_bce,
    dice_bce_grad,
    focal_tversky,
    focal_tversky_grad,
    soft_dice,
    soft_dice_grad,
    tversky,
    tversky_grad,
)
from .pairs import (
    contrastive,
    contrastive_grad,
    cosine_embedding,
    cosine_embedding_grad,
    hinge_embedding,
    hinge_embedding_grad,
    margin_ranking,
    margin_ranking_grad,
)
from .regression import (
    gaussian_nll,
    gaussian_nll_grad,
    huber,
    huber_grad,
    log_cosh,
    log_cosh_grad,
    mae,
    mae_grad,
    mse,
    mse_grad,
    poisson_nll,
    poisson_nll_grad,
    quantile,
    quantile_grad,
    smooth_l1,
    smooth_l1_grad,
)
from .sequence import ctc, ctc_grad

__version__ = "0.1.0"

LOSSES = tuple(spec.name for spec in catalog.CATALOG)
