"""What `sam build` produces for this machine, and what a function's Lambda sandbox is made of.

The template is copied with every architecture set to the host's (this machine is x86_64, we deploy
arm64: native wheels such as argon2's and cryptography's must match the interpreter that loads them)
and its code paths made absolute; then `sam build --cached` builds it into `.aws-sam/local/build`.
Each function's and layer's output is then copied to an immutable, content-addressed snapshot
(`.aws-sam/local/artifacts/<id>-<hash>`), and sandboxes run from snapshots: a rebuild (by a reload,
or by a test run beside `make dev`) never changes files under a running function. From there, as
Lambda takes a deployment:
- `/var/task` is the function's build folder;
- `/opt` is the function's layers merged in the order listed (later layers win a clash);
- the runtime's own packages (boto3, botocore and their dependencies, as the python3.12 runtime
  ships them) are a `pip --target` install of the versions pinned in requirements-dev.txt, never the
  dev virtualenv.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".aws-sam" / "local"
BUILD = WORK / "build"
ARTIFACTS = WORK / "artifacts"
PYTHON_VERSION = "3.12"
# What Lambda's python3.12 runtime provides besides the standard library (FIELD-NOTES: measured).
RUNTIME_PACKAGES = ("boto3", "botocore")


class BuildError(RuntimeError):
    """`sam build` failed; the message is its own output's tail."""


def host_architecture() -> str:
    return "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"


def host_template(source: Path) -> str:
    """template.yaml for this machine's architecture, with code paths absolute (the copy lives elsewhere)."""
    arch = host_architecture()
    text = source.read_text()
    text = re.sub(r"\[(?:arm64|x86_64)\]", f"[{arch}]", text)
    text = re.sub(r"(BuildArchitecture:\s*)(?:arm64|x86_64)", rf"\g<1>{arch}", text)
    return re.sub(r"^(\s*(?:CodeUri|ContentUri):\s*)(\S+)", lambda m: f"{m[1]}{(source.parent / m[2]).resolve()}/",
                  text, flags=re.M)


@contextmanager
def _locked(name: str):
    """Builds and installs are serialized across processes (a test run and `make dev` may share them)."""
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build_artifacts(template: Path, resource_ids: Iterable[str],
                    say: Callable[[str], None] | None = None) -> tuple[float, dict[str, Path]]:
    """Builds the template for this machine; the seconds taken, and each resource's snapshot.

    `sam build` runs only when the sources or the interpreter changed since its last success (every
    start of the local API asked it again, and even with nothing to do it takes 10-30 s); `say`, if
    given, hears what is being built and, every 10 s, that it still is."""
    started = time.monotonic()
    resource_ids = list(resource_ids)
    with _locked("build"):
        stamp = _build_stamp(template)
        built = BUILD_STAMP.read_text() if BUILD_STAMP.exists() else ""
        if built != stamp or not all((BUILD / resource_id).is_dir() for resource_id in resource_ids):
            BUILD_STAMP.unlink(missing_ok=True)
            last = BUILD_SECONDS.read_text().strip() if BUILD_SECONDS.exists() else ""
            with _saying(say, f"sam build: building the functions and layers for {host_architecture()} "
                              f"({f'about {last} s last time' if last else 'the first build: 30-90 s'}) ...",
                         "sam build: still building"):
                _sam_build(template)
            BUILD_SECONDS.write_text(f"{time.monotonic() - started:.0f}")
            BUILD_STAMP.write_text(stamp)
        snapshots = {resource_id: _snapshot(resource_id) for resource_id in resource_ids}
    return time.monotonic() - started, snapshots


BUILD_STAMP = WORK / "build.stamp"  # what the last successful sam build was made from
BUILD_SECONDS = WORK / "build.seconds"  # and how long it took: the next one's estimate


def _build_stamp(template: Path) -> str:
    """What a build is made from: the template and the code it names (paths, sizes, mtimes), this
    interpreter and this machine's architecture."""
    sources = (template, template.parent / "functions", template.parent / "layers", template.parent / "examples")
    key = repr((source_stamp(sources), sys.executable, sys.version, host_architecture()))
    return hashlib.sha256(key.encode()).hexdigest()


@contextmanager
def _saying(say: Callable[[str], None] | None, first: str, every: str, seconds: float = 10.0):
    """`first` now, then `every` with the time so far every `seconds` until the block ends: a first run
    is never silent for long."""
    if say is None:
        yield
        return
    say(first)
    done = threading.Event()
    started = time.monotonic()

    def tick() -> None:
        while not done.wait(seconds):
            say(f"{every} ({time.monotonic() - started:.0f} s) ...")

    ticker = threading.Thread(target=tick, daemon=True, name="build-progress")
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


def _snapshot(resource_id: str) -> Path:
    """An immutable copy of one resource's build output, named by its content."""
    source = BUILD / resource_id
    target = ARTIFACTS / f"{resource_id}-{fingerprint([source])[:16]}"
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(source, partial, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        partial.rename(target)
    return target


def _sam_build(template: Path) -> None:
    copy = WORK / "template.yaml"
    copy.write_text(host_template(template))
    sam = shutil.which("sam", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if sam is None:
        raise BuildError("sam (aws-sam-cli) is not installed: run `make dev` or `make test`, which install it")
    # sam build picks its python3.12 from PATH: put this interpreter's folder first.
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [sam, "build", "--template-file", str(copy), "--build-dir", str(BUILD), "--cache-dir",
         str(WORK / "cache"), "--cached", "--parallel"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise BuildError(f"sam build failed:\n{tail}")


def runtime_packages(say: Callable[[str], None] | None = None) -> Path:
    """The Lambda runtime's own packages at the pinned versions, installed once per version set."""
    pins = [_pinned(name) for name in RUNTIME_PACKAGES]
    target = WORK / f"runtime-{hashlib.sha256(' '.join(pins).encode()).hexdigest()[:12]}"
    with _locked("runtime"):
        if not (target / ".complete").exists():
            shutil.rmtree(target, ignore_errors=True)
            with _saying(say, f"installing the Lambda runtime's own {' '.join(pins)} (once) ...",
                         "still installing the runtime's packages"):
                subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                "--no-compile", "--target", str(target), *pins], check=True, capture_output=True)
            (target / ".complete").touch()
    return target


def merged_opt(layers: Iterable[Path]) -> Path:
    """`/opt` for a function: its layers' snapshots merged in order, as symlinks (later ones win)."""
    layers = tuple(layers)
    opt = WORK / "opt" / hashlib.sha256(" ".join(layer.name for layer in layers).encode()).hexdigest()[:16]
    with _locked("opt"):
        if not (opt / ".complete").exists():
            shutil.rmtree(opt, ignore_errors=True)
            opt.mkdir(parents=True)  # an empty /opt too: a function with no layers
            for layer in layers:
                _link_tree(layer, opt)
            (opt / ".complete").touch()
    return opt


def lambda_path(task: Path, opt: Path, runtime: Path) -> list[str]:
    """Lambda's module search path for python3.12, in order (FIELD-NOTES: measured on Lambda): the
    function's folder (/var/task), its merged layers (/opt), the runtime's packages."""
    return [str(task), str(opt / "python" / "lib" / f"python{PYTHON_VERSION}" / "site-packages"),
            str(opt / "python"), str(runtime)]


def fingerprint(folders: Iterable[Path]) -> str:
    """A content hash of build folders: what names a snapshot."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.exists() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_stamp(paths: Iterable[Path]) -> tuple:
    """Cheap change detection on the sources: every file's path, size and mtime."""
    stamp = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                info = path.stat()
                stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _pinned(name: str) -> str:
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        if line.lower().startswith(name + "=="):
            return line.strip()
    raise BuildError(f"{name} is not pinned in requirements-dev.txt")


def _link_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if "__pycache__" in path.parts:
            continue
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.unlink(missing_ok=True)
            destination.symlink_to(path)


def main() -> None:
    """`python -m local.build` (`make test` runs it first): the build the local API will use, up to
    date and said, so that no test waits silently for it."""
    from local.template import TEMPLATE, Template

    template = Template.load(TEMPLATE)
    seconds, _ = build_artifacts(TEMPLATE, [*template.functions(), *template.layers()], say=_say)
    runtime_packages(say=_say)
    _say(f"sam build: ready in {seconds:.1f} s ({host_architecture()}, in {BUILD.relative_to(ROOT)})")


def _say(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    main()
