"""TeamDashboard: a team's progress, agreement and disagreements, read from its store as they change.

A view of :func:`~hitl_widgets.team.team_report`: it looks at the store
when PostgreSQL says the log changed and every ``refresh`` seconds (one
small query when nothing changed), draws
progress per annotator, the agreement matrix (Cohen's kappa per pair) and
the items the annotators disagree on; clicking an answer there records it as
the item's final label (:func:`~hitl_widgets.team.adjudicate`).
"""

from __future__ import annotations

import getpass
import json
import logging
import pathlib
import threading
import time
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import traitlets as t

from ..store import LabelStore
from ..store.label_store import namespace_of
from ..store.notify import follow_changes
from ..team.team_report import adjudicate, json_value, team_report
from .actions import Action, ActionWidget
from .item_previews import ItemPreviews
from .media import send_images

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"
log = logging.getLogger("hitl_widgets")
FULL_LOOK_EVERY = 5  # a full read every few looks: on PostgreSQL an event can commit after a newer one
SHOWN = 50  # disagreements the page lists at once (the most it asks thumbnails for at a time)


class TeamDashboard(ActionWidget):
    """Progress per annotator, the agreement matrix and the disagreements to adjudicate, kept up to date.

    Parameters
    ----------
    store
        The team's store: a :class:`~hitl_widgets.LabelStore`, a SQLite path or a SQLAlchemy URL.
    namespace
        The store's namespace (what the labelers label in; ``"default"`` unless you named one). Its older
        name ``session`` (the second argument) still works.
    adjudicator
        The name recorded with the final labels chosen here (shown above the disagreements); by
        default the login name of whoever runs the kernel.
    refresh
        Seconds between looks at the store; ``0``: only when :meth:`refresh` is called.
    items
        The items themselves, to show each disagreement's item beside its answers: texts or rows (a
        list, by position, or ``{id: item}``) as an excerpt, images (anything the image labeler takes:
        a folder, a CSV of paths, paths, an array, PIL images) as a thumbnail.
    n_items
        The pool's size, for "124 of 500 items labeled".

    Examples
    --------
    >>> store = LabelStore(":memory:")
    >>> _ = store.record_label(7, "cat", annotator="ana"); _ = store.record_label(7, "dog", annotator="bo")
    >>> board = TeamDashboard(store, refresh=0)
    >>> [d["item"] for d in board.report["disagreements"]]
    [7]
    >>> board.adjudicate(7, "dog"); board.report["disagreements"][0]["final"]
    'dog'
    """

    _esm = STATIC / "team_dashboard.js"
    _css = STATIC / "team_dashboard.css"

    report = t.Dict().tag(sync=True)
    adjudicator = t.Unicode("adjudicator").tag(sync=True)
    updated_at = t.Float(0.0).tag(sync=True)  # when the store was last read (seconds since the epoch)

    def __init__(
        self,
        store: LabelStore | str,
        session: str | None = None,
        *,
        namespace: str | None = None,
        adjudicator: str | None = None,
        refresh: float = 2.0,
        items: Sequence[Any] | Mapping[Hashable, Any] | None = None,
        n_items: int | None = None,
        **kwargs: Any,
    ):
        if not isinstance(refresh, (int, float)) or refresh < 0:
            raise ValueError(f"refresh must be a number of seconds >= 0, got {refresh!r}")
        super().__init__(adjudicator=adjudicator or login_name(), **kwargs)
        self.store = LabelStore.of(store, namespace_of(namespace, session, "TeamDashboard"))
        self._previews = ItemPreviews(items)
        self._n_items = n_items if n_items is not None else (len(self._previews) if items is not None else None)
        self._newest = -1
        self._looks = 0
        self._stop = threading.Event()
        with self.pushing():
            self._show(self.store.events())
        if refresh:
            threading.Thread(
                target=self._watch, args=(float(refresh),), name="hitl-team-dashboard", daemon=True
            ).start()

    def refresh(self) -> None:
        """Read the store now and redraw."""
        records = self.store.events()
        self.request_push(lambda: self._show(records))

    def adjudicate(self, item_id: Hashable, label: Hashable) -> None:
        """Record ``label`` as the final label of ``item_id`` (as this dashboard's adjudicator) and redraw."""
        adjudicate(self.store, item_id, label, adjudicator=self.adjudicator)
        self.refresh()

    def close(self) -> None:
        """Stop looking at the store and close the widget."""
        stop = getattr(self, "_stop", None)  # None when the constructor refused its arguments
        if stop is not None:
            stop.set()
        super().close()

    def actions(self) -> Mapping[str, Action]:
        return {
            "adjudicate": Action(self._adjudicate_action),
            "refresh": Action(lambda _c, _b: self.refresh()),
            "thumbnails": Action(self._thumbnails_action, user=False),
        }

    # ------------------------------------------------------------- internals
    def _adjudicate_action(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        """The page sends an item and a label as it shows them; both are looked up among the disagreements."""
        shown = next((d for d in self._disagreements if json_value(d["item"]) == content["item"]), None)
        if shown is None:
            raise ValueError(f"item {content['item']!r} is not among the disagreements")
        label = next((y for y in shown["answers"].values() if json_value(y) == content["label"]), None)
        if label is None:
            raise ValueError(f"{content['label']!r} is not one of the answers given for item {content['item']!r}")
        self.adjudicate(shown["item"], label)

    def _watch(self, every: float) -> None:
        """Look when PostgreSQL says the log changed, and every ``every`` seconds anyway."""
        follow_changes(self.store.url, self.store.namespace, every, self._stop, self._look_quietly)

    def _look_quietly(self) -> bool:
        try:
            self._look()
        except Exception as exc:  # the store went away for a moment: say so, look again later
            message = f"reading the team's store failed: {type(exc).__name__}: {exc}"
            self.request_push(lambda m=message: setattr(self, "error", m))
        return True

    def _look(self) -> None:
        self._looks += 1
        _, _, newest = self.store.changes_since(max(self._newest, 0))
        if newest != self._newest or self._looks % FULL_LOOK_EVERY == 0:
            self._newest = newest
            self.refresh()
        elif self.error.startswith("reading the team's store failed"):
            self.request_push(lambda: setattr(self, "error", ""))

    def _show(self, records: list[Any]) -> None:
        report = team_report(records, n_items=self._n_items)
        self._disagreements = report.disagreements
        data = report.to_dict()
        for d, shown in zip(data["disagreements"], report.disagreements, strict=True):
            d["preview"] = self._previews.excerpt(shown["item"])
            d["thumbnail"] = self._previews.is_image(shown["item"])  # the page asks for the ones it lacks
        self.report = data
        self.updated_at = time.time()

    def _thumbnails_action(self, content: dict[str, Any], _buffers: list[Any]) -> None:
        """The page asks for the thumbnails of image items it lists (as the report names them); they come in
        binary buffers, in an ``"images"`` message, as the labelers' images do."""
        wanted = {json.dumps(item) for item in content["items"][:SHOWN]}
        keys, images, failed = [], [], []
        for d in self._disagreements:
            key = json_value(d["item"])
            if json.dumps(key) not in wanted:
                continue
            try:
                thumbnail = self._previews.thumbnail(d["item"])
            except (OSError, ValueError) as exc:  # a file gone or unreadable: the others still come
                log.info("no thumbnail for item %r: %s", d["item"], exc)
                thumbnail = None
            if thumbnail is None:
                failed.append(key)
            else:
                keys.append(key)
                images.append(thumbnail)
        # "asked": what this answers; an item not among the disagreements yet is asked for again later
        send_images(self.send, keys, images, failed=failed, asked=content["items"][:SHOWN])


__all__ = ["TeamDashboard"]


def login_name() -> str:
    """Who runs this kernel (the operating system's login name), or ``"adjudicator"`` where it cannot say."""
    try:
        return getpass.getuser() or "adjudicator"
    except (OSError, KeyError, ImportError):  # no login name in this environment (a container with no user)
        return "adjudicator"
