"""Two-factor rules without AWS: RFC 6238's published vectors, sealing, recovery codes."""

import base64

import pytest
from cryptography.exceptions import InvalidTag

from latchkey.rules import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
KEY = b"m" * 64


@pytest.mark.parametrize("moment, code", [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
                                          (1234567890, "89005924"), (2000000000, "69279037"),
                                          (20000000000, "65353130")])
def test_rfc6238_sha1_vectors(moment, code):
    assert totp.matching_step(RFC_SECRET, code, moment, digits=8) == moment // 30


def test_a_code_matches_its_step_and_one_either_side_only():
    step = 1111111111 // 30
    assert totp.matching_step(RFC_SECRET, "14050471", (step + 1) * 30, digits=8) == step
    assert totp.matching_step(RFC_SECRET, "14050471", (step - 1) * 30, digits=8) == step
    assert totp.matching_step(RFC_SECRET, "14050471", (step + 2) * 30, digits=8) is None


def test_sealed_secret_opens_only_for_its_owner_and_unaltered():
    sealed = totp.seal(KEY, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "user_a")
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" not in sealed
    assert totp.unseal(KEY, sealed, "user_a") == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with pytest.raises(InvalidTag):
        totp.unseal(KEY, sealed, "user_b")
    with pytest.raises(InvalidTag):
        totp.unseal(b"n" * 64, sealed, "user_a")
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        totp.unseal(KEY, tampered, "user_a")


def test_recovery_codes_are_ten_distinct_80_bit_codes_hashed_without_case_or_dashes():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)
    assert totp.recovery_hash(codes[0]) == totp.recovery_hash(codes[0].upper().replace("-", ""))
    assert totp.recovery_hash(codes[0]) != totp.recovery_hash(codes[1])


def test_otpauth_url_names_issuer_account_and_parameters():
    url = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ada@example.com", "Latchkey")
    assert url.startswith("otpauth://totp/Latchkey:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert "issuer=Latchkey" in url
    assert totp.qr_svg(url).startswith('<svg xmlns="http://www.w3.org/2000/svg" ')  # renders as an image too
