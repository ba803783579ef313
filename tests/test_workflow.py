"""The GitHub Pages workflow, checked offline: GitHub's workflow schema, zizmor's audits, and
what it must do (test, build strictly, deploy from main only, with least permissions).

check-jsonschema ships GitHub's schema (``--builtin-schema vendor.github-workflows``) and
zizmor runs with ``--offline``: neither needs the network.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import read_mkdocs_yml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
SEVERITIES = ("unknown", "informational", "low", "medium", "high")
PIN = re.compile(r"^\s*-?\s*uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)\s*#\s*v\d+\.\d+\.\d+\s*$")
MAIN_ONLY = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def tool(name: str) -> str:
    """The executable installed beside this Python (the test extra installs both tools)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; run: pip install -e '.[test]'", pytrace=False)
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    assert WORKFLOW.is_file(), f"{WORKFLOW} is missing"
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def zizmor_findings(persona: str) -> list[dict[str, Any]]:
    proc = run(tool("zizmor"), "--offline", "--persona", persona, "--format", "json", str(WORKFLOW))
    # exit 0: no findings; 10-14: findings, by highest severity; anything else: zizmor failed
    assert proc.returncode == 0 or 10 <= proc.returncode <= 14, proc.stderr[-2000:]
    findings: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    return [f for f in findings if not f.get("ignored")]


def severe(findings: list[dict[str, Any]]) -> list[str]:
    """Findings of medium severity or higher, one line each."""
    lines = []
    for finding in findings:
        severity = str(finding["determinations"]["severity"]).lower()
        if SEVERITIES.index(severity) >= SEVERITIES.index("medium"):
            where = finding["locations"][0]["concrete"]["location"]["start_point"]["row"] + 1
            lines.append(f"{finding['ident']} ({severity}) at line {where}: {finding['desc']}")
    return lines


# ------------------------------------------------------------------ the two offline tools


def test_workflow_matches_githubs_schema() -> None:
    proc = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_higher() -> None:
    problems = severe(zizmor_findings("regular"))
    assert not problems, "zizmor --offline:\n" + "\n".join(problems)


def test_zizmor_auditor_persona_only_flags_the_tag_pinned_container() -> None:
    """The stricter persona also wants the container image pinned by digest, which cannot be
    looked up offline (docs/publishing.md says how to pin it); nothing else may appear."""
    problems = [p for p in severe(zizmor_findings("auditor")) if not p.startswith("unpinned-images ")]
    assert not problems, "zizmor --offline --persona auditor:\n" + "\n".join(problems)


# ------------------------------------------------------------------ what the workflow does


def test_every_action_is_pinned_by_commit_with_its_release_in_a_comment() -> None:
    uses = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert len(uses) >= 4, uses
    for line in uses:
        match = PIN.match(line)
        assert match, f"not pinned as 'uses: owner/action@<40 hex> # vX.Y.Z': {line.strip()}"
        assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), f"not a full commit hash: {line.strip()}"


def test_triggers_and_least_permissions(workflow: dict[Any, Any]) -> None:
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers
    assert workflow["permissions"] == {}, (
        "the workflow grants nothing by default; jobs ask for what they need"
    )
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_build_job_tests_then_builds_strictly_and_uploads_only_from_main(workflow: dict[Any, Any]) -> None:
    steps = workflow["jobs"]["build"]["steps"]
    runs = [str(step.get("run", "")) for step in steps]
    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["persist-credentials"] is False
    order = [
        next(i for i, r in enumerate(runs) if "bash .ci/run" in r),
        next(i for i, r in enumerate(runs) if "mkdocs build --strict --site-dir site" in r),
        next(i for i, r in enumerate(runs) if "factsheet bundle --out site/" in r),
        next(
            i
            for i, s in enumerate(steps)
            if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")
        ),
    ]
    assert order == sorted(order), (
        "tests, then the strict build, the offline zip and the upload, in that order"
    )
    build = steps[order[1]]
    assert build["env"]["FACTSHEET_PDF"] == "true", "the published site carries the PDFs (plugin option pdf)"
    upload = steps[order[-1]]
    assert upload["with"]["path"] == "site"
    assert upload["if"] == MAIN_ONLY
    configure = next(s for s in steps if str(s.get("uses", "")).startswith("actions/configure-pages@"))
    assert configure["if"] == MAIN_ONLY


def test_deploy_job_runs_only_for_main_into_the_pages_environment(workflow: dict[Any, Any]) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == MAIN_ONLY
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@") and step["id"] == "deployment"


def test_site_url_check_reads_the_value_mkdocs_yml_has(tmp_path: Path) -> None:
    """The shell line that reads site_url (before .venv exists) agrees with a YAML parser."""
    check = next(
        s["run"]
        for s in yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
        if "PAGES_URL" in str(s)
    )
    reader = next(line.strip() for line in check.splitlines() if line.strip().startswith("site_url="))
    expected = read_mkdocs_yml(REPO / "mkdocs.yml")["site_url"]
    proc = subprocess.run(
        ["bash", "-c", f'{reader}\nprintf %s "$site_url"'],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    (tmp_path / "mkdocs.yml").write_text('site_url: "https://a.github.io/b/"  # quoted, commented\n')
    quoted = subprocess.run(
        ["bash", "-c", f'{reader}\nprintf %s "$site_url"'],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert quoted.stdout == "https://a.github.io/b/"
