"""The wheel a user installs carries the widget's JS and CSS (no CDN, no build step at install)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_static_files_and_py_typed(tmp_path):
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)]
    subprocess.run([*cmd, str(ROOT)], check=True)
    (wheel,) = tmp_path.glob("hitl_widgets-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"hitl_widgets/static/{w}.{ext}" for w in ("gmm_canvas", "image_labeler") for ext in ("js", "css")}
    assert shipped | {"hitl_widgets/py.typed"} <= names
    assert not any(n.startswith(("js/", "tests/", "node_modules/")) for n in names)
