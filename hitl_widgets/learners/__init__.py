"""Online learners: the torch Gaussian mixture, its classifier form, and the challenge's gradient-descent GMM."""

from .gmm_classifier import GMMClassifier
from .gradient_gmm import GradientGMM, fit_gradient
from .online_gmm import OnlineGMM

__all__ = ["GMMClassifier", "GradientGMM", "OnlineGMM", "fit_gradient"]
