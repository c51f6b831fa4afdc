"""The strategy explorer's headless layer: strategies side by side on one pool, presets, state strings, grids."""

from .exploration import YOU, Exploration
from .grids import Grid, decision_grid, utility_grid
from .presets import DATA_PRESETS, LEARNER_PRESETS, NearestNeighbours, make_learner, make_preset
from .state import ExplorerState, query_state, served_by_voila

__all__ = [
    "DATA_PRESETS",
    "LEARNER_PRESETS",
    "YOU",
    "Exploration",
    "ExplorerState",
    "Grid",
    "NearestNeighbours",
    "decision_grid",
    "make_learner",
    "make_preset",
    "query_state",
    "served_by_voila",
    "utility_grid",
]
