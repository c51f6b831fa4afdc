"""Jupyter widgets for human-in-the-loop machine learning.

Names load on first use (PEP 562), so ``import hitl_widgets`` is cheap and
the Jupyter server extension never imports torch.

>>> from hitl_widgets import GMMCanvas, OnlineGMM
>>> OnlineGMM(n_components=3).clone(seed=1).seed
1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _moved

__version__ = "0.1.0"

_EXPORTS = {
    "GMMCanvas": "hitl_widgets.widgets",
    "GMMClassifier": "hitl_widgets.learners",
    "GMMSession": "hitl_widgets.sessions.gmm.session",
    "ImageLabeler": "hitl_widgets.widgets",
    "Labeler": "hitl_widgets.widgets",
    "LabelQueue": "hitl_widgets.sessions.pool.queue",
    "image_session": "hitl_widgets.sessions.pool.builders",
    "item_session": "hitl_widgets.sessions.pool.builders",
    "StreamLabeler": "hitl_widgets.widgets",
    "StrategyExplorer": "hitl_widgets.widgets",
    "Exploration": "hitl_widgets.explorer",
    "Study": "hitl_widgets.study",
    "agreement": "hitl_widgets.team",
    "TeamDashboard": "hitl_widgets.widgets",
    "StudyParticipant": "hitl_widgets.widgets",
    "TeamLabelQueue": "hitl_widgets.team",
    "TeamQueue": "hitl_widgets.team",
    "StreamRunner": "hitl_widgets.sessions.stream.runner",
    "StreamSession": "hitl_widgets.sessions.stream.session",
    "ThresholdGate": "hitl_widgets.samplers.gates",
    "sms_spam": "hitl_widgets.data.sms",
    "GradientGMM": "hitl_widgets.learners",
    "OnlineGMM": "hitl_widgets.learners",
    "Session": "hitl_widgets.sessions.pool.session",
    "simulate": "hitl_widgets.explorer.simulation",
    "plot_learning_curves": "hitl_widgets.explorer.simulation",
    "LabelStore": "hitl_widgets.store",
    "Pool": "hitl_widgets.data",
    "TorchClassifier": "hitl_widgets.learners",
    "SklearnClassifier": "hitl_widgets.learners",
    "fit_gradient": "hitl_widgets.learners",
}
__all__ = [
    "Exploration",
    "GMMCanvas",
    "GMMClassifier",
    "GMMSession",
    "GradientGMM",
    "ImageLabeler",
    "LabelQueue",
    "LabelStore",
    "Labeler",
    "OnlineGMM",
    "Pool",
    "Session",
    "SklearnClassifier",
    "StrategyExplorer",
    "StreamLabeler",
    "StreamRunner",
    "StreamSession",
    "Study",
    "StudyParticipant",
    "TeamDashboard",
    "TeamLabelQueue",
    "TeamQueue",
    "ThresholdGate",
    "TorchClassifier",
    "agreement",
    "fit_gradient",
    "image_session",
    "item_session",
    "plot_learning_curves",
    "simulate",
    "sms_spam",
]

if TYPE_CHECKING:
    from .data import Pool
    from .data.sms import sms_spam
    from .explorer import Exploration
    from .explorer.simulation import plot_learning_curves, simulate
    from .learners import GMMClassifier, GradientGMM, OnlineGMM, SklearnClassifier, TorchClassifier, fit_gradient
    from .samplers.gates import ThresholdGate
    from .sessions.gmm.session import GMMSession
    from .sessions.pool.builders import image_session, item_session
    from .sessions.pool.queue import LabelQueue
    from .sessions.pool.session import Session
    from .sessions.stream.runner import StreamRunner
    from .sessions.stream.session import StreamSession
    from .store import LabelStore
    from .study import Study
    from .team import TeamLabelQueue, TeamQueue, agreement
    from .widgets import (
        GMMCanvas,
        ImageLabeler,
        Labeler,
        StrategyExplorer,
        StreamLabeler,
        StudyParticipant,
        TeamDashboard,
    )

_moved.install()


# a name whose methods make a view from the layer above: that view registers itself when its module loads
_VIEWS = {"Study": "hitl_widgets.widgets.study_participant"}  # Study.participant(...) -> StudyParticipant


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        if name in _VIEWS:
            importlib.import_module(_VIEWS[name])
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hitl_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
