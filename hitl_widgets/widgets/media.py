"""The one way images reach a page: an ``"images"`` message of keys and mimes, one binary buffer per image.

Every widget that shows pictures sends them so: the labelers' items, the stream labeler's item, a study's
stream, the team dashboard's thumbnails. The page keeps what arrives in one cache by key
(``js/src/media.js``) and asks for keys it lacks with a numbered ``"want"`` action (after a reload, say);
``failed`` lists keys the kernel could not read, ``asked`` the keys a message answers. Never base64, never a
trait holding bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

PER_MESSAGE = 8  # images per message: a page starts decoding the first ones while the rest travel

Send = Callable[[dict[str, Any], list[bytes]], None]


def send_images(
    send: Send,
    keys: Sequence[Hashable],
    images: Sequence[tuple[bytes, str]],
    *,
    failed: Sequence[Hashable] = (),
    asked: Sequence[Hashable] | None = None,
) -> None:
    """Send ``images`` (``(bytes, mime)`` each) under ``keys`` through ``send`` (a widget's ``send``), at most
    :data:`PER_MESSAGE` per message; ``failed`` and ``asked`` ride on the last one.

    >>> sent = []
    >>> send_images(lambda msg, buffers: sent.append((msg, len(buffers))), ["a", "b"], [(b"1", "image/png")] * 2)
    >>> sent
    [({'type': 'images', 'keys': ['a', 'b'], 'mimes': ['image/png', 'image/png']}, 2)]
    """
    if len(keys) != len(images):
        raise ValueError(f"send_images: {len(keys)} keys for {len(images)} images")
    starts = list(range(0, len(keys), PER_MESSAGE)) if len(keys) else [0]
    for start in starts:
        chunk = slice(start, start + PER_MESSAGE)
        message: dict[str, Any] = {"type": "images", "keys": list(keys[chunk]), "mimes": [m for _, m in images[chunk]]}
        if start == starts[-1] and (failed or asked is not None):  # the last: every image asked for has come
            message["failed"] = list(failed)
            if asked is not None:
                message["asked"] = list(asked)
        send(message, [b for b, _ in images[chunk]])
