"""One Lambda sandbox: started by `local.lambda_runtime` as `python3.12 -I -S lambda_worker.py IN OUT`.

It runs with nothing of the dev environment: `-I -S` leave only the standard library on the path,
and this script puts Lambda's own path in front (the function's build folder as /var/task, its
merged layers as /opt, the runtime's boto3). The only thing it borrows from the repository is the
local IAM check, loaded under a private name and then hidden, so a function cannot import it.

Messages are JSON lines on two inherited pipes (IN, OUT); stdout and stderr stay the function's logs.
"""

import importlib.util
import json
import os
import sys
import time
import uuid


class Context:
    """The Lambda context object: the parts handlers and Powertools read."""

    def __init__(self, function: dict, request_id: str, deadline: float):
        self.function_name = function["name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = function["arn"]
        self.memory_limit_in_mb = int(function["memory"])
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function['name']}"
        self.log_stream_name = "local"
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _install_iam(repo: str, policies: list, key_schemas: dict):
    """The local IAM check on every AWS call; the module, whose `calls` lists what was called."""
    sys.path.insert(0, repo)
    try:
        from local import iam  # noqa: PLC0415 - loaded once, before the function's code
    finally:
        sys.path.remove(repo)
    iam.install_on_import(policies, key_schemas)
    for name in [n for n in sys.modules if n == "local" or n.startswith("local.")]:
        del sys.modules[name]  # the hook keeps what it needs; the function cannot import `local`
    return iam


def _load_handler(handler: str):
    module_name, attr = handler.rsplit(".", 1)
    spec = importlib.util.find_spec(module_name)
    if spec is None:
        raise ImportError(f"Unable to import module '{module_name}'")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return getattr(module, attr)


def _floor() -> float:
    """`make bench`'s floor, timed in this process before the handler's import (CPU ms): the two share
    the process's conditions, so their ratio does not carry the drift between two processes."""
    cpu = time.process_time()
    import boto3  # noqa: PLC0415 - the floor's own import is what is timed

    boto3.client("dynamodb")
    return round((time.process_time() - cpu) * 1000, 2)


def main() -> None:
    incoming = os.fdopen(int(sys.argv[1]), "r", encoding="utf-8")
    outgoing = os.fdopen(int(sys.argv[2]), "w", encoding="utf-8")

    def send(message: dict) -> None:
        outgoing.write(json.dumps(message) + "\n")
        outgoing.flush()

    init = json.loads(incoming.readline())
    sys.path[:0] = init["path"]
    os.chdir(init["path"][0])  # Lambda's working directory is /var/task
    iam = _install_iam(init["repo"], init["policies"], init.get("keySchemas") or {})
    floor_cpu_ms = _floor() if init.get("floorFirst") else None
    started, cpu = time.perf_counter(), time.process_time()
    try:
        handler = _load_handler(init["handler"])
    except Exception as error:  # noqa: BLE001 - Runtime.ImportModuleError, as Lambda reports it
        print(f"[ERROR] Runtime.ImportModuleError: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        send({"initError": type(error).__name__, "message": str(error)})
        return
    send({"ready": round((time.perf_counter() - started) * 1000, 1),
          "cpuMs": round((time.process_time() - cpu) * 1000, 2),  # the handler module's import, CPU time
          "floorCpuMs": floor_cpu_ms})

    for line in incoming:
        request = json.loads(line)
        request_id = request.get("requestId") or str(uuid.uuid4())
        context = Context(init["function"], request_id, time.monotonic() + float(init["function"]["timeout"]))
        started = time.perf_counter()
        iam.calls.clear()
        try:
            result = handler(request["event"], context)
            json.dumps(result)  # what Lambda could not serialize is a function error too
        except Exception as error:  # noqa: BLE001 - a function error: the gateway decides what the caller sees
            print(f"[ERROR] {type(error).__name__} in {init['function']['name']}", file=sys.stderr, flush=True)
            # Only the gateway reads the message, for an authorizer's `Unauthorized`; nothing logs it.
            send({"error": type(error).__name__, "message": "Unauthorized" if str(error) == "Unauthorized" else "",
                  "ms": round((time.perf_counter() - started) * 1000, 2)})
            continue
        send({"result": result, "ms": round((time.perf_counter() - started) * 1000, 3), "calls": iam.calls})


if __name__ == "__main__":
    main()
