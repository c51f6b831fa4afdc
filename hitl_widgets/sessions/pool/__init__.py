"""Labeling a pool (images, texts, rows): :class:`Session` ranks, stores and learns; :class:`LabelQueue` is its loop."""

from .builders import image_session, item_session
from .queue import LabelQueue
from .session import Session

__all__ = ["LabelQueue", "Session", "image_session", "item_session"]
