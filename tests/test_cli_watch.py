"""`juncture watch` (issue 15), driven headless as an analyst would use it: start it, open the page,
save an edit and see the new report, save a mistake and see its FILE:LINE:COL in the page, fix it,
stop with Ctrl-C (SIGINT). No browser: the page is fetched over HTTP and its reload script's
status address is read the way the script reads it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from model.report.live import STATUS_PATH

from paths import REPO

TEXACO = REPO / "scenarios" / "reference" / "texaco_pennzoil.yaml"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def wait_for(what, timeout: float = 60.0, every: float = 0.2):
    """The first true value of what() within `timeout` seconds, else the test fails."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = what()
        if got:
            return got
        time.sleep(every)
    pytest.fail(f"not seen within {timeout} s")


@pytest.mark.slow  # four report builds: 10-30 s
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is a POSIX signal")
def test_watch_rebuilds_on_save_shows_problems_and_stops_on_ctrl_c(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    scenario = work / "texaco.yaml"
    shutil.copy(TEXACO, scenario)
    out = work / "live"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "model", "watch", "texaco.yaml", "-o", "live", "--port", "0",
                             "--samples", "200"], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()          # 'serving live at http://127.0.0.1:PORT/ (Ctrl-C stops); ...'
        assert first.startswith("serving live at http://127.0.0.1:"), first + proc.stderr.read()
        url = first.split(" at ", 1)[1].split()[0]

        def status() -> dict:
            return json.loads(fetch(url + STATUS_PATH.lstrip("/")))

        wait_for(lambda: status()["state"] == "ok")
        page = fetch(url)
        assert "Pennzoil&#x27;s response to Texaco&#x27;s offer" in page or "Pennzoil's response" in page
        assert STATUS_PATH in page                                  # the reload script is in the page
        assert STATUS_PATH not in (out / "report.html").read_text(encoding="utf-8")   # but not in the file
        version = status()["version"]

        # an edit: a new title, seen in the page within a few seconds of the save
        text = scenario.read_text(encoding="utf-8")
        scenario.write_text(text.replace("title: Pennzoil's response to Texaco's offer",
                                         "title: Liedtke weighs the counteroffer"), encoding="utf-8")
        wait_for(lambda: status()["version"] > version and status()["state"] == "ok", timeout=30)
        assert "Liedtke weighs the counteroffer" in fetch(url)
        # two saves in a row, the second while the first one's report is being built: the page
        # ends with the second, never stuck on the first
        scenario.write_text(text.replace("title: Pennzoil's response to Texaco's offer",
                                         "title: First of two saves"), encoding="utf-8")
        wait_for(lambda: status()["state"] == "building", timeout=30, every=0.05)
        scenario.write_text(text.replace("title: Pennzoil's response to Texaco's offer",
                                         "title: Liedtke weighs the counteroffer"), encoding="utf-8")
        wait_for(lambda: status()["state"] == "ok" and "Liedtke weighs" in fetch(url), timeout=60)
        assert "Liedtke weighs the counteroffer" in (out / "report.html").read_text(encoding="utf-8")
        version = status()["version"]

        # a mistake: a probability written as '70%' (line and column where it is)
        broken = text.replace("accepts: {p: 0.17, payoff: 5}", "accepts: {p: 17%, payoff: 5}")
        line = broken[: broken.index("17%")].count("\n") + 1
        scenario.write_text(broken, encoding="utf-8")
        # (a build may first catch the file half written, then rebuild when its content moves on)
        wait_for(lambda: status()["state"] == "problems" and f"texaco.yaml:{line}:" in fetch(url), timeout=30)
        assert "17%" in fetch(url)
        assert "Liedtke" in (out / "report.html").read_text(encoding="utf-8")   # the last good report is kept
        version = status()["version"]

        # fixed again: the report is back
        scenario.write_text(text, encoding="utf-8")
        wait_for(lambda: status()["version"] > version and status()["state"] == "ok", timeout=30)
        assert "Pennzoil" in fetch(url)

        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode in (0, 130), stderr
    assert "Traceback" not in stderr
    assert "stopped" in stdout
    # nothing written outside the report's folder: the work folder holds the file and the folder only
    assert sorted(p.name for p in work.iterdir()) == ["live", "texaco.yaml"]
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".png")) == [".juncture-report.json",
                                                                                    "report.html"]


def test_watch_refuses_a_missing_file_and_a_taken_port(tmp_path):
    import socket

    run = subprocess.run([sys.executable, "-m", "model", "watch", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "r")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and f"no file {tmp_path / 'nope.yaml'} to watch" in run.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "model", "watch", str(TEXACO), "-o", str(tmp_path / "r"),
                              "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and f"cannot serve on 127.0.0.1:{port}" in run.stderr and "--port 0" in run.stderr
    assert not (tmp_path / "r").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM to a child process is a POSIX signal")
def test_a_file_with_problems_from_the_start_shows_them_and_sigterm_stops_cleanly(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("scenario: {id: s, title: T, question: Act or wait?}\noptions: []\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "model", "watch", "s.yaml", "-o", "live", "--port", "0"],
                            cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().split(" at ", 1)[1].split()[0]
        wait_for(lambda: json.loads(fetch(url + STATUS_PATH.lstrip("/")))["state"] == "problems")
        page = fetch(url + "report.html")
        # the README's first example's mistake, at its line and column, with its hint
        assert "s.yaml:1:50: YAML syntax error" in page and "must be in quotes" in page
        assert "No report has been built yet" in page
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, stderr
    assert "s.yaml:1:50:" in stderr and "stopped" in stdout
    assert sorted(p.name for p in (tmp_path / "live").iterdir()) == []
