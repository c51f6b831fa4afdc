"""ImageLabeler: label images inline while an online model learns and a sampler picks what to ask next."""

from __future__ import annotations

import itertools
import os
import pathlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import anywidget
import numpy as np
import traitlets as t

from ..data import Pool
from ..data.image_features import feature_shape, image_features
from ..data.image_source import ImageSource, encode_image
from ..learners.protocol import plain_label
from ..learners.torch_classifier import default_learner
from ..session import Session
from ..store import LabelStore

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
STRATEGIES = ("uniform", "least_confidence", "margin", "entropy", "kcenter")
PREFETCH = 8  # images ranked ahead and sent to the browser before they are needed
TRAIL = 200  # answered items the browser can step back through
CURVE_POINTS = 200
IMAGE_CACHE = 2048  # encoded thumbnails kept in memory
CHECKPOINT_FORMAT = "hitl_widgets.image_labeler/1"


class ImageLabeler(anywidget.AnyWidget):
    """Label images with the keyboard while an online model learns and re-ranks the pool.

    Keys (the widget must have focus; every key has a button): ``1``-``9``
    label, ``Enter`` or ``Space`` skip, ``Backspace`` undo (the model is rolled
    back too), ``←``/``→`` step back through answered items to change a label,
    ``Esc`` return to the queue. In batch mode (``batch_size > 1``) a grid of the
    sampler's next picks is labeled tile by tile and submitted with ``Enter``.

    Parameters
    ----------
    images
        A folder, a CSV file (a path column and maybe a label column), a list of
        paths, an array (N, H, W[, C]), PIL images, or a torch Dataset.
    labels
        The label set (keys 1-9 in this order). ``None``: start empty and type names.
    learner
        Any river-style classifier; default: a linear softmax head on the features
        (:class:`~hitl_widgets.TorchClassifier`).
    sampler
        Strategy name (``uniform``, ``least_confidence``, ``margin``, ``entropy``,
        ``kcenter``) or a sampler; switchable in the widget.
    store
        SQLite path or SQLAlchemy URL of the label store; reopening resumes.
    embed
        An ``nn.Module`` or callable mapping a float32 batch (B, C, H, W) in [0, 1]
        to embeddings (B, D): the features the learner and the sampler see.
        ``None``: raw pixels (native size when small, else 16 x 16).
    test
        ``(images, labels)`` for a held-out learning curve.
    batch_size
        1: one image at a time. k > 1: a grid of k images, submitted together.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> digits = load_digits()
    >>> w = ImageLabeler(digits.images[:200], labels=list(range(10)), store=":memory:")
    >>> first = w.current
    >>> w.label(int(digits.target[first]))
    >>> w.wait()
    >>> w.labels == {first: int(digits.target[first])}, w.current != first
    (True, True)
    >>> w.undo()
    >>> w.labels, w.current == first
    ({}, True)
    """

    _esm = STATIC / "image_labeler.js"
    _css = STATIC / "image_labeler.css"

    classes = t.List(t.Unicode()).tag(sync=True)
    open_classes = t.Bool(True).tag(sync=True)
    strategy = t.Unicode("margin").tag(sync=True)
    strategies = t.List(t.Unicode(), default_value=list(STRATEGIES)).tag(sync=True)
    batch_size = t.Int(1).tag(sync=True)
    display_size = t.Int(280).tag(sync=True)
    # what is on screen and what comes next: {"key": pool row, "id": str, "probs": [...]}
    item = t.Dict().tag(sync=True)
    queue = t.List(t.Dict()).tag(sync=True)
    # answered items, oldest first: {"key", "id", "label": class index, or -1 when skipped}
    trail = t.List(t.Dict()).tag(sync=True)
    progress = t.Dict().tag(sync=True)
    curve = t.List(t.List(t.Float())).tag(sync=True)
    curve_kind = t.Unicode("prequential").tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    _ack = t.Int(0).tag(sync=True)

    def __init__(
        self,
        images: Any,
        labels: Sequence[Hashable] | None = None,
        learner: Any = None,
        sampler: str = "margin",
        store: LabelStore | str = "labels.db",
        *,
        embed: Callable[[Any], Any] | None = None,
        image_size: tuple[int, int] | None = None,
        channels: int | None = None,
        test: tuple[Any, Sequence[Hashable]] | None = None,
        batch_size: int = 1,
        display_size: int = 280,
        path_column: str | None = None,
        label_column: str | None = None,
        labels_from_subfolders: bool = False,
        background: bool = True,
        seed: int = 0,
        **kwargs: Any,
    ):
        if labels is not None and len(set(map(str, labels))) != len(labels):
            raise ValueError(f"ImageLabeler: labels must be distinct, got {list(labels)}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"ImageLabeler: batch_size must be a whole number >= 1, got {batch_size!r}")
        self.source = ImageSource.from_any(
            images, path_column=path_column, label_column=label_column, labels_from_subfolders=labels_from_subfolders
        )
        size, channels = feature_shape(self.source, embed=embed, size=image_size, channels=channels)
        features, kept = image_features(self.source, embed=embed, size=size, channels=channels)
        self._source_index = kept  # pool row -> index in the source (unreadable images are left out)
        pool = Pool(
            features,
            [self.source.ids[i] for i in kept],
            [self.source.known[i] for i in kept],
        )
        self._fresh_default = learner is None  # an untrained head: no bars before its first label
        if learner is None:
            learner = default_learner(features.shape[1], labels, seed=seed)
        test_xy = None
        if test is not None:
            test_features, test_kept = image_features(
                ImageSource.from_any(test[0]), embed=embed, size=size, channels=channels
            )
            test_xy = (test_features, [test[1][i] for i in test_kept])
        self.session = Session(
            pool,
            learner,
            sampler=sampler,
            store=store,
            classes=labels,
            test=test_xy,
            background=background,
            seed=seed,
        )
        super().__init__(
            strategy=sampler if isinstance(sampler, str) else type(sampler).__name__,
            batch_size=batch_size,
            display_size=display_size,
            open_classes=labels is None,
            curve_kind="held-out" if test is not None else "prequential",
            **kwargs,
        )
        self._lock = threading.RLock()
        self._images: OrderedDict[int, tuple[bytes, str]] = OrderedDict()
        self._sent: set[int] = set()
        self._generation = 0
        self._current: int | None = None
        self._queue: list[int] = []
        with self._lock:
            self._advance(None)
            self._push(full=True)
        self._schedule_rerank()
        self.on_msg(self._on_frontend_msg)
        self.observe(self._on_strategy, names="strategy")
        self.observe(lambda _: self._schedule_rerank(), names="batch_size")

    # ------------------------------------------------------------ public API
    @property
    def pool(self) -> Pool:
        return self.session.pool

    @property
    def current(self) -> Hashable | None:
        """Id of the item on screen (``None`` when every item is labeled)."""
        return None if self._current is None else self.pool.ids[self._current]

    @property
    def upcoming(self) -> list[Hashable]:
        """Ids of the items ranked next, best first (the current item not included)."""
        return [self.pool.ids[r] for r in self._queue]

    @property
    def labels(self) -> dict[Hashable, Any]:
        """{item id: label} of every labeled item."""
        return self.session.labels

    @property
    def learner(self) -> Any:
        return self.session.learner

    def label(self, y: Hashable, item: Hashable | None = None) -> None:
        """Label the current item (or ``item``: an earlier one gets a new label) and move on."""
        row = self._current if item is None else self.pool.index_of(item)
        if row is None:
            raise ValueError("ImageLabeler: every item is labeled; nothing is on screen")
        self._label_rows([(row, self._class_value(y))], next_row=None)

    def skip(self) -> None:
        """Skip the current item; it comes back when everything else is done."""
        if self._current is None:
            raise ValueError("ImageLabeler: nothing to skip; every item is labeled")
        self._skip_row(self._current, None)

    def undo(self) -> None:
        """Undo the last label or skip; that item comes back on screen and the model forgets the label."""
        self.session.wait()  # outside the lock: the worker's re-ranking takes it
        with self._lock:
            record = self.session.undo()
            if record is None:
                self.error = "nothing to undo"
                return
            row = self.pool.index_of(record.item_id)
            if self._current is not None and self._current != row:
                self._queue.insert(0, self._current)
            self._set_current(row)
            self.error = ""
            self._push(full=True)
        self._schedule_rerank()

    def submit(self, labels: Mapping[Hashable, Hashable]) -> None:
        """Label several items at once (batch mode): ``{item id: label}``."""
        pairs = [(self.pool.index_of(item), self._class_value(y)) for item, y in labels.items()]
        if pairs:
            self._label_rows(pairs, next_row=None)

    def add_class(self, name: Hashable) -> None:
        """Add a label to the set (its key is the next free number)."""
        name = plain_label(name)
        if isinstance(name, str):
            name = name.strip()
            if not name:
                raise ValueError("ImageLabeler: a label name cannot be empty")
        if str(name) in self.classes:
            raise ValueError(f"ImageLabeler: {name!r} is a label already")
        self.session.add_class(name)
        with self._lock:
            self._push()

    def set_strategy(self, name: str) -> None:
        """Rank with another strategy (``uniform``, ``least_confidence``, ``margin``, ``entropy``, ``kcenter``)."""
        self.strategy = name

    def wait(self) -> None:
        """Block until every label is learned and the queue is re-ranked."""
        self.session.wait()

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
            raise ValueError(f"ImageLabeler.export_labels: use a .csv or .json path, got {str(path)!r}")

    def export_model(self, path: str | os.PathLike[str]) -> None:
        """Save the model: a torch learner's weights and classes (``torch.save``), any other learner pickled."""
        self.session.wait()
        learner = self.session.learner
        if hasattr(learner, "save"):
            learner.save(path)
        else:
            with open(path, "wb") as f:
                pickle.dump(learner, f)

    def save_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """One file with the labels, skips, label set, strategy and (torch learners) the model's weights.

        Load it into a labeler over the same images with :meth:`load_checkpoint`.
        """
        import torch

        self.session.wait()
        s = self.session
        with s._lock:
            answered = [(item, s.label_of(item)) for item in s.trail]
            state = {
                "format": CHECKPOINT_FORMAT,
                "classes": list(s.classes),
                "strategy": self.strategy,
                "answers": [[item, y] for item, y in answered],
                "model": _torch_state(s.learner),
            }
        torch.save(state, path)

    def load_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """Take the labels of a checkpoint that this store lacks, then the checkpoint's model weights.

        Labels already in this store are kept (nothing labeled is lost); the
        file is read with ``weights_only=True``, so loading it runs no code.
        """
        import torch

        state = torch.load(path, weights_only=True)
        if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"ImageLabeler.load_checkpoint: {str(path)!r} is not an ImageLabeler checkpoint")
        missing = [item for item, _ in state["answers"] if item not in self.pool._index]
        if missing:
            raise ValueError(
                f"ImageLabeler.load_checkpoint: {len(missing)} item(s) of the checkpoint are not among these "
                f"images (first: {missing[:5]}); load it into a labeler over the same images"
            )
        for y in state["classes"]:
            if y not in self.session.classes:
                self.session.add_class(y)
        self.session.wait()
        with self._lock:
            for item, y in state["answers"]:
                if self.session.label_of(item) is not None or self.session.is_skipped(item):
                    continue
                if y is None:
                    self.session.skip(item)
                else:
                    self.session.label(item, y)
        self.session.wait()  # outside the lock: the worker's re-ranking takes it
        with self._lock:
            if state["model"] is not None and hasattr(self.session.learner, "load_state"):
                self.session.learner.load_state(state["model"])
            self.strategy = state["strategy"]
            if self._current is not None and self.session.label_of(self.current) is not None:
                self._advance(None)
            self._push(full=True)
        self._schedule_rerank()

    def image(self, item: Hashable) -> Any:
        """The PIL image of an item."""
        return self.source.image(self._source_index[self.pool.index_of(item)])

    # ------------------------------------------------------------- actions
    def _class_value(self, y: Hashable) -> Hashable:
        """The label object for ``y`` (a label, or its name as shown); unknown labels are refused."""
        y = plain_label(y)
        classes = self.session.classes
        if y in classes:
            return y
        by_name = {str(c): c for c in classes}
        if isinstance(y, str) and y in by_name:
            return by_name[y]
        if self.session.open_classes:
            return y
        raise ValueError(
            f"ImageLabeler: {y!r} is not a label; the labels are {list(classes)}. "
            f"Add it first with add_class({y!r}) or by typing it in the widget."
        )

    def _label_rows(self, pairs: list[tuple[int, Hashable]], next_row: int | None) -> None:
        with self._lock:
            for row, y in pairs:
                self.session.label(self.pool.ids[row], y)
            answered = {row for row, _ in pairs}
            self._queue = [r for r in self._queue if r not in answered]
            if self._current in answered:
                self._advance(next_row)
            self.error = ""
            self._push()
        self._schedule_rerank()

    def _skip_row(self, row: int, next_row: int | None) -> None:
        with self._lock:
            self.session.skip(self.pool.ids[row])
            self._queue = [r for r in self._queue if r != row]
            if row == self._current:
                self._advance(next_row)
            self.error = ""
            self._push()
        self._schedule_rerank()

    def _advance(self, preferred: int | None) -> None:
        """Put the next item on screen: the browser's choice when it is still open, else the queue's head."""
        s = self.session
        open_rows = [r for r in ([preferred] if preferred is not None else []) + self._queue if self._is_open(r)]
        if open_rows:
            row = open_rows[0]
            self._queue = [r for r in self._queue if r != row and self._is_open(r)]
        elif len(s.labels) < len(self.pool):
            (item,) = s.next(1)
            row = self.pool.index_of(item)
        else:
            row = None
        self._set_current(row)

    def _set_current(self, row: int | None) -> None:
        self._current = row
        if row is not None:
            self.session.shown(self.pool.ids[row])

    def _is_open(self, row: int) -> bool:
        return row != self._current and self.session.label_of(self.pool.ids[row]) is None

    def _on_strategy(self, change: dict[str, Any]) -> None:
        if change["new"] == self.session.strategy:
            return  # a refused name put back
        try:
            self.session.set_sampler(change["new"])
        except ValueError as exc:
            self.error = str(exc)
            self.strategy = change["old"]
            return
        self.error = ""
        self._schedule_rerank()

    # --------------------------------------------------------- re-ranking
    def _schedule_rerank(self) -> None:
        """Re-rank once the labels given so far are learned; only the newest request runs."""
        self._generation += 1
        generation = self._generation
        self.session.then(lambda: self._rerank(generation))

    def _rerank(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer label asked for another ranking after this one
        try:
            want = max(PREFETCH, 2 * self.batch_size)
            exclude = [] if self._current is None else [self.pool.ids[self._current]]
            n_open = len(self.pool) - self.session.n_labels - len(exclude)
            ranked = self.session.next(min(want, n_open), exclude=exclude) if n_open > 0 else []
            rows = [self.pool.index_of(i) for i in ranked]
            for row in rows:  # encode off the kernel's main thread, before the browser asks
                self._encoded(row)
            with self._lock:
                if generation != self._generation:
                    return
                self._queue = [r for r in rows if self._is_open(r)]
                if self._current is None and self._queue:
                    self._advance(None)
                self._push(full=True)
        except Exception as exc:  # shown in the widget: a worker thread has no one else to tell
            self.error = f"re-ranking failed: {exc.__class__.__name__}: {exc}"

    # ------------------------------------------------------------- syncing
    def _push(self, full: bool = False, seq: int | None = None) -> None:
        """Send what the browser shows, in one message (``full`` adds predictions and the curve)."""
        s = self.session
        with self.hold_sync():
            self.classes = [str(c) for c in s.classes]
            on_screen = ([self._current] if self._current is not None else []) + self._queue
            # no bars before the model has learned a label (an untrained head's guesses mean nothing)
            knows = s._n_learned or not self._fresh_default
            probs = s.predict_proba(on_screen) if (full and on_screen and knows) else None
            entries = [self._entry(row, None if probs is None else probs[i]) for i, row in enumerate(on_screen)]
            if not full:  # keep the probabilities the browser has until the model has learned
                old = {e["key"]: e.get("probs") for e in [self.item, *self.queue] if e}
                for e in entries:
                    e["probs"] = old.get(e["key"], [])
            self.item = entries[0] if self._current is not None else {}
            self.queue = entries[1:] if self._current is not None else entries
            index = {c: i for i, c in enumerate(s.classes)}
            self.trail = [
                {"key": row, "id": str(self.pool.ids[row]), "label": index.get(s._labels.get(row), -1)}
                for row in reversed(list(itertools.islice(reversed(s._trail), TRAIL)))
            ]
            self.progress = self._progress(busy=not full)
            if full:
                self.curve = self._curve()
            if seq is not None:
                self._ack = seq
        self._send_images([r for r in on_screen if r not in self._sent])

    def _entry(self, row: int, probs: np.ndarray | None) -> dict[str, Any]:
        return {
            "key": int(row),
            "id": str(self.pool.ids[row]),
            "probs": [] if probs is None else [round(float(p), 4) for p in probs],
        }

    def _progress(self, busy: bool) -> dict[str, Any]:
        s = self.session
        last = s.history[-1] if s.history else {}
        return {
            "labeled": s.n_labels,
            "pool": len(self.pool),
            "skipped": len(s._skipped),
            "accuracy": s.accuracy(),
            "heldout": last.get("heldout_accuracy"),
            "n_predicted": last.get("n_predicted", 0),
            "learning": busy,  # a label is waiting for the model; the re-ranking push clears it
        }

    def _curve(self) -> list[list[float]]:
        key = "heldout_accuracy" if self.curve_kind == "held-out" else "accuracy"
        points = [[float(h["n_labels"]), float(h[key])] for h in self.session.history if h.get(key) is not None]
        return points[:: max(1, len(points) // CURVE_POINTS)][-CURVE_POINTS:]

    def _encoded(self, row: int) -> tuple[bytes, str]:
        hit = self._images.get(row)
        if hit is None:
            hit = encode_image(self.source.image(self._source_index[row]), max_side=max(512, self.display_size))
            self._images[row] = hit
            while len(self._images) > IMAGE_CACHE:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(row)
        return hit

    def _send_images(self, rows: Sequence[int]) -> None:
        """Image bytes as binary buffers, a few per message."""
        rows = list(dict.fromkeys(int(r) for r in rows))
        for start in range(0, len(rows), 8):
            chunk = rows[start : start + 8]
            encoded = [self._encoded(r) for r in chunk]
            self.send(
                {"type": "images", "keys": chunk, "mimes": [m for _, m in encoded]},
                buffers=[b for b, _ in encoded],
            )
            self._sent.update(chunk)

    # ------------------------------------------------------- browser messages
    def _on_frontend_msg(self, _widget: Any, content: dict[str, Any], _buffers: list) -> None:
        kind, seq = content.get("type"), content.get("seq")
        try:
            if kind == "want":
                keys = [int(k) for k in content.get("keys", []) if 0 <= int(k) < len(self.pool)]
                self._send_images(keys)
                return
            if kind == "label":
                row, cls = self._row(content["key"]), self._class_index(content["cls"])
                self._label_rows([(row, self.session.classes[cls])], next_row=_maybe_int(content.get("next")))
            elif kind == "skip":
                self._skip_row(self._row(content["key"]), _maybe_int(content.get("next")))
            elif kind == "undo":
                self.undo()
            elif kind == "submit":
                pairs = [
                    (self._row(k), self.session.classes[self._class_index(c)]) for k, c in content.get("labels", [])
                ]
                if pairs:
                    self._label_rows(pairs, next_row=None)
            elif kind == "add_class":
                self.add_class(str(content.get("name", "")))
            if seq is not None:
                self._ack = int(seq)
        except (ValueError, TypeError, KeyError) as exc:  # a bad message changes nothing and says why
            self.error = str(exc)
            if seq is not None:
                self._ack = int(seq)

    def _row(self, key: Any) -> int:
        row = int(key)
        if not 0 <= row < len(self.pool):
            raise ValueError(f"unknown item key {key!r}; the pool has {len(self.pool)} items")
        return row

    def _class_index(self, cls: Any) -> int:
        i = int(cls)
        if not 0 <= i < len(self.session.classes):
            raise ValueError(f"there are {len(self.session.classes)} labels; key {i + 1} has none")
        return i


def _torch_state(learner: Any) -> dict[str, Any] | None:
    return learner.state() if hasattr(learner, "state") and hasattr(learner, "load_state") else None


def _maybe_int(v: Any) -> int | None:
    return None if v is None else int(v)
