"""The Lambda side of the local runtime: functions run from the `sam build` output, each in sandboxes
of its own, as Lambda runs them.

A sandbox is a `python3.12 -I -S` process (`local/lambda_worker.py`) with the function's build
folder, its merged layers and the runtime's boto3 on its path, the function's environment from the
template and nothing else of this process: no shared modules, caches or environment. It starts on
the first invocation that finds no idle sandbox (a real cold start, timed), serves one invocation at
a time, and is stopped when the function's code changes, when it runs past its `Timeout` (or past the
shorter limit of a caller that waits no longer: API Gateway's 29 s), or when it crashes. Like Lambda,
a function scales out to more sandboxes under concurrent calls, up to `max_sandboxes` each (beyond
that, calls queue: Lambda would throttle).

`InProcessFunctions` is the other backend: every handler imported from the source tree into this
process. Only the handler tests use it, where they patch a module to inject a fault.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local import build, iam
from local.constants import ACCOUNT, REGION
from local.template import ROOT, Function

WORKER = Path(__file__).resolve().parent / "lambda_worker.py"
# Lambda stops an init phase after 10 s of a sandbox's own CPU; here sandboxes share two cores, and
# twenty starting at once (the race tests) take longer than that in wall time. Generous, then.
INIT_TIMEOUT = 60.0

LogSink = Callable[[str, str], None]  # (function logical id, one line the function wrote)


@dataclass(frozen=True)
class Outcome:
    """One invocation as API Gateway sees it: `status` is ok, error (the function raised or crashed),
    timeout (past the function's Timeout) or integration_timeout (past the shorter limit its caller
    gave: API Gateway's 29 s)."""

    status: str
    result: Any = None
    ms: float = 0.0  # the handler's own time, inside its sandbox
    init_ms: float | None = None  # set when this invocation was a cold start
    calls: tuple[str, ...] = ()  # the AWS calls it made, in order ("dynamodb:GetItem", ...)
    error: str = ""  # what the function raised (only the gateway reads it: "Unauthorized" from an authorizer)


class _SandboxFailed(Exception):
    def __init__(self, status: str, *, healthy: bool = False, message: str = ""):
        self.status = status
        self.healthy = healthy  # the sandbox survives it (the handler raised; Lambda keeps the sandbox)
        self.message = message


class Sandbox:
    """One worker process of one function."""

    def __init__(self, function: Function, env: dict[str, str], path: list[str], sink: LogSink | None,
                 floor_first: bool = False):
        """`floor_first` (make bench): time `import boto3; boto3.client("dynamodb")` in the worker just
        before the handler's import (`floor_cpu_ms`); the handler's import then adds what it adds."""
        self.function = function
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        self.process = subprocess.Popen(
            # -I ignores every PYTHON* variable: unbuffered output and the bytecode cache are flags.
            [sys.executable, "-I", "-S", "-u", "-X", f"pycache_prefix={build.WORK / 'pycache'}", str(WORKER),
             str(to_worker_r), str(from_worker_w)],
            pass_fds=(to_worker_r, from_worker_w), env=env, cwd=path[0],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        os.close(to_worker_r)
        os.close(from_worker_w)
        self._to = os.fdopen(to_worker_w, "w", encoding="utf-8")
        self._from = from_worker_r
        self._poll = select.poll()
        self._poll.register(from_worker_r, select.POLLIN)
        self._buffer = b""
        threading.Thread(target=self._pump_logs, args=(sink,), daemon=True).start()
        started = time.perf_counter()
        self._send({
            "path": path, "repo": str(ROOT), "handler": function.handler, "policies": function.policies,
            "keySchemas": function.key_schemas, "floorFirst": floor_first,
            "function": {"name": function.logical_id, "memory": function.memory, "timeout": function.timeout,
                         "arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function.logical_id}"},
        })
        answer = self._receive(time.monotonic() + INIT_TIMEOUT)
        if "ready" not in answer:
            self.stop()
            raise _SandboxFailed("error")
        self.init_ms = round((time.perf_counter() - started) * 1000, 1)  # process start + imports
        self.init_cpu_ms = float(answer["cpuMs"])  # the handler module's import alone, CPU time
        self.floor_cpu_ms: float | None = answer.get("floorCpuMs")

    def invoke(self, event: dict, integration_timeout: float | None = None) -> tuple[Any, float, tuple[str, ...]]:
        """Runs for the function's Timeout, or only `integration_timeout` if its caller waits less."""
        cut = integration_timeout is not None and integration_timeout < self.function.timeout
        self._send({"event": event, "requestId": str(uuid.uuid4())})
        try:
            answer = self._receive(time.monotonic() + (integration_timeout if cut else float(self.function.timeout)))
        except _SandboxFailed as failed:
            if failed.status == "timeout" and cut:
                raise _SandboxFailed("integration_timeout") from None
            raise
        if "result" not in answer:
            raise _SandboxFailed("error", healthy=True, message=answer.get("message", ""))
        return answer["result"], answer["ms"], tuple(answer.get("calls", ()))

    def stop(self) -> None:
        """Kills the process and closes its pipes: by the thread that invokes it, or for an idle one."""
        self.kill()
        self.process.wait()
        for close in (self._to.close, lambda: os.close(self._from)):
            try:
                close()
            except OSError:
                pass

    def kill(self) -> None:
        """Ends a busy sandbox from another thread: the invoking thread sees it die, and stops it."""
        if self.process.poll() is None:
            self.process.kill()

    def _send(self, message: dict) -> None:
        try:
            self._to.write(json.dumps(message) + "\n")
            self._to.flush()
        except (BrokenPipeError, ValueError):
            self.stop()
            raise _SandboxFailed("error") from None

    def _receive(self, deadline: float) -> dict:
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise _SandboxFailed("timeout")
            if self._poll.poll(remaining * 1000):  # poll, not select: fine past 1,024 open descriptors
                chunk = os.read(self._from, 65536)
                if not chunk:  # the process died mid-invocation
                    self.stop()
                    raise _SandboxFailed("error")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def _pump_logs(self, sink: LogSink | None) -> None:
        for raw in self.process.stdout:
            if sink is not None:
                sink(self.function.logical_id, raw.decode("utf-8", "replace").rstrip("\n"))


class Sandboxes:
    """Every function of the template, from the build output, in sandboxes started on demand."""

    def __init__(self, functions: dict[str, Function], artifacts: dict[str, Path], aws_env: dict[str, str], *,
                 sink: LogSink | None = None, max_sandboxes: int = 8, say: Callable[[str], None] | None = None):
        if sys.version_info[:2] != (3, 12):
            raise RuntimeError(f"the functions run on python3.12 (Lambda's runtime); this is {sys.version.split()[0]}")
        self.functions = functions
        self.artifacts = artifacts  # function or layer id -> its build snapshot
        self.aws_env = aws_env
        self.sink = sink
        self.max_sandboxes = max_sandboxes
        self.runtime = build.runtime_packages(say)
        self._lock = threading.Condition()
        self._idle: dict[str, list[Sandbox]] = {name: [] for name in functions}
        self._running: dict[str, int] = dict.fromkeys(functions, 0)
        self._generation: dict[str, int] = dict.fromkeys(functions, 0)
        self._busy: set[Sandbox] = set()
        self._stopped = False
        self._opt: dict[tuple[str, ...], Path] = {}

    def invoke(self, function_id: str, event: dict, integration_timeout: float | None = None) -> Outcome:
        """One invocation, for the function's own Timeout: a queue's poller and Lambda's Invoke wait that
        long; the gateway gives its 29 s as `integration_timeout`."""
        sandbox, init_ms, generation = self._acquire(function_id)
        if sandbox is None:
            return Outcome("error", init_ms=init_ms)
        healthy = False
        try:
            result, ms, calls = sandbox.invoke(event, integration_timeout)
            healthy = True
            return Outcome("ok", result, ms, init_ms, calls)
        except _SandboxFailed as failed:
            healthy = failed.healthy
            return Outcome(failed.status, init_ms=init_ms, error=failed.message)
        finally:
            self._release(function_id, sandbox, generation, healthy)

    def restart(self, function_ids: list[str], functions: dict[str, Function] | None = None,
                artifacts: dict[str, Path] | None = None) -> None:
        """New code for these functions: idle sandboxes stop now, busy ones after their invocation."""
        with self._lock:
            if artifacts is not None:
                self.artifacts = artifacts
            if functions is not None:
                self.functions = functions
                for name in functions:
                    self._idle.setdefault(name, [])
                    self._running.setdefault(name, 0)
                    self._generation.setdefault(name, 0)
            self._opt.clear()
            for name in function_ids:
                self._generation[name] += 1
                for sandbox in self._idle.get(name, []):
                    sandbox.stop()
                    self._running[name] -= 1
                self._idle[name] = []
            self._lock.notify_all()

    def stop(self) -> None:
        """Every sandbox ends now, busy ones too (their invocations answer as a crash would, at once,
        not when their handlers finish), and no new one starts: a shutdown takes no longer than that."""
        with self._lock:
            self._stopped = True
            for sandbox in self._busy:
                sandbox.kill()
        self.restart(list(self._idle))

    def _acquire(self, function_id: str) -> tuple[Sandbox | None, float | None, int]:
        with self._lock:
            while not self._idle[function_id] and self._running[function_id] >= self.max_sandboxes:
                self._lock.wait()
            generation = self._generation[function_id]
            if self._stopped:
                return None, None, generation
            if self._idle[function_id]:
                sandbox = self._idle[function_id].pop()
                self._busy.add(sandbox)
                return sandbox, None, generation
            self._running[function_id] += 1
            function = self.functions[function_id]
        try:
            sandbox = Sandbox(function, self.environment(function), self.sandbox_path(function), self.sink)
        except _SandboxFailed:
            with self._lock:
                self._running[function_id] -= 1
                self._lock.notify_all()
            return None, None, generation
        with self._lock:
            self._busy.add(sandbox)
            if self._stopped:  # stopped while this one started
                sandbox.kill()
        return sandbox, sandbox.init_ms, generation

    def _release(self, function_id: str, sandbox: Sandbox, generation: int, healthy: bool) -> None:
        with self._lock:
            self._busy.discard(sandbox)
            if healthy and generation == self._generation[function_id] and not self._stopped:
                self._idle[function_id].append(sandbox)
            else:
                sandbox.stop()
                self._running[function_id] -= 1
            self._lock.notify_all()

    def sandbox_path(self, function: Function) -> list[str]:
        with self._lock:
            layers = tuple(self.artifacts[layer] for layer in function.layers)
            task = self.artifacts[function.logical_id]
            opt = self._opt.get(layers)
        if opt is None:
            opt = build.merged_opt(layers)
            with self._lock:
                self._opt[layers] = opt
        return build.lambda_path(task, opt, self.runtime)

    def environment(self, function: Function) -> dict[str, str]:
        """What Lambda sets, then the template's variables; nothing inherited from this process."""
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": str(self.artifacts.get(function.logical_id, "")),
            "LAMBDA_RUNTIME_DIR": str(self.runtime),
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
            "AWS_LAMBDA_FUNCTION_NAME": function.logical_id,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.logical_id}",
            "AWS_LAMBDA_LOG_STREAM_NAME": "local",
            "_HANDLER": function.handler,
            **self.aws_env,
            **function.environment,
            **_moved_clock(),
        }


def _moved_clock() -> dict[str, str]:
    """libfaketime's variables, when this process runs under `faketime` (docs/testing.md: the tests at
    another time of day): the functions then read the same moved clock as the tests that call them."""
    return {name: value for name, value in os.environ.items()
            if name.startswith("FAKETIME") or (name == "LD_PRELOAD" and "faketime" in value)}


class LambdaContext:
    """The Lambda context object for in-process calls (the sandboxes build their own)."""

    def __init__(self, function: Function):
        self.function_name = function.logical_id
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function.logical_id}"
        self.memory_limit_in_mb = function.memory
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function.logical_id}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + function.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class InProcessFunctions:
    """Every handler imported from the source tree into this process, sharing its environment: for
    handler tests that patch a module. It cannot see a missing layer or IAM grant that only isolation
    shows; the sandboxes can."""

    def __init__(self, functions: dict[str, Function]):
        self.functions = functions
        merged: dict[str, str] = {}
        for function in functions.values():
            for key, value in function.environment.items():
                if merged.setdefault(key, value) != value:
                    raise RuntimeError(f"functions disagree on {key}; in-process functions share one environment")
        os.environ.update(merged)
        settings = sys.modules.get("latchkey.settings")
        if settings:  # read before this environment existed (a unit test's import): read it again
            settings.get_settings.cache_clear()
        layer = str(ROOT / "layers" / "latchkey")
        if layer not in sys.path:
            sys.path.insert(0, layer)
        iam.install()
        self.handlers = {name: _load_source_handler(f) for name, f in functions.items()}

    def invoke(self, function_id: str, event: dict, integration_timeout: float | None = None) -> Outcome:
        function = self.functions[function_id]
        started = time.perf_counter()
        iam.calls.clear()
        try:
            with iam.running_as(function.policies, function.key_schemas):
                result = self.handlers[function_id](event, LambdaContext(function))
            json.dumps(result)
        except Exception as error:  # noqa: BLE001 - a function error, as the gateway sees it
            return Outcome("error", error=str(error) if str(error) == "Unauthorized" else "")
        return Outcome("ok", result, round((time.perf_counter() - started) * 1000, 3), calls=tuple(iam.calls))

    def restart(self, function_ids: list[str], functions: dict[str, Function] | None = None,
                artifacts: dict[str, Path] | None = None) -> None:
        pass

    def stop(self) -> None:
        pass


def _load_source_handler(function: Function) -> Callable[[dict, Any], Any]:
    """Imports a function's module from its own folder under a unique name (every one is `app.py`)."""
    module_name, attr = function.handler.rsplit(".", 1)
    path = function.code_dir / f"{module_name.replace('.', '/')}.py"
    spec = importlib.util.spec_from_file_location(f"latchkey_function_{function.name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return getattr(module, attr)
