"""The original challenge's model: a mixture as a torch ``nn.Module`` trained by gradient descent.

Kept for teaching: it is what the online EM learner replaces. The challenge's
traps are fixed here: coordinates are standardised once with guarded
statistics (the standard deviation of one point, or of equal points, is not
used as a divisor), and ``params()`` says explicitly that it reports
covariances (variances on the diagonal) and standard deviations.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from ..validation import as_matrix
from . import maths as gm


class GradientGMM(nn.Module):
    """Diagonal Gaussian mixture with softmax weights and softplus scales.

    Parameters
    ----------
    n_components
        Number of components K.
    dim
        Dimension D of the points.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-3, 0.5, (100, 2)), rng.normal(3, 0.5, (100, 2))])
    >>> model = fit_gradient(X, n_components=2, epochs=300, seed=0)
    >>> sorted(round(m[0]) for m in model.params()["means"])
    [-3, 3]
    """

    def __init__(self, n_components: int = 5, dim: int = 2):
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(n_components, dtype=gm.DTYPE))
        self.means = nn.Parameter(torch.zeros(n_components, dim, dtype=gm.DTYPE))
        self.raw_scales = nn.Parameter(torch.zeros(n_components, dim, dtype=gm.DTYPE))
        self.register_buffer("shift", torch.zeros(dim, dtype=gm.DTYPE))
        self.register_buffer("scale", torch.ones(dim, dtype=gm.DTYPE))

    def scales(self) -> torch.Tensor:
        """Per-axis standard deviations in standardised coordinates (softplus keeps them positive)."""
        return nn.functional.softplus(self.raw_scales) + 1e-3

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Log-density of each row of ``X`` (caller's coordinates), shape (N,)."""
        Z = (X - self.shift) / self.scale
        s = self.scales()
        log_w = torch.log_softmax(self.logits, 0)
        d = (Z[:, None, :] - self.means[None]) / s[None]
        comp = -0.5 * (d * d).sum(-1) - torch.log(s).sum(-1) - 0.5 * Z.shape[1] * gm.LOG_2PI
        # the Jacobian of the standardisation keeps densities in the caller's units
        return torch.logsumexp(log_w + comp, 1) - torch.log(self.scale).sum()

    def score_samples(self, X: Any) -> np.ndarray:
        """Log-density of each row, as numpy."""
        with torch.no_grad():
            return self(as_matrix(X, self.means.shape[1], where="GradientGMM.score_samples")).numpy()

    def params(self) -> dict[str, Any]:
        """Weights, means, full (diagonal) ``covariances`` and ``stddevs``, in the caller's units."""
        with torch.no_grad():
            sd = self.scales() * self.scale
            cov = torch.diag_embed(sd**2)
            return {
                "n_components": int(self.logits.shape[0]),
                "weights": torch.softmax(self.logits, 0).tolist(),
                "means": (self.means * self.scale + self.shift).tolist(),
                "covariances": cov.tolist(),
                "stddevs": sd.tolist(),
            }


def fit_gradient(X: Any, n_components: int = 5, *, epochs: int = 500, lr: float = 0.05, seed: int = 0) -> GradientGMM:
    """Full-batch Adam on the negative log-likelihood from a random start (the challenge's recipe)."""
    Xt = as_matrix(X, None, where="fit_gradient")
    if Xt.shape[0] == 0:
        raise ValueError("fit_gradient: X has no rows")
    g = torch.Generator().manual_seed(seed)
    model = GradientGMM(n_components, Xt.shape[1])
    sd = Xt.std(0, unbiased=False) if Xt.shape[0] > 1 else torch.ones(Xt.shape[1], dtype=gm.DTYPE)
    model.shift.copy_(Xt.mean(0))
    model.scale.copy_(torch.where(sd > 1e-9, sd, torch.ones_like(sd)))
    with torch.no_grad():
        model.means.copy_(torch.randn(n_components, Xt.shape[1], generator=g, dtype=gm.DTYPE))
        model.raw_scales.fill_(math.log(math.e - 1.0))  # softplus(raw) = 1
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        loss = -model(Xt).mean()
        loss.backward()
        opt.step()
    return model
