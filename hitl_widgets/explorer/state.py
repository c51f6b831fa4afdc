"""The explorer's state string: a short text that reproduces one exact run (for a link a teacher hands out).

It is compressed JSON, read back by ``json.loads`` and checked field by
field: nothing in it can run code. It holds the settings and what people did,
in order (steps, points picked in "you" panels, a human oracle's answers);
the picks of the strategies follow from those, so the string stays short
however long the run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import urllib.parse
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

VERSION = 2
ACTIONS = {"s": "steps", "c": "a point chosen", "a": "an answer"}


@dataclass
class ExplorerState:
    """Settings and human actions of one exploration run."""

    data: str  # "preset:<name>:<n>:<seed>" or "data:<fingerprint>" for arrays given by the caller
    strategies: list[str]
    learner: str
    batch_size: int
    warm_start: int
    budget: int
    seed: int
    test_size: float = 0.3
    oracle: str = "truth"
    # what people did, in order: ["s", n] n steps, ["c", panel, row] a point chosen, ["a", label] an answer
    actions: list[list[Any]] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return sum(a[1] for a in self.actions if a[0] == "s")

    def to_string(self) -> str:
        """The state as URL-safe text.

        >>> s = ExplorerState("preset:moons:600:3", ["uniform", "margin"], "logistic", 5, 10, 100, 3)
        >>> ExplorerState.from_string(s.to_string()) == s
        True
        """
        raw = json.dumps({"v": VERSION, **asdict(self)}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")

    @classmethod
    def from_string(cls, text: str) -> ExplorerState:
        """Read a state string back, with a clear error for text that is not one."""
        try:
            raw = zlib.decompress(base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4)))
            fields = json.loads(raw)
        except (ValueError, zlib.error, TypeError) as exc:
            raise ValueError(f"not an explorer state string ({exc.__class__.__name__}: {exc})") from None
        if not isinstance(fields, dict) or fields.pop("v", None) != VERSION:
            raise ValueError(f"not an explorer state string of version {VERSION}")
        try:
            state = cls(**{k: fields[k] for k in fields if k in cls.__dataclass_fields__})
        except TypeError as exc:  # a field missing
            raise ValueError(f"explorer state: {exc}") from None
        state.check()
        return state

    def check(self) -> None:
        """Raise ``ValueError`` naming the first field of the wrong type or an action that cannot be."""
        expected = {
            "data": str,
            "strategies": list,
            "learner": str,
            "batch_size": int,
            "warm_start": int,
            "budget": int,
            "seed": int,
            "test_size": (int, float),
            "oracle": str,
            "actions": list,
        }
        for name, kind in expected.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, kind):
                raise ValueError(f"explorer state: {name} has the wrong type ({type(value).__name__})")
        if not all(isinstance(s, str) for s in self.strategies):
            raise ValueError("explorer state: strategies must be names")
        for action in self.actions:
            if not _valid_action(action, self.strategies):
                raise ValueError(f"explorer state: {action!r} is not an action ({', '.join(ACTIONS.values())})")
        if self.steps > self.budget:  # each step labels at least one item per panel
            raise ValueError(f"explorer state: {self.steps} steps are more than the budget of {self.budget} allows")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_action(action: Any, strategies: list[str]) -> bool:
    if not isinstance(action, list) or not action or action[0] not in ACTIONS:
        return False
    kind, rest = action[0], action[1:]
    if kind == "s":
        return len(rest) == 1 and _whole(rest[0]) and rest[0] >= 1
    if kind == "c":
        return len(rest) == 2 and rest[0] in strategies and _whole(rest[1]) and rest[1] >= 0
    return len(rest) == 1 and isinstance(rest[0], (str, int, float)) and not isinstance(rest[0], bool)


def fingerprint(X: np.ndarray, y: np.ndarray) -> str:
    """A short hash of data given as arrays: ``from_state`` checks the caller passes the same data again.

    >>> fingerprint(np.zeros((2, 2)), np.array([0, 1])) == fingerprint(np.zeros((2, 2)), np.array([0, 1]))
    True
    """
    h = hashlib.sha256(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    h.update(json.dumps([str(v) for v in np.asarray(y).tolist()]).encode())
    return h.hexdigest()[:16]


def query_state(query: str | None = None) -> str | None:
    """The ``state=`` of the page's query string (Voila gives the kernel ``QUERY_STRING``), or ``None``.

    A teacher's link ``.../voila/render/05_strategy_explorer.ipynb?state=...`` opens that exact run.

    >>> query_state("state=eNo-abc&x=1"), query_state("")
    ('eNo-abc', None)
    """
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    values = urllib.parse.parse_qs(query).get("state")
    return values[0] if values else None


def served_by_voila(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel runs a notebook Voila serves as an app (Voila says so in ``SERVER_SOFTWARE``).

    A notebook that teaches in JupyterLab and is an app in Voila keeps its cells' printouts out of
    the app's page with it: ``if not served_by_voila(): display(ex.picks)``.

    >>> served_by_voila({"SERVER_SOFTWARE": "voila/0.5.13"}), served_by_voila({})
    (True, False)
    """
    environ = os.environ if environ is None else environ
    return environ.get("SERVER_SOFTWARE", "").startswith("voila/")
