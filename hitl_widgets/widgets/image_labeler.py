"""ImageLabeler: label images inline while an online model learns and a sampler picks what to ask next."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from ..data.given import in_words_of
from ..data.image_source import ImageSource
from ..sessions.pool.builders import ImagePool, image_session
from ..sessions.pool.queue import LabelQueue
from ..sessions.pool.session import Session
from ..store import LabelStore
from ..team.team_label_queue import check_annotator, labeler_queue
from .item_views import ImageView, source_rows
from .pool_view import PoolLabelerView


class ImageLabeler(PoolLabelerView):
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
        Where labels are kept: a SQLite path, a SQLAlchemy URL or a
        :class:`~hitl_widgets.LabelStore`. Default: ``labels.db`` in the working
        folder, which keeps every pool labeled there apart. A label belongs to
        its item's content: reopening the same items (or more, appended)
        resumes; a store given that holds another pool's labels is refused.
    embed
        An ``nn.Module`` or callable mapping a float32 batch (B, C, H, W) in [0, 1]
        to embeddings (B, D): the features the learner and the sampler see.
        ``None``: raw pixels (native size when small, else 16 x 16).
    test
        ``(images, labels)`` for a held-out learning curve.
    batch_size
        1: one image at a time. k > 1: a grid of k images, submitted together.
    session
        An existing :class:`~hitl_widgets.Session` (or
        :class:`~hitl_widgets.LabelQueue`) over these images to show, instead
        of building one; the learning arguments are then not used.
    annotator, overlap, unsure, lease_seconds
        Label as ``annotator`` of a team sharing ``store`` (a PostgreSQL URL,
        or a SQLite file on one machine): the images on screen are leased for
        ``lease_seconds`` so nobody else gets them, a share ``overlap`` of the
        images goes to two annotators (for :func:`~hitl_widgets.agreement`), and
        so does every image the model was less sure of than ``unsure`` (the
        probability it gave its likeliest class) when it was shown to the first; the model learns
        everyone's labels within about a second.

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

    @in_words_of("ImageLabeler")
    def __init__(
        self,
        images: Any,
        labels: Sequence[Hashable] | None = None,
        learner: Any = None,
        sampler: str = "margin",
        store: LabelStore | str | None = None,
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
        session: Session | LabelQueue | ImagePool | None = None,
        annotator: str | None = None,
        overlap: float = 0.0,
        unsure: float = 0.0,
        lease_seconds: float = 300.0,
        **kwargs: Any,
    ):
        check_annotator(annotator)
        team = {"annotator": annotator, "overlap": overlap, "unsure": unsure, "lease_seconds": lease_seconds}
        if isinstance(session, ImagePool):  # what image_session(...) made: its session and where its images are
            built, session = session, None
        elif session is None:
            built = image_session(
                images, labels, learner, sampler, store, embed=embed, image_size=image_size, channels=channels,
                test=test, path_column=path_column, label_column=label_column,
                labels_from_subfolders=labels_from_subfolders, background=background, seed=seed,
                annotator=annotator or "user",
            )  # fmt: skip
        if session is None:
            label_queue = labeler_queue(built.session, batch_size=batch_size, **team)
            source, rows = built.source, built.source_index
        else:  # a session made elsewhere: show its pool's items from these images
            label_queue = labeler_queue(session, batch_size=batch_size, **team)
            source = ImageSource.from_any(images, path_column=path_column, label_column=label_column)
            rows = source_rows(source, label_queue.session.pool.ids)
        view = ImageView(source, rows, max_side=max(512, display_size))
        super().__init__(label_queue, view, predicts_at_once=learner is not None, display_size=display_size, **kwargs)

    @property
    def source(self) -> ImageSource:
        return self.view.source

    def image(self, item: Hashable) -> Any:
        """The PIL image of an item."""
        return self.view.item(self.pool.index_of(item))


__all__ = ["ImageLabeler"]
