"""The headless strategy explorer: query strategies side by side on one pool, an oracle answering.

Each strategy gets a *panel*: a :class:`~hitl_widgets.Session` over the same
pool, the same held-out split and the same warm start, with its own copy of
the learner. A step asks every panel for its next batch (the picks shown
before they are asked), the oracle answers, the models learn online. The
``"you"`` panel's picks are the points a person chooses; with
``oracle="human"`` a person answers every pick. Widgets render an
:class:`Exploration`; a script or a test drives it the same way.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ..learners.protocol import accuracy as accuracy_of
from ..learners.protocol import fresh_copy, plain_label
from ..samplers import get as get_sampler
from ..sessions.pool.session import Session
from .presets import make_learner, make_preset
from .state import ExplorerState, fingerprint

YOU = "you"  # the panel whose picks a person chooses
MAX_PANELS = 6
ORACLES = ("truth", "human")


class Exploration:
    """Strategies side by side on one pool; ``step()`` asks, the oracle answers, every model learns.

    Parameters
    ----------
    X, y
        Features (two or more columns) and true labels. Data of more than two
        dimensions is shown through a PCA projection, or ``xy`` (N, 2).
    strategies
        Sampler names (:func:`hitl_widgets.samplers.get`) and ``"you"``, up to
        six; ``"uniform"`` is added when missing, as the baseline.
    learner
        A preset name (``"logistic"``, ``"knn"``, ``"mlp"``, ``"gmm"``) or a
        river-style learner; every panel learns on its own fresh copy.
    batch_size, warm_start, budget
        Picks per step, labels given at random before the first step (the same
        items in every panel), and the most labels a panel gets.
    oracle
        ``"truth"``: the true labels answer. ``"human"``: the picks wait in
        :attr:`pending` for :meth:`answer` (machine teaching).

    Examples
    --------
    >>> ex = Exploration.from_preset("moons", ["margin", "kcenter"], n=300, seed=3, warm_start=6, batch_size=4)
    >>> list(ex.panels), [len(p) for p in ex.picks.values()]
    (['margin', 'kcenter', 'uniform'], [4, 4, 4])
    >>> ex.step(2)
    >>> [ex.n_labels(s) for s in ex.panels]
    [14, 14, 14]
    >>> again = Exploration.from_state(ex.state)
    >>> again.picks == ex.picks
    True
    """

    def __init__(
        self,
        X: Any,
        y: Sequence[Hashable],
        strategies: Sequence[str] = ("uniform", "margin", "kcenter"),
        learner: str | Any = "logistic",
        *,
        batch_size: int = 5,
        warm_start: int = 10,
        budget: int = 100,
        seed: int = 0,
        test_size: float = 0.3,
        oracle: str = "truth",
        xy: Any = None,
        data_key: str | None = None,
    ):
        self.X, self.y = _check_data(X, y)
        self.classes: list[Hashable] = sorted(set(self.y.tolist()), key=str)
        self.strategies = _check_strategies(strategies)
        self.learner = learner
        self.batch_size, self.warm_start, self.budget = _check_counts(batch_size, warm_start, budget, len(self.X))
        if oracle not in ORACLES:
            raise ValueError(f"oracle must be one of {ORACLES}, got {oracle!r}")
        if not 0.05 <= test_size <= 0.5:
            raise ValueError(f"test_size must be between 0.05 and 0.5, got {test_size!r}")
        self.seed, self.test_size, self.oracle = seed, float(test_size), oracle
        self.data_key = data_key or f"data:{fingerprint(self.X, self.y)}"
        self.xy = xy
        self.plane, self.projection = _plane(self.X, xy)
        self.pool_rows, self.test_rows = _split(self.y, test_size, seed)
        self._X_test, self._y_test = self.X[self.test_rows], self.y[self.test_rows].tolist()
        self._position = {int(r): i for i, r in enumerate(self.pool_rows)}
        self.warm_rows = np.random.default_rng(seed).choice(self.pool_rows, self.warm_start, replace=False)
        self.actions: list[list[Any]] = []  # what people did, in order (the state string replays it)
        self.pending: list[tuple[str, int]] = []  # human oracle: (panel, row) questions waiting for an answer
        self.panels = {name: self._new_panel(name) for name in self.strategies}
        self._scores: dict[str, list[tuple[int, float]]] = {name: [] for name in self.strategies}
        for name in self.strategies:
            self._score(name)
        self._picks = {name: self._ask(name) for name in self.strategies}

    # ------------------------------------------------------------ building
    @classmethod
    def from_preset(
        cls,
        name: str,
        strategies: Sequence[str] = ("uniform", "margin", "kcenter"),
        *,
        n: int = 600,
        seed: int = 0,
        **kwargs: Any,
    ) -> Exploration:
        """An exploration on a generated data set (:func:`~hitl_widgets.explorer.presets.make_preset`)."""
        X, y = make_preset(name, n=n, seed=seed)
        return cls(X, y, strategies, seed=seed, data_key=f"preset:{name}:{n}:{seed}", **kwargs)

    @classmethod
    def from_state(cls, text: str, X: Any = None, y: Any = None, learner: Any = None, xy: Any = None) -> Exploration:
        """The exact run a state string describes (data given as arrays, a learner given as an object and
        ``xy`` must be passed again)."""
        st = ExplorerState.from_string(text)
        if st.learner == "custom" and learner is None:
            raise ValueError("this state was made with a learner given as an object: pass the same learner= again")
        settings = dict(
            batch_size=st.batch_size,
            warm_start=st.warm_start,
            budget=st.budget,
            test_size=st.test_size,
            oracle=st.oracle,
        )
        chosen_learner = learner if learner is not None else st.learner
        if st.data.startswith("preset:"):
            _, name, n, seed = st.data.split(":")
            ex = cls.from_preset(name, st.strategies, n=int(n), seed=int(seed), learner=chosen_learner, **settings)
        else:
            if X is None or y is None:
                raise ValueError("this state was made on data given as arrays: pass the same X and y again")
            ex = cls(X, y, st.strategies, chosen_learner, seed=st.seed, xy=xy, **settings)
            if ex.data_key != st.data:
                raise ValueError("the X and y given are not the data this state was made on")
        ex.replay(st)
        return ex

    @property
    def settings(self) -> dict[str, Any]:
        """What a run is made with besides its data and strategies (what :meth:`restart` may change)."""
        return {
            "learner": self.learner,
            "batch_size": self.batch_size,
            "warm_start": self.warm_start,
            "budget": self.budget,
            "seed": self.seed,
            "test_size": self.test_size,
            "oracle": self.oracle,
        }

    def restart(self, **changes: Any) -> Exploration:
        """A fresh run on the same data and strategies, with settings changed (``seed``, ``batch_size``,
        ``warm_start``, ``budget``, ``learner``, ``oracle``). A preset's data is drawn again with a new seed."""
        settings = self.settings
        unknown = set(changes) - set(settings)
        if unknown:
            raise ValueError(f"restart: unknown settings {sorted(unknown)}; choose from {sorted(settings)}")
        settings.update(changes)
        if self.data_key.startswith("preset:"):
            _, name, n, _ = self.data_key.split(":")
            return Exploration.from_preset(name, self.strategies, n=int(n), **settings)
        return Exploration(self.X, self.y, self.strategies, xy=self.xy, data_key=self.data_key, **settings)

    def _new_panel(self, name: str) -> Session:
        learner = self._fresh_learner()
        sampler = "uniform" if name == YOU else name
        session = Session(
            self.X[self.pool_rows],
            learner,
            sampler,
            classes=self.classes,
            fast_undo=False,  # panels never go back
            seed=self.seed,
        )
        for row in self.warm_rows:
            session.label(self._position[int(row)], plain_label(self.y[row]))
        session.wait()  # a learner that fails on the warm start says so here
        return session

    def _fresh_learner(self) -> Any:
        if isinstance(self.learner, str):
            return make_learner(self.learner, self.X.shape[1], self.classes, seed=self.seed)
        return fresh_copy(self.learner)

    # ------------------------------------------------------------- reading
    @property
    def picks(self) -> dict[str, list[int]]:
        """What each panel asks next, as rows of ``X`` (the "you" panel: nothing until a point is chosen)."""
        return {name: list(rows) for name, rows in self._picks.items()}

    def n_labels(self, name: str) -> int:
        return self.panels[name].n_labels

    def labeled_rows(self, name: str) -> list[int]:
        """Rows of ``X`` a panel has labels for, in the order they were given."""
        return [int(self.pool_rows[p]) for p in self.panels[name].labels]

    def labeled(self, name: str) -> list[tuple[int, Hashable]]:
        """``(row of X, label given)`` for every label of a panel, in order."""
        return [(int(self.pool_rows[p]), y) for p, y in self.panels[name].labels.items()]

    def done(self, name: str) -> bool:
        """Whether a panel has used its budget (or labeled the whole pool)."""
        return self.n_labels(name) >= min(self.budget, len(self.pool_rows))

    @property
    def strategies_done(self) -> bool:
        """Every panel a strategy picks for has used its budget: a step (and Play) has nothing left to ask."""
        return all(self.done(name) for name in self.panels if name != YOU)

    @property
    def finished(self) -> bool:
        """Every panel has used its budget, the "you" panel included."""
        return all(self.done(name) for name in self.panels)

    @property
    def curves(self) -> Any:
        """Held-out accuracy after the warm start and after every batch: a DataFrame (strategy, n_labels,
        accuracy, seed). A "you" panel is scored after every point picked."""
        import pandas as pd

        rows = [(name, n, acc, self.seed) for name, scores in self._scores.items() for n, acc in scores]
        return pd.DataFrame(rows, columns=["strategy", "n_labels", "accuracy", "seed"])

    def scores(self, name: str) -> list[tuple[int, float]]:
        """A panel's ``(labels, held-out accuracy)`` after the warm start and after every batch."""
        return list(self._scores[name])

    def accuracy(self, name: str) -> float:
        """A panel's latest held-out accuracy."""
        return self._scores[name][-1][1]

    @property
    def steps(self) -> int:
        """Steps taken (read off :attr:`actions`)."""
        return sum(a[1] for a in self.actions if a[0] == "s")

    @property
    def state(self) -> str:
        """A short string that reproduces this run: :meth:`from_state`."""
        settings = {**self.settings, "learner": self.learner if isinstance(self.learner, str) else "custom"}
        return ExplorerState(
            data=self.data_key,
            strategies=self.strategies,
            **settings,
            actions=[list(a) for a in self.actions],
        ).to_string()

    # ------------------------------------------------------------- acting
    def step(self, n: int = 1) -> None:
        """``n`` times: every strategy's picks are answered (truth) or queued for a person (human oracle).

        Stops early when the strategies have used their budget; a step when nothing is left to ask
        raises ``ValueError`` saying so (and what the "you" panel has left).
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"step: n must be a whole number of at least 1, got {n!r}")
        if self.oracle == "human" and n > 1:
            raise ValueError("step: with oracle='human' take one step at a time and answer its picks")
        for i in range(int(n)):
            if self.pending:
                raise ValueError(f"step: {len(self.pending)} picks still wait for an answer (answer(label))")
            asked = [(name, row) for name in self.strategies if name != YOU for row in self._picks[name]]
            if not asked:
                if i == 0:
                    raise ValueError(f"step: {self._nothing_to_ask()}")
                return
            if self.actions and self.actions[-1][0] == "s":
                self.actions[-1][1] += 1
            else:
                self.actions.append(["s", 1])
            if self.oracle == "human":
                self.pending += asked
                return
            for name in dict.fromkeys(name for name, _ in asked):
                for row in self._picks[name]:
                    self._learn(name, row, self.y[row])
                self._score(name)
                self._picks[name] = self._ask(name)

    def choose(self, row: int, panel: str = YOU) -> None:
        """A person picks row ``row`` of ``X`` in the "you" panel; the oracle (or later the person) answers."""
        if panel != YOU or YOU not in self.panels:
            raise ValueError(f"choose: {panel!r} is not a panel whose picks a person chooses; add 'you' to strategies")
        if isinstance(row, bool) or not isinstance(row, (int, np.integer)) or int(row) not in self._position:
            raise ValueError(f"choose: row {row!r} is not in the pool (held-out rows and rows outside X are not)")
        row = int(row)
        if row in self.labeled_rows(panel) or (panel, row) in self.pending:
            raise ValueError(f"choose: row {row} is labeled in {panel!r} already")
        waiting = sum(p == panel for p, _ in self.pending)
        if self.done(panel) or self.n_labels(panel) + waiting >= self.budget:
            raise ValueError(f"choose: {panel!r} has used its budget of {self.budget} labels")
        self.actions.append(["c", panel, row])
        if self.oracle == "human":
            self.pending.append((panel, row))
        else:
            self._learn(panel, row, self.y[row])
            self._score(panel)

    def choose_near(self, x: float, y: float, radius: float | tuple[float, float], panel: str = YOU) -> int:
        """A click at ``(x, y)`` on the plane picks the nearest point within ``radius`` that ``panel`` may
        still ask about (:meth:`choose`); returns its row. ``radius`` in plane units, or ``(rx, ry)`` for
        a view whose axes have different scales. A click near no such point says why (``ValueError``).

        >>> ex = Exploration.from_preset("blobs", ["you"], n=200, warm_start=6)
        >>> row = int(ex.pool_rows[0]); x, y = ex.plane[row]
        >>> ex.choose_near(x + 0.01, y, 0.1) == row
        True
        >>> ex.choose_near(x, y, 0.1)
        Traceback (most recent call last):
        ...
        ValueError: choose: the point under the click is labeled in 'you' already; click a faint point
        >>> ex.choose_near(1e6, 1e6, 0.1)
        Traceback (most recent call last):
        ...
        ValueError: choose: no point near the click; click on a point of the pool
        """
        if panel not in self.panels:
            raise ValueError(f"choose: {panel!r} is not a panel; the panels are {list(self.panels)}")
        taken = {row for p, row in self.pending if p == panel} | set(self.labeled_rows(panel))
        rows = self.pool_rows
        rx, ry = (radius, radius) if np.isscalar(radius) else radius
        if not (np.isfinite([x, y, rx, ry]).all() and rx > 0 and ry > 0):
            raise ValueError(f"choose: a click needs finite coordinates and a positive radius, got {(x, y, radius)!r}")
        d = ((self.plane[rows, 0] - x) / rx) ** 2 + ((self.plane[rows, 1] - y) / ry) ** 2
        near = d <= 1.0
        if not near.any():
            raise ValueError("choose: no point near the click; click on a point of the pool")
        open_ = near & ~np.isin(rows, list(taken))
        if not open_.any():
            raise ValueError(f"choose: the point under the click is labeled in {panel!r} already; click a faint point")
        row = int(rows[np.flatnonzero(open_)[np.argmin(d[open_])]])
        self.choose(row, panel)
        return row

    def answer(self, label: Hashable) -> tuple[str, int]:
        """The person's answer to the first pending pick (human oracle); returns that (panel, row)."""
        if not self.pending:
            raise ValueError("answer: no pick waits for an answer; call step() first")
        label = plain_label(label)
        if label not in self.classes:
            raise ValueError(f"answer: {label!r} is not a class; the classes are {self.classes}")
        name, row = self.pending.pop(0)
        self.actions.append(["a", label])
        self._learn(name, row, label)
        if name == YOU or not any(p == name for p, _ in self.pending):  # a batch answered: score, ask again
            self._score(name)
            if name != YOU:
                self._picks[name] = self._ask(name)
        return name, row

    def undo(self) -> Exploration:
        """This run without its last action (one step, a point chosen, an answer): a fresh run with the same
        settings replays the others, as :meth:`from_state` does. ``ValueError`` when nothing was done yet.

        >>> ex = Exploration.from_preset("blobs", ["margin"], n=200, warm_start=6, budget=20)
        >>> one = Exploration.from_preset("blobs", ["margin"], n=200, warm_start=6, budget=20)
        >>> ex.step(2); one.step(1)
        >>> back = ex.undo()
        >>> back.steps, back.picks == one.picks, back.accuracy("margin") == one.accuracy("margin")
        (1, True, True)
        """
        if not self.actions:
            raise ValueError("undo: nothing to undo yet (no step, point chosen or answer)")
        actions = [list(a) for a in self.actions]
        if actions[-1][0] == "s" and actions[-1][1] > 1:
            actions[-1][1] -= 1
        else:
            actions.pop()
        state = ExplorerState.from_string(self.state)
        state.actions = actions
        fresh = self.restart()
        fresh.replay(state)
        return fresh

    def replay(self, state: ExplorerState) -> None:
        """Do what ``state`` records, in order, again (on a fresh exploration)."""
        for action in state.actions:
            kind, *rest = action
            if kind == "s":
                for _ in range(rest[0]):
                    self.step()
            elif kind == "c":
                self.choose(rest[1], rest[0])
            else:
                self.answer(rest[0])

    def _nothing_to_ask(self) -> str:
        """Why a step has nothing to ask: every strategy has used its budget, and what "you" has left."""
        if YOU in self.panels and not self.done(YOU):
            left = min(self.budget, len(self.pool_rows)) - self.n_labels(YOU)
            return (
                f"every strategy has used its budget of {self.budget} labels; 'you' has {left} left: "
                "click points in the 'you' panel"
            )
        return f"every panel has used its budget of {self.budget} labels; reset to start again"

    def _learn(self, name: str, row: int, label: Any) -> None:
        panel = self.panels[name]
        panel.label(self._position[row], plain_label(label))
        panel.wait()  # a learner that failed raises here, to the step or the click that gave the label

    def _score(self, name: str) -> None:
        panel = self.panels[name]
        held_out = accuracy_of(panel.learner, self._X_test, self._y_test, self.classes)
        self._scores[name].append((panel.n_labels, held_out))

    def _ask(self, name: str) -> list[int]:
        """The panel's next batch as rows of ``X`` (asked once per step: samplers with randomness stay in step)."""
        if name == YOU or self.done(name):
            return []
        k = min(self.batch_size, self.budget - self.n_labels(name), len(self.pool_rows) - self.n_labels(name))
        return [int(self.pool_rows[p]) for p in self.panels[name].next(k)]


def _check_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] < 2:
        raise ValueError(f"X must be a table of points with at least two columns, got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X has NaN or infinite values; drop or fill those rows first")
    y = np.asarray([plain_label(v) for v in y], dtype=object)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    if len(set(y.tolist())) < 2:
        raise ValueError(f"y has a single class ({y[0]!r}); a strategy needs at least two classes to compare")
    return X, y


def _check_strategies(strategies: Sequence[str]) -> list[str]:
    if isinstance(strategies, str):
        strategies = [strategies]
    names = list(dict.fromkeys([*strategies, "uniform"]))
    if len(names) > MAX_PANELS:
        raise ValueError(f"at most {MAX_PANELS} panels (uniform included), got {len(names)}: {names}")
    for name in names:
        if name != YOU:
            get_sampler(name)  # ValueError naming the samplers there are
    return names


def _check_counts(batch_size: Any, warm_start: Any, budget: Any, n: int) -> tuple[int, int, int]:
    for name, value, low in (("batch_size", batch_size, 1), ("warm_start", warm_start, 2), ("budget", budget, 2)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    if warm_start > budget or warm_start >= n // 2:
        raise ValueError(f"warm_start ({warm_start}) must be at most the budget ({budget}) and under half the data")
    return int(batch_size), int(warm_start), int(budget)


def _split(y: np.ndarray, test_size: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(y))
    counts = np.unique(y.astype(str), return_counts=True)[1]
    stratify = y.astype(str) if counts.min() >= 2 else None
    pool, test = train_test_split(rows, test_size=test_size, random_state=seed, stratify=stratify)
    return np.sort(pool), np.sort(test)


def _plane(X: np.ndarray, xy: Any) -> tuple[np.ndarray, Any]:
    """Where each point is drawn: ``X`` itself in 2-D, else ``xy`` or a PCA projection (kept for the grid)."""
    if xy is not None:
        xy = np.asarray(xy, dtype=float)
        if xy.shape != (len(X), 2) or not np.isfinite(xy).all():
            raise ValueError(f"xy must be finite, one (x, y) per row of X: shape ({len(X)}, 2), got {xy.shape}")
        return xy, None
    if X.shape[1] == 2:
        return X, None
    from sklearn.decomposition import PCA

    pca = PCA(2, random_state=0).fit(X)
    return pca.transform(X), pca
