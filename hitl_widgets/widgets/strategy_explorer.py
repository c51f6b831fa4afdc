"""StrategyExplorer: what each query strategy picks, side by side, live (for classrooms and for exploring).

A view of an :class:`~hitl_widgets.explorer.runner.ExplorationRunner`: the
exploration and its Play live in the headless layer; this widget turns their
state into traits (points and grids as binary buffers) and the page's
actions into runner calls.
"""

from __future__ import annotations

import pathlib
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import traitlets as t

from ..explorer import YOU, Exploration, Grid, decision_grid, utility_grid
from ..explorer.runner import SPEEDS, ExplorationRunner
from ..explorer.sweep import bands, summary
from ..sessions.labels import class_at
from ._codec import wire_array
from .actions import Action, ActionWidget

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
TITLES = {
    "uniform": "uniform (random)",
    "margin": "margin",
    "entropy": "entropy",
    "least_confidence": "least confidence",
    "kcenter": "k-center",
    "informative_diverse": "informative & diverse",
    "graph_density": "graph density",
    YOU: "you",
}
GRID_SIDE = 48


class StrategyExplorer(ActionWidget):
    """Query strategies side by side on one pool: their next picks, their models, their learning curves.

    Keys (click the widget first): ``Space`` step, ``p`` play or pause, ``r``
    reset, ``u`` shade each strategy's utility, ``o`` overlay every
    strategy's next picks on the first panel, ``1``-``9`` answer a pick with
    a human oracle. In the "you" panel, click a point to ask about it.

    Parameters are those of :class:`~hitl_widgets.explorer.Exploration`;
    ``session`` shows an existing one (or its runner) instead, as the other widgets take theirs
    (``exploration=``, its older name, still works); ``images`` (N, H, W grey
    thumbnails, e.g. ``load_digits().images``) are shown when the pointer
    rests on a point.

    Examples
    --------
    >>> ex = StrategyExplorer.from_preset("moons", strategies=["uniform", "margin", "kcenter"], seed=3)
    >>> ex.step(); ex.step(2)
    >>> sorted(ex.picks), int(ex.curves.n_labels.max())
    (['kcenter', 'margin', 'uniform'], 25)
    >>> StrategyExplorer.from_state(ex.state).picks == ex.picks
    True
    >>> StrategyExplorer(session=ex.runner).runner is ex.runner  # a second view of the same run
    True
    """

    page_settings = frozenset({"show_utility", "overlay", "projector"})

    _esm = STATIC / "strategy_explorer.js"
    _css = STATIC / "strategy_explorer.css"

    classes = t.List(t.Unicode()).tag(sync=True)
    points = t.Dict().tag(sync=True)  # (N, 2) float32 plane coordinates of every row (wire_array)
    in_pool = t.Dict().tag(sync=True)  # (N,) uint8: 1 in the pool, 0 held out (not drawn)
    extent = t.List(t.Float()).tag(sync=True)  # x0, x1, y0, y1 of the grids
    grid_side = t.Int(GRID_SIDE).tag(sync=True)
    # one dict per panel: name, title, n_labels, budget, accuracy, picks, and binary labeled / labels /
    # shade (class index, confidence 0-255 per cell) / utility (0-255 per cell)
    panels = t.List(t.Dict()).tag(sync=True)
    curve_lines = t.List(t.Dict()).tag(sync=True)  # {"name", "points": [[n_labels, accuracy], ...]}
    # steps, playing, finished (every panel's budget used, "you" too), strategies_done (Play has nothing left to
    # do), oracle, pending {"panel", "row"} | None
    status = t.Dict().tag(sync=True)
    settings = t.Dict().tag(sync=True)  # batch_size, warm_start, budget, seed, learner, speed
    speeds = t.List(t.Float(), default_value=list(SPEEDS)).tag(sync=True)
    show_utility = t.Bool(False).tag(sync=True)
    overlay = t.Bool(False).tag(sync=True)
    projector = t.Bool(False).tag(sync=True)  # large text and thick lines for the back of a classroom
    state_string = t.Unicode("").tag(sync=True)
    shareable = t.Bool(False).tag(sync=True)  # a link can reopen the run: preset data and a learner by name
    images = t.Dict().tag(sync=True)  # (N, H, W) uint8 grey thumbnails, one per row of X, shown on hover
    # the same settings over many seeds: {"name", "labels", "mean", "low", "high"} per strategy
    seed_bands = t.List(t.Dict()).tag(sync=True)
    seeds_status = t.Dict().tag(sync=True)  # running, done, total, summary {strategy: {auc, labels_to_reach}}

    def __init__(
        self,
        X: Any = None,
        y: Sequence[Hashable] | None = None,
        strategies: Sequence[str] = ("uniform", "margin", "kcenter"),
        learner: str | Any = "logistic",
        *,
        session: Exploration | ExplorationRunner | None = None,
        exploration: Exploration | None = None,
        projector: bool = False,
        images: Any = None,
        **settings: Any,
    ):
        if session is not None and exploration is not None:
            raise ValueError("StrategyExplorer: give session= (or its older name exploration=), not both")
        session = session if session is not None else exploration
        if session is None:
            if X is None or y is None:
                raise ValueError("StrategyExplorer: give X and y, a preset (from_preset) or session=Exploration(...)")
            session = Exploration(X, y, strategies, learner, **settings)
        if not isinstance(session, (Exploration, ExplorationRunner)):
            raise TypeError(f"StrategyExplorer: session= takes an Exploration or its runner, got {type(session)}")
        runner = session if isinstance(session, ExplorationRunner) else ExplorationRunner(session)
        super().__init__(projector=projector)
        self._set_images(images, len(runner.exploration.X))
        self.runner = runner
        self.runner.on_change(lambda event: self.request_push(self._push_seeds if event == "sweep" else self._push))
        self.observe(lambda _: self.request_push(self._push), names=["show_utility"])
        with self.pushing():
            self._push_data()
            self._push()

    # ------------------------------------------------------------ building
    @classmethod
    def from_preset(
        cls,
        name: str,
        strategies: Sequence[str] = ("uniform", "margin", "kcenter"),
        *,
        n: int = 600,
        seed: int = 0,
        projector: bool = False,
        **settings: Any,
    ) -> StrategyExplorer:
        """On a generated data set: blobs, moons, circles, xor, spiral, imbalanced or noisy."""
        return cls(session=Exploration.from_preset(name, strategies, n=n, seed=seed, **settings), projector=projector)

    @classmethod
    def from_state(
        cls, text: str, X: Any = None, y: Any = None, learner: Any = None, projector: bool = False, images: Any = None
    ) -> StrategyExplorer:
        """The exact run a state string (``ex.state``, or a link's query string) describes."""
        return cls(session=Exploration.from_state(text, X, y, learner), projector=projector, images=images)

    @classmethod
    def from_canvas(
        cls, canvas: Any, strategies: Sequence[str] = ("uniform", "margin", "kcenter"), **settings: Any
    ) -> StrategyExplorer:
        """The points a student drew with classes in a :class:`~hitl_widgets.GMMCanvas` become the pool."""
        points, labels = np.asarray(canvas.points), np.asarray(canvas.labels)
        if len(set(labels.tolist())) < 2:
            raise ValueError("from_canvas: draw points of at least two classes first (keys 1, 2 on the canvas)")
        settings.setdefault("warm_start", max(2, min(10, len(points) // 5)))
        settings.setdefault("budget", max(settings["warm_start"], len(points) // 2))
        return cls(points, labels.tolist(), strategies, **settings)

    # ------------------------------------------------------------ public API
    @property
    def exploration(self) -> Exploration:
        return self.runner.exploration

    @property
    def picks(self) -> dict[str, list[int]]:
        """What each strategy asks next, as rows of ``X``."""
        with self.runner.locked():
            return self.exploration.picks

    @property
    def curves(self) -> Any:
        """Held-out accuracy after the warm start and every batch: a DataFrame (strategy, n_labels, accuracy,
        seed)."""
        with self.runner.locked():
            return self.exploration.curves

    @property
    def state(self) -> str:
        """A short string that reproduces this run: ``StrategyExplorer.from_state(s)``."""
        with self.runner.locked():
            return self.exploration.state

    def step(self, n: int = 1) -> None:
        """Every strategy's picks are answered by the oracle and learned (``n`` times)."""
        self.runner.step(n)

    def play(self, speed: float | None = None) -> None:
        """Step ``speed`` times a second in the background (the kernel stays free) until the budget is used."""
        self.runner.play(speed)

    def pause(self) -> None:
        self.runner.pause()

    def undo(self) -> bool:
        """Take back the last step, point chosen or answer (the run replays without it); False when none."""
        return self.runner.undo()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a Play has stopped."""
        self.runner.wait(timeout)

    def reset(self, **changes: Any) -> None:
        """Start again from the warm start; settings may change (seed, batch_size, warm_start, budget, learner)."""
        self.runner.replace(self.exploration.restart(**changes))
        with self.pushing():
            self._push_data()
            self._push()

    def run(self, budget: int | None = None, seeds: int = 10) -> None:
        """Run these settings over ``seeds`` seeds in the background: bands on the chart, then the area
        under each curve and the labels each strategy needs to reach uniform's final accuracy."""
        self.runner.run_seeds(seeds, budget)
        with self.pushing():
            self._push_seeds()

    @property
    def seeds_frame(self) -> Any:
        """The last run over seeds: a DataFrame (strategy, seed, labels, accuracy), or ``None``."""
        return self.runner.sweep_result

    def choose(self, row: int) -> None:
        """Ask about row ``row`` of ``X`` in the "you" panel (the oracle answers, or you do with a human oracle)."""
        self.runner.choose(row)

    def answer(self, label: Hashable) -> None:
        """Answer the pick waiting for a label (``oracle="human"``)."""
        self.runner.answer(label)

    def close(self) -> None:
        runner = getattr(self, "runner", None)
        if runner is not None:
            runner.pause()
        super().close()

    # ------------------------------------------------------------ the page's actions
    def actions(self) -> Mapping[str, Action]:
        return {
            "step": Action(lambda c, _: self.step(int(c.get("n", 1)))),
            "play": Action(lambda c, _: self.play(c.get("speed"))),
            "pause": Action(lambda c, _: self.pause()),
            "reset": Action(lambda c, _: self.reset(**_settings(c.get("settings", {})))),
            "choose": Action(lambda c, _: self.choose(_row(c.get("row")))),
            "choose_at": Action(lambda c, _: self._choose_at(c)),
            "answer": Action(lambda c, _: self.answer(class_at(c.get("cls"), self.exploration.classes))),
            "run_seeds": Action(lambda c, _: self.run(seeds=c.get("seeds", 10))),
            "speed": Action(lambda c, _: self._set_speed(c.get("speed"))),
        }

    # ------------------------------------------------------------ state -> traits
    def _push_data(self) -> None:
        ex = self.exploration
        in_pool = np.zeros(len(ex.X), dtype=np.uint8)
        in_pool[ex.pool_rows] = 1
        self.classes = [str(c) for c in ex.classes]
        self.points = wire_array(ex.plane, "float32")
        self.in_pool = wire_array(in_pool, "uint8")
        self._grid = Grid.around(ex.plane, GRID_SIDE)
        self._panel_cache: dict[str, tuple[tuple, dict[str, Any]]] = {}  # name -> (what it shows, the trait)
        self.extent = list(self._grid.extent)
        self.shareable = ex.data_key.startswith("preset:") and isinstance(ex.learner, str)

    def _push(self) -> None:
        runner, ex = self.runner, self.exploration
        with runner.locked():
            picks = ex.picks
            self.panels = [self._panel(name, picks[name]) for name in ex.panels]
            self.curve_lines = [{"name": name, "points": [list(p) for p in ex.scores(name)]} for name in ex.panels]
            pending = ex.pending[0] if ex.pending else None
            self.status = {
                "steps": ex.steps,
                "playing": runner.playing,
                "finished": runner.finished,
                "strategies_done": runner.strategies_done,
                "oracle": ex.oracle,
                "pending": None if pending is None else {"panel": pending[0], "row": pending[1]},
                "n_pending": len(ex.pending),
            }
            self.settings = runner.settings()
            self.state_string = ex.state
        if error := runner.take_error():
            self.error = error

    def _choose_at(self, click: dict[str, Any]) -> None:
        """A click in the "you" panel, in plane coordinates with the radius the page's pixels make."""
        values = [click.get(k) for k in ("x", "y", "rx", "ry")]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise ValueError(f"choose: a click needs numbers x, y, rx, ry, got {click!r}")
        x, y, rx, ry = values
        self.runner.choose_near(x, y, (rx, ry))

    def _set_speed(self, speed: Any) -> None:
        self.runner.set_speed(speed)
        self.settings = self.runner.settings()

    def _set_images(self, images: Any, n: int) -> None:
        """Grey thumbnails (N, H, W), at most 64 pixels a side, scaled to 0-255, for the hover tooltip."""
        if images is None:
            return
        pictures = np.asarray(images, dtype=float)
        if pictures.ndim != 3 or len(pictures) != n or max(pictures.shape[1:]) > 64:
            raise ValueError(
                f"images must be grey thumbnails of at most 64 x 64 pixels, one per row of X: shape ({n}, H, W), "
                f"got {pictures.shape}"
            )
        low, high = float(pictures.min()), float(pictures.max())
        scaled = (pictures - low) / (high - low) * 255 if high > low else np.zeros_like(pictures)
        self.images = wire_array(np.round(scaled), "uint8")

    def _push_seeds(self) -> None:
        runner = self.runner
        done, total = runner.sweep_progress
        result = runner.sweep_result
        self.seeds_status = {
            "running": runner.sweeping,
            "done": done,
            "total": total,
            "summary": None if result is None else _finite(summary(result)),
        }
        self.seed_bands = bands(result) if result is not None else []
        if error := runner.take_error():
            self.error = error

    def _panel(self, name: str, picks: list[int]) -> dict[str, Any]:
        """A panel's trait; its grids are computed again only when its model or the utility toggle changed
        (a click in "you", a Play starting or stopping, an answer elsewhere leave the other panels as they were)."""
        ex = self.exploration
        shows = (ex, ex.n_labels(name), tuple(picks), self.show_utility)
        cached = self._panel_cache.get(name)
        if cached is not None and cached[0] == shows:
            return cached[1]
        labeled = ex.labeled(name)
        index = {c: i for i, c in enumerate(ex.classes)}
        proba = decision_grid(ex, name, self._grid)
        shade = None
        if proba is not None:
            shade = wire_array(np.stack([proba.argmax(-1), np.round(255 * proba.max(-1))], -1), "uint8")
        utility = utility_grid(ex, name, self._grid, proba) if self.show_utility else None
        panel = {
            "name": name,
            "title": TITLES.get(name, name),
            "n_labels": ex.n_labels(name),
            "budget": ex.budget,
            "accuracy": ex.accuracy(name),
            "picks": picks,
            "labeled": wire_array([r for r, _ in labeled], "uint32"),
            "labels": wire_array([index[y] for _, y in labeled], "uint8"),
            "shade": shade,
            "utility": None if utility is None else wire_array(np.round(255 * utility), "uint8"),
        }
        self._panel_cache[name] = (shows, panel)
        return panel


def _finite(table: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    """JSON has no infinity: a strategy that never reached the target says ``None``."""
    return {k: {m: (v if np.isfinite(v) else None) for m, v in row.items()} for k, row in table.items()}


def _row(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"choose: a row number was expected, got {value!r}")
    return value


def _settings(values: Any) -> dict[str, Any]:
    """The settings a page may change on reset, checked by :meth:`Exploration.restart`."""
    if not isinstance(values, dict):
        raise ValueError("reset: settings must be a mapping")
    allowed = ("seed", "batch_size", "warm_start", "budget", "learner")
    return {k: v for k, v in values.items() if k in allowed}


__all__ = ["StrategyExplorer"]
