"""Any torch ``nn.Module`` as an online classifier: a few SGD steps per label, with replay."""

from __future__ import annotations

import copy
import os
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from .._threads import single_threaded
from ..base import Estimator
from .linear_step import LinearAdam, bare_linear
from .protocol import plain_label
from .replay_memory import ReplayMemory


class TorchClassifier(Estimator):
    """Learns from one label at a time, river style, with a torch module.

    Each ``learn_one`` takes ``steps`` optimizer steps on a mini-batch made of
    the new example and up to ``replay`` earlier ones drawn at random, so the
    model keeps what it learned (no catastrophic forgetting on small data).
    Classes may appear at any time: they take the module's outputs in order of
    appearance, and when they outnumber the outputs, the last ``nn.Linear``
    grows (its learned rows are kept). Work runs on one thread.

    Parameters
    ----------
    module
        Maps a float32 batch (B, ...) to logits (B, n_outputs). Deep-copied:
        the caller's module is never trained in place.
    output_classes
        The classes the module's outputs already stand for, in order (a
        pretrained classifier; see :meth:`from_pretrained`). ``None``: outputs
        are given to classes as they appear.
    input_shape
        Shape of one item for the module, e.g. ``(1, 8, 8)`` for a CNN on 8x8
        grayscale images; feature rows are reshaped to it. ``None``: rows as they are.
    lr, steps, replay
        Adam learning rate, steps per label, how many earlier labels to replay.
    seed
        Seeds the replay draws and the weights of grown output rows.

    Examples
    --------
    >>> import numpy as np
    >>> from torch import nn
    >>> rng = np.random.default_rng(0)
    >>> clf = TorchClassifier(nn.Linear(2, 1), seed=0)
    >>> hits = 0
    >>> for i in range(300):
    ...     y = ["left", "right"][i % 2]
    ...     x = rng.normal(-2 if y == "left" else 2, 1.0, size=2)
    ...     hits += i >= 100 and clf.predict_one(x) == y
    ...     clf.learn_one(x, y)
    >>> hits / 200 > 0.9
    True
    >>> clf.classes
    ['left', 'right']
    """

    takes_tensors = True  # predict_proba_many reads float32 tensors as they are

    def __init__(
        self,
        module: nn.Module,
        *,
        output_classes: Sequence[Hashable] | None = None,
        input_shape: Sequence[int] | None = None,
        lr: float = 1e-2,
        steps: int = 3,
        replay: int = 32,
        seed: int = 0,
    ):
        self.module = module
        self.output_classes = None if output_classes is None else [plain_label(c) for c in output_classes]
        self.pretrained = False
        self.input_shape = None if input_shape is None else tuple(int(d) for d in input_shape)
        self.lr = lr
        self.steps = steps
        self.replay = replay
        self.seed = seed
        self._net: nn.Module | None = None
        self._linear_adam: LinearAdam | None = None  # the default head's packed weights (see linear_step)
        if self.output_classes is not None:
            self._init()

    @classmethod
    def from_pretrained(
        cls,
        module: nn.Module,
        classes: Sequence[Hashable] | int,
        state_dict: Mapping[str, Any] | str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> TorchClassifier:
        """A trained classifier: its architecture, its weights, and the class of each output.

        ``state_dict`` is a dict or a file saved with ``torch.save(model.state_dict(), path)``
        (read with ``weights_only=True``); ``classes`` names the outputs in order, or
        gives their number (classes ``0 .. n-1``). Labels of new classes grow the head.

        >>> net = nn.Linear(4, 3)
        >>> clf = TorchClassifier.from_pretrained(net, ["cat", "dog", "owl"], net.state_dict())
        >>> clf.classes, clf.predict_proba_many(np.zeros((1, 4))).shape
        (['cat', 'dog', 'owl'], (1, 3))
        """
        names = list(range(classes)) if isinstance(classes, int) else list(classes)
        net = copy.deepcopy(module)
        if state_dict is not None:
            if not isinstance(state_dict, Mapping):
                state_dict = torch.load(state_dict, weights_only=True)
            try:
                net.load_state_dict(state_dict)
            except RuntimeError as exc:
                raise ValueError(f"TorchClassifier.from_pretrained: the weights do not fit the module: {exc}") from None
        _, head = _last_linear(net)
        if head.out_features < len(names):
            raise ValueError(
                f"TorchClassifier.from_pretrained: {len(names)} classes but the output layer has "
                f"{head.out_features} outputs"
            )
        clf = cls(net, output_classes=names, **kwargs)
        clf.pretrained = True  # its outputs mean something before any label: samplers rank with it at once
        return clf

    # ----------------------------------------------------------------- state
    def _init(self) -> None:
        net = copy.deepcopy(self.module).float()
        # a bare linear head goes into a container so that it can be replaced when it grows
        self._net = nn.Sequential(net) if isinstance(net, nn.Linear) else net
        _last_linear(self._net)  # fail early, with a clear message, when there is no output layer
        self._optimizer = torch.optim.Adam(self._net.parameters(), lr=self.lr)
        self._classes: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        self._memory = ReplayMemory()
        self._rng = np.random.default_rng(self.seed)
        for y in self.output_classes or []:
            self._add_class(y)

    @property
    def classes(self) -> list[Hashable]:
        """Classes seen so far, in order of first appearance (the columns of ``predict_proba_many``)."""
        return list(self._classes) if self._net is not None else []

    @property
    def n_labels(self) -> int:
        return len(self._memory) if self._net is not None else 0

    # -------------------------------------------------------------- learning
    def learn_one(self, x: Any, y: Hashable) -> None:
        """Take ``steps`` optimizer steps on this example plus replayed earlier ones."""
        if self._net is None:
            self._init()
        y = plain_label(y)
        xt = _as_tensor(x)
        with single_threaded():
            if y not in self._index:
                self._add_class(y)
            self._memory.append(xt.numpy(), self._index[y])
            if not self._net.training:
                self._net.train()
            batches = self._replay_batches()
            X, labels = self._memory.rows, self._memory.labels
            head = bare_linear(self._net) if self.input_shape is None else None
            if head is not None:  # the default head: the same Adam steps, their gradient written out
                self._linear_adam = LinearAdam.for_head(head, self._optimizer, self._linear_adam)
                self._linear_adam.steps(X, labels, batches, len(self._classes))
                return
            for idx in batches:
                logits = self._forward(torch.from_numpy(X[idx]))
                loss = nn.functional.cross_entropy(logits, torch.from_numpy(labels[idx]))
                self._optimizer.zero_grad()
                loss.backward()
                self._optimizer.step()

    def learn_many(self, X: Any, y: Any) -> None:
        """``learn_one`` for each pair, in order."""
        for xi, yi in zip(X, y, strict=True):
            self.learn_one(xi, yi)

    def _replay_batches(self) -> list[np.ndarray]:
        """One batch per step: the newest example and up to ``replay`` earlier ones drawn without replacement.

        With enough earlier examples the steps' draws are one draw (no example
        twice in a step or across the steps); a draw costs more than the
        arithmetic of a step here.
        """
        newest = len(self._memory) - 1
        if newest == 0 or self.replay == 0:
            return [np.array([newest])] * self.steps
        if newest >= self.steps * self.replay:
            batches = np.empty((self.steps, self.replay + 1), dtype=np.int64)
            batches[:, 0] = newest
            batches[:, 1:] = self._rng.choice(newest, size=(self.steps, self.replay), replace=False)
            return list(batches)
        return [np.concatenate(([newest], self._rng.choice(newest, size=min(self.replay, newest), replace=False)))
                for _ in range(self.steps)]  # fmt: skip

    def _add_class(self, y: Hashable) -> None:
        self._index[y] = len(self._classes)
        self._classes.append(y)
        name, head = _last_linear(self._net)
        if head.out_features < len(self._classes):
            grown = nn.Linear(head.in_features, len(self._classes), bias=head.bias is not None)
            with torch.no_grad():
                gen = torch.Generator().manual_seed(self.seed + len(self._classes))
                grown.weight.normal_(0.0, 0.01, generator=gen)
                grown.weight[: head.out_features] = head.weight
                if head.bias is not None:
                    grown.bias.zero_()
                    grown.bias[: head.out_features] = head.bias
            _set_module(self._net, name, grown)
            self._optimizer = torch.optim.Adam(self._net.parameters(), lr=self.lr)

    def _forward(self, rows: torch.Tensor) -> torch.Tensor:
        if self.input_shape is not None:
            rows = rows.reshape(len(rows), *self.input_shape)
        return self._net(rows)[:, : len(self._classes)]

    # ------------------------------------------------------------ predicting
    def predict_proba_many(self, X: Any, batch_size: int = 16384) -> np.ndarray:
        """(N, C) probabilities over :attr:`classes`; an empty (N, 0) array before any label."""
        Xt = _as_tensor(X)
        if self._net is None or not self._classes:
            return np.zeros((len(Xt), 0))
        out = []
        with single_threaded(), torch.no_grad():
            self._net.eval()
            for start in range(0, len(Xt), batch_size):
                logits = self._forward(Xt[start : start + batch_size])
                out.append(torch.softmax(logits, 1))
        return torch.cat(out).double().numpy()

    def predict_proba_one(self, x: Any) -> dict[Hashable, float]:
        """Class probabilities of one item (empty before any label, as river does)."""
        p = self.predict_proba_many(_as_tensor(x)[None])
        return dict(zip(self._classes, p[0].tolist(), strict=True)) if p.shape[1] else {}

    def predict_one(self, x: Any) -> Hashable | None:
        proba = self.predict_proba_one(x)
        return max(proba, key=proba.__getitem__) if proba else None

    # ------------------------------------------------------------ going back
    def snapshot(self) -> dict[str, Any]:
        """What learning changes, copied: weights, optimizer moments, classes, the replay draws' state.

        The examples kept for replay only grow, so their count is enough.
        :meth:`restore` brings the model back exactly (an undo). The tensors
        are copied as numpy arrays, parameter by parameter, not through
        ``state_dict()``: a relabel takes one snapshot per label it learns again.
        """
        if self._net is None:
            return {"fresh": True}
        params = list(self._net.parameters())
        return {
            "fresh": False,
            "tensors": [t.detach().numpy().copy() for t in (*params, *self._net.buffers())],
            "optimizer": [_copied_state(self._optimizer.state.get(p)) for p in params],
            "classes": list(self._classes),
            "n_examples": len(self._memory),
            "rng": self._rng.bit_generator.state,  # a new dict on every read
        }

    def restore(self, saved: Mapping[str, Any]) -> None:
        """Go back to a :meth:`snapshot` (the snapshot stays as it was, so it can be restored again)."""
        if saved["fresh"]:
            self._net = None
            return
        if list(self._classes) != saved["classes"]:  # the head grew since: build it again at the saved size
            memory = self._memory
            self._init()
            self._memory = memory
            for y in saved["classes"]:
                if y not in self._index:
                    self._add_class(y)
            self._optimizer = torch.optim.Adam(self._net.parameters(), lr=self.lr)
        params = list(self._net.parameters())
        with torch.no_grad():
            for t, a in zip((*params, *self._net.buffers()), saved["tensors"], strict=True):
                t.copy_(torch.from_numpy(a))
        for p, state in zip(params, saved["optimizer"], strict=True):
            if state is None:
                self._optimizer.state.pop(p, None)
            else:
                self._optimizer.state[p] = {
                    k: torch.from_numpy(v.copy()) if isinstance(v, np.ndarray) else v for k, v in state.items()
                }
        self._memory.truncate(saved["n_examples"])
        self._rng.bit_generator.state = saved["rng"]

    # ------------------------------------------------------------ checkpoints
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the weights and the class list (a ``state_dict``; no pickled code)."""
        if self._net is None:
            raise ValueError("TorchClassifier.save: nothing learned yet")
        torch.save({"state_dict": self._net.state_dict(), "classes": list(self._classes)}, path)

    def state(self) -> dict[str, Any]:
        """The weights and class list (what :meth:`save` writes), for a checkpoint."""
        if self._net is None:
            return {"state_dict": {}, "classes": []}
        return {"state_dict": {k: v.clone() for k, v in self._net.state_dict().items()}, "classes": list(self._classes)}

    def load_state(self, saved: Mapping[str, Any]) -> TorchClassifier:
        """Take weights from :meth:`state`; the examples learned so far stay for replay."""
        if not saved["classes"]:
            return self
        if self._net is None:
            self._init()
        for y in saved["classes"]:
            if y not in self._index:
                self._add_class(y)
        if list(self._classes) != list(saved["classes"]):
            raise ValueError(
                f"TorchClassifier.load_state: the saved classes {saved['classes']} are not in this model's order "
                f"{self._classes}"
            )
        self._net.load_state_dict(saved["state_dict"])
        self._optimizer = torch.optim.Adam(self._net.parameters(), lr=self.lr)
        return self

    def load(self, path: str | os.PathLike[str]) -> TorchClassifier:
        """Read weights saved by :meth:`save` (``weights_only=True``: loading runs no code from the file)."""
        saved = torch.load(path, weights_only=True)
        self._init()
        for y in saved["classes"]:
            self._add_class(y)
        self._net.load_state_dict(saved["state_dict"])
        return self


def _copied_state(state: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """One parameter's optimizer state with its tensors copied as numpy arrays (``None`` before a first step)."""
    if not state:
        return None
    return {k: v.detach().numpy().copy() if isinstance(v, torch.Tensor) else v for k, v in state.items()}


def default_learner(n_features: int, labels: Sequence[Hashable] | None = None, seed: int = 0) -> Any:
    """A linear softmax head on the features, trained online (fast to score a whole pool).

    With the label set known its outputs are those labels in order (the pool's
    probabilities need no reordering); otherwise it grows a row per new label.
    """
    with torch.random.fork_rng(devices=[]):  # the same seed starts from the same weights
        torch.manual_seed(seed)
        head = nn.Linear(n_features, max(2, len(labels or ())))
    return TorchClassifier(head, output_classes=labels, lr=0.05, steps=3, replay=32, seed=seed)


def _as_tensor(x: Any) -> torch.Tensor:
    if isinstance(x, Mapping):
        x = list(x.values())
    if isinstance(x, torch.Tensor):
        return x.detach().float()
    arr = np.asarray(x, dtype=np.float32)
    if not np.isfinite(arr).all():
        raise ValueError("TorchClassifier: features must be finite numbers (got NaN or infinity)")
    return torch.from_numpy(arr)


def _last_linear(module: nn.Module) -> tuple[str, nn.Linear]:
    linears = [(name, m) for name, m in module.named_modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("TorchClassifier: the module needs an nn.Linear output layer to take new classes")
    return linears[-1]


def _set_module(root: nn.Module, dotted: str, new: nn.Module) -> None:
    parent_name, _, leaf = dotted.rpartition(".")
    parent = root.get_submodule(parent_name) if parent_name else root
    setattr(parent, leaf, new)
