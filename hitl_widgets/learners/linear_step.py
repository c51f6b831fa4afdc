"""One Adam step of a linear softmax head, with the gradient written out (no autograd).

The default pool learner is a bare ``nn.Linear`` on the features. For it,
autograd and the optimizer's bookkeeping cost several times the arithmetic
on a batch of 33 rows. Cross-entropy's gradient for a linear head is
``(softmax - one_hot) / B`` times the inputs, and the update below is
``torch.optim.Adam``'s (default betas and eps, no weight decay), computed in
numpy on views of the head's and the optimizer's own tensors (shared
memory), so a snapshot of the optimizer, an undo and any other head keep
working as before.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn


def bare_linear(net: nn.Module) -> nn.Linear | None:
    """The head when ``net`` is one ``nn.Linear`` (in a one-layer container), else ``None``."""
    if isinstance(net, nn.Sequential) and len(net) == 1 and isinstance(net[0], nn.Linear):
        return net[0]
    return None


def linear_adam_step(
    head: nn.Linear, optimizer: torch.optim.Adam, x: torch.Tensor, y: torch.Tensor, n_classes: int
) -> None:
    """One step on the mean cross-entropy of ``head(x)[:, :n_classes]`` against class indices ``y``.

    >>> torch.manual_seed(0); head = nn.Linear(3, 2); twin = nn.Linear(3, 2)
    <torch._C.Generator object at ...>
    >>> twin.load_state_dict(head.state_dict())
    <All keys matched successfully>
    >>> opt, opt2 = torch.optim.Adam(head.parameters(), lr=0.1), torch.optim.Adam(twin.parameters(), lr=0.1)
    >>> x, y = torch.randn(8, 3), torch.tensor([0, 1] * 4)
    >>> for _ in range(5):
    ...     linear_adam_step(head, opt, x, y, 2)
    ...     loss = nn.functional.cross_entropy(twin(x), y); opt2.zero_grad(); loss.backward(); opt2.step()
    >>> torch.allclose(head.weight, twin.weight, atol=1e-6), torch.allclose(head.bias, twin.bias, atol=1e-6)
    (True, True)
    """
    group = optimizer.param_groups[0]
    lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
    # numpy views of the torch tensors (shared memory): numpy's per-call cost is a fraction of torch's
    W = head.weight.detach().numpy()
    xs, ys = x.numpy(), y.numpy()
    logits = xs @ W[:n_classes].T
    if head.bias is not None:
        logits += head.bias.detach().numpy()[:n_classes]
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(ys)), ys] -= 1.0
    p /= len(ys)
    grad_w = np.zeros_like(W)
    grad_w[:n_classes] = p.T @ xs
    _adam(optimizer, head.weight, grad_w, lr, beta1, beta2, eps)
    if head.bias is not None:
        grad_b = np.zeros_like(head.bias.detach().numpy())
        grad_b[:n_classes] = p.sum(axis=0)
        _adam(optimizer, head.bias, grad_b, lr, beta1, beta2, eps)


def _adam(optimizer: torch.optim.Adam, param: torch.Tensor, grad: np.ndarray, lr, beta1, beta2, eps) -> None:
    """``torch.optim.Adam``'s single-tensor update, on the optimizer's own state for ``param``."""
    state = optimizer.state[param]
    if not state:
        state["step"] = torch.tensor(0.0)
        state["exp_avg"] = torch.zeros_like(param, memory_format=torch.preserve_format)
        state["exp_avg_sq"] = torch.zeros_like(param, memory_format=torch.preserve_format)
    state["step"] += 1
    step = float(state["step"])
    m, v, w = state["exp_avg"].numpy(), state["exp_avg_sq"].numpy(), param.detach().numpy()
    m += (1 - beta1) * (grad - m)  # lerp
    v *= beta2
    v += (1 - beta2) * grad * grad
    denom = np.sqrt(v) / np.float32(math.sqrt(1 - beta2**step)) + np.float32(eps)
    w -= np.float32(lr / (1 - beta1**step)) * m / denom
