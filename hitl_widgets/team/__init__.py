"""A team labeling one pool: agreement between annotators, final labels (leases: `hitl_widgets.store.leases`)."""

from .agreement import Agreement, agreement, final_labels, labels_by_annotator
from .setup import annotator_grants, init_team_store
from .team_label_queue import TeamLabelQueue
from .team_queue import TeamQueue
from .team_report import TeamReport, adjudicate, team_report, team_table

__all__ = [
    "Agreement",
    "TeamLabelQueue",
    "TeamQueue",
    "TeamReport",
    "adjudicate",
    "agreement",
    "annotator_grants",
    "final_labels",
    "init_team_store",
    "labels_by_annotator",
    "team_report",
    "team_table",
]
