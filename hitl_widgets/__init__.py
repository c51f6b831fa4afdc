"""Jupyter widgets for human-in-the-loop machine learning.

>>> from hitl_widgets import GMMCanvas, OnlineGMM
>>> OnlineGMM(n_components=3).clone(seed=1).seed
1
"""

from .gmm_session import GMMSession
from .learners import GMMClassifier, GradientGMM, OnlineGMM, fit_gradient
from .widgets import GMMCanvas

__all__ = ["GMMCanvas", "GMMClassifier", "GMMSession", "GradientGMM", "OnlineGMM", "fit_gradient"]
__version__ = "0.1.0"
