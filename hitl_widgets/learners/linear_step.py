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

import functools
import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn


def bare_linear(net: nn.Module) -> nn.Linear | None:
    """The head when ``net`` is one ``nn.Linear`` (in a one-layer container), else ``None``."""
    if isinstance(net, nn.Sequential) and len(net) == 1 and isinstance(net[0], nn.Linear):
        return net[0]
    return None


def linear_adam_steps(
    head: nn.Linear,
    optimizer: torch.optim.Adam,
    X: np.ndarray,
    y: np.ndarray,
    batches: Sequence[np.ndarray],
    n_classes: int,
) -> None:
    """One step per batch (rows of ``X``, class indices in ``y``) on the mean cross-entropy of ``head``'s
    first ``n_classes`` outputs.

    >>> torch.manual_seed(0); head = nn.Linear(3, 2); twin = nn.Linear(3, 2)
    <torch._C.Generator object at ...>
    >>> twin.load_state_dict(head.state_dict())
    <All keys matched successfully>
    >>> opt, opt2 = torch.optim.Adam(head.parameters(), lr=0.1), torch.optim.Adam(twin.parameters(), lr=0.1)
    >>> x, y = torch.randn(8, 3), torch.tensor([0, 1] * 4)
    >>> linear_adam_steps(head, opt, x.numpy(), y.numpy(), [np.arange(8), np.arange(4), np.arange(8)], 2)
    >>> for batch in [slice(0, 8), slice(0, 4), slice(0, 8)]:
    ...     loss = nn.functional.cross_entropy(twin(x[batch]), y[batch]); opt2.zero_grad(); loss.backward(); opt2.step()
    >>> torch.allclose(head.weight, twin.weight, atol=1e-6), torch.allclose(head.bias, twin.bias, atol=1e-6)
    (True, True)
    """
    group = optimizer.param_groups[0]
    hyper = group["lr"], *group["betas"], group["eps"]
    # numpy views of the torch tensors (shared memory): numpy's per-call cost is a fraction of torch's
    W = head.weight.detach().numpy()
    b = None if head.bias is None else head.bias.detach().numpy()
    adam_w = _AdamState(optimizer, head.weight)
    adam_b = None if b is None else _AdamState(optimizer, head.bias)
    grad_w = np.zeros_like(W)  # rows of outputs no class has yet stay zero
    grad_b = None if b is None else np.zeros_like(b)
    for idx in batches:
        xs = X[idx]
        p = xs @ W[:n_classes].T  # logits, then softmax, then the gradient of the loss on the logits
        if b is not None:
            p += b[:n_classes]
        # ufuncs' reduce directly: the ndarray methods add a Python wrapper per call, and these are tiny arrays
        p -= np.maximum.reduce(p, axis=1, keepdims=True)
        np.exp(p, out=p)
        p /= np.add.reduce(p, axis=1, keepdims=True)
        p.ravel()[_one_hot_places(len(idx), n_classes) + y[idx]] -= 1.0
        p /= len(idx)
        np.matmul(p.T, xs, out=grad_w[:n_classes])
        adam_w.step(W, grad_w, *hyper)
        if adam_b is not None:
            np.add.reduce(p, axis=0, out=grad_b[:n_classes])
            adam_b.step(b, grad_b, *hyper)


@functools.lru_cache(maxsize=64)
def _one_hot_places(n_rows: int, n_classes: int) -> np.ndarray:
    """Flat index of the start of each row of an (n_rows, n_classes) array (add a class index per row)."""
    return np.arange(n_rows) * n_classes


class _AdamState:
    """``torch.optim.Adam``'s state for one parameter, as numpy views (made as Adam makes it on a first step)."""

    def __init__(self, optimizer: torch.optim.Adam, param: torch.Tensor):
        state = optimizer.state[param]
        if not state:
            state["step"] = torch.tensor(0.0)
            state["exp_avg"] = torch.zeros_like(param, memory_format=torch.preserve_format)
            state["exp_avg_sq"] = torch.zeros_like(param, memory_format=torch.preserve_format)
        self.n_steps = state["step"].numpy()
        self.m, self.v = state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()
        self.scratch = np.empty_like(self.m)

    def step(self, w: np.ndarray, grad: np.ndarray, lr: float, beta1: float, beta2: float, eps: float) -> None:
        """Adam's single-tensor update of ``w`` in place (no array allocated)."""
        self.n_steps += 1
        step = float(self.n_steps)
        m, v, tmp = self.m, self.v, self.scratch
        np.subtract(grad, m, out=tmp)
        tmp *= 1 - beta1
        m += tmp  # m.lerp_(grad, 1 - beta1)
        v *= beta2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1 - beta2
        v += tmp
        np.sqrt(v, out=tmp)  # the denominator
        tmp /= np.float32(math.sqrt(1 - beta2**step))
        tmp += np.float32(eps)
        np.divide(m, tmp, out=tmp)
        tmp *= np.float32(lr / (1 - beta1**step))
        w -= tmp
