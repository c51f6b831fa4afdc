"""How a labeler shows its items: images as bytes sent ahead of need, texts and rows inline in the entries.

Each view answers three things for the labeler: what an item's entry
carries (:meth:`payload`), what to get ready in the re-ranking thread
(:meth:`prepare`), and what to send the page beside the state
(:meth:`deliver`). Texts and rows go as data the page puts in
``textContent`` (never parsed as HTML).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

from ..data import Pool
from ..data.image_source import ImageSource, encode_image
from ..data.stream_items import describe
from .media import PER_MESSAGE, Send, send_images

IMAGE_CACHE = 2048  # encoded images kept in memory


class InlineView:
    """Texts and table rows: each entry carries what the page shows."""

    kind = "inline"

    def __init__(self, pool: Pool):
        if pool.inputs is None:
            raise ValueError("an inline view needs a pool of texts or rows (Pool.inputs)")
        self.pool = pool

    def payloads(self, rows: Sequence[int]) -> list[dict[str, Any]]:
        """What each entry carries for the page: the item's text or table."""
        inputs = self.pool.inputs
        return [{"view": describe(inputs[row])[0]} for row in rows]

    def prepare(self, rows: Sequence[int]) -> None:
        """Nothing to get ready: the payload is small."""

    def deliver(self, rows: Sequence[int], send: Send, *, again: bool = False) -> None:
        """Entries carry their payload; only items the page asks for again (an answered one) are sent."""
        if again and rows:
            keys = [int(r) for r in rows]
            send({"type": "views", "keys": keys, "views": [p["view"] for p in self.payloads(keys)]}, [])

    def item(self, row: int) -> Any:
        return self.pool.inputs[row]


class ImageView:
    """Images: PNG or JPEG bytes in binary buffers, encoded in the re-ranking thread and sent once."""

    kind = "image"

    def __init__(self, source: ImageSource, source_index: Sequence[int], max_side: int):
        self.source = source
        self.source_index = list(source_index)  # pool row -> index in the source
        self.max_side = max_side
        self._encoded: OrderedDict[int, tuple[bytes, str]] = OrderedDict()
        self._sent: set[int] = set()
        self._lock = threading.Lock()  # the re-ranking thread and the kernel's thread both encode

    @property
    def cached(self) -> int:
        """Encoded images held in memory."""
        return len(self._encoded)

    def payloads(self, rows: Sequence[int]) -> list[dict[str, Any]]:
        """Nothing in the entries: the images come in "images" messages."""
        return [{} for _ in rows]

    def prepare(self, rows: Sequence[int]) -> None:
        for row in rows:  # off the kernel's main thread, before the page asks
            self._encode(row)

    def deliver(self, rows: Sequence[int], send: Send, *, again: bool = False) -> None:
        """Send the images the page has not had (``again``: every one asked for)."""
        rows = [int(r) for r in dict.fromkeys(rows) if again or int(r) not in self._sent]
        for start in range(0, len(rows), PER_MESSAGE):  # the page decodes the first while the next are encoded
            chunk = rows[start : start + PER_MESSAGE]
            send_images(send, chunk, [self._encode(r) for r in chunk])
            self._sent.update(chunk)

    def item(self, row: int) -> Any:
        """The PIL image of a pool row."""
        return self.source.image(self.source_index[row])

    def _encode(self, row: int) -> tuple[bytes, str]:
        with self._lock:  # each image is read and encoded once, whichever thread asks first
            return self._encode_now(row)

    def _encode_now(self, row: int) -> tuple[bytes, str]:
        hit = self._encoded.get(row)
        if hit is None:
            hit = encode_image(self.item(row), max_side=self.max_side)
            self._encoded[row] = hit
            while len(self._encoded) > IMAGE_CACHE:
                self._encoded.popitem(last=False)
        else:
            self._encoded.move_to_end(row)
        return hit


def source_rows(source: ImageSource, ids: Sequence[Hashable]) -> list[int]:
    """For each pool id, its index in the image source (a clear error for ids the source lacks)."""
    where = {item: i for i, item in enumerate(source.ids)}
    missing = [item for item in ids if item not in where]
    if missing:
        raise ValueError(
            f"{len(missing)} item(s) of the session's pool are not among the images (first: {missing[:5]}); "
            "give the images the session's pool was built from"
        )
    return [where[item] for item in ids]
