"""The Chromium the browser tests drive: found, or installed by the project itself (`make test` runs
this first). Debian's `chromium` package where apt-get can install it (CI's machines: root, Debian),
else Playwright's own installer. It says which one it used; the tests fail, never skip, without one.

    python -m tests.browser.chromium      # find or install; prints the executable
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

_ON_PATH = ("chromium", "chromium-browser")


def find() -> tuple[str, str] | None:
    """(executable, where it came from), or None."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"], "CHROMIUM"
    for name in _ON_PATH:
        if path := shutil.which(name):
            return path, "on PATH"
    own = _playwright_executable()
    return (own, "Playwright's own") if own else None


def _playwright_executable() -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and Path(path).is_file() else None


def install() -> tuple[str, str]:
    if shutil.which("apt-get") and os.geteuid() == 0 and Path("/etc/debian_version").exists():
        print("browser tests: no Chromium here; installing Debian's chromium package with apt-get (about a minute, "
              "once): the package lists first, then each package as it is unpacked ...", flush=True)
        subprocess.run(["apt-get", "update", "-q"], check=True)  # a line per list: never long silent
        subprocess.run(["apt-get", "install", "-y", "-q", "-o", "Dpkg::Use-Pty=0", "chromium"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        how = "Debian's chromium package, just installed"
    else:
        print("browser tests: no Chromium here; installing Playwright's (playwright install chromium: about 150 MB, "
              "once, with its progress) ...", flush=True)
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
        how = "Playwright's Chromium, just installed"
    found = find()
    if not found:
        sys.exit("browser tests: the install finished but no Chromium can be found; set CHROMIUM=/path/to/chromium")
    return found[0], how


def main() -> None:
    path, how = find() or install()
    print(f"browser tests: Chromium {path} ({how})", flush=True)


if __name__ == "__main__":
    main()
