"""GMMCanvas: click 2-D points, learn a Gaussian mixture online, compare with (and adopt) a fit from scratch."""

from __future__ import annotations

import numbers
import pathlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import traitlets as t

from .._threads import single_threaded
from ..learners import GMMClassifier, OnlineGMM
from ..sessions.gmm.session import MAX_CLASSES, GMMSession
from ._codec import array_message
from .actions import Action, ActionWidget

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"


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
        acts on it, as the other widgets take theirs; its model, prior and class names stay its own.

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
    >>> s = GMMSession(classes=["cat", "dog"], idle_check=False)  # the session owns the classes
    >>> s.add([0.0, 0.0], label=1)
    >>> view = GMMCanvas(session=s)
    >>> view.add_point(0.2, 0.1, label="dog")
    >>> s.n_points, list(view.labels)
    (2, ['dog', 'dog'])
    """

    page_settings = frozenset({"show", "current_class", "show_params"})
    single_threaded = True

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
    # the points go by "points" messages, not a trait: a click sends its own point, the page keeps the rest

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
        _check_view(xlim, ylim, width, height, seed)
        if session is None:  # the session owns the classes and the prior (a share of this view's span)
            session = GMMSession.for_view(
                xlim, ylim, n_components, classes=classes, seed=seed, idle_check=idle_check
            )  # checks n_components and the names before the widget exists
        elif not isinstance(session, GMMSession):
            raise TypeError(f"GMMCanvas: session= takes a GMMSession, got {type(session).__name__}")
        elif classes is not None:
            raise ValueError("GMMCanvas: a session made elsewhere names its own classes: GMMSession(classes=...)")
        super().__init__(
            xlim=tuple(map(float, xlim)),
            ylim=tuple(map(float, ylim)),
            width=width,
            height=height,
            class_names=list(session.class_names),
            open_classes=session.open_classes,
            **kwargs,
        )
        self.session = session
        self._page: tuple[int, int] | None = None  # (points version, n) the page holds; None: it asks for them all
        self.observe(self._on_class_chosen, names="current_class")
        self.watch(session, self._sync, pass_event=False)  # the idle check tells from its own thread
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
        names = self.session.class_names
        return np.array([names[i] for i in self.session.labels], dtype=object)

    @property
    def model(self) -> OnlineGMM | GMMClassifier:
        """The online model: an OnlineGMM with one class, a GMMClassifier with several; both have ``params()``."""
        return self.session.model

    def add_point(self, x: float, y: float, label: str | int | None = None) -> None:
        """Add a point (data coordinates) of class ``label`` (a name or an index; default: current class)."""
        with self.pushing():  # the session's "added" asks for the redraw
            self.session.add((x, y), self.current_class if label is None else label)

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
            self.session.add_many(rows, index)  # its "added" asks for the redraw

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
        with self.pushing():  # the fit's "fitted" asks for the redraw, once, at the end of this update
            return self.session.compare(refit=True)

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
        return self.current_class if label is None else self.session.class_of(label)

    @t.validate("current_class")
    def _valid_class(self, proposal: dict[str, Any]) -> int:
        """A class key the canvas has: any of 1-9 while classes may open, else one of the named ones."""
        index, names = proposal["value"], self.session.class_names
        most = MAX_CLASSES if self.session.open_classes else len(names)
        if not 0 <= index < most:
            raise ValueError(f"GMMCanvas: there are {len(names)} classes; key {index + 1} has none")
        return index

    def _on_class_chosen(self, change: dict[str, Any]) -> None:
        """A key 2-9 for a class not seen yet names it at once (its button appears)."""
        with self.pushing():
            self.session.open_class(change["new"])

    def _sync(self) -> None:
        """Set the traits from the session's state (inside one update: :meth:`pushing` or a requested push), and
        send the page the points it lacks (a click: its own point; the message goes ahead of the update)."""
        view = self.session.view(since=self._page)
        self.class_names, self.open_classes = view["class_names"], view["open_classes"]
        if (view["version"], view["n"]) != self._page:
            arrays = {"xy": (view["points"], "float32"), "labels": (view["labels"], "uint8")}
            self.send(*array_message("points", arrays, base=view["base"], n=view["n"]))
            self._page = (view["version"], view["n"])
        self.mixtures = view["mixtures"]
        self.batch_mixtures = view["batch_mixtures"]
        self.status = view["status"]
        self.accuracy_curve = [accuracy for _, accuracy in view["curve"]]

    # ------------------------------------------------------------- the page's actions
    def actions(self) -> Mapping[str, Action]:
        def act(method: Callable[[], Any]) -> Action:
            return Action(lambda _c, _b: self._act(method))

        return {
            "add": Action(self._add_from_page),
            "undo": act(lambda: self.session.undo()),
            "clear": act(lambda: self.session.clear()),
            "fit_batch": act(self._fit_batch),
            "adopt": act(self._adopt_from_page),
            "params": act(self._show_parameters),
            "want": Action(self._want, user=False),
        }

    def _want(self, _content: dict[str, Any], _buffers: list[Any]) -> None:
        """A page that holds no points (it just opened, or was reloaded) or missed some: send them all."""
        self._page = None
        self.request_push(self._sync)

    def _add_from_page(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        """A click or a brush stroke: a point refused (not finite) is said in ``error``, the others learned."""
        label = content.get("label")
        refused = self.session.add_stroke(
            content.get("points", []), self.current_class if label is None else label, stroke=content.get("stroke")
        )
        self.error = refused[0] if refused else ""


def _check_view(xlim, ylim, width, height, seed) -> None:
    """Clear errors for a view that cannot work."""
    if not (xlim[0] < xlim[1] and ylim[0] < ylim[1]):
        raise ValueError(f"GMMCanvas: xlim and ylim must be increasing, got {xlim} and {ylim}")
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 100 <= value <= 4000:
            raise ValueError(f"GMMCanvas: {name} must be a whole number of CSS pixels, 100-4000, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"GMMCanvas: seed must be a whole number, got {seed!r}")
