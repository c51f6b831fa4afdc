"""One participant's way through a study, headless: the phases, the timed streams, feedback, questions.

The view (a page that paces the images) and the simulated participants call
the same methods. Every call that changes something appends its interaction
to the study log before it returns, and a run opened again for the same
participant rebuilds its place and its model by replaying that log (nothing
stored is unpickled): a reload resumes at the image that was on screen.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from ..learners.protocol import plain_label
from .model import StudyModel
from .plan import Subsession, subsession_order

if TYPE_CHECKING:
    from .study import Study

# [consent ->] instructions -> [the practice: intro -> stream -> end ->] (intro -> stream -> end -> [questions]
# -> pause) per subsession -> done; declining consent ends the run
PHASES = ("consent", "instructions", "intro", "stream", "end", "questions", "pause", "done", "declined")


class ParticipantRun:
    """Where one participant is in the study, and the model they teach.

    Examples
    --------
    >>> from hitl_widgets.study import Study
    >>> study = Study.demo(plan=[("MT", 3)], store=":memory:")
    >>> run = study.run("P01")
    >>> run.phase
    'instructions'
    >>> run.advance(); run.advance(); run.phase   # instructions, the subsession's introduction
    'stream'
    >>> run.show(page_time=0.0); run.feedback(run.labels[0], via="key", page_time=0.8)
    >>> run.hide(page_time=5.0); run.position
    1
    """

    def __init__(self, study: Study, participant: str):
        self.study = study
        self.participant = participant
        self.phase = study.first_phase
        self.step = 0  # place in this participant's order of subsessions
        self.position = 0  # image of the current stream
        self.model: StudyModel | None = None
        self.shown: dict[str, Any] | None = None  # the image on screen: its judgement and when it was shown
        self.feedback_given = False
        self.order: list[int] = []
        self.index = 0  # this participant's place among everyone who joined
        self._stream: list[int] = []  # the current subsession's images in the order this participant sees them
        self._checks: set[int] = set()  # the places of its attention checks
        events = study.log.events(participant)
        if events:
            self._replay(events)
        else:
            self._record("join")
        if not self.order and self.phase not in ("consent", "declined"):  # new, or stopped before an order
            self._assign_order()

    # ------------------------------------------------------------ reading
    @property
    def labels(self) -> list[Hashable]:
        return self.study.labels

    @property
    def subsession(self) -> int | None:
        """The current subsession's place in the study's parts (``None`` before an order is given: at consent)."""
        return self.order[min(self.step, len(self.order) - 1)] if self.order else None

    @property
    def plan(self) -> Subsession:
        """The current part (the practice, or one of the study's plan; the first, before an order is given)."""
        return self.study.parts[self.subsession if self.order else 0]

    @property
    def is_check(self) -> bool:
        """Whether the image on screen is an attention check (a known answer; never learned from)."""
        return self.phase == "stream" and self.position in self._checks

    @property
    def stream(self) -> list[int]:
        """The images (indices into the study's images) of the current subsession, in the order this participant
        sees them (the study's ``shuffle``: an order of their own, drawn when the stream starts and recorded)."""
        return self._stream or self.study.streams[self.subsession]

    @property
    def part(self) -> int:
        """The current part's number as the participant is told it (1, 2...; 0: the practice)."""
        if self.plan.practice:
            return 0
        return self.step + 1 - (self.study.practice is not None)  # the practice, when there is one, comes first

    @property
    def finished(self) -> bool:
        """Whether the run is over: the study done, or consent declined."""
        return self.phase in ("done", "declined")

    @property
    def image(self) -> int | None:
        """The image at the current place of the stream (None outside a stream)."""
        return self.stream[self.position] if self.phase == "stream" else None

    @property
    def allowed(self) -> bool:
        """Whether feedback may be given on the image on screen (ALMT: only where the model asked)."""
        return self.shown is not None and self.shown["asked"] and not self.feedback_given

    # ------------------------------------------------------------ moving on
    def consent(self, agree: bool, page_time: float | None = None) -> None:
        """The participant's answer on the consent screen: on to the instructions, or (declined) the end."""
        self._expect("consent", "consent")
        if not isinstance(agree, bool):
            raise ValueError(f"consent: agree is True or False, got {agree!r}")
        if not agree:  # an order is given only to those who take part: decliners take no counterbalancing row
            self._record("declined", page_time, agree=False)
            self._enter("declined", page_time)
            return
        self._record("consent", page_time, agree=True)
        self._assign_order()
        self._enter("instructions", page_time)

    def advance(self, page_time: float | None = None) -> None:
        """Leave the current screen (instructions, introduction, end message, pause) for the next one."""
        if self.phase == "consent":
            raise ValueError("advance: the consent screen moves on by consent(agree), not by advance()")
        if self.finished:
            raise ValueError(f"advance: the study is over for {self.participant} ({self.phase})")
        if self.phase == "instructions":
            self._enter("intro", page_time)
        elif self.phase == "intro":
            self._start_stream(page_time)
        elif self.phase == "end" and self.plan.questions:
            self._enter("questions", page_time)
        elif self.phase == "end":
            self._after_subsession(page_time)
        elif self.phase == "pause":
            self.step += 1
            self._enter("intro", page_time)
        else:
            raise ValueError(f"advance: the {self.phase!r} screen moves on by itself, not by advance()")

    def show(self, page_time: float | None = None) -> None:
        """The current image is on screen from ``page_time`` (the page's clock, wall seconds)."""
        self._expect("stream", "show")
        resumed = self.shown is not None  # shown before a reload: judged then, shown again now
        if not resumed and self.is_check:  # not the model's: feedback is always asked for, and never learned
            self.shown = {"predicted": None, "confidence": None, "asked": True}
        elif not resumed:
            predicted, confidence, asked = self.model.judge(self.study.features[self.image])
            self.shown = {"predicted": predicted, "confidence": confidence, "asked": asked}
        self.shown["page_time"] = page_time
        self._record("shown", page_time, **self._about_image(), allowed=self.allowed, resumed=resumed)

    def feedback(self, label: Hashable, *, via: str = "key", page_time: float | None = None) -> None:
        """The participant's label for the image on screen; learned at once, scored on the hold-out."""
        self._expect("stream", "feedback")
        label = plain_label(label)
        if label not in self.labels:
            raise ValueError(f"feedback: {label!r} is not one of the labels {self.labels}")
        if self.shown is None:
            raise ValueError("feedback: no image is on screen (call show first)")
        if not self.allowed:
            why = "was given already" if self.feedback_given else "is disabled: the model did not ask about this image"
            raise ValueError(f"feedback on image {self.image} {why}")
        if not self.is_check:
            self.model.learn(self.study.features[self.image], label)
        self.feedback_given = True
        shown_at = self.shown.get("page_time")
        seconds = None if page_time is None or shown_at is None else page_time - shown_at
        truth = self.study.truth[self.image]
        self._record(
            "feedback", page_time, **self._about_image(), label=label, via=via, response_time=seconds,
            correct=label == truth, accuracy=self.model.holdout_accuracy(),
        )  # fmt: skip

    def hide(self, page_time: float | None = None) -> None:
        """The image's time is up; the next one comes (or the subsession's end message)."""
        self._expect("stream", "hide")
        if self.shown is None:
            raise ValueError("hide: no image is on screen")
        self._record("hidden", page_time, **self._about_image(), feedback=self.feedback_given)
        self._next_image()
        if self.position == len(self.stream):
            self._end_stream(page_time)

    def answer(self, answers: Mapping[str, Any], page_time: float | None = None) -> None:
        """Answers to the subsession's questions (every question, checked), then the pause."""
        self._expect("questions", "answer")
        asked = {q.id: q for q in self.plan.questions}
        missing = sorted(set(asked) - set(answers))
        unknown = sorted(set(answers) - set(asked))
        if missing or unknown:
            raise ValueError(f"answer: missing answers {missing}, unknown questions {unknown}")
        checked = {qid: asked[qid].check(value) for qid, value in answers.items()}
        scales = {qid: asked[qid].scale for qid in checked}  # what each answer is out of, for the figures
        self._record("answers", page_time, answers=checked, scales=scales)
        self._after_subsession(page_time)

    # ------------------------------------------------------------ internals
    def _assign_order(self) -> None:
        """This participant's order of subsessions, from their place among everyone who joined (who agreed to
        take part, when the study asks): the rank of that event, so two people joining at once in two kernels
        still get different rows."""
        self.index = self.study.log.participants("consent" if self.study.consent else "join").index(self.participant)
        self.order = subsession_order(len(self.study.plan), self.index, self.study.order)
        if self.study.practice is not None:  # the practice first, for everyone
            self.order = [self.study.practice, *self.order]
        self._record("order", order=self.order, index=self.index)

    def _end_stream(self, page_time: float | None, *, scored: bool = False) -> None:
        if not scored:
            self._record("subsession_end", page_time, accuracy=self.model.holdout_accuracy())
        self._enter("end", page_time)

    def _after_subsession(self, page_time: float | None) -> None:
        if self.step == len(self.order) - 1:
            self._enter("done", page_time)
        elif self.plan.practice:  # no pause after the practice: on to the first part's introduction
            self.step += 1
            self._enter("intro", page_time)
        else:
            self._enter("pause", page_time)

    def _start_stream(self, page_time: float | None) -> None:
        self._new_model()
        self.position = 0
        sub = self.plan
        self._stream, checks = self.study.participant_stream(self.subsession, self.index)
        self._checks = set(checks)
        self._record(
            "subsession_start", page_time, strategy=sub.strategy, n_images=sub.n_images, step=self.step,
            accuracy=self.model.holdout_accuracy(), stream=self._stream, checks=checks, practice=sub.practice,
        )  # fmt: skip
        self._enter("stream", page_time)

    def _new_model(self) -> None:
        s, sub = self.study, self.plan
        before = s.parts[self.order[self.step - 1]] if self.step > 0 else None
        if sub.carry_over and self.model is not None and before is not None and not before.practice:
            before = self.model
            self.model = StudyModel(before.learner, sub.new_gate(), s.labels, s.X_holdout, s.y_holdout)
            self.model.learned_classes = set(before.learned_classes)  # not a cold start: it knows them
        else:
            self.model = StudyModel.fresh(s.learner, sub.new_gate(), s.labels, s.X_holdout, s.y_holdout)

    def _next_image(self) -> None:
        self.position += 1
        self.shown = None
        self.feedback_given = False

    def _enter(self, phase: str, page_time: float | None) -> None:
        if phase == "intro":
            self._stream, self._checks = [], set()  # the next part's stream is drawn when it starts
        self.phase = phase
        self._record("phase", page_time, phase=phase)

    def _expect(self, phase: str, what: str) -> None:
        if self.phase != phase:
            raise ValueError(f"{what}: only during the {phase!r} screen; the participant is at {self.phase!r}")

    def _about_image(self) -> dict[str, Any]:
        return {
            "image": self.image, "position": self.position, "asked": self.shown["asked"],
            "predicted": self.shown["predicted"], "confidence": self.shown["confidence"], "check": self.is_check,
        }  # fmt: skip

    def _record(self, kind: str, page_time: float | None = None, **data: Any) -> None:
        sub = None if kind in ("join", "order", "consent", "declined") else self.subsession
        self.study.log.append(self.participant, kind, subsession=sub, page_time=page_time, **data)

    def _replay(self, events: list[dict[str, Any]]) -> None:
        """Rebuild the place and the model from the log (a reload, or a new kernel)."""
        scored = False  # the current stream's end was recorded
        for e in events:
            kind = e["kind"]
            if kind == "order":
                self.order, self.index = list(e["order"]), int(e.get("index") or 0)
            elif kind == "phase":
                self.phase = e["phase"]
                self.step = self.order.index(e["subsession"]) if e["subsession"] is not None else 0
                if self.phase == "intro":
                    self._stream, self._checks = [], set()
            elif kind == "subsession_start":
                self._new_model()
                self.position, scored = 0, False
                self._stream = list(e.get("stream") or self.study.streams[e["subsession"]])  # as it was shown
                self._checks = set(e.get("checks") or [])
            elif kind == "subsession_end":
                scored = True
            elif kind == "shown" and not e["resumed"]:
                if not e.get("check"):
                    self.model.judge(self.study.features[e["image"]])  # the gate's counters move as they did
                self.shown = {k: e[k] for k in ("predicted", "confidence", "asked")}
            elif kind == "feedback":
                if not e.get("check"):
                    self.model.learn(self.study.features[e["image"]], e["label"])
                self.feedback_given = True
            elif kind == "hidden":
                self._next_image()
        if self.phase == "stream" and self.position == len(self.stream):  # stopped as the last image went
            self._end_stream(None, scored=scored)
        elif self.phase == "stream" and self.shown is not None:
            self._record("resumed", None, image=self.image, position=self.position)
