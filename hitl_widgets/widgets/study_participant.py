"""StudyParticipant: the page a participant uses; a view of a :class:`~hitl_widgets.study.ParticipantRun`.

The page paces the stream: it shows each image for the study's step duration
by its own clock (the images of a subsession arrive together, before the
stream starts), and tells the kernel when an image went up and came down, and
what feedback was given, with its own time stamps. The kernel records each of
these before it acknowledges it, and answers a shown image with whether
feedback is allowed on it (ALMT: only where the model asked).
"""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING, Any

import traitlets as t

from ..data.image_source import encode_image
from ..sessions.labels import class_at
from ..study import Study
from .actions import Action, ActionWidget
from .media import send_images

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ..study import ParticipantRun

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"


class StudyParticipant(ActionWidget):
    """A participant's screens: ID, consent (when the study asks for it), instructions, and per subsession its
    introduction, the timed stream, its end message, questions and the pause; at the end a completion code
    and the way back to a participant pool, when the study has them.

    Keys while an image is up (the widget must have focus): ``1``-``9`` give that label; a key pressed
    before the kernel has said whether the image takes feedback is kept and sent then. ``Enter``
    continues from a message. A reload of the page comes back to the same place without the ID being
    typed again (the page keeps it for its tab, or the address gives it), after a short "get ready";
    an ID typed on the first screen that someone has used already is asked about before it goes on.
    ``StudyParticipant(study, participant_id)``, or :meth:`Study.participant <hitl_widgets.Study.participant>`.

    Examples
    --------
    >>> from hitl_widgets import Study
    >>> study = Study.demo(plan=[("MT", 2)], store=":memory:")
    >>> w = study.participant("P01")
    >>> w.screen["phase"], w.screen["participant"]
    ('instructions', 'P01')
    """

    _esm = STATIC / "study_participant.js"
    _css = STATIC / "study_participant.css"

    screen = t.Dict().tag(sync=True)  # phase, texts, the subsession, the place in the stream
    judged = t.Dict().tag(sync=True)  # the image on screen: {position, allowed, asked}
    labels = t.List(t.Unicode()).tag(sync=True)
    step_duration = t.Float(5.0).tag(sync=True)
    pause = t.Float(10.0).tag(sync=True)
    get_ready = t.Float(3.0).tag(sync=True)  # seconds of "get ready" before a stream starts or resumes
    study_name = t.Unicode("study").tag(sync=True)  # what the page keeps the participant's ID under

    def __init__(self, study: Study, participant: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.study = study
        self.run: ParticipantRun | None = None
        self._stream_sent: tuple[int, int] | None = None  # (subsession, step) whose images the page holds
        self._stream_images: tuple[list[str], list[tuple[bytes, str]]] = ([], [])  # keys, (bytes, mime)
        with self.hold_sync():
            self.labels = [str(y) for y in study.labels]
            self.step_duration, self.pause, self.get_ready = study.step_duration, study.pause, study.get_ready
            self.study_name = study.name
            if participant is None:
                self.screen = {"phase": "id", "participant": ""}
            else:
                self._begin(participant)

    def actions(self) -> Mapping[str, Action]:
        return {
            "begin": Action(self._begin_action),
            "another_id": Action(lambda _msg, _b: setattr(self, "screen", {"phase": "id", "participant": ""})),
            "consent": Action(lambda msg, _: self._do(lambda r: r.consent(msg["agree"], msg.get("t")))),
            "advance": Action(lambda msg, _: self._do(lambda r: r.advance(msg.get("t")))),
            "show": Action(self._show),
            "feedback": Action(self._feedback),
            "hide": Action(self._hide),
            "answer": Action(lambda msg, _: self._do(lambda r: r.answer(msg["answers"], msg.get("t")))),
            "want": Action(self._want, user=False),
        }

    def _want(self, msg: dict[str, Any], _buffers: list[Any]) -> None:
        """A page opened (or reloaded) on a stream lacks its images: they come again, as they came first."""
        keys, images = self._stream_images
        asked = set(msg.get("keys", []))
        chosen = [i for i, key in enumerate(keys) if key in asked]
        send_images(self.send, [keys[i] for i in chosen], [images[i] for i in chosen])

    # ------------------------------------------------------------ actions
    def _begin_action(self, msg: dict[str, Any], _buffers: list[Any]) -> None:
        """An ID from the first screen (``typed``: asked about when someone has used it), or the ID the page
        kept for its tab, sent again after a reload (goes straight back)."""
        participant = str(msg["participant"]).strip()
        if msg.get("typed") and not msg.get("confirmed") and participant in self.study.participants():
            self.screen = {"phase": "id_taken", "participant": participant, "where": self.study.place_of(participant)}
            return
        self._begin(participant)

    def _begin(self, participant: str) -> None:
        self.run = self.study.run(participant)
        self._show_screen()

    def _do(self, change: Callable[[ParticipantRun], None]) -> None:
        if self.run is None:
            raise ValueError("enter a participant ID first")
        change(self.run)
        self._show_screen()

    def _on_image(self, msg: dict[str, Any]) -> bool:
        """Whether ``msg`` is about the image the run is at (a late message from before a reload is not)."""
        run = self.run
        return run is not None and run.phase == "stream" and msg.get("position") == run.position

    def _show(self, msg: dict[str, Any], _buffers: list[Any]) -> None:
        if not self._on_image(msg):
            return
        self.run.show(msg.get("t"))
        self.judged = {"position": self.run.position, "allowed": self.run.allowed, "asked": self.run.shown["asked"]}

    def _feedback(self, msg: dict[str, Any], _buffers: list[Any]) -> None:
        if not self._on_image(msg):
            raise ValueError("that image is no longer on screen")
        label = class_at(msg["label"], self.study.labels)
        self.run.feedback(label, via=str(msg.get("via", "key")), page_time=msg.get("t"))
        self.judged = {**self.judged, "allowed": False, "given": str(label)}

    def _hide(self, msg: dict[str, Any], _buffers: list[Any]) -> None:
        if not self._on_image(msg):
            return
        self.run.hide(msg.get("t"))
        self.judged = {}
        self._show_screen()

    # ------------------------------------------------------------ state
    def _show_screen(self) -> None:
        run, study = self.run, self.study
        sub = run.plan
        if run.phase == "stream" and self._stream_sent != (run.subsession, run.step):
            keys = [f"{run.subsession}.{run.step}.{i}" for i in range(len(run.stream))]
            self._stream_images = (keys, [encode_image(study.source.image(i)) for i in run.stream])
            send_images(self.send, *self._stream_images)  # before the screen that names them: all at once
            self._stream_sent = (run.subsession, run.step)
        texts = {
            "consent": study.consent,
            "instructions": study.instructions,
            "intro": sub.intro,
            "end": sub.end_message,
        }
        self.screen = {
            "phase": run.phase, "participant": run.participant,
            "text": study.message(texts.get(run.phase, ""), None if run.phase == "instructions" else run.subsession),
            "title": sub.title, "strategy": sub.strategy, "step": run.step, "part": run.part,
            "n_parts": len(study.plan), "practice": sub.practice, "position": run.position,
            "n_images": len(run.stream) if run.phase == "stream" else sub.n_images + sub.checks,
            "images": self._stream_images[0] if run.phase == "stream" else [],
            "questions": [vars(q) for q in sub.questions] if run.phase == "questions" else [],
            "completion": study.completion(run.participant) if run.phase == "done" else {},
        }  # fmt: skip


Study.page = StudyParticipant  # study.participant(...) makes this page; the study layer never imports widgets
