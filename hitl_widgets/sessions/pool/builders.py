"""Sessions over images, texts or table rows, with the default learner for each kind: no widget needed.

:func:`image_session` and :func:`item_session` build what the labelers
label: a :class:`~hitl_widgets.sessions.pool.session.Session` over a pool, the learner
that suits the items (a linear softmax head on image features; river's bag
of words for texts; scaled and one-hot fields for rows) and the store. A
script can drive the result through a :class:`~hitl_widgets.LabelQueue`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from ...data import Pool
from ...data.given import describe_given, in_words_of
from ...data.image_features import feature_shape, image_features
from ...data.image_source import ImageSource
from ...data.items import item_pool, items_kind
from ...learners.protocol import plain_label
from ...store import LabelStore
from .session import Session


@dataclass
class ImagePool:
    """An image session and where its images come from (pool row -> index in the source)."""

    session: Session
    source: ImageSource
    source_index: list[int]


SHOWN = 5  # repeated names an error message lists


def check_label_set(labels: Sequence[Hashable] | None) -> None:
    """A clear error for a label set that is not a set of distinct names."""
    if labels is None:
        return
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__"):
        raise ValueError(f"labels must be a list of class names, got {labels!r}")
    names = list(labels)
    if len(set(map(str, names))) != len(names):
        counts = Counter(map(str, names))
        first = {str(name): plain_label(name) for name in reversed(names)}
        repeated = [first[name] for name, n in counts.items() if n > 1]
        shown = ", ".join(map(repr, repeated[:SHOWN]))
        more = f" and {len(repeated) - SHOWN} more" if len(repeated) > SHOWN else ""
        raise ValueError(
            f"labels is the set of class names, each once (e.g. labels=['cat', 'dog']), not one label per "
            f"item; got {len(names)} values where {shown}{more} repeat"
        )


@in_words_of("image_session")
def image_session(
    images: Any,
    labels: Sequence[Hashable] | None = None,
    learner: Any = None,
    sampler: Any = "margin",
    store: LabelStore | str | None = None,
    *,
    embed: Callable[[Any], Any] | None = None,
    image_size: tuple[int, int] | None = None,
    channels: int | None = None,
    test: tuple[Any, Sequence[Hashable]] | None = None,
    path_column: str | None = None,
    label_column: str | None = None,
    labels_from_subfolders: bool = False,
    background: bool = False,
    annotator: str = "user",
    seed: int = 0,
) -> ImagePool:
    """A session over images from a folder, a CSV, paths, an array, PIL images or a torch Dataset.

    Unreadable images are left out (with a warning); ``embed`` maps a
    float32 batch (B, C, H, W) in [0, 1] to the features the learner and the
    samplers see (default: the pixels).
    """
    from ...learners.torch_classifier import default_learner

    check_label_set(labels)
    source = ImageSource.from_any(
        images, path_column=path_column, label_column=label_column, labels_from_subfolders=labels_from_subfolders
    )
    size, channels = feature_shape(source, embed=embed, size=image_size, channels=channels)
    features, kept = image_features(source, embed=embed, size=size, channels=channels)
    ids, known = [source.ids[i] for i in kept], [source.known[i] for i in kept]
    pool = Pool(features, ids, known, content=lambda row: source.content(kept[row]))
    if learner is None:
        learner = default_learner(features.shape[1], labels, seed=seed)
    test_xy = None
    if test is not None:
        test_features, test_kept = image_features(
            ImageSource.from_any(test[0]), embed=embed, size=size, channels=channels
        )
        test_xy = (test_features, [test[1][i] for i in test_kept])
    session = Session(
        pool, learner, sampler=sampler, store=store, classes=labels, test=test_xy, background=background,
        annotator=annotator, seed=seed,
    )  # fmt: skip
    return ImagePool(session, source, list(kept))


@in_words_of("item_session")
def item_session(
    items: Any,
    labels: Sequence[Hashable] | None = None,
    learner: Any = None,
    sampler: Any = "margin",
    store: LabelStore | str | None = None,
    *,
    ids: Sequence[Hashable] | None = None,
    test: tuple[Any, Sequence[Hashable]] | None = None,
    background: bool = False,
    annotator: str = "user",
    seed: int = 0,
) -> Session:
    """A session over texts (a list of strings) or table rows (dicts, or a DataFrame).

    The default learner is river's, for the first item's kind (see
    :func:`~hitl_widgets.learners.river_defaults.default_stream_learner`).

    >>> s = item_session(["free prize now", "see you at 7", "win cash"], labels=["ham", "spam"], store=":memory:")
    >>> _ = s.label(0, "spam"); _ = s.label(1, "ham")
    >>> s.n_labels, sorted(s.learner.predict_proba_one("free cash"))
    (2, ['ham', 'spam'])
    """
    from ...learners.river_defaults import default_stream_learner

    check_label_set(labels)
    kind = items_kind(items)
    if kind == "image":
        raise ValueError(f"got {describe_given(items)}: this takes texts or table rows; image_session takes images")
    pool = item_pool(items, kind, ids)
    if learner is None:
        learner = default_stream_learner(pool.inputs[0], pool.inputs if kind == "table" else None)
    if test is not None:
        test = (item_pool(test[0], kind).inputs, test[1])
    return Session(
        pool, learner, sampler=sampler, store=store, classes=labels, test=test, background=background,
        annotator=annotator, seed=seed,
    )  # fmt: skip
