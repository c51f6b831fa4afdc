"""Jupyter widgets for human-in-the-loop machine learning.

>>> from hitl_widgets import GMMCanvas, OnlineGMM
>>> OnlineGMM(n_components=3)
OnlineGMM(n_components=3, seed=0, prior_scale=1.0, prior_count=1.0, reg=1e-06, refresh=64, birth_quantile=0.999, merge_after=3.0, batch_check=True, n_init=3, undo_depth=256)
"""

from .gmm_session import GMMSession
from .learners import GMMClassifier, GradientGMM, OnlineGMM, fit_gradient
from .widgets import GMMCanvas

__all__ = ["GMMCanvas", "GMMClassifier", "GMMSession", "GradientGMM", "OnlineGMM", "fit_gradient"]
__version__ = "0.1.0"
