"""Checkpoints of a pool-labeling session: one file with the answers, the label set, the strategy and torch weights.

Written with ``torch.save`` and read with ``torch.load(weights_only=True)``:
plain containers and tensors only, so loading a file someone mailed you runs
no code. A river learner's state is not in the file; it is rebuilt from the
answers.
"""

from __future__ import annotations

import os
from typing import Any

from .session import Session

CHECKPOINT_FORMAT = "hitl_widgets.image_labeler/1"  # the name files were first written with


def save_checkpoint(session: Session, path: str | os.PathLike[str]) -> None:
    """Write the session's answers, label set, strategy and (torch learners) model weights to ``path``."""
    import torch

    session.wait()
    learner = session.learner
    state = {
        "format": CHECKPOINT_FORMAT,
        "classes": list(session.classes),
        "strategy": session.strategy,
        "answers": [[item, y] for item, y in session.answers()],
        "model": learner.state() if hasattr(learner, "state") and hasattr(learner, "load_state") else None,
    }
    torch.save(state, path)


def load_checkpoint(session: Session, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Take the answers of a checkpoint that the session lacks, then its model weights; returns the checkpoint.

    Answers already in the session's store are kept (nothing labeled is
    lost). Every item of the checkpoint must be in the session's pool.
    """
    import torch

    state = torch.load(path, weights_only=True)
    if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"load_checkpoint: {str(path)!r} is not a labeling checkpoint")
    missing = [item for item, _ in state["answers"] if item not in session.pool]
    if missing:
        raise ValueError(
            f"load_checkpoint: {len(missing)} item(s) of the checkpoint are not in this pool "
            f"(first: {missing[:5]}); load it into a session over the same items"
        )
    for y in state["classes"]:
        session.add_class(y)
    session.wait()
    for item, y in state["answers"]:
        if session.label_of(item) is not None or session.is_skipped(item):
            continue
        if y is None:
            session.skip(item)
        else:
            session.label(item, y)
    session.wait()
    if state["model"] is not None and hasattr(session.learner, "load_state"):
        session.learner.load_state(state["model"])
    return state
