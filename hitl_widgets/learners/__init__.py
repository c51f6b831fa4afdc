"""Online learners: the torch Gaussian mixture, its classifier form, and the challenge's gradient-descent GMM."""

from .online_gmm import OnlineGMM

__all__ = ["OnlineGMM"]
