"""Loading pools: arrays, DataFrames, CSV files with or without labels, torch Datasets; offline demo data."""

from .pool import Pool

__all__ = ["Pool"]
