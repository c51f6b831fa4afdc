"""The online Gaussian mixture (:class:`OnlineGMM`), its classifier form, its parts, the challenge's
gradient-descent GMM and the measures that compare a mixture with batch EM."""

from .classifier import GMMClassifier
from .gradient import GradientGMM, fit_gradient
from .online import OnlineGMM

__all__ = ["GMMClassifier", "GradientGMM", "OnlineGMM", "fit_gradient"]
