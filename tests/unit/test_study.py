"""Study mode, headless: the participant's flow, ALMT's disabled feedback, counterbalancing, resume after a
killed kernel, export, simulated participants and bad configs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from river import active, linear_model
from test_notebooks import NOTEBOOKS as NOTEBOOK_PATHS
from test_notebooks import execute

from hitl_widgets import Study
from hitl_widgets.study import SimulatedParticipant, simulate_study, subsession_order
from hitl_widgets.study.results import participant_table

NOTEBOOKS = NOTEBOOK_PATHS[0].parent
QUESTIONS = [{"id": "trust", "text": "I trusted the model"}, {"id": "note", "text": "Anything else?", "scale": 0}]


def two_part_plan(n: int = 3) -> list:
    return [("MT", n), {"strategy": "ALMT", "n_images": n, "questions": QUESTIONS}]


def test_a_participant_goes_through_both_subsessions_and_every_interaction_is_logged():
    study = Study.demo(plan=two_part_plan(), store=":memory:")
    run = study.run("P01")
    phases = [run.phase]
    run.advance()  # the instructions
    phases.append(run.phase)
    run.advance()  # the MT introduction: the stream starts
    assert run.phase == "stream" and run.image == study.streams[0][0]
    for i in range(3):
        run.show(page_time=100.0 + 5 * i)
        assert run.allowed  # MT: feedback on any image
        if i != 1:
            run.feedback(study.truth[run.image], via="key", page_time=100.9 + 5 * i)
        run.hide(page_time=105.0 + 5 * i)
    assert run.phase == "end"
    run.advance()
    assert run.phase == "pause"
    run.advance()
    assert run.phase == "intro" and run.plan.strategy == "ALMT"
    run.advance()
    for i in range(3):
        run.show(page_time=200.0 + 5 * i)
        if run.allowed:
            run.feedback(study.truth[run.image], via="button", page_time=201.0 + 5 * i)
        run.hide(page_time=205.0 + 5 * i)
    run.advance()
    assert run.phase == "questions"
    with pytest.raises(ValueError, match=r"missing answers \['note'\]"):
        run.answer({"trust": 4})
    with pytest.raises(ValueError, match="question 'trust' takes 1 to 5, got 9"):
        run.answer({"trust": 9, "note": "ok"})
    run.answer({"trust": 4, "note": "it learned fast"})
    assert run.phase == "done" and phases == ["instructions", "intro"]

    df = study.results()
    kinds = Counter(df.kind)
    assert kinds["shown"] == kinds["hidden"] == 6 and kinds["subsession_end"] == 2 and kinds["answers"] == 1
    feedback = df[df.kind == "feedback"]
    mt = feedback[feedback.strategy == "MT"]
    assert len(mt) == 2 and np.allclose(mt.response_time, 0.9)
    assert set(mt.via) == {"key"} and mt.correct.all()
    assert feedback.accuracy.between(0, 1).all() and feedback.confidence.between(0.5, 1).all()
    answers = df[df.kind == "answers"].answers.iloc[0]
    assert answers == {"trust": 4, "note": "it learned fast"}


def test_almt_disables_feedback_where_the_model_did_not_ask_and_records_nothing_for_it():
    study = Study.demo(plan=[("ALMT", 30)], store=":memory:")
    run = study.run("P01")
    run.advance()
    run.advance()
    refused = 0
    while run.phase == "stream":
        run.show(page_time=0.0)
        if run.allowed:
            run.feedback(study.truth[run.image], page_time=1.0)
            with pytest.raises(ValueError, match="was given already"):
                run.feedback(study.truth[run.image], page_time=1.5)
        else:
            before = len(study.log.events("P01"))
            with pytest.raises(ValueError, match="is disabled: the model did not ask about this image"):
                run.feedback(study.truth[run.image], page_time=1.0)
            assert len(study.log.events("P01")) == before
            refused += 1
        run.hide(page_time=5.0)
    shown = study.results().query("kind == 'shown'")
    asked = int(shown.asked.sum())
    assert refused == 30 - asked and 2 <= asked < 30  # it asks at first (cold start), then only when unsure
    assert shown.asked.iloc[0] and shown.asked.iloc[1]


def test_a_river_entropy_sampler_decides_in_almt():
    learner = linear_model.LogisticRegression()
    plan = [{"strategy": "ALMT", "n_images": 20, "gate": active.EntropySampler(learner, seed=1)}]
    study = Study.demo(plan=plan, learner=learner, store=":memory:")
    SimulatedParticipant(seed=2).take_part(study, "P01")
    df = study.results()
    assert df.query("kind == 'subsession_end'").accuracy.iloc[0] > 0.5
    assert len(df.query("kind == 'feedback'")) == int(df.query("kind == 'shown'").asked.sum())
    assert learner.weights == {}  # the study's copies learned, never the caller's model


def test_counterbalanced_orders_place_every_subsession_everywhere_equally():
    assert [subsession_order(3, p, "fixed") for p in range(2)] == [[0, 1, 2], [0, 1, 2]]
    rows = [subsession_order(3, p, "counterbalanced") for p in range(6)]
    for place in range(3):
        assert Counter(r[place] for r in rows) == {0: 2, 1: 2, 2: 2}
    follows = Counter((r[i], r[i + 1]) for r in rows for i in range(2))
    assert set(follows.values()) == {2}  # each subsession follows each other one equally often
    study = Study.demo(plan=two_part_plan(), store=":memory:", order="counterbalanced")
    assert [study.run(p).order for p in ("A", "B", "C", "D")] == [[0, 1], [1, 0], [0, 1], [1, 0]]
    assert study.run("B").order == [1, 0]  # a returning participant keeps their order


def test_a_participant_resumes_where_they_were_in_a_new_kernel(tmp_path):
    db = tmp_path / "study.db"
    study = Study.demo(plan=two_part_plan(6), store=str(db))
    run = study.run("P07")
    run.advance()
    run.advance()
    for _ in range(3):
        run.show(page_time=0.0)
        run.feedback(study.truth[run.image], page_time=1.0)
        run.hide(page_time=5.0)
    run.show(page_time=6.0)  # the fourth image is up when the page reloads
    on_screen, model = run.image, run.model
    again = Study.demo(plan=two_part_plan(6), store=str(db)).run("P07")
    assert (again.phase, again.position, again.image) == ("stream", 3, on_screen)
    np.testing.assert_allclose(again.model.holdout_accuracy(), model.holdout_accuracy())
    assert again.model.judge(again.study.features[on_screen])[:2] == model.judge(study.features[on_screen])[:2]
    kinds = [e["kind"] for e in again.study.log.events("P07")]
    assert kinds[-1] == "resumed"  # the log says the image was shown again
    again.show(page_time=30.0)
    assert again.study.log.events("P07")[-1]["resumed"] is True
    again.feedback(again.study.truth[on_screen], page_time=31.0)
    again.hide(page_time=35.0)
    assert again.position == 4


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_a_killed_kernel_loses_no_acknowledged_interaction(tmp_path):
    db = tmp_path / "study.db"
    script = textwrap.dedent(f"""
        from hitl_widgets.study import Study
        study = Study.demo(plan=[("MT", 200)], store={str(db)!r})
        run = study.run("P01")
        run.advance(); run.advance()
        print("ACK", len(study.log.events("P01")), flush=True)
        while True:
            run.show(page_time=0.0); print("ACK shown", flush=True)
            run.feedback(study.truth[run.image], page_time=0.5); print("ACK feedback", flush=True)
            run.hide(page_time=1.0); print("ACK hidden", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    acked = []
    for line in proc.stdout:
        acked.append(line.split()[1])
        if len(acked) > 40:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    study = Study.demo(plan=[("MT", 200)], store=str(db))
    kinds = [e["kind"] for e in study.log.events("P01")]
    logged_after_start = kinds[int(acked[0]) :]
    assert logged_after_start[: len(acked) - 1] == acked[1:]  # every acknowledged one, in order
    run = study.run("P01")
    assert run.phase == "stream" and run.position == sum(k == "hidden" for k in kinds)


@pytest.mark.slow
def test_twenty_simulated_participants_export_exactly_the_expected_rows_and_the_results_notebook_reads_them(
    tmp_path, monkeypatch
):
    study = Study.demo(plan=two_part_plan(30), store=":memory:", order="counterbalanced")
    ids = simulate_study(study, 20, SimulatedParticipant(accuracy=0.9, feedback_rate=0.6, seed=4))
    folder = study.export(tmp_path / "results")
    events = pd.read_csv(folder / "events.csv")
    # per participant: join and order; phases instructions, (intro, stream, end) x 2, questions, pause, done;
    # 2 starts and ends; 60 shown and hidden; one set of answers; and the feedback given
    n_feedback = int((events.kind == "feedback").sum())
    assert len(events) == 20 * (2 + 9 + 4 + 120 + 1) + n_feedback
    assert Counter(events.kind)["phase"] == 20 * 9 and set(events.participant) == set(ids)
    assert json.loads((folder / "events.json").read_text())[0]["kind"] == "join"
    table = pd.read_csv(folder / "subsessions.csv")
    assert len(table) == 40 and table.completed.all() and (table.shown == 30).all()
    assert table.groupby("strategy").step.mean().to_dict() == {"ALMT": 0.5, "MT": 0.5}  # counterbalanced
    almt = table[table.strategy == "ALMT"]
    assert almt.q_trust.between(1, 5).all() and (almt.feedback == almt.asked).all()
    mt = table[table.strategy == "MT"]
    assert 0.4 < mt.feedback.sum() / mt.shown.sum() < 0.8 and (mt.asked == 30).all()

    monkeypatch.setenv("HITL_STUDY_RESULTS", str(folder))
    nb = execute(NOTEBOOKS / "06_study_results.ipynb", tmp_path)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "stream")
    assert f"20 participants, {len(events)} interactions" in text  # this export, not a pilot of its own
    assert not (tmp_path / "study_results").exists()
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan": [("XT", 5)]}, r"plan\[0\].strategy: unknown strategy 'XT'"),
        ({"plan": [("MT", 0)]}, r"plan\[0\].n_images: images per stream must be a positive whole number, got 0"),
        ({"plan": [("MT", 5000)]}, r"plan\[0\].n_images: 5000 images asked for"),
        ({"plan": []}, "plan must be a non-empty list"),
        ({"step_duration": 0}, "step_duration: seconds per image must be a number > 0, got 0"),
        ({"step_duration": -1.5}, "step_duration"),
        ({"pause": -1}, "pause: seconds between subsessions must be a number >= 0"),
        ({"holdout": 1.0}, "holdout: the share of images"),
        ({"order": "random"}, "order: choose from"),
    ],
)
def test_bad_configs_name_the_field(change, message):
    kw = {"plan": [("MT", 5)], "store": ":memory:", **change}
    with pytest.raises(ValueError, match=message):
        Study.demo(**kw)


def test_labels_that_do_not_match_the_truth_are_refused():
    images = np.zeros((10, 8, 8))
    with pytest.raises(ValueError, match=r"truth: labels that are not in labels \['cat', 'dog'\]: 'cow'"):
        Study(images, ["cat", "dog"], ["cat"] * 9 + ["cow"], [("MT", 3)], store=":memory:")
    with pytest.raises(ValueError, match="truth: 9 labels for 10 images"):
        Study(images, ["cat", "dog"], ["cat"] * 9, [("MT", 3)], store=":memory:")
    with pytest.raises(ValueError, match="labels: at least two labels"):
        Study(images, ["cat"], ["cat"] * 10, [("MT", 3)], store=":memory:")


CONFIG = """
[study]
images = "{images}"
labels = {labels}
step_duration = 2.5
pause = 3
store = "{store}"
order = "counterbalanced"

[[subsession]]
strategy = "MT"
images = 4
intro = "You choose."

[[subsession]]
strategy = "ALMT"
images = 5
gate = {{ threshold = 0.95, budget = 0.4 }}
[[subsession.questions]]
id = "trust"
text = "I trusted the model"
"""


def test_a_study_from_a_toml_file_on_the_digits_and_on_a_folder_of_labeled_images(tmp_path):
    from PIL import Image

    path = tmp_path / "study.toml"
    path.write_text(CONFIG.format(images="digits", labels="[1, 7]", store=tmp_path / "a.db"))
    study = Study.from_config(path)
    assert study.labels == [1, 7] and study.step_duration == 2.5 and study.order == "counterbalanced"
    assert [s.n_images for s in study.plan] == [4, 5] and study.plan[1].questions[0].id == "trust"
    assert study.plan[1].new_gate().budget == 0.4 and study.plan[0].new_gate() is None
    for shape in ("circle", "square", "star"):
        (tmp_path / "shapes" / shape).mkdir(parents=True)
        for i in range(12):
            Image.fromarray(np.full((8, 8), 20 * i + (shape == "square") * 9, dtype=np.uint8)).save(
                tmp_path / "shapes" / shape / f"{i}.png"
            )
    path.write_text(CONFIG.format(images="shapes", labels='["circle", "square"]', store=tmp_path / "b.db"))
    study = Study.from_config(path)
    assert study.labels == ["circle", "square"] and len(study.truth) == 24  # the stars are left out
    SimulatedParticipant().take_part(study, "P01")
    assert len(study.results().query("kind == 'hidden'")) == 9


def test_a_config_with_a_mistake_names_the_file_and_the_field(tmp_path):
    path = tmp_path / "study.toml"
    path.write_text(CONFIG.format(images="digits", labels="[1, 7]", store=":memory:").replace("2.5", "-1"))
    with pytest.raises(ValueError, match=r"study.toml: step_duration: seconds per image must be a number > 0"):
        Study.from_config(path)
    path.write_text(CONFIG.format(images="digits", labels="[1, 7]", store=":memory:").replace("pause", "paws"))
    with pytest.raises(ValueError, match=r"study.toml: \[study\]: unknown settings \['paws'\]"):
        Study.from_config(path)
    path.write_text(CONFIG.format(images="digits", labels="[1, 7]", store=":memory:").replace('"MT"', '"TM"'))
    with pytest.raises(ValueError, match=r"plan\[0\].strategy: unknown strategy 'TM'"):
        Study.from_config(path)


def test_carry_over_starts_a_subsession_from_the_model_the_last_one_ended_with():
    plan = [("MT", 8), {"strategy": "MT", "n_images": 4, "carry_over": True}, ("MT", 4)]
    study = Study.demo(plan=plan, store=":memory:")
    SimulatedParticipant(accuracy=1.0, feedback_rate=1.0).take_part(study, "P01")
    starts = study.results().query("kind == 'subsession_start'").accuracy.tolist()
    ends = study.results().query("kind == 'subsession_end'").accuracy.tolist()
    assert starts[1] == ends[0]  # carried over
    assert starts[2] == starts[0] and starts[2] != ends[1]  # a fresh initial model again


def test_a_kernel_stopped_as_the_last_image_went_resumes_at_the_end_message(tmp_path):
    db = str(tmp_path / "s.db")
    study = Study.demo(plan=[("MT", 2), ("MT", 2)], store=db)
    run = study.run("P01")
    run.advance()
    run.advance()
    run.show(page_time=0.0)
    run.hide(page_time=1.0)
    run.show(page_time=1.0)
    study.log.append("P01", "hidden", subsession=0, page_time=2.0, image=run.image, position=1)  # then killed
    again = Study.demo(plan=[("MT", 2), ("MT", 2)], store=db).run("P01")
    assert again.phase == "end"  # not stuck on a stream with no image left
    again.advance()
    again.advance()
    assert again.phase == "intro" and again.step == 1
    kinds = [e["kind"] for e in again.study.log.events("P01")]
    assert kinds.count("subsession_end") == 1


def test_a_carried_over_almt_model_is_not_a_cold_start_again():
    plan = [("MT", 10), {"strategy": "ALMT", "n_images": 10, "carry_over": True}]
    study = Study.demo(plan=plan, store=":memory:")
    run = SimulatedParticipant(accuracy=1.0, feedback_rate=1.0).take_part(study, "P01")
    assert run.model.learned_classes == set(study.labels)
    shown = study.results().query("kind == 'shown' and strategy == 'ALMT'")
    assert not shown.asked.all()  # asked as its gate decides, not about every image


def test_streams_do_not_share_images_when_there_are_enough():
    study = Study.demo(plan=[("MT", 30), ("ALMT", 30)], store=":memory:")
    assert not set(study.streams[0]) & set(study.streams[1])
    assert not set(study.streams[0] + study.streams[1]) & set(study.holdout_rows.tolist())


def test_dropouts_are_marked_with_the_last_screen_they_reached(tmp_path):
    study = Study.demo(plan=two_part_plan(3), store=":memory:")
    simulate_study(study, 1, SimulatedParticipant(seed=1), prefix="F")  # F01 finishes
    quitter = study.run("Q01")  # goes through the first part, stops at the second part's questions
    while quitter.phase != "questions":
        if quitter.phase == "stream":
            quitter.show(page_time=0.0)
            quitter.hide(page_time=1.0)
        else:
            quitter.advance()
    study.run("Q02")  # joined, left at the instructions
    folder = study.export(tmp_path / "results")
    people = pd.read_csv(folder / "participants.csv").set_index("participant")
    assert people.last_phase.to_dict() == {"F01": "done", "Q01": "questions", "Q02": "instructions"}
    assert people.finished.to_dict() == {"F01": True, "Q01": False, "Q02": False}
    assert people.subsessions_completed.to_dict() == {"F01": 2, "Q01": 1, "Q02": 0}
    table = pd.read_csv(folder / "subsessions.csv").set_index(["participant", "strategy"])
    assert not table.loc[("Q01", "ALMT"), "completed"]  # its stream ended, its questions were never answered
    assert table.loc[("Q01", "MT"), "completed"] and not table.loc[("Q01", "MT"), "finished"]
    assert table.loc[("F01", "ALMT"), "completed"] and table.loc[("F01", "ALMT"), "finished"]


@pytest.mark.parametrize("n", [2, 20])
def test_the_results_figure_stays_on_its_scales_and_says_what_it_shows(n, tmp_path):
    from matplotlib.collections import PolyCollection

    from hitl_widgets.study import summary_figure

    questions = [{"id": "trust", "text": "I trusted the model", "scale": 7}, {"id": "note", "text": "?", "scale": 0}]
    plan = [{"strategy": "MT", "n_images": 20, "questions": questions},
            {"strategy": "ALMT", "n_images": 20, "questions": questions}]  # fmt: skip
    study = Study.demo(plan=plan, store=":memory:", order="counterbalanced")
    simulate_study(study, n, SimulatedParticipant(accuracy=0.8, feedback_rate=0.5, seed=n))
    fig = summary_figure(study.results())
    looked_at = Path(os.environ.get("HITL_E2E_ARTIFACTS", tmp_path))  # the screenshots' folder, in a full run
    looked_at.mkdir(parents=True, exist_ok=True)
    fig.savefig(looked_at / f"study_results_{n}.png", dpi=70)
    by_time, by_feedback, _, _, answers, _ = fig.axes
    for ax in (by_time, by_feedback):
        assert ax.get_ylim() == (0.0, 1.02)
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        if n < 5:  # too few for a band: each run drawn, and the legend says so
            assert not bands and all("thin: each run" in t for t in legend)
            assert len(ax.lines) == 2 * (n + 1)  # per strategy: n runs and their mean
        else:
            assert bands and all("95% interval" in t for t in legend)
            for band in bands:
                y = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
                assert y.min() >= 0 and y.max() <= 1
    assert answers.get_ylim() == (0.0, 7.5)  # the question's 7 points, not a t-interval's -4 to 11
    for line in answers.lines:  # error bars, where there are any, stay on the scale
        assert np.all((line.get_ydata() >= 1) & (line.get_ydata() <= 7))


def test_consent_declined_ends_the_run_and_is_recorded_agreed_goes_on():
    study = Study.demo(plan=two_part_plan(3), store=":memory:", consent="You may stop at any time.")
    no = study.run("N01")
    assert no.phase == "consent"
    with pytest.raises(ValueError, match="consent screen moves on by consent"):
        no.advance()
    no.consent(False, page_time=1.0)
    assert no.phase == "declined" and no.finished
    yes = study.run("Y01")
    yes.consent(True, page_time=2.0)
    assert yes.phase == "instructions"
    assert study.run("N01").phase == "declined"  # as the log says, in a new kernel
    events = study.results()
    consent = events[events.kind.isin(["consent", "declined"])].set_index("participant")
    assert consent.agree.to_dict() == {"N01": False, "Y01": True} and set(consent.kind) == {"consent", "declined"}
    orders = events[events.kind == "order"].set_index("participant")
    assert list(orders.index) == ["Y01"] and orders["index"]["Y01"] == 0  # a decliner takes no counterbalancing row
    people = participant_table(events, study).set_index("participant")
    assert people.last_phase.to_dict() == {"N01": "declined", "Y01": "instructions"} and not people.finished.any()


def test_with_shuffle_each_participant_sees_a_part_in_an_order_of_their_own_recorded_and_replayed(tmp_path):
    db = str(tmp_path / "s.db")
    study = Study.demo(plan=two_part_plan(12), store=db, shuffle=True)
    orders = {}
    for p in ("P01", "P02", "P03"):
        run = study.run(p)
        run.advance(), run.advance()
        orders[p] = list(run.stream)
        run.show(page_time=0.0), run.hide(page_time=1.0)
    assert all(sorted(o) == sorted(study.streams[0]) for o in orders.values())
    assert len({tuple(o) for o in orders.values()}) == 3  # three orders
    again = Study.demo(plan=two_part_plan(12), store=db, shuffle=True).run("P02")  # a new kernel: the recorded order
    assert again.stream == orders["P02"] and again.image == orders["P02"][1]
    starts = study.results().query("kind == 'subsession_start'").set_index("participant")
    assert [list(starts.stream[p]) for p in ("P01", "P02", "P03")] == list(orders.values())
    shown = study.results().query("kind == 'shown'").set_index("participant").image
    assert all(shown[p] == orders[p][0] for p in orders)
    assert Study.demo(plan=two_part_plan(12), store=":memory:").run("X").stream == study.streams[0]  # no shuffle


def test_the_completion_code_and_the_way_back_to_the_pool():
    back = "https://app.prolific.com/submissions/complete?cc={code}&p={participant}"
    study = Study.demo(plan=[("MT", 2)], store=":memory:", completion_code="C0DE 42", completion_url=back)
    assert study.completion("5f2a") == {
        "code": "C0DE 42",
        "url": "https://app.prolific.com/submissions/complete?cc=C0DE%2042&p=5f2a",
    }
    with pytest.raises(ValueError, match="completion_url: an address"):
        Study.demo(plan=[("MT", 2)], store=":memory:", completion_url="javascript:alert(1)")


def test_a_practice_stream_comes_first_for_everyone_and_is_not_scored(tmp_path):
    study = Study.demo(plan=two_part_plan(4), store=str(tmp_path / "s.db"), order="counterbalanced",
                       practice={"n_images": 2, "intro": "Practise here"})  # fmt: skip
    assert [p.title for p in study.parts] == ["MT", "ALMT", "Practice"] and study.practice == 2
    assert not set(study.streams[2]) & set(study.streams[0] + study.streams[1])  # images of its own
    runs = [study.run(p) for p in ("P01", "P02")]
    assert [r.order for r in runs] == [[2, 0, 1], [2, 1, 0]]  # the practice, then the counterbalanced parts
    run = runs[0]
    run.advance(), run.advance()
    assert run.plan.practice and run.part == 0 and run.phase == "stream"
    for _ in range(2):
        run.show(page_time=0.0)
        run.feedback(study.truth[run.image], page_time=0.5)
        run.hide(page_time=1.0)
    assert run.phase == "end"
    run.advance()  # no pause after the practice: the first part's introduction
    assert run.phase == "intro" and run.part == 1 and not run.plan.practice
    run.advance()
    starts = study.results().query("kind == 'subsession_start' and participant == 'P01'")
    assert starts.accuracy.nunique() == 1  # the first part starts from a fresh model, not from the practice's
    simulate_study(study, 3, SimulatedParticipant(seed=2), prefix="S")
    table = study.export(tmp_path / "out") / "subsessions.csv"
    rows = pd.read_csv(table)
    assert set(rows.strategy) == {"MT", "ALMT"} and (rows[rows.participant.str.startswith("S")].shown == 4).all()
    assert set(rows.part) == {1, 2} and set(rows.step) == {1, 2}  # the part as met; the step counts the practice
    events = study.results()
    practice = events[events.practice]
    assert set(practice.strategy) == {"practice"} and (practice.kind == "feedback").sum() >= 2
    from hitl_widgets.study.plots import accuracy_curves

    assert set(accuracy_curves(events, "time")) == {"MT", "ALMT"}  # the practice is in no figure


def test_attention_checks_are_known_answers_never_learned_and_reported(tmp_path):
    plan = [{"strategy": "MT", "n_images": 6, "checks": 2}, {"strategy": "ALMT", "n_images": 6, "checks": 1}]
    study = Study.demo(plan=plan, store=str(tmp_path / "s.db"), shuffle=True)
    run = study.run("P01")
    run.advance(), run.advance()
    assert len(run.stream) == 8
    checks = sorted(run._checks)  # noqa: SLF001 (the places, to answer them)
    accuracy_before = None
    passed = 0
    while run.phase == "stream":
        run.show(page_time=0.0)
        if run.is_check:
            assert run.image in study.holdout_rows and run.allowed  # always asked, also where ALMT would not
            accuracy_before = run.model.holdout_accuracy()
            answer = (
                study.truth[run.image]
                if run.position == checks[0]
                else next(y for y in study.labels if y != study.truth[run.image])
            )
            run.feedback(answer, page_time=0.4)
            assert run.model.holdout_accuracy() == accuracy_before  # not learned
            passed += answer == study.truth[run.image]
        run.hide(page_time=1.0)
    events = study.results()
    shown = events[events.kind == "shown"]
    assert list(shown[shown.check].position) == checks
    again = Study.demo(plan=plan, store=str(tmp_path / "s.db"), shuffle=True).run("P01")  # replayed: same model
    assert again.model.holdout_accuracy() == run.model.holdout_accuracy() and again.phase == "end"
    folder = study.export(tmp_path / "out")
    people = pd.read_csv(folder / "participants.csv").set_index("participant")
    assert (people.checks["P01"], people.checks_passed["P01"]) == (2, 1) and passed == 1
    table = pd.read_csv(folder / "subsessions.csv").set_index("strategy")
    assert (table.checks["MT"], table.checks_passed["MT"], table.shown["MT"], table.feedback["MT"]) == (2, 1, 6, 0)


def test_a_practice_leaves_the_parts_streams_as_they_were_and_is_refused_inside_the_plan():
    plan = two_part_plan(150)  # more than the digits 3 and 8 hold for both parts: the streams overlap
    without = Study.demo(plan=plan, store=":memory:")
    with_practice = Study.demo(plan=plan, store=":memory:", practice=5)
    assert with_practice.streams[:2] == without.streams and len(with_practice.streams[2]) == 5
    with pytest.raises(ValueError, match=r"plan\[0\].practice: the practice is given apart"):
        Study.demo(plan=[{"strategy": "MT", "n_images": 3, "practice": True}], store=":memory:")
