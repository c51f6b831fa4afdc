"""Measures of how close two models are."""

from .closeness import compare_mixtures, match_components

__all__ = ["compare_mixtures", "match_components"]
