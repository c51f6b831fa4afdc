"""Labeling a stream: :class:`StreamSession` walks it (river's loop, a person as the oracle); :class:`StreamRunner`
walks it in the background."""

from .runner import StreamRunner
from .session import StreamSession

__all__ = ["StreamRunner", "StreamSession"]
