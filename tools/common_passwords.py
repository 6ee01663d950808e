"""`python -m tools.common_passwords`: rebuilds the layer's list of common and breached passwords
(`layers/latchkey/latchkey/rules/data/common-passwords.txt.gz`) from the two maintained lists that
pinned packages ship (requirements-dev.txt), and says what it holds. Dev-only: never deployed.

- Django's `common-passwords.txt.gz` (the list its CommonPasswordValidator uses; BSD-3-Clause);
- zxcvbn's `passwords` frequency list (the 30,000 most frequent of a 10-million-password leak corpus;
  MIT).

Stored lowercased (the check is case-insensitive, as Django's), sorted (bytewise), one a line,
gzip-compressed: the layer decompresses it once per container, on the first password it checks
(about 2 ms), and looks passwords up by binary search in the bytes, building no set."""

from __future__ import annotations

import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "layers" / "latchkey" / "latchkey" / "rules" / "data" / "common-passwords.txt.gz"


def sources() -> dict[str, set[str]]:
    import django
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    django_list = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    return {
        f"Django {django.__version__} common-passwords.txt.gz (BSD-3-Clause)":
            {p.strip().lower() for p in gzip.decompress(django_list.read_bytes()).decode().splitlines() if p.strip()},
        "zxcvbn 4.5.0 frequency list 'passwords' (MIT)": {p.lower() for p in FREQUENCY_LISTS["passwords"] if p},
    }


def build() -> bytes:
    merged = sorted(set().union(*sources().values()), key=str.encode)
    # No date or name in the header: the same inputs give the same bytes (the drift test compares them).
    return gzip.compress("\n".join(merged).encode(), compresslevel=9, mtime=0)


def main() -> None:
    data = build()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(data)
    for name, entries in sources().items():
        print(f"{len(entries):>7,} from {name}")
    count = gzip.decompress(data).count(b"\n") + 1
    print(f"{count:>7,} in all, {len(data):,} bytes compressed: {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
