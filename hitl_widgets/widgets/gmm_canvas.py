"""GMMCanvas: click 2-D points, learn a Gaussian mixture online, compare with (and adopt) a fit from scratch."""

from __future__ import annotations

import numbers
import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import traitlets as t

from .._threads import single_threaded
from ..learners import GMMClassifier, OnlineGMM
from ..sessions.gmm.session import MAX_CLASSES, GMMSession
from ._codec import wire_array
from .actions import Action, ActionWidget

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
PRIOR_SHARE = 0.035  # a one-point component's standard deviation, as a share of the canvas span (0.7 on the
# default view: benchmarks/gmm.py measured 0.5 and 1.0 too)


def default_class_name(index: int) -> str:
    """Name of the class that key ``index + 1`` starts when no names were given."""
    return f"class {index + 1}"


class GMMCanvas(ActionWidget):
    """A canvas where clicks add points and an online Gaussian mixture re-renders after each one.

    Keys (the widget must have focus; buttons do the same): ``p`` parameters,
    ``b`` fit from scratch, ``a`` adopt that fit, ``v`` cycle online / batch /
    both, ``c`` clear, ``Backspace`` or ``Ctrl+Z`` undo (a click, a brush
    stroke, a clear), ``1``-``9`` class of the next points. Dragging with the
    button held sprays points. When the clicks pause, a fit from scratch runs
    in the background and is adopted if it is better (the status line says so).

    Parameters
    ----------
    n_components
        ``"auto"`` (the number of components follows the data, up to 12) or
        the most components per class.
    classes
        Class names; with two or more the canvas is a generative classifier
        (one mixture per class). ``None``: one class, more appear when keys
        2-9 are used.
    xlim, ylim
        The data coordinates the canvas shows.
    width, height
        Canvas size in CSS pixels.
    seed
        Seed of the learners.
    idle_check
        Fit from scratch when the clicks pause and adopt a better fit.
    session
        A :class:`~hitl_widgets.GMMSession` made elsewhere (a script, a test): the canvas shows it and
        acts on it, as the other widgets take theirs; its model and prior stay its own.

    Examples
    --------
    >>> w = GMMCanvas(idle_check=False)
    >>> for x, y in [(-5, -5), (-5.5, -4.5), (-4.6, -5.2), (5, 5), (4.5, 5.2), (5.3, 4.7)]:
    ...     w.add_point(x, y)
    >>> w.points.shape, w.model.params()["n_components"]
    ((6, 2), 2)
    >>> w.undo()
    >>> len(w.points)
    5
    >>> from hitl_widgets import GMMSession
    >>> s = GMMSession(n_classes=2, idle_check=False)
    >>> s.add([0.0, 0.0], label=1)
    >>> view = GMMCanvas(session=s, classes=["cat", "dog"])
    >>> view.add_point(0.2, 0.1, label="dog")
    >>> s.n_points, list(view.labels)
    (2, ['dog', 'dog'])
    """

    page_settings = frozenset({"show", "current_class", "show_params"})

    _esm = STATIC / "gmm_canvas.js"
    _css = STATIC / "gmm_canvas.css"

    width = t.Int(560).tag(sync=True)
    height = t.Int(440).tag(sync=True)
    xlim = t.Tuple(t.Float(), t.Float(), default_value=(-10.0, 10.0)).tag(sync=True)
    ylim = t.Tuple(t.Float(), t.Float(), default_value=(-8.0, 8.0)).tag(sync=True)
    class_names = t.List(t.Unicode()).tag(sync=True)
    current_class = t.Int(0).tag(sync=True)
    show = t.Enum(["online", "batch", "both"], default_value="online").tag(sync=True)
    show_params = t.Bool(False).tag(sync=True)
    # model state for drawing (the browser evaluates densities from these few numbers)
    mixtures = t.List(t.Dict()).tag(sync=True)
    batch_mixtures = t.List(t.Dict()).tag(sync=True)
    status = t.Dict().tag(sync=True)
    accuracy_curve = t.List(t.Float()).tag(sync=True)
    open_classes = t.Bool(True).tag(sync=True)  # keys 2-9 may start new classes
    # points as binary: float32 (N, 2) and uint8 class indices
    _points = t.Dict().tag(sync=True)  # (N, 2) float32, as wire_array sends it
    _labels = t.Dict().tag(sync=True)  # (N,) uint8 class indices

    def __init__(
        self,
        n_components: int | str = "auto",
        classes: Sequence[str] | None = None,
        *,
        xlim: tuple[float, float] = (-10.0, 10.0),
        ylim: tuple[float, float] = (-8.0, 8.0),
        width: int = 560,
        height: int = 440,
        seed: int = 0,
        idle_check: bool = True,
        session: GMMSession | None = None,
        **kwargs: Any,
    ):
        names = _check_arguments(classes, xlim, ylim, width, height, seed)
        if session is None:
            span = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
            session = GMMSession(
                n_components, prior_scale=PRIOR_SHARE * span, seed=seed, n_classes=len(names), idle_check=idle_check
            )  # checks n_components before the widget exists
        elif not isinstance(session, GMMSession):
            raise TypeError(f"GMMCanvas: session= takes a GMMSession, got {type(session).__name__}")
        else:  # a session made elsewhere keeps its model and prior; the canvas names its classes
            if classes is not None and len(names) < session.n_classes:
                raise ValueError(f"GMMCanvas: the session has {session.n_classes} classes but {len(names)} names")
            if classes is None:
                names = [default_class_name(i) for i in range(max(1, session.n_classes))]
        super().__init__(
            xlim=tuple(map(float, xlim)),
            ylim=tuple(map(float, ylim)),
            width=width,
            height=height,
            class_names=names,
            **kwargs,
        )
        self.open_classes = classes is None
        self.session = session
        self.observe(self._on_class_chosen, names="current_class")
        session.on_change(lambda _event: self.request_push(self._sync))  # the idle check tells from its own thread
        with self.pushing():
            self.request_push(self._sync)

    # ------------------------------------------------------------ public API
    @property
    def points(self) -> np.ndarray:
        """The points, shape (N, 2), in data coordinates."""
        return self.session.points

    @property
    def labels(self) -> np.ndarray:
        """The class name of each point."""
        return np.array([self.class_names[i] for i in self.session.labels], dtype=object)

    @property
    def model(self) -> OnlineGMM | GMMClassifier:
        """The online model: an OnlineGMM with one class, a GMMClassifier with several; both have ``params()``."""
        return self.session.model

    def add_point(self, x: float, y: float, label: str | int | None = None) -> None:
        """Add a point (data coordinates) of class ``label`` (a name or an index; default: current class)."""
        self._add([(x, y)], self._class_index(label))

    def add_points(self, X: Any, labels: Sequence[str | int] | None = None) -> None:
        """Add many points at once (one synced update, one undo), e.g. a data set prepared in code.

        ``labels`` are class names or indices per row (default: the current class).
        """
        rows = np.asarray(X, dtype=float)
        names = [None] * len(rows) if labels is None else list(labels)
        if len(names) != len(rows):
            raise ValueError(f"GMMCanvas.add_points: {len(rows)} points but {len(names)} labels")
        index = np.array([self._class_index(v) for v in names], dtype=int)
        with self.pushing(), single_threaded():
            self.session.add_many(rows, index)
            self._name_classes_up_to(int(index.max()) if len(index) else 0)
            self.request_push(self._sync)

    def undo(self) -> None:
        """Take back the last click, brush stroke, ``add_points``, clear or adoption; the model exactly too."""
        self._act(self.session.undo)

    def clear(self) -> None:
        """Remove all points and reset the models (``undo`` brings them back)."""
        self._act(self.session.clear)

    def fit_batch(self) -> OnlineGMM | dict[int, OnlineGMM]:
        """Fit from scratch on all points and overlay the batch density (``show`` becomes 'both')."""
        self._act(self._fit_batch)
        batch = self.session.batch
        return batch[0] if len(batch) == 1 and not self.session.is_classifier else batch

    def adopt(self) -> None:
        """Make the last fit from scratch the online model (``undo`` takes it back)."""
        self._act(self._adopt)

    def compare(self) -> dict[str, Any]:
        """Online vs from scratch: ``ll_gap`` (nats/point), ``kl``, ``online_ms``, ``batch_ms``, components."""
        result = self.session.compare(refit=True)
        with self.pushing():
            self.request_push(self._sync)
        return result

    def show_parameters(self) -> dict[str, Any]:
        """Re-plot from the model's parameters and show them in a table; returns ``model.params()``."""
        self._act(self._show_parameters)
        return self.session.params()

    def close(self) -> None:
        """Close the widget and stop its idle check."""
        session = getattr(self, "session", None)  # a constructor that failed made none
        if session is not None:
            session.close()
        super().close()

    # ------------------------------------------------------------- actions
    # Each changes the session or a trait; _act then pushes the new state in one message.
    def _fit_batch(self) -> None:
        self.session.fit_batch()
        self.show = "both"

    def _adopt(self) -> None:
        if not self.session.adopt_batch():
            raise ValueError("Nothing to adopt yet: press b to fit from scratch first.")

    def _adopt_from_page(self) -> None:
        """``a`` or the button: only a fit from scratch that is better (the button is off otherwise)."""
        advice = self.session.adoption()
        if not advice["ok"]:
            raise ValueError(f"Not adopted: {advice['why']}.")
        self._adopt()

    def _show_parameters(self) -> None:
        self.show_params = True

    def _act(self, action: Any) -> None:
        with self.pushing():
            action()
            self.error = ""
            self.request_push(self._sync)

    # ------------------------------------------------------------- internals
    def _class_index(self, label: str | int | None) -> int:
        if label is None:
            return self.current_class
        if isinstance(label, str):
            if label not in self.class_names:
                raise ValueError(f"GMMCanvas: unknown class {label!r}; classes are {self.class_names}")
            return self.class_names.index(label)
        if isinstance(label, bool) or not isinstance(label, numbers.Integral) or not 0 <= label < MAX_CLASSES:
            raise ValueError(f"GMMCanvas: class index must be 0-{MAX_CLASSES - 1}, got {label!r}")
        if not self.open_classes and int(label) >= len(self.class_names):
            raise ValueError(f"GMMCanvas: class index {label} but only {len(self.class_names)} classes")
        return int(label)

    @t.validate("current_class")
    def _valid_class(self, proposal: dict[str, Any]) -> int:
        """A class key the canvas has: any of 1-9 while classes may open, else one of the named ones."""
        index = proposal["value"]
        most = MAX_CLASSES if self.open_classes else len(self.class_names)
        if not 0 <= index < most:
            raise ValueError(f"GMMCanvas: there are {len(self.class_names)} classes; key {index + 1} has none")
        return index

    def _on_class_chosen(self, change: dict[str, Any]) -> None:
        """A key 2-9 for a class not seen yet names it at once (its button appears)."""
        if self.open_classes and change["new"] < MAX_CLASSES:
            with self.pushing():
                self._name_classes_up_to(change["new"])

    def _name_classes_up_to(self, index: int) -> None:
        names = self.class_names
        if index >= len(names):
            self.class_names = names + [default_class_name(i) for i in range(len(names), index + 1)]

    def _add(self, xy: list, label: int, stroke: int | None = None, *, from_page: bool = False) -> None:
        """Learn the points; a point refused (NaN, say) is said in ``error``, and raised to a Python caller."""
        rejected = []
        with self.pushing():
            for p in xy:
                try:
                    self.session.add(p, label, stroke=stroke)
                except ValueError as exc:
                    rejected.append(str(exc))
            self._name_classes_up_to(label)  # the session's "added" asks for the redraw, once, at the end
            self.error = rejected[0] if rejected else ""
        if rejected and not from_page:
            raise ValueError(rejected[0])

    def _sync(self) -> None:
        """Set the traits from the session's state (inside one update: :meth:`pushing` or a requested push)."""
        view = self.session.view()
        self._points = wire_array(view["points"], "float32")
        self._labels = wire_array(view["labels"], "uint8")
        self.mixtures = view["mixtures"]
        self.batch_mixtures = view["batch_mixtures"]
        self.status = view["status"]
        self.accuracy_curve = [accuracy for _, accuracy in view["curve"]]

    # ------------------------------------------------------------- the page's actions
    def actions(self) -> Mapping[str, Action]:
        def act(method: Any) -> Action:
            return Action(lambda _c, _b: self._act(method))

        return {
            "add": Action(self._add_from_page),
            "undo": act(self.session.undo),
            "clear": act(self.session.clear),
            "fit_batch": act(self._fit_batch),
            "adopt": act(self._adopt_from_page),
            "params": act(self._show_parameters),
        }

    def _add_from_page(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        points = [tuple(p) for p in content.get("points", [])]
        self._add(points, self._class_index(content.get("label")), content.get("stroke"), from_page=True)

    def _on_action(self, widget: Any, content: Any, buffers: list[Any]) -> None:
        with single_threaded():  # torch on one thread: a click's few small ops pay no thread start-up
            super()._on_action(widget, content, buffers)


def _check_arguments(classes, xlim, ylim, width, height, seed) -> list[str]:
    """Clear errors for arguments that cannot work; the class names to start with."""
    if classes is not None:
        names = list(classes)
        if not 1 <= len(names) <= MAX_CLASSES:
            raise ValueError(f"GMMCanvas: give 1 to {MAX_CLASSES} class names, got {len(names)}")
        if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
            raise ValueError(f"GMMCanvas: class names must be distinct, non-empty strings, got {names!r}")
    else:
        names = [default_class_name(0)]
    if not (xlim[0] < xlim[1] and ylim[0] < ylim[1]):
        raise ValueError(f"GMMCanvas: xlim and ylim must be increasing, got {xlim} and {ylim}")
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 100 <= value <= 4000:
            raise ValueError(f"GMMCanvas: {name} must be a whole number of CSS pixels, 100-4000, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"GMMCanvas: seed must be a whole number, got {seed!r}")
    return names
