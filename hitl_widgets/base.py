"""River-style estimator base: constructors only store their arguments.

``repr``, ``clone`` and ``_get_params`` are derived from the ``__init__``
signature, so every learner and sampler gets them for free.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any, TypeVar

E = TypeVar("E", bound="Estimator")


class Estimator:
    """Base class whose parameters are exactly the ``__init__`` arguments.

    Examples
    --------
    >>> class Coin(Estimator):
    ...     def __init__(self, p: float = 0.5, seed: int = 0):
    ...         self.p = p
    ...         self.seed = seed
    >>> Coin(p=0.3)
    Coin(p=0.3, seed=0)
    >>> Coin(p=0.3).clone(seed=7)
    Coin(p=0.3, seed=7)
    """

    def _get_params(self) -> dict[str, Any]:
        sig = inspect.signature(type(self).__init__)
        return {
            name: getattr(self, name)
            for name, p in sig.parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        }

    def clone(self: E, **new_params: Any) -> E:
        """A fresh, unfitted copy with the same parameters (some may be overridden)."""
        params = {k: copy.deepcopy(v) for k, v in self._get_params().items()}
        params.update(new_params)
        return type(self)(**params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._get_params().items())
        return f"{type(self).__name__}({args})"
