"""The label store: SQLite by default, any SQLAlchemy URL for shared labeling."""

from .label_store import LabelRecord, LabelStore, engine_url
from .reconnect import StoreUnavailable

__all__ = ["LabelRecord", "LabelStore", "StoreUnavailable", "engine_url"]
