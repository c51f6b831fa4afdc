"""Study: machine teaching vs active learning on timed image streams, every interaction recorded."""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..data.image_features import image_features
from ..data.image_source import ImageSource
from ..learners.protocol import plain_label
from ..store import LabelStore
from ..store.study_log import StudyLog
from .plan import ORDERS, parse_plan, practice_part
from .results import export_results, results_frame

INSTRUCTIONS = (
    "Images will appear one at a time, each for {step_duration:g} seconds. Teach the model what each one shows: "
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

    #: What :meth:`participant` makes: ``StudyParticipant``, set by the widgets layer when it loads.
    page: ClassVar[Any] = None

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
        get_ready: float = 3.0,
        shuffle: bool = False,
        consent: str = "",
        completion_code: str = "",
        completion_url: str = "",
        practice: Any = None,
    ):
        self.labels = _check_labels(labels)
        self.plan = parse_plan(plan)  # the parts that are scored
        practice_stream = practice_part(practice)
        # every stream a participant goes through, by index: the plan's parts, then the practice (not scored)
        self.parts = [*self.plan, practice_stream] if practice_stream else list(self.plan)
        self.practice = len(self.plan) if practice_stream else None  # the practice's index in parts
        self.step_duration = _positive(step_duration, "step_duration", "seconds per image")
        self.pause = _positive(pause, "pause", "seconds between subsessions", allow_zero=True)
        self.get_ready = _positive(get_ready, "get_ready", "seconds of 'get ready' before a stream", allow_zero=True)
        self.name, self.shuffle = name, bool(shuffle)
        self.consent, self.completion_code, self.completion_url = consent, completion_code, completion_url
        if completion_url and not completion_url.startswith(("https://", "http://", "/")):
            raise ValueError(f"completion_url: an address to send participants to at the end, got {completion_url!r}")
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
        for i, sub in enumerate(self.parts):
            if sub.n_images > len(self.stream_rows):
                raise ValueError(
                    f"{'practice' if sub.practice else f'plan[{i}]'}.n_images: {sub.n_images} images asked for, but "
                    f"{len(self.stream_rows)} are left "
                    f"for streams after the hold-out"
                )
        sizes = [sub.n_images for sub in self.plan]
        if sum(sizes) <= len(self.stream_rows):
            shuffled = rng.permutation(self.stream_rows)
            cuts = np.cumsum([0, *sizes])
            streams = [[int(r) for r in shuffled[a:b]] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
        else:
            streams = [[int(r) for r in rng.choice(self.stream_rows, n, replace=False)] for n in sizes]
        if self.practice is not None:  # drawn after the parts' (which a practice leaves as they were), from the rest
            n = self.parts[self.practice].n_images
            left = np.setdiff1d(self.stream_rows, [r for s in streams for r in s])
            rows = left if len(left) >= n else self.stream_rows
            pick = np.random.default_rng([self.seed, 4]).choice(rows, n, replace=False)
            streams.append([int(r) for r in pick])
        return streams

    @property
    def first_phase(self) -> str:
        """The screen a participant starts on: the consent screen when the study asks for consent."""
        return "consent" if self.consent else "instructions"

    def participant_stream(self, subsession: int, participant_index: int) -> tuple[list[int], list[int]]:
        """The images of ``subsession`` in the order a participant sees them, and the places of its attention
        checks among them.

        The order is the study's, or with ``shuffle`` one of the participant's own; a part's ``checks`` are
        hold-out images (a known answer, never learned from) put at places of their own, never first. Both are
        seeded by the study's seed, the part and the participant's place among those who joined (the same
        participant gets the same stream again; it is recorded all the same).

        >>> study = Study.demo(plan=[{"strategy": "MT", "n_images": 5, "checks": 1}], store=":memory:", shuffle=True)
        >>> images, checks = study.participant_stream(0, 1)
        >>> len(images), len(checks), checks[0] > 0, images[checks[0]] in study.holdout_rows
        (6, 1, True, True)
        >>> sorted(i for p, i in enumerate(images) if p not in checks) == sorted(study.streams[0])
        True
        """
        images = list(self.streams[subsession])
        if self.shuffle:
            rng = np.random.default_rng([self.seed, 2, subsession, participant_index])
            images = [images[i] for i in rng.permutation(len(images))]
        n_checks = self.parts[subsession].checks
        if not n_checks:
            return images, []
        rng = np.random.default_rng([self.seed, 3, subsession, participant_index])
        known = rng.choice(self.holdout_rows, n_checks, replace=n_checks > len(self.holdout_rows))
        places = sorted(int(p) for p in rng.choice(np.arange(1, len(images) + 1), n_checks, replace=False))
        for k, place in enumerate(places):  # in order: each later place counts the checks put before it
            images.insert(place + k, int(known[k]))
        return images, [place + k for k, place in enumerate(places)]

    def completion(self, participant: str) -> dict[str, str]:
        """What the last screen gives ``participant``: the completion ``code`` and the ``url`` to go to (its
        ``{code}`` and ``{participant}`` filled in), each ``""`` when the study has none."""
        from urllib.parse import quote

        url = self.completion_url.replace("{code}", quote(self.completion_code)).replace(
            "{participant}", quote(participant)
        )
        return {"code": self.completion_code, "url": url}

    # ------------------------------------------------------------ taking part
    def run(self, participant: str):
        """The headless run of one participant (new, or resumed from the log)."""
        from .participant_run import ParticipantRun

        if not isinstance(participant, str) or not participant.strip():
            raise ValueError(f"participant: an ID is a non-empty text, got {participant!r}")
        return ParticipantRun(self, participant.strip())

    def participant(self, participant: str | None = None) -> Any:
        """The page a participant uses, ``StudyParticipant(study, participant)``: an ID screen first unless
        ``participant`` is given, or the page's address gives it (a Voila app opened as ``/?participant=P01``,
        or by a participant pool with ``?PROLIFIC_PID=...``: see :func:`participant_from_address`).

        The study layer does not import the widgets above it: the page registers itself as
        :attr:`Study.page` when ``hitl_widgets.widgets`` loads (``from hitl_widgets import Study`` loads it).
        """
        if Study.page is None:
            raise RuntimeError(
                "Study.participant: the participant's page is a widget; "
                "use `from hitl_widgets import StudyParticipant; StudyParticipant(study, participant_id)`"
            )
        return Study.page(self, participant if participant is not None else participant_from_address())

    def message(self, text: str, subsession: int | None = None) -> str:
        """A message from the config with its fields filled in: ``{step_duration}`` (seconds per image, e.g.
        ``{step_duration:g}``), ``{pause}``, ``{n_parts}``, and in a part's messages ``{n_images}``.

        >>> study = Study.demo(plan=[("MT", 5)], step_duration=1.5, store=":memory:")
        >>> study.message("{n_images} images, {step_duration:g} s each; {unknown} stays", subsession=0)
        '5 images, 1.5 s each; {unknown} stays'
        """
        fields = _Fields(step_duration=self.step_duration, pause=self.pause, n_parts=len(self.plan))
        if subsession is not None:
            part = self.parts[subsession]
            fields["n_images"] = part.n_images + part.checks  # as many as the participant will see and count
        try:
            return text.format_map(fields)
        except (ValueError, IndexError, KeyError, AttributeError):  # braces that are not fields: as written
            return text

    def place_of(self, participant: str) -> str:
        """Where ``participant`` is in the study, in words ("part 1 of 2, image 4 of 30"), from the log."""
        events = self.log.events(participant)
        phases = [e for e in events if e["kind"] == "phase"]
        if not phases:
            return "at the consent screen" if self.consent else "at the instructions"
        last = phases[-1]
        if last["phase"] in ("done", "declined"):
            return {"done": "finished", "declined": "declined to take part"}[last["phase"]]
        if last["phase"] == "instructions":
            return "at the instructions"
        order = next((e["order"] for e in events if e["kind"] == "order"), list(range(len(self.plan))))
        parts = [i for i in order if i != self.practice]
        sub = last["subsession"]
        part = "the practice" if sub == self.practice else f"part {parts.index(sub) + 1} of {len(parts)}"
        if last["phase"] != "stream":
            screen = {"intro": "the introduction", "end": "the end", "questions": "the questions",
                      "pause": "the pause after"}.get(last["phase"], last["phase"])  # fmt: skip
            return f"at {screen} of {part}"
        starts = [i for i, e in enumerate(events) if e["kind"] == "subsession_start"]
        seen = sum(e["kind"] == "hidden" for e in events[starts[-1] :]) if starts else 0
        n = len(events[starts[-1]].get("stream") or []) if starts else 0
        n = n or self.parts[sub].n_images
        return f"in {part}, image {min(seen + 1, n)} of {n}"

    def participants(self) -> list[str]:
        return self.log.participants()

    # ------------------------------------------------------------ results
    def results(self):
        """One row per interaction, every participant (a pandas DataFrame)."""
        return results_frame(self.log.events(), self)

    def export(self, folder: str | Path) -> Path:
        """``events.csv``, ``events.json``, ``subsessions.csv`` (one row per participant x subsession) and
        ``participants.csv`` (one row per participant: the last screen reached, whether they finished)."""
        return export_results(self.results(), self, Path(folder))


def participant_from_address(query: str | None = None) -> str | None:
    """The participant's ID from the page's address (Voila gives the kernel the query string): ``participant=``,
    else a participant pool's ``PROLIFIC_PID=``; ``None`` when it has neither (the page then asks).

    >>> participant_from_address("participant=P01"), participant_from_address("PROLIFIC_PID=5f2a&STUDY_ID=9")
    ('P01', '5f2a')
    >>> participant_from_address("") is None
    True
    """
    from urllib.parse import parse_qs

    given = parse_qs(os.environ.get("QUERY_STRING", "") if query is None else query)
    for key in ("participant", "PROLIFIC_PID"):
        value = (given.get(key) or [""])[0].strip()
        if value:
            return value
    return None


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
