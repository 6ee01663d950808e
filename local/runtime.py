"""Starts the whole local stack: moto (with the saved state), the template's resources, the build,
the functions' sandboxes, Lambda's Invoke and the gateway; and rebuilds and restarts what a source edit
changed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from local import build, mailbox, sigv4
from local.aws import LocalAws
from local.event_sources import QueuePollers
from local.gateway import HttpResponse, LocalApi
from local.lambda_api import LocalLambda, function_arn
from local.lambda_runtime import InProcessFunctions, LogSink, Sandboxes
from local.state import LocalState
from local.template import ROOT, TEMPLATE, Function, Template

SOURCES = (ROOT / "template.yaml", ROOT / "functions", ROOT / "layers", ROOT / "examples")
# What the local API sets unless told otherwise: a front-end dev server may call it across origins.
LOCAL_DEFAULTS = {"Stage": "dev", "CorsAllowedOrigin": "http://localhost:5173"}
# The team's user migration function (make dev USER_MIGRATION=...), by the name its local ARN gives it.
USER_MIGRATION = "LocalUserMigration"


class LocalStack:
    """The local API as `make dev` and the end-to-end tests run it."""

    def __init__(self, *, overrides: dict[str, str] | None = None, state_dir: Path | None = None,
                 sandboxed: bool = True, sink: LogSink | None = None, say: Callable[[str], None] = print,
                 poll_queues: bool = True, user_migration: Path | None = None):
        """`user_migration`: a legacy service's migration function (a handler file, `handler` in it,
        or a folder with app.py), run in a sandbox of its own as UserMigrationFunctionArn."""
        self.overrides = {**LOCAL_DEFAULTS, **(overrides or {})}
        # Functions of the team's, not the template's: only Lambda's Invoke reaches them.
        self.team_functions = {USER_MIGRATION: team_function(USER_MIGRATION, user_migration)} if user_migration else {}
        if user_migration:
            if not sandboxed:
                raise ValueError("a user migration function runs in the sandboxes only")
            self.overrides["UserMigrationFunctionArn"] = function_arn(USER_MIGRATION)
        self.say = say
        template = Template.load(TEMPLATE, self.overrides)  # parameter errors first: before any work
        self.state = LocalState(state_dir) if state_dir else None
        self.aws = LocalAws(self.state)
        self.aws.start()
        self.aws.provision(template)
        if self.state:
            mailbox.keep(self.state)  # the local mailbox too survives a restart (until make reset)
        self.sandboxed = sandboxed
        self._reload_lock = threading.Lock()
        self._checked_at = 0.0
        if sandboxed:
            self._stamp = build.source_stamp(SOURCES)
            seconds, self._artifacts = build.build_artifacts(TEMPLATE, _resources(template), say=say)
            say(f"sam build: {seconds:.1f} s ({build.host_architecture()}, in {build.BUILD.relative_to(ROOT)})")
            self.lambda_api = LocalLambda(lambda: set(self.functions.functions), lambda name, event:
                                          self.functions.invoke(name, event))
            self.functions = Sandboxes(*self._with_team_functions(template, self._artifacts),
                                       {**self.aws.environment(), **self.lambda_api.environment()}, sink=sink, say=say)
        else:
            self.functions = InProcessFunctions(template.functions())
        # The admin API's signer (AWS_IAM routes): kept with the state, printed by `make dev`.
        self.operator = sigv4.operator_credentials(state_dir)
        self.api = LocalApi(template, self.functions, [self.operator])
        self.pollers = QueuePollers(self.aws, template, self.functions.invoke)
        if poll_queues:
            self.pollers.start()
        if self.state:
            self.state.autosave(self.aws, lambda: self.template)

    @property
    def template(self) -> Template:
        return self.api.template

    def handle(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes,
               source_ip: str) -> HttpResponse:
        if self.sandboxed:
            self._reload_if_changed()
        return self.api.handle(method, target, headers, body, source_ip)

    def stop(self) -> None:
        self.functions.stop()  # first: a poller in the middle of delivering mail is let go at once
        self.pollers.stop()
        if self.sandboxed:
            self.lambda_api.stop()
        if self.state:
            self.state.stop()
            self.state.save(self.aws, self.template)
        self.aws.stop()

    # --- hot reload -----------------------------------------------------------------------------

    def _reload_if_changed(self) -> None:
        """On the first request after a source edit: rebuild, and restart the functions whose built
        artifacts or settings changed (their next invocation is a cold start)."""
        if time.monotonic() - self._checked_at < 0.5:
            return
        with self._reload_lock:
            self._checked_at = time.monotonic()
            stamp = build.source_stamp(SOURCES)
            if stamp == self._stamp:
                return
            try:
                template = Template.load(TEMPLATE, self.overrides)
                self.aws.provision(template)
                seconds, artifacts = build.build_artifacts(TEMPLATE, _resources(template), say=self.say)
                before = self._identity(self.template, self._artifacts)
                after = self._identity(template, artifacts)
                changed = sorted(name for name, identity in after.items() if before.get(name) != identity)
                self.functions.restart(changed, *self._with_team_functions(template, artifacts))
                # one reference: a request sees old or new
                self.api = LocalApi(template, self.functions, [self.operator])
                self.pollers.stop()
                self.pollers = QueuePollers(self.aws, template, self.functions.invoke)
                self.pollers.start()
            except Exception as error:  # noqa: BLE001 - keep serving the last good build
                self.say(f"reload failed, still serving the previous build: {error}")
                return
            finally:
                self._stamp = stamp  # a failed edit is not retried until the next edit
            self._artifacts = artifacts
            self.say(f"reload: rebuilt in {seconds:.1f} s; restarting {', '.join(changed) or 'nothing'}")

    def _with_team_functions(self, template: Template, artifacts: dict[str, Path]) -> tuple[dict, dict]:
        """The template's functions and the team's, and their code: the team's run from their folder."""
        return ({**template.functions(), **self.team_functions},
                {**artifacts, **{name: f.code_dir for name, f in self.team_functions.items()}})

    @staticmethod
    def _identity(template: Template, artifacts: dict[str, Path]) -> dict[str, tuple]:
        """What a function's sandbox is made of: its snapshots (named by content) and its settings
        (handler, environment, policies, memory, timeout)."""
        return {name: (artifacts[name], *(artifacts[layer] for layer in function.layers), repr(function))
                for name, function in template.functions().items()}


def team_function(name: str, path: Path) -> Function:
    """A function of the team's from its source (a handler file, or a folder with app.py): no layers, no
    rights (what it reaches is its own business, not the stack's), 5 s as Cognito gives its triggers."""
    path = Path(path).resolve()
    folder, module = (path.parent, path.stem) if path.suffix == ".py" else (path, "app")
    if not (folder / f"{module}.py").is_file():
        raise FileNotFoundError(f"no {module}.py in {folder}")
    return Function(logical_id=name, code_dir=folder, handler=f"{module}.handler", environment={}, policies=[],
                    timeout=5)


def _resources(template: Template) -> list[str]:
    return [*template.functions(), *template.layers()]


def start_local_api(stage: str = "dev") -> tuple[LocalAws, InProcessFunctions]:
    """moto with the template's resources, and every function imported into this process: for the
    handler tests, which call handlers directly and patch modules to inject faults. No poller runs:
    `functions.deliver_queued()` delivers what the queues hold (the mail), in the caller's thread."""
    stack = LocalStack(overrides={"Stage": stage}, sandboxed=False, say=lambda _: None, poll_queues=False)
    stack.functions.deliver_queued = stack.pollers.deliver_pending
    return stack.aws, stack.functions
