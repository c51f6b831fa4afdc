"""The headless truth under every widget: a pool, a stream or clicked points, with a learner and a store.

Each family holds its session (ranking, storing, learning, undo, metrics,
history) beside its loop (what is on screen and next, the walk, idle fits):

- ``pool/``: :class:`Session` and :class:`LabelQueue` (images, texts, rows)
- ``stream/``: :class:`StreamSession` and :class:`StreamRunner`
- ``gmm/``: :class:`GMMSession` (the canvas's points and mixtures, idle fits)
"""

from .gmm import GMMSession
from .pool import LabelQueue, Session, image_session, item_session
from .stream import StreamRunner, StreamSession

__all__ = ["GMMSession", "LabelQueue", "Session", "StreamRunner", "StreamSession", "image_session", "item_session"]
