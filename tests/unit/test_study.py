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

import numpy as np
import pandas as pd
import pytest
from river import active, linear_model
from test_notebooks import NOTEBOOKS as NOTEBOOK_PATHS
from test_notebooks import execute

from hitl_widgets import Study
from hitl_widgets.study import SimulatedParticipant, simulate_study, subsession_order

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
