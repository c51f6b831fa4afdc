"""Widgets: thin anywidget views over the headless sessions (traitlets and messages, no learning logic)."""

from .gmm_canvas import GMMCanvas
from .image_labeler import ImageLabeler
from .labeler import Labeler
from .strategy_explorer import StrategyExplorer
from .stream_labeler import StreamLabeler
from .study_participant import StudyParticipant
from .team_dashboard import TeamDashboard

__all__ = [
    "GMMCanvas",
    "ImageLabeler",
    "Labeler",
    "StrategyExplorer",
    "StreamLabeler",
    "StudyParticipant",
    "TeamDashboard",
]
