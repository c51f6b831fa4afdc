"""What a team lead sees of an item beside its answers: an excerpt of its text or row, or a thumbnail.

:class:`ItemPreviews` looks items up by the id the store holds: in a list
by position (the ids :class:`~hitl_widgets.Labeler` gives texts), in a
``{id: item}`` mapping, or in anything the image labeler takes (a folder, a
CSV of paths, paths, an array, PIL images: ids as the image labeler gives
them). Texts and rows become a short excerpt; images a small PNG or JPEG.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..data.image_source import ImageSource, encode_image
from ..data.stream_items import as_pil, item_kind

EXCERPT = 120  # characters of an item's text shown beside its answers
THUMBNAIL = 96  # pixels on the longer side of an image shown beside its answers


class ItemPreviews:
    """Previews of a pool's items by id.

    >>> texts = ItemPreviews(["free prize now", "see you at 7"])
    >>> texts.excerpt(0), texts.excerpt(7), texts.is_image(0)
    ('free prize now', None, False)
    >>> ItemPreviews({"r1": {"amount": 12.5, "country": "NL"}}).excerpt("r1")
    'amount: 12.5, country: NL'
    >>> import numpy as np
    >>> images = ItemPreviews(np.zeros((2, 8, 8), dtype=np.uint8))
    >>> data, mime = images.thumbnail(1)
    >>> images.is_image(1), images.is_image(2), mime, data[:4]
    (True, False, 'image/png', b'\\x89PNG')
    """

    def __init__(self, items: Sequence[Any] | Mapping[Hashable, Any] | Any | None):
        self._items: Sequence[Any] | Mapping[Hashable, Any] | None = None
        self._images: ImageSource | None = None
        self._index: dict[Hashable, int] = {}
        if items is None:
            return
        if type(items).__name__ == "Series":  # a column of texts: its index holds the ids, as the labelers take it
            items = dict(zip(items.index, items, strict=True))
        elif isinstance(items, np.ndarray) and items.dtype.kind in "USO":
            items = items.tolist()
        if isinstance(items, Mapping) or _texts_or_rows(items):
            self._items = items
            return
        self._images = ImageSource.from_any(items)  # anything else is images, or refused saying what was given
        self._index = {item: i for i, item in enumerate(self._images.ids)}

    def __len__(self) -> int:
        return len(self._images) if self._images is not None else len(self._items or ())

    def excerpt(self, item: Hashable) -> str | None:
        """The item's text, or its row as ``field: value`` pairs, cut to ``EXCERPT`` characters (``None``: an
        image, or an item not known here)."""
        value = self._value(item)
        if not isinstance(value, (str, Mapping)):
            return None
        text = value if isinstance(value, str) else ", ".join(f"{k}: {v}" for k, v in value.items())
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"

    def is_image(self, item: Hashable) -> bool:
        """Whether ``item`` is an image this can show (without reading it)."""
        if self._images is not None:
            return item in self._index
        value = self._value(item)
        return value is not None and item_kind(value) == "image"

    def thumbnail(self, item: Hashable) -> tuple[bytes, str] | None:
        """``(bytes, mime)`` of a small picture of an image item; ``None`` for any other item."""
        if self._images is not None:
            i = self._index.get(item)
            return None if i is None else encode_image(self._images.image(i), max_side=THUMBNAIL)
        if not self.is_image(item):
            return None
        return encode_image(as_pil(self._value(item)), max_side=THUMBNAIL)

    def _value(self, item: Hashable) -> Any:
        if self._items is None:
            return None
        try:
            return self._items[item]
        except (KeyError, IndexError, TypeError):
            return None


def _texts_or_rows(items: Any) -> bool:
    """Whether ``items`` is a list of texts or of rows (dicts): not image files (a text may end in ".png")."""
    if not isinstance(items, (list, tuple)) or not items:
        return False
    if all(isinstance(x, Mapping) for x in items):
        return True
    if not all(isinstance(x, str) for x in items):
        return False
    return not all(_is_file(x) for x in items[:20])  # image paths name files that are there


def _is_file(text: str) -> bool:
    try:
        return Path(text).expanduser().is_file()
    except (OSError, ValueError):  # a long text is no file name, nor one holding a NUL
        return False
