"""The one set-up step a team needs on PostgreSQL: the owner runs `python -m hitl_widgets.team init URL`, and
a role with only SELECT and INSERT then runs the whole team flow (leases, overlap, unsure, agreement, the
dashboard, an adjudication by click); it may not rewrite or delete anything."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa
from conftest import frontend

from hitl_widgets import Labeler, LabelStore, TeamDashboard, agreement
from hitl_widgets.team import team_table
from hitl_widgets.team.setup import main

pytestmark = pytest.mark.usefixtures("recording_comm")


def test_after_init_an_insert_and_select_role_runs_the_whole_team_flow(postgres_url, capsys):
    owner = sa.create_engine(postgres_url)
    with owner.begin() as conn:
        conn.exec_driver_sql("CREATE ROLE labeler LOGIN")
    assert main(["init", postgres_url, "--role", "labeler"]) == 0
    printed = capsys.readouterr().out
    assert "hitl_events, hitl_state, hitl_leases" in printed and "GRANT SELECT, INSERT ON" in printed
    grants = [line for line in printed.splitlines() if line.startswith("GRANT")]
    with owner.begin() as conn:  # what the owner is told to run
        for statement in grants:
            conn.exec_driver_sql(statement)

    url = postgres_url.replace("//postgres@", "//labeler@")
    items = [f"message {i}: {'win cash' if i % 3 == 0 else 'see you at 7'}" for i in range(16)]
    store = lambda: LabelStore(url, session="role")  # noqa: E731 (each member's own connection)
    ana = Labeler(items, labels=["ham", "spam"], store=store(), annotator="ana", overlap=0.5, unsure=0.7)
    bo = Labeler(items, labels=["ham", "spam"], store=store(), annotator="bo", overlap=0.5, unsure=0.7)
    board = TeamDashboard(store(), refresh=0.2, items=items, adjudicator="lee")
    try:
        for _ in range(40):
            for who, w in (("ana", ana), ("bo", bo)):
                w.wait()
                if w.current is not None:
                    spam = "win cash" in items[w.current]
                    w.label("spam" if spam != (who == "bo" and w.current % 4 == 0) else "ham")
            if ana.current is None and bo.current is None:
                break
        ana.wait(), bo.wait()
        ana.undo()  # an undo is an INSERT too
        ana.wait()
        result = agreement(url, session="role")
        assert result.pairs["items"].iloc[0] >= 2 and result.disagreements, result
        item = result.disagreements[0]
        click = {"type": "adjudicate", "item": item, "label": "spam", "seq": 1}
        frontend(board, {"method": "custom", "content": click})
        assert board.error == ""
        table = team_table(url, session="role").set_index("item_id")
        assert table.loc[item, "final"] == "spam" and table.loc[item, "final_by"] == "lee"
    finally:
        ana.close(), bo.close(), board.close()
    with sa.create_engine(url).connect() as conn:
        for sql in ("UPDATE hitl_leases SET annotator = 'x'", "DELETE FROM hitl_events", "CREATE TABLE t (i int)"):
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.exec_driver_sql(sql)
            conn.rollback()


@pytest.mark.slow  # a robustness run: a process killed, a server restarted, or a long walk
def test_init_from_the_command_line_on_a_sqlite_file_and_a_bad_role(tmp_path):
    path = str(tmp_path / "team.db")
    run = subprocess.run([sys.executable, "-m", "hitl_widgets.team", "init", path], capture_output=True, text=True)
    assert run.returncode == 0 and "no roles" in run.stdout
    assert sorted(sa.inspect(LabelStore(path).engine).get_table_names()) == ["hitl_events", "hitl_leases", "hitl_state"]
    bad = subprocess.run(
        [sys.executable, "-m", "hitl_widgets.team", "init", path, "--role", "x; DROP TABLE"], capture_output=True,
        text=True,
    )  # fmt: skip
    assert bad.returncode == 1 and "role must be a plain database role name" in bad.stderr


def test_grants_quote_the_schema_and_refuse_public(postgres_url):
    from hitl_widgets.team import annotator_grants, init_team_store

    store = init_team_store(postgres_url, session="grants")
    assert annotator_grants(store, "annotator")[0] == "GRANT USAGE ON SCHEMA public TO annotator;"
    with pytest.raises(ValueError, match="not public"):
        annotator_grants(store, "PUBLIC")
