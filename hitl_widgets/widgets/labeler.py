"""Labeler: label a pool of texts, table rows or images inline while an online model learns and re-ranks it."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from ..data.given import in_words_of
from ..data.items import items_kind
from ..sessions.pool.builders import image_session, item_session
from ..sessions.pool.queue import LabelQueue
from ..sessions.pool.session import Session
from ..store import LabelStore
from ..team.team_label_queue import check_annotator, labeler_queue
from .item_views import ImageView, InlineView
from .pool_view import PoolLabelerView


class Labeler(PoolLabelerView):
    """Label a pool of any kind of item with the keyboard: texts, table rows or images.

    Texts are shown as text (never as HTML), rows as a small table, images as
    images. The default learner suits the kind: river's bag of words and
    logistic regression for texts, scaled numbers and one-hot strings for
    rows, a linear softmax head on the pixels for images. Everything else is
    the image labeler's: keys ``1``-``9``, ``Backspace`` undo, ``←``/``→``
    back through answers, ``Enter`` skip, strategies, the batch grid, the
    store, resume and export.

    Parameters
    ----------
    items
        A list of strings (texts), a list of dicts or a DataFrame (rows), or
        anything :class:`~hitl_widgets.ImageLabeler` takes (images).
    labels
        The label set (keys 1-9 in this order). ``None``: start empty and type names.
    learner
        Any river-style classifier; default: one for the kind of item.
    sampler
        Strategy name or sampler (``margin`` by default).
    store
        Where labels are kept: a SQLite path, a SQLAlchemy URL or a
        :class:`~hitl_widgets.LabelStore`. Default: ``labels.db`` in the working
        folder, which keeps every pool labeled there apart. A label belongs to
        its item's content: reopening the same items (or more, appended)
        resumes; a store given that holds another pool's labels is refused.
    ids
        Item ids (default: positions; a DataFrame's index).
    session
        An existing :class:`~hitl_widgets.Session` or
        :class:`~hitl_widgets.LabelQueue` over ``items`` to show.
    annotator, overlap, unsure, lease_seconds
        Label as ``annotator`` of a team sharing ``store`` (a PostgreSQL URL,
        or a SQLite file on one machine): the items on screen are leased for
        ``lease_seconds`` so nobody else gets them, a share ``overlap`` of the
        items goes to two annotators (for :func:`~hitl_widgets.agreement`), and
        so does every item the model was less sure of than ``unsure`` (the
        probability it gave its likeliest class) when it was shown to the first; the model learns
        everyone's labels within about a second.

    Examples
    --------
    >>> texts = ["free prize, call now", "see you at 7", "win cash today", "lunch tomorrow?"] * 5
    >>> w = Labeler(texts, labels=["ham", "spam"], store=":memory:")
    >>> w.item["view"]["kind"]
    'text'
    >>> w.label("spam" if "free" in texts[w.current] or "win" in texts[w.current] else "ham")
    >>> w.wait()
    >>> len(w.labels)
    1
    """

    @in_words_of("Labeler")
    def __init__(
        self,
        items: Any,
        labels: Sequence[Hashable] | None = None,
        learner: Any = None,
        sampler: str = "margin",
        store: LabelStore | str | None = None,
        *,
        ids: Sequence[Hashable] | None = None,
        test: tuple[Any, Sequence[Hashable]] | None = None,
        batch_size: int = 1,
        display_size: int = 280,
        background: bool = True,
        seed: int = 0,
        session: Session | LabelQueue | None = None,
        annotator: str | None = None,
        overlap: float = 0.0,
        unsure: float = 0.0,
        lease_seconds: float = 300.0,
        **kwargs: Any,
    ):
        check_annotator(annotator)
        team = {"annotator": annotator, "overlap": overlap, "unsure": unsure, "lease_seconds": lease_seconds}
        kind = items_kind(items) if session is None else "session"  # with a session, items are not read
        view: ImageView | InlineView
        if session is not None:
            label_queue = labeler_queue(session, batch_size=batch_size, **team)
            if label_queue.session.pool.inputs is None:
                raise ValueError(
                    "Labeler(session=...): for a session over images, use ImageLabeler(images, session=...)"
                )
            view = InlineView(label_queue.session.pool)
        elif kind == "image":
            built = image_session(
                items, labels, learner, sampler, store, test=test, background=background, seed=seed,
                annotator=annotator or "user",
            )  # fmt: skip
            label_queue = labeler_queue(built.session, batch_size=batch_size, **team)
            view = ImageView(built.source, built.source_index, max_side=max(512, display_size))
        else:
            built_session = item_session(
                items, labels, learner, sampler, store, ids=ids, test=test, background=background, seed=seed,
                annotator=annotator or "user",
            )  # fmt: skip
            label_queue = labeler_queue(built_session, batch_size=batch_size, **team)
            view = InlineView(built_session.pool)
        super().__init__(label_queue, view, predicts_at_once=learner is not None, display_size=display_size, **kwargs)

    def item_of(self, item: Hashable) -> Any:
        """The item itself: a text, a row (dict) or a PIL image."""
        return self.view.item(self.pool.index_of(item))


__all__ = ["Labeler"]
