"""ExplorationRunner: an exploration's Play in the background, with one lock for every change.

A widget (or a script) steps, plays, pauses, picks and answers through a
runner; the runner owns the thread that plays, so the kernel stays free for
other cells while a class watches the strategies go.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from ..sessions.loop import Loop, thin
from .exploration import YOU, Exploration
from .sweep import sweep


class _Cancelled(Exception):
    """Raised inside a run over seeds whose results nobody wants any more."""


SPEEDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # steps per second Play offers


class ExplorationRunner(Loop):
    """Step, play and pause an :class:`Exploration`; listeners hear ``"changed"``, ``"playing"`` and ``"stopped"``.

    Examples
    --------
    >>> runner = ExplorationRunner(Exploration.from_preset("blobs", ["margin"], n=200, warm_start=6, budget=16))
    >>> runner.play(speed=30.0); runner.wait(timeout=30)
    >>> runner.playing, [runner.exploration.n_labels(s) for s in runner.exploration.panels]
    (False, [16, 16])
    """

    def __init__(self, exploration: Exploration):
        super().__init__()
        self.exploration = exploration
        self.speed = 2.0
        self.error = ""
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._player: threading.Thread | None = None
        self._sweeper: threading.Thread | None = None
        self.sweep_result: Any = None  # the DataFrame of the last run over seeds
        self.sweep_progress = (0, 0)  # (runs done, runs in all) of the run over seeds going on
        self._sweep_running = False
        self._sweep_cancel = threading.Event()

    # ------------------------------------------------------------ reading
    @property
    def playing(self) -> bool:
        return self._player is not None and self._player.is_alive() and not self._stop.is_set()

    @property
    def finished(self) -> bool:
        """Every panel has used its budget, the "you" panel included."""
        return self.exploration.finished

    @property
    def strategies_done(self) -> bool:
        """Every panel a strategy picks for has used its budget: Play has nothing left to do."""
        return self.exploration.strategies_done

    def take_error(self) -> str:
        """The error a background thread met (a Play, a run over seeds), once; ``""`` when none."""
        error, self.error = self.error, ""
        return error

    def locked(self) -> threading.RLock:
        """The lock to hold while reading the exploration from another thread (a view rendering it)."""
        return self._lock

    # ------------------------------------------------------------ acting
    def step(self, n: int = 1) -> None:
        with self._lock:
            self.exploration.step(n)
        self._tell("changed")

    def choose(self, row: int, panel: str = YOU) -> None:
        with self._lock:
            self.exploration.choose(row, panel)
        self._tell("changed")

    def choose_near(self, x: float, y: float, radius: float | tuple[float, float], panel: str = YOU) -> int:
        """A click on the plane: :meth:`Exploration.choose_near`."""
        with self._lock:
            row = self.exploration.choose_near(x, y, radius, panel)
        self._tell("changed")
        return row

    def answer(self, label: Hashable) -> None:
        with self._lock:
            self.exploration.answer(label)
        self._tell("changed")

    def undo(self) -> bool:
        """Take back the last step, point chosen or answer (the run replays without it); False when there
        was none. A Play going on stops first."""
        self.pause()
        with self._lock:
            if not self.exploration.actions:
                return False
            self.exploration = self.exploration.undo()
        self._tell("undone")
        return True

    def curve(self) -> dict[str, list[list[float]]]:
        """Per strategy, ``[[n_labels, held-out accuracy], ...]`` thinned for a chart."""
        with self._lock:
            ex = self.exploration
            return {name: thin([[float(n), float(a)] for n, a in ex.scores(name)]) for name in ex.panels}

    def replace(self, exploration: Exploration) -> None:
        """Show another exploration (a reset, new settings); a Play running stops first, and a run over
        seeds for the old settings is cancelled (its results would describe another run)."""
        self.pause()
        self._cancel_sweep()
        with self._lock:
            self.exploration = exploration
        self._tell("changed")
        self._tell("sweep")

    def set_speed(self, speed: float) -> None:
        """Steps per second of Play (a Play going on takes it from its next step)."""
        if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 < speed <= max(SPEEDS):
            raise ValueError(f"speed must be a number of steps per second in (0, {max(SPEEDS)}], got {speed!r}")
        self.speed = float(speed)

    def play(self, speed: float | None = None) -> None:
        """Step ``speed`` times a second in the background until every budget is used, or :meth:`pause`."""
        if speed is not None:
            self.set_speed(speed)
        if self.playing or self.strategies_done:
            return
        if self.exploration.oracle == "human":
            raise ValueError("Play needs the true labels to answer; with oracle='human' step and answer each pick")
        self._stop.clear()
        self._player = threading.Thread(target=self._play, name="hitl-explorer-play", daemon=True)
        self._player.start()
        self._tell("playing")

    def pause(self) -> None:
        self._stop.set()
        player = self._player
        if player is not None and player is not threading.current_thread():
            player.join()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a Play and a run over seeds have stopped."""
        for thread in (self._player, self._sweeper):
            if thread is not None:
                thread.join(timeout)

    @property
    def sweeping(self) -> bool:
        """A run over seeds is going on (false from just before its last event)."""
        return self._sweep_running

    def run_seeds(self, seeds: int = 10, budget: int | None = None) -> None:
        """Run this exploration's settings over ``seeds`` seeds in the background (:func:`sweep`);
        listeners hear ``"sweep"`` after every run and when it is done (:attr:`sweep_result`)."""
        if self.sweeping:
            raise ValueError("a run over seeds is going on already; wait for it")
        if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 100:
            raise ValueError(f"seeds must be a whole number from 1 to 100, got {seeds!r}")
        exploration = self.exploration
        self.sweep_result, self.sweep_progress = None, (0, 0)
        cancelled = self._sweep_cancel = threading.Event()

        def tell(done: int, total: int) -> None:
            if cancelled.is_set():
                raise _Cancelled
            self.sweep_progress = (done, total)
            self._tell("sweep")

        def work() -> None:
            try:
                result = sweep(exploration, seeds, budget, progress=tell)
                if not cancelled.is_set():
                    self.sweep_result = result
            except _Cancelled:
                pass
            except Exception as exc:  # shown by the view, never lost in a thread
                self.error = f"{type(exc).__name__}: {exc}"
            if not cancelled.is_set():
                self._sweep_running = False
                self._tell("sweep")

        self._sweep_running = True
        self._sweeper = threading.Thread(target=work, name="hitl-explorer-seeds", daemon=True)
        self._sweeper.start()

    def _cancel_sweep(self) -> None:
        """Stop listening to a run over seeds (it stops at its next run) and forget its results."""
        self._sweep_cancel.set()
        self._sweep_running = False
        self.sweep_result, self.sweep_progress = None, (0, 0)

    def _play(self) -> None:
        try:
            while not self._stop.is_set() and not self.strategies_done:
                with self._lock:
                    self.exploration.step()
                self._tell("changed")
                self._stop.wait(1.0 / self.speed)
        except Exception as exc:  # shown by the view, never lost in a thread
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._stop.set()
            self._tell("stopped")

    def settings(self) -> dict[str, Any]:
        """The settings the controls show: the exploration's (the learner by name) and Play's speed."""
        settings = {**self.exploration.settings, "speed": self.speed}
        if not isinstance(settings["learner"], str):
            settings["learner"] = "custom"
        return settings
