"""Simulated participants: a whole study run headlessly through the same calls a person's page makes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .participant_run import ParticipantRun
    from .study import Study


@dataclass
class SimulatedParticipant:
    """Answers right with probability ``accuracy``, after a log-normal response time (median ``response_time``
    seconds, spread ``spread``), gives feedback on a share ``feedback_rate`` of the images in MT (always when
    the model asks in ALMT), and answers every question. Feedback slower than the image's time is not given.
    """

    accuracy: float = 0.9
    response_time: float = 1.2
    spread: float = 0.4
    feedback_rate: float = 0.5
    seed: int = 0

    def take_part(self, study: Study, participant: str, *, time_scale: float = 0.0) -> ParticipantRun:
        """Go through the whole study as ``participant``; ``time_scale`` > 0 also waits that share of real time."""
        rng = np.random.default_rng([self.seed, *participant.encode()])
        run = study.run(participant)
        clock = _Clock(time_scale)
        while not run.finished:
            if run.phase == "consent":
                clock.wait(2.0)
                run.consent(True, page_time=clock.now)
            elif run.phase == "stream":
                self._watch(run, rng, clock, study.step_duration)
            elif run.phase == "questions":
                run.answer({q.id: self._answer(q, rng) for q in run.plan.questions}, page_time=clock.now)
            else:
                clock.wait(study.pause if run.phase == "pause" else 2.0)
                run.advance(page_time=clock.now)
        return run

    def _watch(self, run: ParticipantRun, rng: np.random.Generator, clock: _Clock, seconds: float) -> None:
        """One image: shown, maybe feedback, hidden when its time is up."""
        start = clock.now
        run.show(page_time=start)
        wants = run.plan.strategy == "ALMT" or rng.random() < self.feedback_rate
        delay = float(rng.lognormal(np.log(self.response_time), self.spread))
        if run.allowed and wants and delay < seconds:
            clock.wait(delay)
            truth = run.study.truth[run.image]
            wrong = [y for y in run.labels if y != truth]
            label = truth if rng.random() < self.accuracy else wrong[int(rng.integers(len(wrong)))]
            run.feedback(label, via="key", page_time=clock.now)
        clock.wait(start + seconds - clock.now)
        run.hide(page_time=clock.now)

    def _answer(self, question, rng: np.random.Generator):
        return "fine" if question.scale == 0 else int(rng.integers(1, question.scale + 1))


class _Clock:
    """Virtual page time in wall seconds; with ``scale`` > 0 it also sleeps that share of each wait."""

    def __init__(self, scale: float):
        self.scale = scale
        self.now = time.time()

    def wait(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        if self.scale > 0:
            time.sleep(seconds * self.scale)
        self.now += seconds


def simulate_study(
    study: Study, n: int, participant: SimulatedParticipant | None = None, prefix: str = "S"
) -> list[str]:
    """``n`` simulated participants ``S01``, ``S02``... through the whole study; returns their IDs."""
    who = participant or SimulatedParticipant()
    ids = [f"{prefix}{i + 1:02d}" for i in range(n)]
    for pid in ids:
        who.take_part(study, pid)
    return ids
