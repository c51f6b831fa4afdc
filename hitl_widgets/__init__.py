"""Jupyter widgets for human-in-the-loop machine learning."""

from .learners import OnlineGMM

__all__ = ["OnlineGMM"]
__version__ = "0.1.0"
