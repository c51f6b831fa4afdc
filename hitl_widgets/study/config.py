"""A study from a TOML file, like the original platform's ``app.ini``.

.. code-block:: toml

    [study]
    images = "digits"              # the bundled digits, or a folder with one subfolder per label
    labels = [3, 8]                # digits: which ones; a folder: the subfolders' names (all by default)
    step_duration = 5.0            # seconds per image
    pause = 10.0                   # seconds between subsessions
    store = "study.db"             # SQLite path or a SQLAlchemy URL (PostgreSQL for a lab)
    order = "counterbalanced"      # or "fixed"
    holdout = 0.2
    seed = 0
    get_ready = 3.0                # seconds of "get ready" before a stream (and when one resumes)
    shuffle = true                 # each participant's own order of a part's images (seeded, recorded)
    consent = "..."                # a consent screen first; declining ends the run
    completion_code = "C0DE42"     # shown at the end
    completion_url = "https://app.prolific.com/submissions/complete?cc={code}"   # where the end goes

    [practice]                     # a practice stream first, not scored
    images = 3

    [[subsession]]
    strategy = "MT"
    images = 30
    checks = 2                     # attention checks: hold-out images with a known answer, never learned
    intro = "You choose which images to teach."

    [[subsession]]
    strategy = "ALMT"
    images = 30
    gate = { threshold = 0.9, budget = 0.5 }
    [[subsession.questions]]
    id = "trust"
    text = "I trusted the model"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomllib

from ..samplers.gates import ThresholdGate

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

STUDY_KEYS = {
    "images", "labels", "step_duration", "pause", "store", "order", "holdout", "seed", "instructions", "name",
    "get_ready", "shuffle", "consent", "completion_code", "completion_url",
}  # fmt: skip
SUBSESSION_KEYS = {"strategy", "images", "intro", "end_message", "questions", "gate", "carry_over", "name", "checks"}
PRACTICE_KEYS = {"images", "intro", "end_message", "name"}


def read_config(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``([study] settings, [[subsession]] entries as plan dicts)``, with unknown keys refused by name."""
    path = Path(path)
    try:
        config = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the study's config: {exc}") from exc
    study = config.get("study", {})
    _only(study, STUDY_KEYS, f"{path}: [study]")
    unknown = sorted(set(config) - {"study", "subsession", "practice"})
    if unknown:
        raise ValueError(f"{path}: unknown tables {unknown}; known: [study], [practice], [[subsession]]")
    if "practice" in config:
        practice = config["practice"]
        _only(practice, PRACTICE_KEYS, f"{path}: [practice]")
        if "images" not in practice:
            raise ValueError(f"{path}: [practice]: 'images' (how many to practise on) is missing")
        study = {**study, "practice": {("n_images" if k == "images" else k): v for k, v in practice.items()}}
    subsessions = config.get("subsession", [])
    if not subsessions:
        raise ValueError(f"{path}: no [[subsession]] tables: the plan needs at least one")
    return study, [_plan_entry(entry, f"{path}: [[subsession]] {i + 1}") for i, entry in enumerate(subsessions)]


def _plan_entry(entry: dict[str, Any], where: str) -> dict[str, Any]:
    _only(entry, SUBSESSION_KEYS, where)
    out = {k: v for k, v in entry.items() if k not in ("images", "gate")}
    if "images" not in entry:
        raise ValueError(f"{where}: 'images' (how many per stream) is missing")
    out["n_images"] = entry["images"]
    if "gate" in entry:
        gate = entry["gate"]
        if not isinstance(gate, dict) or set(gate) - {"threshold", "budget", "step"}:
            raise ValueError(f"{where}: gate takes threshold, budget and step, got {gate!r}")
        out["gate"] = ThresholdGate(**gate, variable=True)
    return out


def _only(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown settings {unknown}; known: {sorted(allowed)}")
