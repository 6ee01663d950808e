"""The docs site's error reference is the error registry plus the gateway's own codes from template.yaml, in
both directions; and every registered error is raised somewhere."""

import re

from latchkey import errors
from local.template import Template
from tests.support import ROOT

TEMPLATE = Template.load()


ERROR_REFERENCE = ROOT / "docs" / "reference" / "errors.md"


def readme_table() -> set[tuple[str, str]]:
    """(status, code) for each code of each row of the error reference's tables."""
    section = ERROR_REFERENCE.read_text()
    rows = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] not in ("status", "---"):
            rows |= {(cells[0], code) for code in re.findall(r"`([A-Z0-9_]+)`", cells[1])}
    return rows


def gateway_codes() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The codes of the gateway responses that name a fixed one: (status, code) where the template sets
    the status, and (status class, code) for DEFAULT_4XX / DEFAULT_5XX, which keep the status of
    whatever the gateway refused (the reference says which: 502, 504, ...)."""
    fixed, by_class = set(), set()
    for kind, response in TEMPLATE.gateway_responses().items():
        body = response["ResponseTemplates"]["application/json"]
        for code in re.findall(r'"code": "([A-Z0-9_]+)"', body):
            if response.get("StatusCode"):
                fixed.add((str(response["StatusCode"]), code))
            else:
                by_class.add((kind.removeprefix("DEFAULT_")[0], code))
    return fixed, by_class


def registry_codes() -> set[tuple[str, str]]:
    return {(str(cls.status), cls.code) for cls in errors.registry()}


def test_every_code_the_service_answers_with_is_in_the_error_reference():
    fixed, by_class = gateway_codes()
    readme = readme_table()
    missing = (registry_codes() | fixed) - readme
    missing |= {pair for pair in by_class if pair not in {(status[0], code) for status, code in readme}}
    assert not missing, f"run `python -m contract`: the error reference lacks {sorted(missing)}"


def test_the_error_reference_lists_no_code_that_cannot_happen():
    fixed, by_class = gateway_codes()
    extra = {(status, code) for status, code in readme_table() - registry_codes() - fixed
             if (status[0], code) not in by_class}
    assert not extra, f"not in the registry nor a gateway response: {sorted(extra)}"


def test_a_code_means_one_status_except_where_the_reference_says_why():
    by_code: dict[str, set[int]] = {}
    for cls in errors.registry():
        by_code.setdefault(cls.code, set()).add(cls.status)
    # INVALID_2FA_CODE and INVALID_PASSKEY: 401 at verify-2fa and the passkey sign-in (not signed in yet),
    # 403 on signed-in routes (the token is fine).
    assert {code: s for code, s in by_code.items() if len(s) > 1} == {"INVALID_2FA_CODE": {401, 403},
                                                                       "INVALID_PASSKEY": {401, 403}}


def test_every_registered_error_is_raised_somewhere():
    sources = "\n".join(p.read_text() for folder in ("layers/latchkey/latchkey", "functions", "examples")
                        for p in (ROOT / folder).rglob("*.py") if p.name != "errors.py")
    unused = [cls.__name__ for cls in errors.registry() if not re.search(rf"\b{cls.__name__}\b", sources)]
    assert not unused, f"registered but never raised: {unused}"


def test_family_bases_cannot_be_raised_without_a_code():
    for family in (errors.LatchkeyError, errors.Unauthorized, errors.Forbidden, errors.Conflict):
        try:
            family("x")
        except TypeError:
            continue
        raise AssertionError(f"{family.__name__} could be raised without a code")


def test_no_raise_site_passes_a_code():
    for folder in ("layers/latchkey/latchkey", "functions"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not re.search(r"\bcode=\"", path.read_text()), path
