"""The HTML report: every section and figure present, self-contained, written safely, and
rendered by a real browser without errors.

It is built from the living bundled scenario (scenarios/venezuela.yaml), as a product check: the
assertions hold for any reasonable edit of that file (sections, figures, its options and evidence
named), none pins a number of it."""

from __future__ import annotations

import html
import html.parser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import model
from model.report import build_report, write_report

ROOT = Path(__file__).resolve().parents[1]
VENEZUELA = ROOT / "scenarios" / "venezuela.yaml"
TEXACO = ROOT / "scenarios" / "reference" / "texaco_pennzoil.yaml"


class Outline(html.parser.HTMLParser):
    """Collects the ids of h2 sections, figures, inline SVGs and any external references."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.figures: list[str] = []
        self.svgs = 0
        self.external: list[str] = []
        self.generator = ""
        self.first_appendix: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("h2", "section") and a.get("id"):
            self.sections.append(a["id"])
        if tag == "details" and "appendix" in (a.get("class") or "") and self.first_appendix is None:
            self.first_appendix = len(self.sections)
        if tag == "figure":
            self.figures.append(a.get("id", ""))
        if tag == "svg":
            self.svgs += 1
        if tag == "meta" and a.get("name") == "generator":
            self.generator = a.get("content") or ""
        for k in ("src", "href"):
            v = a.get(k) or ""
            if v.startswith(("http://", "https://", "//")) and "www.w3.org" not in v:
                self.external.append(v)
        if tag in ("script", "link", "img") and (a.get("src") or a.get("href")):
            self.external.append(f"{tag}:{a.get('src') or a.get('href')}")


@pytest.fixture(scope="module")
def venezuela_report():
    return build_report(model.load(VENEZUELA), samples=500)


def outline(text: str) -> Outline:
    o = Outline()
    o.feed(text)
    return o


def test_the_venezuela_report_holds_every_section_and_figure(venezuela_report):
    o = outline(venezuela_report.html)
    for sec in ("bottom-line", "key-judgments", "what-would-change", "signals", "indicators", "players",
                "summary", "options", "consequences", "responses", "risks", "ladder", "tree", "uncertainty",
                "sensitivity", "voi", "robustness", "critique", "evidence", "about"):
        assert sec in o.sections, sec
    stems = [f.stem for f in venezuela_report.figures]
    assert {"consequences", "responses", "risks", "tree", "evidence", "p-best", "utility", "risk-profile", "tornado",
            "two-way", "regret", "ranks", "acceptability", "ladder"} <= set(stems)
    assert o.figures == [f"fig-{s}" for s in stems]
    assert o.svgs >= len(stems)          # every figure inline (matplotlib SVGs may nest none)
    assert o.external == []              # nothing to fetch: it opens offline
    assert o.generator.startswith("juncture")
    text = venezuela_report.html
    sc = model.load(VENEZUELA)                               # the living file: whatever it holds now,
    assert all(o in text for o in sc.option_ids)             # every option is named
    assert all(e.id in text for e in sc.evidence)            # and every evidence item listed
    assert "random seed" in text and "juncture version" in text


def test_the_report_is_written_with_pngs_and_refuses_foreign_files(tmp_path, venezuela_report):
    out = tmp_path / "rep"
    written = write_report(venezuela_report, out)
    assert written[0] == out / "report.html"
    for f in venezuela_report.figures:
        png = out / f"{f.stem}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a second run replaces its own files
    write_report(venezuela_report, out)
    # a file the report did not write is never replaced without force
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.html").write_text("my notes")
    with pytest.raises(FileExistsError, match="--force"):
        write_report(venezuela_report, mine)
    assert (mine / "report.html").read_text() == "my notes"
    write_report(venezuela_report, mine, force=True)
    assert "juncture" in (mine / "report.html").read_text()[:400]


def test_a_report_removes_what_the_last_one_wrote_and_this_one_does_not_and_nothing_else(tmp_path):
    from model.report import MANIFEST
    from model.report.page import Figure, Report

    def report(*stems: str) -> Report:
        return Report('<html><head><meta name="generator" content="juncture test"></head></html>',
                      [Figure(s, s, "<svg/>", b"png") for s in stems])

    out = tmp_path / "rep"
    write_report(report("tree", "two-way"), out)
    (out / "notes.txt").write_text("mine")
    (out / "sub").mkdir()
    # another scenario's report into the same folder: no two-way map this time (issue 15)
    write_report(report("tree", "ladder"), out)
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, "report.html", "tree.png", "ladder.png",
                                                           "notes.txt", "sub"])
    # a manifest edited to name files outside the folder, or the folder itself, removes nothing there
    (tmp_path / "outside.png").write_text("x")
    (out / MANIFEST).write_text('{"files": ["../outside.png", "sub", "report.html", "tree.png"]}')
    write_report(report("tree"), out)
    assert (tmp_path / "outside.png").exists() and (out / "sub").is_dir() and (out / "notes.txt").exists()
    assert (out / "ladder.png").exists()   # the edited manifest no longer lists it: not the report's to remove


def test_an_interrupted_write_leaves_nothing_half_written(tmp_path, venezuela_report, monkeypatch):
    out = tmp_path / "rep"
    calls = {"n": 0}
    real = os.replace

    def failing_replace(a, b):
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt
        return real(a, b)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        write_report(venezuela_report, out)
    monkeypatch.setattr(os, "replace", real)
    assert not (out / "report.html").exists()
    assert [p.name for p in out.iterdir()] == []     # the temporary folder is gone too


def test_juncture_report_end_to_end(tmp_path):
    out = tmp_path / "r"
    run = subprocess.run([sys.executable, "-m", "model", "report", str(TEXACO), "-o", str(out), "--samples", "200"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (out / "report.html").is_file() and (out / "tree.png").is_file()
    again = subprocess.run([sys.executable, "-m", "model", "report", str(TEXACO), "-o", str(out / "tree.png")],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "not a folder" in again.stderr and "Traceback" not in again.stderr


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed (.ci/run installs it)")
def test_the_report_renders_in_headless_chromium(tmp_path, venezuela_report):
    out = tmp_path / "rep"
    write_report(venezuela_report, out)
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--window-size=1280,4000", f"--screenshot={shot}",
           "--enable-logging=stderr", "--v=0", (out / "report.html").as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000, run.stderr[-2000:]
    # console errors from the page itself (not Chromium's own start-up chatter)
    page_errors = [ln for ln in run.stderr.splitlines() if "CONSOLE" in ln and "report.html" in ln]
    assert page_errors == []
    dom = subprocess.run([c for c in cmd if not c.startswith("--screenshot")] [:-1] + ["--dump-dom",
                         (out / "report.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0
    assert 'id="summary"' in dom.stdout and dom.stdout.count("<svg") >= len(venezuela_report.figures)


LAYOUT_CHECK = """<script>
window.addEventListener('load', function () {
  var out = {};
  var bl = document.getElementById('bottom-line');
  out.bottomTop = bl ? bl.getBoundingClientRect().top : -1;
  out.innerHeight = window.innerHeight;
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var bad = [];
  document.querySelectorAll('table').forEach(function (t, i) {
    var c = t.parentElement, cr = c.getBoundingClientRect(), tr = t.getBoundingClientRect();
    if (c.scrollWidth > c.clientWidth + 1 || tr.right > cr.right + 1)
      bad.push(t.innerText.slice(0, 60));
  });
  out.tables = document.querySelectorAll('table').length;
  out.pageOverflow = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
  out.overflow = bad;
  var pre = document.createElement('pre'); pre.id = 'juncture-check';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed (.ci/run installs it)")
def test_the_bottom_line_is_on_the_first_screen_and_no_table_overflows(tmp_path, venezuela_report):
    """At 1280x800 the bottom line starts on the first screen, and no table (appendices opened) is
    wider than its container: nothing hides behind a horizontal scroll."""
    import json

    out = tmp_path / "rep"
    write_report(venezuela_report, out)
    check = out / "check.html"
    check.write_text(venezuela_report.html.replace("</body>", LAYOUT_CHECK + "</body>"), encoding="utf-8")
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,800", "--dump-dom", check.as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    start = run.stdout.index('<pre id="juncture-check">') + len('<pre id="juncture-check">')
    got = json.loads(html.unescape(run.stdout[start:run.stdout.index("</pre>", start)]))
    assert 0 <= got["bottomTop"] < min(got["innerHeight"], 800) - 100, got
    assert got["tables"] > 10
    assert got["overflow"] == [] and not got["pageOverflow"], got


SCENARIOS = sorted((ROOT / "scenarios").rglob("*.yaml"))
JUDGMENT_SECTIONS = ["bottom-line", "key-judgments", "what-would-change", "signals", "indicators", "players"]


def _section_text(doc: str, anchor: str) -> str:
    start = doc.index(f'<section id="{anchor}">')
    return doc[start:doc.index("</section>", start)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_report_leads_with_the_judgments_before_any_appendix(path):
    rep = build_report(model.load(path), samples=200)
    o = outline(rep.html)
    where = [o.sections.index(s) for s in JUDGMENT_SECTIONS]
    assert where == sorted(where)
    assert o.first_appendix is not None and max(where) < o.first_appendix
    assert o.sections[0] == "bottom-line"
    for anchor in ("bottom-line", "key-judgments"):
        text = html.unescape(_section_text(rep.html, anchor))
        for path_bit in ("events.", "options.", ".probability.", "criteria.", "actors."):
            assert path_bit not in text, (anchor, path_bit)
    assert "confidence:" in _section_text(rep.html, "key-judgments")


def test_an_actors_choice_is_labelled_with_its_actor_not_the_decision_maker(venezuela_report):
    """The militia's mobilisation is its own choice (a logit reply), never a US 'later decision'."""
    summ = _section_text(venezuela_report.html, "summary")
    assert "militia (its own choice)" in html.unescape(summ).lower()
    rows = [r for r in summ.split("<tr>") if "mobilised" in r]
    assert rows and all("its own choice" in r and "decision maker" not in r for r in rows)
    players = html.unescape(_section_text(venezuela_report.html, "players"))
    assert "militia" in players.lower() and "russia" in players.lower()


def test_the_report_shows_every_finding_of_the_critique(tmp_path):
    """issue 11: the report carries the model critique, every finding, in an appendix."""
    from model.analysis.critique import critique
    from model.compile import compile_scenario
    from model.io import load

    from model.cli import main

    out = tmp_path / "r"
    assert main(["report", str(TEXACO), "-o", str(out), "--samples", "500"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="critique"' in html
    # Texaco fixes all 18 of its numbers (validate: 0 uncertain), so any point where the preferred
    # option switches lies on a number without a range: that finding must be in the report
    assert "threshold-without-range" in html
    res = critique(compile_scenario(load(TEXACO)), samples=500)
    for finding in res.findings:
        assert finding.code in html and finding.message.split(":")[0][:40] in html.replace("&#x27;", "'")


def test_the_value_of_information_is_a_sentence_when_nothing_is_worth_learning(tmp_path):
    """issue 12: an analysis with nothing to show says one sentence, not a figure of zeros. Here
    act pays 5 and wait 1 whatever the weather (dry adds 1 to both): knowing the weather first
    changes no choice, and every number is fixed, so every EVPI is 0. Texaco's court is worth
    0.345 to learn first (0.597 with Texaco's reaction too): its figure stays."""
    from model.cli import main

    nothing = tmp_path / "nothing.yaml"
    nothing.write_text(
        "scenario: {id: nothing, title: Nothing to learn}\n"
        "criteria: [{id: gain, direction: max}]\n"
        "options: [{id: act, impacts: {gain: 5}}, {id: wait, impacts: {gain: 1}}]\n"
        "events:\n"
        "  - id: weather\n"
        "    states: {dry: {impacts: {gain: 1}}, wet: {}}\n"
        "    probability: {dry: 0.5, wet: 0.5}\n", encoding="utf-8")
    for f, zero in ((nothing, True), (TEXACO, False)):
        out = tmp_path / f.stem
        assert main(["report", str(f), "-o", str(out), "--samples", "500"]) == 0
        page = (out / "report.html").read_text(encoding="utf-8")
        assert ("Nothing is worth learning before choosing" in page) is zero
        assert ('id="fig-voi"' in page) is not zero


def _appendix_text(doc: str, anchor: str) -> str:
    start = doc.index(f'<details class="appendix" id="appendix-{anchor}">')
    return doc[start:doc.index("</details>", start)]


def test_appendix_tables_show_names_with_the_ids_in_small_type(venezuela_report):
    """issue 12 item 5: the appendices name options, numbers and evidence as the file names them;
    the id (or parameter path) follows in small type, for the analyst who looks it up."""
    sc = model.load(VENEZUELA)
    doc = venezuela_report.html
    sens = _appendix_text(doc, "sensitivity")
    # every number of the tornado table is a phrase with names, its path in small type beside it
    paths = [p for p in sens.split('<small class="id">')[1:]]
    assert paths and all(p.split("<")[0].count(".") >= 2 for p in paths)
    assert "<th>phrase" not in sens
    for o in sc.options:
        if o.name:
            assert f'{html.escape(o.name, quote=True)} <small class="id">{o.id}</small>' in \
                _appendix_text(doc, "options")
    ev = _appendix_text(doc, "evidence")
    for e in sc.evidence:                                   # each item by its claim, its id small
        assert f'<small class="id">{e.id}</small>' in ev
    for a in sc.assumptions:
        assert f'<small class="id">{a.id}</small>' in ev
    # no option id with an underscore is left bare in the appendices' text (ids in small type and
    # in tooltips aside)
    import re

    def bare_text(app: str) -> str:
        text = re.sub(r'<small class="id">.*?</small>|title="[^"]*"|<svg.*?</svg>', "", _appendix_text(doc, app),
                      flags=re.S)
        return re.sub(r"<[^>]+>", " ", text)

    bare = [(app, o.id) for app in ("distributions", "sensitivity", "robustness", "ladder", "voi")
            for o in sc.options if "_" in o.id and o.name and re.search(rf"\b{o.id}\b", bare_text(app))]
    assert bare == []


def test_the_bottom_line_lists_the_load_bearing_assumptions(venezuela_report):
    from model.analysis.judgments import BRIEF_ASSUMPTIONS

    bl = _section_text(venezuela_report.html, "bottom-line")
    items = bl.split('<ul class="lb-list">')[1].split("</ul>")[0].count("<li>")
    assert 2 <= items <= BRIEF_ASSUMPTIONS + 1          # at most N named, then 'and K more'
    assert "and " in bl and 'href="#evidence"' in bl
