"""The headless state behind the GMM canvas: clicked points, the online mixtures, the batch reference.

One :class:`~hitl_widgets.learners.GMMClassifier` holds one
:class:`~hitl_widgets.learners.OnlineGMM` per class. With two or more classes
each new point is first predicted, then learned (prequential accuracy). When
the clicks pause, an :class:`~hitl_widgets.sessions.gmm.idle.IdleCheck` fits every
class from scratch in a background thread and adopts a better fit; every
change to the model happens under :attr:`GMMSession.lock`.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...learners import GMMClassifier, OnlineGMM
from ...learners.gmm.classifier import describe
from ...learners.validation import as_matrix, as_point
from ..loop import Loop, thin
from .board import MAX_CLASSES, Board
from .idle import IdleCheck
from .scratch import adoption_advice, batch_model, compare_fits, ll_gap

__all__ = ["MAX_CLASSES", "PRIOR_SHARE", "GMMSession", "default_class_name"]

CUTS_KEPT = 1024  # cuts of the points remembered for views that catch up (a view older than them gets every point)
PRIOR_SHARE = 0.035  # a one-point component's standard deviation, as a share of the span clicked in (0.7 on the
# canvas's default view: benchmarks/gmm.py measured 0.5 and 1.0 too)


def default_class_name(index: int) -> str:
    """The name of the class key ``index + 1`` starts when no names were given."""
    return f"class {index + 1}"


def check_class_names(classes: Sequence[str] | None, where: str) -> list[str] | None:
    """``classes`` as a list of names, or a ``ValueError`` that says what is wrong with them."""
    if classes is None:
        return None
    names = list(classes)
    if not 1 <= len(names) <= MAX_CLASSES:
        raise ValueError(f"{where}: give 1 to {MAX_CLASSES} class names, got {len(names)}")
    if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
        raise ValueError(f"{where}: class names must be distinct, non-empty strings, got {names!r}")
    return names


class GMMSession(Loop):
    """Points with class indices, learned online, compared with (and repaired by) fits from scratch.

    Parameters
    ----------
    n_components
        The most components per class, or ``"auto"`` (the data decides, up to 12).
    prior_scale
        The covariance prior's standard deviation (see :class:`OnlineGMM`);
        unset, every class follows the spread of all the points.
    seed
        Seed of the learners.
    n_classes
        Classes known from the start (keys 1 .. n_classes).
    idle_check
        Fit from scratch in a background thread when the clicks pause, and adopt a better fit.
    idle_after
        Seconds without a change that count as a pause.

    Examples
    --------
    >>> s = GMMSession(n_components=2, prior_scale=0.5, idle_check=False)
    >>> for x in ([0, 0], [0.2, 0.1], [0.1, 0.3], [5, 5], [5.1, 4.8], [4.9, 5.2]):
    ...     s.add(x)
    >>> s.n_points, s.model.params()["n_components"]
    (6, 2)
    >>> s.undo()
    True
    >>> s.n_points
    5
    >>> sorted(s.compare())[:4]
    ['batch_ms', 'batch_n', 'components', 'kl']
    """

    def __init__(
        self,
        n_components: int | str = "auto",
        *,
        prior_scale: float | None = None,
        seed: int = 0,
        n_classes: int = 1,
        classes: Sequence[str] | None = None,
        idle_check: bool = True,
        idle_after: float = 0.4,
    ):
        self.n_components = n_components
        super().__init__()
        self.prior_scale = prior_scale
        self.seed = seed
        names = check_class_names(classes, "GMMSession")
        self.open_classes = names is None  # keys 2-9 (labels beyond the names) open new classes
        self.n_classes = max(n_classes, len(names or []))
        self.class_names = names or [default_class_name(i) for i in range(max(1, n_classes))]
        self.lock = threading.RLock()
        # the model, and the points, kept once in its mixtures; its journal is the one undo stack
        self.classifier = self._new_classifier()  # validates n_components and prior_scale
        self._board = Board()  # how each point was scored
        # what a view needs to catch up: every change of the points bumps the version; a cut (an undo, a clear) is
        # kept as (version, points left), so a view at an older version knows how many of its points still hold
        self.points_version = 0
        self._cuts: deque[tuple[int, int]] = deque(maxlen=CUTS_KEPT)
        self._cuts_forgotten = 0  # the newest version among the cuts no longer kept
        self._idle = IdleCheck(self.check_from_scratch, idle_after=idle_after) if idle_check else None
        self.last_adoption: dict[str, Any] | None = None
        self._checking = False  # a fit from scratch is running
        self._forget_batch()

    @classmethod
    def for_view(
        cls, xlim: tuple[float, float], ylim: tuple[float, float], n_components: int | str = "auto", **kwargs: Any
    ) -> GMMSession:
        """A session for points clicked in a view: a one-point component's spread is :data:`PRIOR_SHARE` of the
        view's span (what a canvas makes; without a view the prior follows the points).

        >>> GMMSession.for_view((-10, 10), (-8, 8), idle_check=False).prior_scale
        0.7000000000000001
        """
        span = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
        return cls(n_components, prior_scale=PRIOR_SHARE * span, **kwargs)

    def class_of(self, label: str | int) -> int:
        """The class index of ``label``: one of :attr:`class_names`, or an index (with open classes any of
        0-8, a new one named when its first point comes; else one of the named ones).

        >>> s = GMMSession(classes=["cat", "dog"], idle_check=False)
        >>> s.class_of("dog"), s.class_of(0)
        (1, 0)
        >>> s.class_of(2)
        Traceback (most recent call last):
        ...
        ValueError: GMMSession: class index 2 but only 2 classes (cat, dog)
        """
        if isinstance(label, str):
            if label not in self.class_names:
                raise ValueError(f"GMMSession: unknown class {label!r}; classes are {self.class_names}")
            return self.class_names.index(label)
        if isinstance(label, bool) or not (isinstance(label, (int, np.integer)) and 0 <= label < MAX_CLASSES):
            raise ValueError(f"GMMSession: label must be a class index 0-{MAX_CLASSES - 1}, got {label!r}")
        index = int(label)
        if not self.open_classes and index >= len(self.class_names):
            names = ", ".join(self.class_names)
            raise ValueError(f"GMMSession: class index {index} but only {len(self.class_names)} classes ({names})")
        return index

    def open_class(self, index: int) -> None:
        """Name the classes up to ``index`` (a key 2-9 pressed on open classes: its button appears at once)."""
        with self.lock:
            named = self._name_up_to(index)
        if named:
            self._tell("classes")

    def _name_up_to(self, index: int) -> bool:
        if not self.open_classes or index < len(self.class_names):
            return False
        self.class_names = self.class_names + [default_class_name(i) for i in range(len(self.class_names), index + 1)]
        return True

    def _new_classifier(self) -> GMMClassifier:
        return GMMClassifier(self.n_components, seed=self.seed, prior_scale=self.prior_scale)

    def _cut(self, left: int) -> None:
        """The points were cut to their first ``left`` (an undo, a clear): a new version, and a cut to remember."""
        self.points_version += 1
        if len(self._cuts) == self._cuts.maxlen:
            self._cuts_forgotten = self._cuts[0][0]
        self._cuts.append((self.points_version, left))

    def _forget_batch(self) -> None:
        self.batch: dict[int, OnlineGMM] = {}
        self.batch_mixtures: list[dict[str, Any]] = []  # the batch fit described once, for drawing
        self.batch_ms = 0.0
        self.batch_n = 0

    # ----------------------------------------------------------------- edits
    def add(self, x: Any, label: str | int = 0, *, stroke: int | None = None) -> bool | None:
        """Predict the class of ``x`` (with two classes or more), then learn it.

        ``label``: a class name or index (see :meth:`class_of`). Points sent
        with the same ``stroke`` one after another (a drag with the brush) are
        undone together. Returns whether the prediction was right (None when
        nothing was predicted). A non-finite point or an unknown class raises
        ``ValueError`` and changes nothing.
        """
        point = as_point(x, 2, where="GMMSession.add")
        right = self._learn_point(point, self.class_of(label), stroke)
        self._changed("added")
        return right

    def add_stroke(self, points: Sequence[Any], label: str | int = 0, *, stroke: int | None = None) -> list[str]:
        """Add ``points`` one after another as :meth:`add` does (a click sends one, a drag with the brush
        several with the same ``stroke``); a point that is refused (not finite, say) is left out and why is
        returned, the others are learned. An unknown class raises ``ValueError`` and adds nothing.

        >>> s = GMMSession(idle_check=False)
        >>> s.add_stroke([[0, 0], [float("nan"), 1], [0.1, 0.2]], stroke=7), s.n_points
        (['GMMSession.add: coordinates must be finite numbers, got [nan, 1.0]'], 2)
        >>> _ = s.undo(); s.n_points      # one stroke, one undo
        0
        """
        index = self.class_of(label)
        refused = []
        for x in points:
            try:
                point = as_point(x, 2, where="GMMSession.add")
            except ValueError as exc:
                refused.append(str(exc))
                continue
            self._learn_point(point, index, stroke)
        if len(refused) < len(points):
            self._changed("added")
        return refused

    def _learn_point(self, point: np.ndarray, label: int, stroke: int | None) -> bool | None:
        with self.lock:
            t0 = time.perf_counter()
            predicted = self.classifier.test_then_learn(point, label, join=stroke)  # a stroke is one undo
            self._board.add([label], [predicted], (time.perf_counter() - t0) * 1e3)
            self.points_version += 1
            self.n_classes = max(self.n_classes, label + 1)
            self._name_up_to(label)
        return None if predicted is None else bool(predicted == label)

    def add_many(self, X: Any, labels: Any = None) -> None:
        """Add the rows of ``X`` (class indices ``labels``, default 0) as one step: one ``undo`` removes them.

        Each row is predicted with the model from before the batch, then all
        are learned (large batches by a fit from scratch).
        """
        rows = as_matrix(X, 2, where="GMMSession.add_many").numpy()
        labels = np.zeros(len(rows), dtype=int) if labels is None else np.asarray(labels)
        if labels.shape != (len(rows),):
            raise ValueError(f"GMMSession.add_many: {len(rows)} points but labels of shape {labels.shape}")
        labels = np.array([self.class_of(v) for v in labels.tolist()], dtype=int)
        if not len(rows):
            return
        with self.lock:
            clf = self.classifier
            predicted: list[int | None] = [None] * len(rows)
            if len(clf.mixtures) >= 2:
                predicted = np.array(clf.classes)[clf.predict_proba_many(rows).argmax(1)].tolist()
            t0 = time.perf_counter()
            clf.learn_many(rows, labels.tolist())
            self._board.add(labels.tolist(), predicted, (time.perf_counter() - t0) * 1e3 / len(rows))
            self.points_version += 1
            self.n_classes = max(self.n_classes, int(labels.max()) + 1)
            self._name_up_to(int(labels.max()))
        self._changed("added")

    def undo(self) -> bool:
        """Take back the last action exactly: a click, a brush stroke, an ``add_many``, a clear or an adoption.

        False when there is nothing to undo.
        """
        with self.lock:
            if not self.classifier.journal:
                return False
            step = self.classifier.undo()  # the one undo stack: the classifier's journal
            if step.kind == "learned":
                self._board.truncate(self.classifier.n_points)
                self._cut(self._board.n)
                if self.last_adoption and self.last_adoption["n"] > self._board.n:  # undone with the points
                    self.last_adoption = None
            elif step.kind == "cleared":
                self._board, self.last_adoption = step.memo
                self._cut(0)  # every point comes back: a view keeps none of its own and gets them all
            else:  # adopted
                self.last_adoption = step.memo
        self._changed("undone")
        return True

    def clear(self) -> int:
        """Put every point away (``undo`` brings them back); returns how many."""
        with self.lock:
            cleared = self._board.n
            if cleared:
                self.classifier.clear(memo=(self._board, self.last_adoption))
                self._board = Board()
                self._cut(0)
            self._forget_batch()
            self.last_adoption = None
        self._changed("cleared")
        return cleared

    # --------------------------------------------------------------- reading
    @property
    def n_points(self) -> int:
        return self._board.n

    @property
    def points(self) -> np.ndarray:
        """(N, 2) float64 coordinates in the order added (a copy)."""
        with self.lock:
            return self.classifier.points_in_order()[0]

    @property
    def labels(self) -> np.ndarray:
        """(N,) class indices."""
        with self.lock:
            return self.classifier.order.labels().astype(int)

    @property
    def is_classifier(self) -> bool:
        return self.n_classes >= 2 or len(self.classifier.mixtures) >= 2

    @property
    def model(self) -> OnlineGMM | GMMClassifier:
        """The OnlineGMM when there is one class, the per-class classifier otherwise.

        Both have ``params()``: the mixture's, or per class its prior and mixture.
        """
        clf = self.classifier
        if self.is_classifier:
            return clf
        return clf.mixtures.get(0) or clf.new_mixture()

    def params(self) -> dict[str, Any]:
        """The online model's parameters (``model.params()``)."""
        with self.lock:
            return self.model.params()

    def prequential_accuracy(self) -> list[float]:
        """Running accuracy after each predicted point (every one; :meth:`curve` thins it for a chart)."""
        return list(self._board.prequential.running)

    def curve(self) -> list[list[float]]:
        """``[[points predicted, running accuracy], ...]`` thinned for a chart (two classes or more)."""
        with self.lock:
            return thin([[float(i), a] for i, a in enumerate(self._board.prequential.running, 1)])

    def mixtures(self) -> list[dict[str, Any]]:
        """The online model per class: prior, weights, means, covariances (plain floats, for drawing)."""
        with self.lock:
            return describe(self.classifier.mixtures)

    def view(self, since: tuple[int, int] | None = None) -> dict[str, Any]:
        """What a canvas draws, read together under the lock (one call per redraw, one read of the classifier):
        ``class_names``, ``open_classes``, ``mixtures``, ``batch_mixtures``, ``status``, ``curve``, and the
        points as what a view lacks: a view that holds ``since = (version, n)`` keeps its first ``base`` points
        and appends ``points`` (with their ``labels``), so a click sends one point, not all of them, and an undo
        sends none. ``base`` is 0 (every point) for a view that holds none, or after a clear or its undo;
        ``version`` and ``n`` are what the view holds after.

        >>> s = GMMSession(prior_scale=0.5, idle_check=False)
        >>> s.add([0, 0]); s.add([1, 1]); full = s.view()
        >>> full["base"], full["points"].tolist()
        (0, [[0.0, 0.0], [1.0, 1.0]])
        >>> s.add([2, 2]); step = s.view(since=(full["version"], full["n"]))
        >>> step["base"], step["points"].tolist(), step["n"]
        (2, [[2.0, 2.0]], 3)
        >>> _ = s.undo(); _ = s.undo(); s.add([5, 5])          # two cut, one added: keep one, append one
        >>> again = s.view(since=(step["version"], step["n"])); again["base"], again["points"].tolist()
        (1, [[5.0, 5.0]])
        """
        with self.lock:
            n = self._board.n
            if since is None or since[0] < self._cuts_forgotten:
                base = 0
            else:
                base = min([since[1], n] + [left for version, left in self._cuts if version > since[0]])
            model = self.classifier.snapshot(base)
            return {
                "class_names": list(self.class_names),
                "open_classes": self.open_classes,
                "base": base,
                "points": model["points"],
                "labels": model["labels"].astype(int),
                "version": self.points_version,
                "n": n,
                "mixtures": model["mixtures"],
                "batch_mixtures": self.batch_mixtures,
                "status": self._status(model["k"], model["candidates"]),
                "curve": self.curve(),
            }

    def status(self) -> dict[str, Any]:
        """N, K, last update ms, the gap to the last fit from scratch, accuracy, adoptions, whether a check runs."""
        with self.lock:
            return self._status(*self.classifier.counts())

    _LAST_ACTION = {"learned": "points", "cleared": "clear", "adopted": "adopt"}  # what the page is told

    def _status(self, k: int, candidates: int) -> dict[str, Any]:
        b = self._board
        journal = self.classifier.journal
        last = journal[-1] if journal else None
        st: dict[str, Any] = {
            "n": b.n,
            "k": k,
            "candidates": candidates,
            "update_ms": b.update_ms[-1] if b.update_ms else None,
            **b.prequential.summary(),
            "batch_n": self.batch_n if self.batch else None,
            "ll_gap": self._ll_gap() if self.batch and self.batch_n == b.n else None,
            "adopted": self.last_adoption,
            "batch_ms": self.batch_ms if self.batch else None,
            "checking": self._checking or bool(self._idle and self._idle.due),
            "can_undo": last is not None,
            "last_action": None if last is None else self._LAST_ACTION[last.kind],
        }
        if last is not None and last.kind == "cleared":
            st["cleared"] = last.n_points
        st["adopt"] = self._adoption(st["ll_gap"])
        return st

    def adoption(self) -> dict[str, Any]:
        """Whether adopting the last fit from scratch would improve the online model: ``{"ok", "why"}``.

        Worth it only for a fit made on every point that explains them better (by at least
        0.0005 nats/point, what the status line shows as +0.001).

        >>> s = GMMSession(prior_scale=0.5, idle_check=False)
        >>> s.adoption()["why"]
        'press b to fit from scratch first'
        >>> s.add_many(np.random.default_rng(0).normal(0, 1, (300, 2))); _ = s.fit_batch(); _ = s.adopt_batch()
        >>> s.adoption()
        {'ok': False, 'why': 'the fit from scratch is not better than the online model (+0.000 nats/pt)'}
        """
        with self.lock:
            current = bool(self.batch) and self.batch_n == self._board.n
            return self._adoption(self._ll_gap() if current else None)

    def _adoption(self, gap: float | None) -> dict[str, Any]:
        return adoption_advice(bool(self.batch), self.batch_n, gap)

    # ---------------------------------------------------------- batch fits
    def fit_batch(self) -> dict[int, OnlineGMM]:
        """Fit every class from scratch (batch EM, several starts) on all its points."""
        with self.lock:
            if not self._board.n:
                raise ValueError("GMMSession.fit_batch: no points yet; add some first")
            pts, lab = self.points, self.labels
            online = {c: m.prior_sd for c, m in self.classifier.mixtures.items()}
        t0 = time.perf_counter()
        model = lambda c: batch_model(self.n_components, self.seed, self.prior_scale, online[c])  # noqa: E731
        batch = {c: model(c).fit(pts[lab == c]) for c in np.unique(lab).tolist()}
        with self.lock:
            self.batch = batch
            self.batch_ms = (time.perf_counter() - t0) * 1e3
            self.batch_n = len(pts)
            self.batch_mixtures = describe(batch)
        self._tell("fitted")
        return batch

    def adopt_batch(self) -> bool:
        """Make the last fit from scratch the online model (``undo`` takes it back); False without one."""
        with self.lock:
            if not self.batch:
                return False
            self.classifier.adopt(self.batch, memo=self.last_adoption)
            self.last_adoption = {"n": self._board.n, "by": "you", "gain": None}
        self._changed("adopted")
        return True

    def check_from_scratch(self) -> bool:
        """Fit every class from scratch (outside the lock) and adopt a better fit (under it); whether any was.

        What the idle check runs when the clicks pause. A stale fit from
        scratch (``b``) is refitted too, so its comparison stays current.
        """
        self._checking = True
        try:
            adopted = self._fit_and_adopt()
        finally:
            self._checking = False
        self._tell("checked")  # adopted or not, the status no longer says it is checking
        return adopted

    def _fit_and_adopt(self) -> bool:
        with self.lock:
            board, clf = self._board, self.classifier
            jobs = [(c, m, m.prepare_check()) for c, m in clf.mixtures.items() if m.n_points >= 2]
            refit_batch = bool(self.batch) and self.batch_n != board.n
        proposals = [(c, m, job.run()) for c, m, job in jobs]
        adopted = []
        with self.lock:
            if self._board is not board:  # cleared meanwhile
                return False
            for c, m, proposal in proposals:
                if clf.mixtures.get(c) is m and m.adopt(proposal):
                    adopted.append(m.last_adoption)
            if adopted:
                gain = sum(a["gain"] * a["n_points"] for a in adopted) / max(1, board.n)
                self.last_adoption = {"n": board.n, "by": "idle check", "gain": gain}
        if refit_batch and board.n:
            self.fit_batch()
        return bool(adopted)

    def wait_idle(self, timeout: float | None = 10.0) -> bool:
        """Wait until the idle check has nothing left to do (scripts and tests); False on timeout."""
        return self._idle.wait(timeout) if self._idle else True

    def close(self) -> None:
        """Stop the idle check's thread."""
        if self._idle:
            self._idle.close()

    def _changed(self, event: str) -> None:
        """The points or the model changed: the idle check waits again, and the listeners hear ``event``."""
        if self._idle:
            self._idle.changed()
        self._tell(event)

    def _ll_gap(self) -> float:
        """Mean log-likelihood per point, batch minus online, each point under its own class."""
        return ll_gap(self.batch, self.classifier.mixtures, self.points, self.labels)

    def compare(self, *, refit: bool = True, n_samples: int = 20_000) -> dict[str, Any]:
        """Online vs from-scratch: ``ll_gap``, ``kl``, ``online_ms``, ``batch_ms`` and matched components.

        Classes are weighted by their share of the points (the KL of the joint
        distributions, since both models use the same class counts).
        """
        if refit or not self.batch or self.batch_n != self.n_points:
            self.fit_batch()
        with self.lock:
            pts, lab = self.points, self.labels
            kl, components = compare_fits(
                self.batch, self.classifier.mixtures, pts, lab, seed=self.seed, n_samples=n_samples
            )
            times = self._board.update_ms
            return {
                "ll_gap": self._ll_gap(),
                "kl": kl,
                "online_ms": statistics.median(times),
                "online_last_ms": times[-1],
                "batch_ms": self.batch_ms,
                "batch_n": self.batch_n,
                "n": self.n_points,
                "components": components if self.is_classifier else components.get(0, []),
            }
