"""The domain records' rules: one email address whatever its Unicode form or case."""

from latchkey.rules.records import normalize_email


def test_composed_decomposed_and_case_variants_of_an_email_are_one_address():
    composed, decomposed = "caf\u00e9@example.com", "cafe\u0301@example.com"
    assert normalize_email(composed) == normalize_email(decomposed) == normalize_email(" CAF\u00c9@Example.COM ")
