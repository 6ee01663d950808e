"""The SAM templates of docs/guides/gateway-jwt.md, read from the page itself (so the page cannot
drift from what is checked), each pass `sam validate --lint`, offline: an HTTP API whose JWT authorizer
verifies Latchkey's RS256 access tokens, and a REST API with a small Lambda authorizer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

PAGE = ROOT / "docs" / "guides" / "gateway-jwt.md"


def snippets(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", PAGE.read_text(), re.MULTILINE | re.DOTALL)


TEMPLATES = [s for s in snippets("yaml") if s.startswith("AWSTemplateFormatVersion")]


def test_the_page_gives_a_template_for_an_http_api_and_one_for_a_rest_api():
    kinds = sorted(re.search(r"Type: (AWS::Serverless::(?:HttpApi|Api))\n", t)[1] for t in TEMPLATES)
    assert kinds == ["AWS::Serverless::Api", "AWS::Serverless::HttpApi"]
    http_api = next(t for t in TEMPLATES if "AWS::Serverless::HttpApi" in t)
    assert "JwtConfiguration:" in http_api and "issuer: !Ref LatchkeyIssuer" in http_api
    assert "AuthorizationScopes:" in http_api
    assert len(snippets("python")) == 1  # the REST API's authorizer (tests/e2e/test_gateway_verification.py)


@pytest.mark.parametrize("template", TEMPLATES, ids=["http-api", "rest-api"])
def test_each_snippet_passes_sam_validate_lint(template: str, tmp_path: Path):
    for code_uri in re.findall(r"CodeUri: (\S+)", template):
        (tmp_path / code_uri).mkdir(parents=True, exist_ok=True)
    (tmp_path / "template.yaml").write_text(template)
    sam = Path(sys.executable).parent / "sam"
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "PATH": f"{sam.parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("AWS_PROFILE", None)
    result = subprocess.run([str(sam), "validate", "--lint", "--template-file", "template.yaml", "--region",
                             "us-east-1"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
