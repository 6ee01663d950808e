"""The list of common and breached passwords: from the pinned packages' lists (the committed file is
exactly what `python -m tools.common_passwords` builds from them), large, case-insensitive, found by a
binary search that agrees with a set; its size and lookup cost are printed."""

import gzip
import statistics
import time

import pytest

from latchkey.rules import passwords

ENTRIES = gzip.decompress(passwords._COMMON.read_bytes()).decode().split("\n")


def test_the_list_is_larger_than_djangos_and_sorted_for_the_binary_search():
    assert len(ENTRIES) >= 40_000 > 20_000
    assert ENTRIES == sorted(set(ENTRIES), key=str.encode) and all(e == e.lower() and e for e in ENTRIES)


def test_the_committed_list_is_what_the_pinned_packages_build():
    pytest.importorskip("django")
    pytest.importorskip("zxcvbn")
    from tools import common_passwords

    assert gzip.decompress(common_passwords.build()) == gzip.decompress(passwords._COMMON.read_bytes())


@pytest.mark.parametrize("password, common", [
    ("password", True), ("PassWord", True), ("trustno1", True), ("1qaz2wsx", True), ("iloveyou123", True),
    ("correct horse battery staple", False), ("a brand new long passphrase", False), ("", False), ("\uffff", False),
])
def test_lookup_is_case_insensitive(password, common):
    assert passwords.is_common(password) is common


def test_binary_search_agrees_with_a_set_on_every_entry_and_on_near_misses():
    assert all(passwords.is_common(e) for e in ENTRIES)
    near = {e + "x" for e in ENTRIES[::7]} | {e[:-1] for e in ENTRIES[::7]} | {"!" + e for e in ENTRIES[::11]}
    listed = set(ENTRIES)
    assert all(passwords.is_common(n) is (n in listed) for n in near)


def test_size_and_lookup_cost_are_printed(capsys):
    passwords._common_list.cache_clear()
    started = time.perf_counter()
    passwords.is_common("warm up")
    first = (time.perf_counter() - started) * 1000
    samples = []
    for word in ENTRIES[::400] + ["correct horse battery staple"] * 100:
        started = time.perf_counter()
        passwords.is_common(word)
        samples.append((time.perf_counter() - started) * 1e6)
    p99 = sorted(samples)[len(samples) * 99 // 100]
    with capsys.disabled():
        print(f"\ncommon passwords: {len(ENTRIES):,} entries, {passwords._COMMON.stat().st_size:,} bytes gzipped "
              f"({len(passwords._common_list()):,} in memory); first check (decompress) {first:.1f} ms, "
              f"lookup median {statistics.median(samples):.1f} us, p99 {p99:.1f} us")
