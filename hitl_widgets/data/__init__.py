"""Loading pools: arrays, DataFrames, CSV files with or without labels, torch Datasets; offline demo data."""

from .clicks import ClickSequence, click_sequence
from .demo import five_blobs
from .images import ImageFolder, thumbnail_pixels
from .pool import Pool

__all__ = ["ClickSequence", "ImageFolder", "Pool", "click_sequence", "five_blobs", "thumbnail_pixels"]
