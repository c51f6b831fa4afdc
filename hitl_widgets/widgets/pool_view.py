"""The pool labeler's view: a :class:`~hitl_widgets.LabelQueue` rendered as traits, the page's actions sent back.

Shared by :class:`~hitl_widgets.Labeler` (texts, rows, images) and
:class:`~hitl_widgets.ImageLabeler`. Nothing of the labeling loop lives
here: the queue decides what is on screen and what comes next, the session
stores and learns; this class turns their state into traits, one update per
change, and the page's actions into queue calls.
"""

from __future__ import annotations

import os
import pathlib
import pickle
from collections.abc import Hashable, Mapping
from typing import Any

import traitlets as t

from ..data import Pool
from ..samplers import get as get_sampler
from ..sessions.labels import class_at
from ..sessions.pool.checkpoint import load_checkpoint, save_checkpoint
from ..sessions.pool.queue import LabelQueue
from ..sessions.pool.session import Session
from .actions import Action, ActionWidget
from .item_views import ImageView, InlineView

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
STRATEGIES = ("uniform", "least_confidence", "margin", "entropy", "kcenter")


class PoolLabelerView(ActionWidget):
    """Label a pool with the keyboard while an online model learns and re-ranks it (see :class:`Labeler`)."""

    page_settings = frozenset({"strategy", "batch_size"})

    _esm = STATIC / "image_labeler.js"
    _css = STATIC / "image_labeler.css"

    classes = t.List(t.Unicode()).tag(sync=True)
    open_classes = t.Bool(True).tag(sync=True)
    strategy = t.Unicode("margin").tag(sync=True)
    strategies = t.List(t.Unicode(), default_value=list(STRATEGIES)).tag(sync=True)
    batch_size = t.Int(1).tag(sync=True)
    display_size = t.Int(280).tag(sync=True)
    item_kind = t.Unicode("image").tag(sync=True)  # "image": bytes sent ahead; "inline": text or rows in entries
    # what is on screen and what comes next: {"key": pool row, "id": str, "probs": [...], "view"?: {...}}
    item = t.Dict().tag(sync=True)
    queue = t.List(t.Dict()).tag(sync=True)
    # answered items, oldest first: {"key", "id", "label": class index, or -1 when skipped}
    trail = t.List(t.Dict()).tag(sync=True)
    progress = t.Dict().tag(sync=True)
    curve = t.List(t.List(t.Float())).tag(sync=True)
    curve_kind = t.Unicode("prequential").tag(sync=True)

    def __init__(
        self,
        label_queue: LabelQueue,
        view: ImageView | InlineView,
        *,
        predicts_at_once: bool,
        display_size: int = 280,
        **kwargs: Any,
    ):
        s = label_queue.session
        super().__init__(
            strategy=s.strategy,
            batch_size=label_queue.batch_size,
            display_size=display_size,
            open_classes=s.open_classes,
            curve_kind="held-out" if s.has_test else "prequential",
            item_kind=view.kind,
            **kwargs,
        )
        self.label_queue = label_queue
        self.view = view
        self._predicts_at_once = predicts_at_once  # a pretrained learner: bars before the first label
        self._queue_error = ""  # the queue's error the page was last told
        self.watch(label_queue, self._render, before={"ranked": self._prepare})
        with self.pushing():
            self._push(full=True)
        self.observe(self._on_strategy, names="strategy")
        self.observe(self._on_batch_size, names="batch_size")

    # ------------------------------------------------------------ reading
    @property
    def session(self) -> Session:
        return self.label_queue.session

    @property
    def pool(self) -> Pool:
        return self.session.pool

    @property
    def current(self) -> Hashable | None:
        """Id of the item on screen (``None`` when every item is labeled)."""
        return self.label_queue.current

    @property
    def upcoming(self) -> list[Hashable]:
        """Ids of the items ranked next, best first (the current item not included)."""
        return self.label_queue.upcoming

    @property
    def labels(self) -> dict[Hashable, Any]:
        """{item id: label} of every labeled item."""
        return self.session.labels

    @property
    def learner(self) -> Any:
        return self.session.learner

    # ------------------------------------------------------------ actions from Python
    def label(self, y: Hashable, item: Hashable | None = None) -> None:
        """Label the current item (or ``item``: an earlier one gets a new label) and move on."""
        self.label_queue.label(y, item)

    def skip(self) -> None:
        """Skip the current item; it comes back when everything else is done."""
        self.label_queue.skip()

    def undo(self) -> None:
        """Undo the last label or skip; that item comes back on screen and the model forgets the label."""
        if self.label_queue.undo() is None:
            with self.pushing():
                self.error = "nothing to undo"

    def submit(self, labels: Mapping[Hashable, Hashable]) -> None:
        """Label several items at once (batch mode): ``{item id: label}``."""
        if labels:
            self.label_queue.submit(labels)

    def add_class(self, name: Hashable) -> None:
        """Add a label to the set (its key is the next free number)."""
        self.label_queue.add_class(name)

    def set_strategy(self, name: str) -> None:
        """Rank with another strategy (``uniform``, ``least_confidence``, ``margin``, ``entropy``, ``kcenter``)."""
        self.strategy = name

    def close(self) -> None:
        """Close the widget; a team member's leased items go back to the team at once."""
        label_queue = getattr(self, "label_queue", None)  # None when the constructor refused its arguments
        if label_queue is not None:
            label_queue.close()
        super().close()

    def wait(self) -> None:
        """Block until every label is learned and the queue is re-ranked."""
        self.label_queue.wait()

    def to_dataframe(self):
        """Every label and skip, with time, strategy, the model's prediction and the time taken."""
        return self.session.to_dataframe()

    def export_labels(self, path: str | os.PathLike[str]) -> None:
        """Write the labels and skips to ``path``: ``.csv`` or ``.json``."""
        suffix = pathlib.Path(path).suffix.lower()
        if suffix == ".csv":
            self.session.store.to_csv(path)
        elif suffix == ".json":
            self.session.store.to_json(path)
        else:
            raise ValueError(f"export_labels: use a .csv or .json path, got {str(path)!r}")

    def export_model(self, path: str | os.PathLike[str]) -> None:
        """Save the model: a torch learner's weights and classes (``torch.save``), any other learner pickled.

        The pickle is for your own use; this package never loads one.
        """
        self.session.wait()
        learner = self.session.learner
        if hasattr(learner, "save"):
            learner.save(path)
        else:
            with open(path, "wb") as f:
                pickle.dump(learner, f)

    def save_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """One file with the labels, skips, label set, strategy and (torch learners) the model's weights."""
        save_checkpoint(self.session, path)

    def load_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """Take the labels of a checkpoint that this store lacks, then its model weights (no code runs)."""
        state = load_checkpoint(self.session, path)
        self.strategy = state["strategy"]
        self.label_queue.refresh()

    # ------------------------------------------------------------ the page's actions
    def actions(self) -> Mapping[str, Action]:
        return {
            "want": Action(self._want, user=False),
            "label": Action(self._label_action),
            "skip": Action(lambda c, _: self.label_queue.skip(self._id(c["key"]), next_item=self._next(c))),
            "undo": Action(lambda c, _: self.undo()),
            "submit": Action(self._submit_action),
            "add_class": Action(lambda c, _: self.add_class(str(c.get("name", "")))),
        }

    def _label_action(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        y = class_at(content["cls"], self.session.classes)
        self.label_queue.label(y, self._id(content["key"]), next_item=self._next(content))

    def _submit_action(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        classes = self.session.classes
        answers = {self._id(k): class_at(c, classes) for k, c in content.get("labels", [])}
        if answers:
            self.label_queue.submit(answers)

    def _want(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        rows = [int(k) for k in content.get("keys", []) if isinstance(k, int) and 0 <= k < len(self.pool)]
        self.view.deliver(rows, self.send, again=True)

    def _id(self, key: Any) -> Hashable:
        ids = self.pool.ids
        if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key < len(ids):
            raise ValueError(f"unknown item key {key!r}; the pool has {len(ids)} items")
        return ids[key]

    def _next(self, content: dict[str, Any]) -> Hashable | None:
        key = content.get("next")
        return None if key is None else self._id(key)

    @t.validate("strategy")
    def _valid_strategy(self, proposal: dict[str, Any]) -> str:
        """A bad name set from Python raises here, as in the constructor (the page offers only good ones)."""
        name = proposal["value"]
        queue = getattr(self, "label_queue", None)  # None while the constructor sets traits
        if queue is not None and queue.session.strategy != name:
            get_sampler(name)  # ValueError naming the strategies there are
        return name

    def _on_strategy(self, change: dict[str, Any]) -> None:
        if change["new"] == self.session.strategy:
            return  # the session's own name (a checkpoint loaded)
        with self.pushing():
            self.label_queue.set_strategy(change["new"])  # checked by _valid_strategy
            self.error = ""

    @t.validate("batch_size")
    def _valid_batch_size(self, proposal: dict[str, Any]) -> int:
        """``w.batch_size = 0`` raises, as the constructor does."""
        LabelQueue.check_batch_size(proposal["value"])
        return proposal["value"]

    def _on_batch_size(self, change: dict[str, Any]) -> None:
        with self.pushing():
            self.label_queue.batch_size = change["new"]
            self.error = ""

    # ------------------------------------------------------------ rendering
    def _prepare(self, _event: str) -> None:
        """In the re-ranking thread: the newly ranked items' images are encoded before the page needs them."""
        current, upcoming = self.label_queue.view()
        self.view.prepare([self.pool.index[i] for i in ([current] if current is not None else []) + upcoming])

    def _render(self, event: str) -> None:
        queue_error = self.label_queue.error
        if event == "error":
            self.error = queue_error
        elif not queue_error and self.error == self._queue_error:
            self.error = ""  # the model ranks again: its failure is over (an action's own error stays)
        self._queue_error = queue_error
        self._push(full=event in ("ranked", "undone"))

    def _push(self, full: bool = False) -> None:
        """Set what the page shows (``full`` adds predictions and the curve); runs inside one update."""
        snap = self.label_queue.snapshot(
            full=full, untrained=self._predicts_at_once, heldout=self.curve_kind == "held-out"
        )
        self.classes = [str(c) for c in snap.classes]
        payloads = self.view.payloads(snap.rows)
        ids = self.pool.ids
        probs = snap.probs
        entries = [
            {
                "key": int(row),
                "id": str(ids[row]),
                "probs": [] if probs is None else [round(float(p), 4) for p in probs[i]],
                **payloads[i],
            }
            for i, row in enumerate(snap.rows)
        ]
        if not snap.predicted:  # keep the probabilities the page has until the model has learned
            old = {e["key"]: e.get("probs") for e in [self.item, *self.queue] if e}
            for e in entries:
                e["probs"] = old.get(e["key"], [])
        has_current = snap.current is not None
        self.item = entries[0] if has_current else {}
        self.queue = entries[1:] if has_current else entries
        index = {c: i for i, c in enumerate(snap.classes)}
        self.trail = [{"key": row, "id": str(item), "label": index.get(y, -1)} for row, item, y in snap.trail]
        self.progress = snap.progress
        if snap.curve is not None:
            self.curve = snap.curve
        self.view.deliver(snap.rows, self.send)
