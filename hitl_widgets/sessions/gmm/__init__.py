"""The GMM canvas's headless state: clicked points, the online mixtures, the batch reference, idle fits."""

from .session import GMMSession

__all__ = ["GMMSession"]
