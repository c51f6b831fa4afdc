"""Study mode: machine teaching (MT) vs active learning with machine teaching (ALMT) on timed image streams.

:class:`Study` holds the design (images, labels, hold-out truth, plan) and the
log of every interaction; :meth:`Study.run` is one participant's way through
it, headless; :class:`SimulatedParticipant` runs a study the way a person's
page does, for tests and pilots.
"""

from .participant_run import ParticipantRun
from .plan import Question, Subsession, subsession_order
from .plots import load_results, summary_figure
from .simulated import SimulatedParticipant, simulate_study
from .study import Study, participant_from_address

__all__ = [
    "ParticipantRun",
    "Question",
    "SimulatedParticipant",
    "Study",
    "Subsession",
    "load_results",
    "participant_from_address",
    "simulate_study",
    "subsession_order",
    "summary_figure",
]
