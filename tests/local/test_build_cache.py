"""The local API asks `sam build` only when something it builds from changed: every start of it (a
test run makes several) used to spend 10-30 s on a build with nothing to do."""

from __future__ import annotations

from local import build
from local.template import TEMPLATE, Template


def _resources() -> list[str]:
    template = Template.load(TEMPLATE)
    return [*template.functions(), *template.layers()]


def test_sam_build_runs_once_per_change_of_what_it_builds_from(monkeypatch, tmp_path):
    _, first = build.build_artifacts(TEMPLATE, _resources())  # up to date from here (it builds if it must)
    calls, said = [], []
    monkeypatch.setattr(build, "_sam_build", calls.append)
    assert build.build_artifacts(TEMPLATE, _resources(), say=said.append)[1] == first
    assert calls == [] and said == []

    # As if the sources had changed since the last build: its record is not this tree's.
    monkeypatch.setattr(build, "BUILD_STAMP", tmp_path / "build.stamp")
    monkeypatch.setattr(build, "BUILD_SECONDS", tmp_path / "build.seconds")
    build.build_artifacts(TEMPLATE, _resources(), say=said.append)
    assert calls == [TEMPLATE]
    assert said[0].startswith("sam build: building the functions and layers for")
    build.build_artifacts(TEMPLATE, _resources(), say=said.append)
    assert calls == [TEMPLATE], "built again with nothing changed"
