"""Online learners: the torch Gaussian mixture and its classifier form, torch and scikit-learn adapters,
and the challenge's gradient-descent GMM. Any river classifier works as it is."""

from .gmm.classifier import GMMClassifier
from .gmm.gradient import GradientGMM, fit_gradient
from .gmm.online import OnlineGMM
from .protocol import proba_matrix
from .sklearn_classifier import SklearnClassifier
from .torch_classifier import TorchClassifier

__all__ = [
    "GMMClassifier",
    "GradientGMM",
    "OnlineGMM",
    "SklearnClassifier",
    "TorchClassifier",
    "fit_gradient",
    "proba_matrix",
]
