"""Measures of how close two models are, and of the online mixture against batch EM as people click."""

from .checkpoints import checkpoint_gaps, reference_log_likelihood
from .closeness import compare_mixtures, match_components

__all__ = ["checkpoint_gaps", "compare_mixtures", "match_components", "reference_log_likelihood"]
