"""Adam steps of a linear softmax head, with the gradient written out (no autograd).

The default pool learner is a bare ``nn.Linear`` on the features. For it,
autograd and the optimizer's bookkeeping cost several times the arithmetic
on a batch of 33 rows. Cross-entropy's gradient for a linear head is
``(softmax - one_hot) / B`` times the inputs (with a column of ones for the
bias), computed in numpy, and the update is ``torch.optim.Adam``'s (default
betas and eps, no weight decay): torch's fused CPU kernel, or numpy where
there is none. Adam is elementwise, so the weight and the bias are updated
as one matrix ``[W | b]``: :class:`LinearAdam` keeps them, and Adam's
moments, packed side by side, and points the head's and the optimizer's
tensors at views of that memory, so a snapshot of the optimizer, an undo, a
prediction and any other reader see the same numbers as before. On arrays
this small the calls are the cost, and packing halves them (a relabel learns
hundreds of labels again, three steps each).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn


def _fused_adam_on_cpu():
    """torch's fused Adam kernel (what ``Adam(fused=True)`` calls) if it runs on CPU tensors here, else None.

    One call instead of about a dozen numpy calls per step. torch 2.3 has the
    kernel for CUDA only; one step on a one-element tensor tells.
    """
    kernel = getattr(torch, "_fused_adam_", None)
    if kernel is None:
        return None
    w, grad, m, v = (torch.zeros(1) for _ in range(4))
    try:
        kernel([w], [grad], [m], [v], [], [torch.ones(())], amsgrad=False, lr=0.1, beta1=0.9, beta2=0.999,
               weight_decay=0.0, eps=1e-8, maximize=False)  # fmt: skip
    except (RuntimeError, NotImplementedError, TypeError):
        return None
    return kernel


# ``torch.optim.Adam`` counts the step before it calls the kernel, and so do we.
_FUSED_ADAM = _fused_adam_on_cpu()


def bare_linear(net: nn.Module) -> nn.Linear | None:
    """The head when ``net`` is one ``nn.Linear`` (in a one-layer container), else ``None``."""
    if isinstance(net, nn.Sequential) and len(net) == 1 and isinstance(net[0], nn.Linear):
        return net[0]
    return None


class LinearAdam:
    """``torch.optim.Adam`` on a linear head's ``[W | b]``, kept packed in numpy memory the tensors view.

    Build it with :meth:`for_head`, which gives back the one it was passed
    while the head's and the optimizer's tensors still view its memory (a
    restored snapshot, a grown head, a deep copy or a new optimizer replace
    them: it then packs them again).

    >>> torch.manual_seed(0); head = nn.Linear(3, 2); twin = nn.Linear(3, 2)
    <torch._C.Generator object at ...>
    >>> twin.load_state_dict(head.state_dict())
    <All keys matched successfully>
    >>> opt, opt2 = torch.optim.Adam(head.parameters(), lr=0.1), torch.optim.Adam(twin.parameters(), lr=0.1)
    >>> x, y = torch.randn(8, 3), torch.tensor([0, 1] * 4)
    >>> fast = LinearAdam.for_head(head, opt, None)
    >>> fast.steps(x.numpy(), y.numpy(), [np.arange(8), np.arange(4)], 2)
    >>> LinearAdam.for_head(head, opt, fast) is fast  # the tensors still view its memory
    True
    >>> fast.steps(x.numpy(), y.numpy(), [np.arange(8)], 2)
    >>> for batch in [slice(0, 8), slice(0, 4), slice(0, 8)]:
    ...     loss = nn.functional.cross_entropy(twin(x[batch]), y[batch]); opt2.zero_grad(); loss.backward(); opt2.step()
    >>> torch.allclose(head.weight, twin.weight, atol=1e-6), torch.allclose(head.bias, twin.bias, atol=1e-6)
    (True, True)
    >>> moments, moments2 = opt.state[head.weight], opt2.state[twin.weight]
    >>> float(opt.state[head.bias]["step"]), torch.allclose(moments["exp_avg"], moments2["exp_avg"])
    (3.0, True)
    """

    def __init__(self, head: nn.Linear, optimizer: torch.optim.Adam):
        self.params = [head.weight] if head.bias is None else [head.weight, head.bias]
        self.has_bias = head.bias is not None
        self.n_inputs = head.in_features
        self.group = optimizer.param_groups[0]
        self.states = [_adam_state(optimizer, p) for p in self.params]
        self.n_steps = float(self.states[0]["step"])
        self.w, views = _packed(self.params)
        for param, view in zip(self.params, views, strict=True):
            param.data = view
        self.m, self.v = (self._packed_moment(key) for key in ("exp_avg", "exp_avg_sq"))
        self.scratch = np.empty_like(self.m)
        self.addresses = [a.ctypes.data for a in (self.w, self.m, self.v)]  # read once: .ctypes costs microseconds
        self.grad = np.zeros_like(self.w)  # rows of outputs no class has yet stay zero
        self.buffer = np.ones((0, self.w.shape[1]), dtype=np.float32)  # the batches' inputs and a column of ones
        self.fused_tensors = tuple(torch.from_numpy(a) for a in (self.w, self.grad, self.m, self.v))

    @classmethod
    def for_head(cls, head: nn.Linear, optimizer: torch.optim.Adam, previous: LinearAdam | None) -> LinearAdam:
        """``previous`` while the head's and the optimizer's tensors still view its memory, else a new one."""
        if previous is not None and previous.views(head, optimizer):
            return previous
        return cls(head, optimizer)

    def views(self, head: nn.Linear, optimizer: torch.optim.Adam) -> bool:
        """Whether ``head``'s and ``optimizer``'s tensors are views of this packed memory."""
        weight = head.weight
        if weight is not self.params[0] or weight.data_ptr() != self.addresses[0]:
            return False  # another head (grown, deep-copied), or weights loaded in new memory
        states = optimizer.state
        if any(states.get(p) is not s for p, s in zip(self.params, self.states, strict=True)):
            return False  # a restored snapshot or a new optimizer: new state dicts
        state = self.states[0]
        return (state["exp_avg"].data_ptr(), state["exp_avg_sq"].data_ptr()) == tuple(self.addresses[1:])

    def steps(self, X: np.ndarray, y: np.ndarray, batches: Sequence[np.ndarray], n_classes: int) -> None:
        """One step per batch (rows of ``X``, class indices in ``y``) on the mean cross-entropy of the head's
        first ``n_classes`` outputs."""
        if not batches:  # a learner asked for no steps
            return
        rows = np.concatenate(batches) if len(batches) > 1 else batches[0]
        sizes = tuple(len(idx) for idx in batches)
        # every batch's inputs in one gather, with a column of ones when there is a bias: then one matmul
        # gives the logits with the bias and one the gradient of [W | b]
        xs_all = self._inputs(X, rows)
        hot = _one_hot_places(sizes, n_classes) + y[rows]  # flat places of the true classes in each batch's p
        W, grad = self.w[:n_classes], self.grad[:n_classes]
        start = 0
        for b in sizes:
            xs = xs_all[start : start + b]
            p = xs @ W.T  # logits, then softmax, then the gradient of the loss on the logits
            # ufuncs' reduce directly: the ndarray methods add a Python wrapper per call, and these are tiny arrays
            p -= np.maximum.reduce(p, axis=1, keepdims=True)
            np.exp(p, out=p)
            p /= np.add.reduce(p, axis=1, keepdims=True)
            p.ravel()[hot[start : start + b]] -= 1.0
            p /= b
            np.matmul(p.T, xs, out=grad)
            self._adam_step()
            start += b
        for state in self.states:
            state["step"].fill_(self.n_steps)

    def _inputs(self, X: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``X[rows]``, with a last column of ones when the head has a bias (a buffer reused between calls)."""
        if not self.has_bias:
            return X[rows]
        n, d = len(rows), self.n_inputs
        if self.buffer.shape[0] < n:
            self.buffer = np.ones((n, d + 1), dtype=np.float32)
        out = self.buffer[:n]
        np.take(X, rows, axis=0, out=out[:, :d])
        return out

    def _adam_step(self) -> None:
        """Adam's update of the packed weights in place: torch's fused CPU kernel (one call), else numpy."""
        group = self.group
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        self.n_steps += 1
        if _FUSED_ADAM is not None:
            step = self.states[0]["step"]  # the kernel reads the count from the weight's Adam state
            step.fill_(self.n_steps)
            w, grad, m, v = self.fused_tensors
            _FUSED_ADAM(
                [w], [grad], [m], [v], [], [step],
                amsgrad=False, lr=lr, beta1=beta1, beta2=beta2, weight_decay=0.0, eps=eps, maximize=False,
            )  # fmt: skip
            return
        m, v, tmp, grad = self.m, self.v, self.scratch, self.grad
        np.subtract(grad, m, out=tmp)
        tmp *= 1 - beta1
        m += tmp  # m.lerp_(grad, 1 - beta1)
        v *= beta2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1 - beta2
        v += tmp
        np.sqrt(v, out=tmp)  # the denominator
        tmp /= np.float32(math.sqrt(1 - beta2**self.n_steps))
        tmp += np.float32(eps)
        np.divide(m, tmp, out=tmp)
        tmp *= np.float32(lr / (1 - beta1**self.n_steps))
        self.w -= tmp

    def _packed_moment(self, key: str) -> np.ndarray:
        """One of Adam's moments packed, and the optimizer's state pointed at views of it."""
        packed, views = _packed([state[key] for state in self.states])
        for state, view in zip(self.states, views, strict=True):
            state[key] = view
        return packed


@functools.lru_cache(maxsize=64)
def _one_hot_places(sizes: tuple[int, ...], n_classes: int) -> np.ndarray:
    """Flat index of the start of each row of (size, n_classes) arrays, one after another for each size
    (add a class index per row)."""
    return np.concatenate([np.arange(size) * n_classes for size in sizes])


def _adam_state(optimizer: torch.optim.Adam, param: torch.Tensor) -> dict:
    """The parameter's Adam state, made as Adam makes it on a first step when there is none."""
    state = optimizer.state[param]
    if not state:
        state["step"] = torch.tensor(0.0)
        state["exp_avg"] = torch.zeros_like(param, memory_format=torch.preserve_format)
        state["exp_avg_sq"] = torch.zeros_like(param, memory_format=torch.preserve_format)
    return state


def _packed(tensors: list[torch.Tensor]) -> tuple[np.ndarray, list[torch.Tensor]]:
    """``[W | b]`` of a weight and (when given) a bias in new memory, and views of it shaped as they were."""
    weight = tensors[0].detach().numpy()
    n_inputs = weight.shape[1]
    packed = np.empty((weight.shape[0], n_inputs + len(tensors) - 1), dtype=np.float32)
    packed[:, :n_inputs] = weight
    shared = torch.from_numpy(packed)
    views = [shared[:, :n_inputs]]
    if len(tensors) == 2:
        packed[:, -1] = tensors[1].detach().numpy()
        views.append(shared[:, -1])
    return packed, views
