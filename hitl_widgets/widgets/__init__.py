"""Widgets: thin anywidget views over the learners (traitlets and messages, no learning logic)."""

from .gmm_canvas import GMMCanvas
from .image_labeler import ImageLabeler
from .stream_labeler import StreamLabeler

__all__ = ["GMMCanvas", "ImageLabeler", "StreamLabeler"]
