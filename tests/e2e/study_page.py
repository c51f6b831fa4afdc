"""Reading the study participant's page in one go (a stream's element leaves the page when it ends)."""

from __future__ import annotations

ROOT = ".hitl-st"
SNAPSHOT = """root => {
  const s = root.querySelector('.hitl-st-stream');
  const head = root.querySelector('.hitl-st-head');
  return {phase: root.dataset.phase, feedback: s ? s.dataset.feedback : null,
          position: s ? s.dataset.position : null, title: head ? head.textContent.split(' ·')[0] : null};
}"""


def snapshot(widget) -> dict:
    """The phase, and on a stream the feedback state, the image's place and the subsession's title, read at once."""
    return widget.evaluate(SNAPSHOT)


def go_on_if_asked(widget) -> None:
    """Press the screen's Continue button when there is one that can be pressed (read and pressed at once)."""
    widget.evaluate("root => { const b = root.querySelector('.hitl-st-go'); if (b && !b.disabled) b.click(); }")
