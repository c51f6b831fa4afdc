"""Study: machine teaching vs active learning on timed image streams, every interaction recorded."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..data.image_features import image_features
from ..data.image_source import ImageSource
from ..learners.protocol import plain_label
from ..store import LabelStore
from ..store.study_log import StudyLog
from .plan import ORDERS, parse_plan
from .results import export_results, results_frame

INSTRUCTIONS = (
    "Images will appear one at a time, each for a few seconds. Teach the model what each one shows: "
    "press the label's number key (or click its button) while the image is up. In some parts the model "
    "asks about the images it is unsure of, and feedback on the others is switched off."
)


class Study:
    """A study design over a set of images, and the log of everyone who takes part.

    ``truth`` scores the model on a hold-out share of the images (never shown
    to participants); each subsession of ``plan`` shows its own seeded sample
    of the other images, the same to every participant.

    Examples
    --------
    >>> study = Study.demo(plan=[("MT", 5), ("ALMT", 5)], store=":memory:", order="counterbalanced")
    >>> [study.run(p).order for p in ("P01", "P02")]
    [[0, 1], [1, 0]]
    >>> Study.demo(plan=[("MT", 5)], step_duration=0, store=":memory:")
    Traceback (most recent call last):
    ...
    ValueError: step_duration: seconds per image must be a number > 0, got 0
    """

    def __init__(
        self,
        images: Any,
        labels: Sequence[Hashable],
        truth: Sequence[Hashable],
        plan: Sequence[Any],
        *,
        step_duration: float = 5.0,
        pause: float = 10.0,
        store: LabelStore | str = "study.db",
        holdout: float = 0.2,
        seed: int = 0,
        order: str = "fixed",
        learner: Any = None,
        instructions: str = INSTRUCTIONS,
        name: str = "study",
    ):
        self.labels = _check_labels(labels)
        self.plan = parse_plan(plan)
        self.step_duration = _positive(step_duration, "step_duration", "seconds per image")
        self.pause = _positive(pause, "pause", "seconds between subsessions", allow_zero=True)
        if order not in ORDERS:
            raise ValueError(f"order: choose from {ORDERS}, got {order!r}")
        if isinstance(holdout, bool) or not isinstance(holdout, (int, float)) or not 0 < holdout < 1:
            raise ValueError(f"holdout: the share of images kept to score the model must be in (0, 1), got {holdout!r}")
        self.order, self.seed, self.instructions = order, seed, instructions
        self.source = ImageSource.from_any(images)
        self.truth = _check_truth(truth, len(self.source.ids), self.labels)
        self.features, kept = image_features(self.source, progress=False)
        if len(kept) != len(self.source.ids):
            raise ValueError(f"images: {len(self.source.ids) - len(kept)} could not be read; a study needs every image")
        self._split(holdout)
        self.learner = learner if learner is not None else _default_learner(self.features.shape[1], self.labels, seed)
        self.store = LabelStore.of(store)
        self.log = StudyLog(self.store, study=name)

    @classmethod
    def demo(cls, plan: Sequence[Any] = (("MT", 30), ("ALMT", 30)), classes=(3, 8), **kw: Any) -> Study:
        """A study on scikit-learn's bundled digits (offline), two look-alike classes by default."""
        from sklearn.datasets import load_digits

        digits = load_digits()
        keep = np.isin(digits.target, classes)
        return cls(digits.images[keep], list(classes), digits.target[keep].tolist(), plan, **kw)

    @classmethod
    def from_folder(cls, folder: str | Path, plan: Sequence[Any], labels: Sequence[Hashable] | None = None, **kw: Any):
        """A study on the images of ``folder``, one subfolder per label (the truth); ``labels`` keeps some of them."""
        source = ImageSource.from_any(folder, labels_from_subfolders=True)
        truth = [plain_label(y) for y in source.known]
        names = sorted({y for y in truth if y is not None}, key=str) if labels is None else list(labels)
        keep = [i for i, y in enumerate(truth) if y in names]
        paths = [source.paths[i] for i in keep]
        return cls(paths, names, [truth[i] for i in keep], plan, **kw)

    @classmethod
    def from_config(cls, path: str | Path) -> Study:
        """A study from a TOML file (see :mod:`hitl_widgets.study.config`); errors name the file and the field."""
        from .config import read_config

        settings, plan = read_config(path)
        images, labels = settings.pop("images", "digits"), settings.pop("labels", None)
        store = str(settings.get("store", "study.db"))
        if "://" not in store and store != ":memory:":  # a file beside the config, wherever it is run from
            settings["store"] = str(Path(path).parent / store)
        try:
            if images == "digits":
                return cls.demo(plan, classes=tuple(labels or (3, 8)), **settings)
            return cls.from_folder(Path(path).parent / images, plan, labels=labels, **settings)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc

    def _split(self, holdout: float) -> None:
        rng = np.random.default_rng(self.seed)
        order = rng.permutation(len(self.truth))
        n_holdout = max(1, round(holdout * len(order)))
        self.holdout_rows = np.sort(order[:n_holdout])
        self.stream_rows = np.sort(order[n_holdout:])
        self.X_holdout = self.features[self.holdout_rows]
        self.y_holdout = [self.truth[i] for i in self.holdout_rows]
        self.streams = self._draw_streams(np.random.default_rng([self.seed, 1]))

    def _draw_streams(self, rng: np.random.Generator) -> list[list[int]]:
        """Each subsession's images, the same for every participant: no image in two subsessions when there
        are enough (MT and ALMT are then compared on different images, never on ones seen before)."""
        for i, sub in enumerate(self.plan):
            if sub.n_images > len(self.stream_rows):
                raise ValueError(
                    f"plan[{i}].n_images: {sub.n_images} images asked for, but {len(self.stream_rows)} are left "
                    f"for streams after the hold-out"
                )
        sizes = [sub.n_images for sub in self.plan]
        if sum(sizes) <= len(self.stream_rows):
            shuffled = rng.permutation(self.stream_rows)
            cuts = np.cumsum([0, *sizes])
            return [[int(r) for r in shuffled[a:b]] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
        return [[int(r) for r in rng.choice(self.stream_rows, n, replace=False)] for n in sizes]

    # ------------------------------------------------------------ taking part
    def run(self, participant: str):
        """The headless run of one participant (new, or resumed from the log)."""
        from .participant_run import ParticipantRun

        if not isinstance(participant, str) or not participant.strip():
            raise ValueError(f"participant: an ID is a non-empty text, got {participant!r}")
        return ParticipantRun(self, participant.strip())

    def participant(self, participant: str | None = None):
        """The widget a participant uses: an ID screen first unless ``participant`` is given (a Voila app)."""
        from ..widgets.study_participant import StudyParticipant

        return StudyParticipant(self, participant)

    def participants(self) -> list[str]:
        return self.log.participants()

    # ------------------------------------------------------------ results
    def results(self):
        """One row per interaction, every participant (a pandas DataFrame)."""
        return results_frame(self.log.events(), self)

    def export(self, folder: str | Path) -> Path:
        """``events.csv``, ``events.json`` and ``subsessions.csv`` (one row per participant x subsession)."""
        return export_results(self.results(), self, Path(folder))


def _default_learner(n_features: int, labels: list[Hashable], seed: int) -> Any:
    from ..learners.torch_classifier import default_learner

    return default_learner(n_features, labels, seed=seed)


def _check_labels(labels: Sequence[Hashable]) -> list[Hashable]:
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise ValueError(f"labels: a list of at least two labels, got {labels!r}")
    out = [plain_label(y) for y in labels]
    if len(out) < 2 or len(set(out)) != len(out):
        raise ValueError(f"labels: at least two labels, none twice, got {list(labels)!r}")
    return out


def _check_truth(truth: Sequence[Hashable], n_images: int, labels: list[Hashable]) -> list[Hashable]:
    out = [plain_label(y) for y in truth]
    if len(out) != n_images:
        raise ValueError(f"truth: {len(out)} labels for {n_images} images")
    stray = sorted({repr(y) for y in out if y not in labels})
    if stray:
        raise ValueError(f"truth: labels that are not in labels {labels}: {', '.join(stray)}")
    return out


def _positive(value: Any, name: str, what: str, *, allow_zero: bool = False) -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and np.isfinite(value)
    if not ok or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name}: {what} must be a number {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return float(value)
