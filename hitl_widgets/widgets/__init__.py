"""Widgets: thin anywidget views over the learners (traitlets and messages, no learning logic)."""

from .gmm_canvas import GMMCanvas

__all__ = ["GMMCanvas"]
