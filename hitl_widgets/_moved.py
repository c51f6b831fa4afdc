"""Module paths from before the layer folders still import, with a DeprecationWarning naming the new one.

The public names live at the top (``from hitl_widgets import Session``) and did
not move; code that imported a module by its old path (``hitl_widgets.session``,
``hitl_widgets.simulation``) keeps working for a while.

>>> import sys, warnings
>>> _ = sys.modules.pop("hitl_widgets.simulation", None)  # imported once per process
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from hitl_widgets.simulation import simulate
>>> from hitl_widgets.explorer.simulation import simulate as moved
>>> simulate is moved, str(caught[0].message)
(True, 'hitl_widgets.simulation moved to hitl_widgets.explorer.simulation')
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType

MOVED = {
    "hitl_widgets.answers": "hitl_widgets.sessions.pool.answers",
    "hitl_widgets.background": "hitl_widgets.sessions.background",
    "hitl_widgets.checkpoint": "hitl_widgets.sessions.pool.checkpoint",
    "hitl_widgets.gmm_board": "hitl_widgets.sessions.gmm.board",
    "hitl_widgets.gmm_idle": "hitl_widgets.sessions.gmm.idle",
    "hitl_widgets.gmm_session": "hitl_widgets.sessions.gmm.session",
    "hitl_widgets.label_queue": "hitl_widgets.sessions.pool.queue",
    "hitl_widgets.labels": "hitl_widgets.sessions.labels",
    "hitl_widgets.learners.gmm_adopt": "hitl_widgets.learners.gmm.online",
    "hitl_widgets.learners.gmm.adopt": "hitl_widgets.learners.gmm.online",
    "hitl_widgets.learners.gmm_batch": "hitl_widgets.learners.gmm.batch",
    "hitl_widgets.learners.gmm_check": "hitl_widgets.learners.gmm.check",
    "hitl_widgets.learners.gmm_classifier": "hitl_widgets.learners.gmm.classifier",
    "hitl_widgets.learners.gmm_journal": "hitl_widgets.learners.gmm.journal",
    "hitl_widgets.learners.gmm_math": "hitl_widgets.learners.gmm.maths",
    "hitl_widgets.learners.gmm_moves": "hitl_widgets.learners.gmm.moves",
    "hitl_widgets.learners.gmm_prior": "hitl_widgets.learners.gmm.prior",
    "hitl_widgets.learners.gmm_state": "hitl_widgets.learners.gmm.state",
    "hitl_widgets.learners.gmm_structure": "hitl_widgets.learners.gmm.structure",
    "hitl_widgets.learners.gradient_gmm": "hitl_widgets.learners.gmm.gradient",
    "hitl_widgets.learners.online_gmm": "hitl_widgets.learners.gmm.online",
    "hitl_widgets.learning_log": "hitl_widgets.sessions.pool.learning_log",
    "hitl_widgets.metrics": "hitl_widgets.learners.gmm.metrics",
    "hitl_widgets.metrics.checkpoints": "hitl_widgets.learners.gmm.checkpoints",
    "hitl_widgets.metrics.closeness": "hitl_widgets.learners.gmm.closeness",
    "hitl_widgets.metrics.curves": "hitl_widgets.sessions.loop",
    "hitl_widgets.pool_sessions": "hitl_widgets.sessions.pool.builders",
    "hitl_widgets.pool_store": "hitl_widgets.sessions.pool.namespace",
    "hitl_widgets.session": "hitl_widgets.sessions.pool.session",
    "hitl_widgets.session_inputs": "hitl_widgets.sessions.pool.inputs",
    "hitl_widgets.simulation": "hitl_widgets.explorer.simulation",
    "hitl_widgets.slice_ranking": "hitl_widgets.sessions.pool.ranking",
    "hitl_widgets.sessions.pool.slice_ranking": "hitl_widgets.sessions.pool.ranking",
    "hitl_widgets.stream_runner": "hitl_widgets.sessions.stream.runner",
    "hitl_widgets.stream_session": "hitl_widgets.sessions.stream.session",
    "hitl_widgets.stream_state": "hitl_widgets.sessions.stream.state",
}

OLD_PACKAGES = {"hitl_widgets.metrics"}


class _OldPath(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module path and gives the module that now lives elsewhere."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(name, self) if name in MOVED else None

    def exec_module(self, module: ModuleType) -> None:
        new = MOVED[module.__name__]
        warnings.warn(f"{module.__name__} moved to {new}", DeprecationWarning, stacklevel=2)
        if module.__name__ in OLD_PACKAGES:  # a package that became a module: a copy that keeps its submodules
            module.__path__ = []
            module.__dict__.update({k: v for k, v in vars(importlib.import_module(new)).items() if k[:2] != "__"})
        else:  # the module itself, so a patch through the old path patches what runs
            sys.modules[module.__name__] = importlib.import_module(new)


def install() -> None:
    """Let the old module paths import (once per process)."""
    if not any(isinstance(f, _OldPath) for f in sys.meta_path):
        sys.meta_path.append(_OldPath())
