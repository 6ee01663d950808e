"""Imports from an S3 object: a JSON Lines file an operator put under imports/ in the imports bucket,
far larger than a request's body, read by the import worker a chunk of bytes at a time.

Resumable and exact: the job's record holds a checkpoint (the bytes and lines read, the counts, the
refused lines), and each user is created in one transaction with the checkpoint of the line after it.
So a user exists exactly when the checkpoint past its line does: a worker that dies anywhere (before
the write, after it, with its answer lost) leaves a job that the next worker takes up at the first line
whose user does not exist, and no line is counted twice. Skipped and refused lines ride on the next
user's checkpoint (or the chunk's last one): lost with a dead worker, they are read and counted again.
A checkpoint refused means another worker (SQS delivers at least once) is past it: this one stops.
Idempotent by email, as every import: a re-run of the same file skips the users it made."""

from __future__ import annotations

from collections.abc import Callable

from latchkey.errors import ValidationFailed
from latchkey.rules import clock, ids
from latchkey.store import accounts_table, dynamodb, import_files
from latchkey.usecases import operators

CHUNK_BYTES = 256 * 1024  # one read of the file; a line must fit in one
LAST_SECONDS = 20  # a worker with less time left than this hands the job to the next (its message)
KEPT_REFUSALS = 1000  # refused lines listed on the job (every one counted): the record stays far under 400 KB
_FIRST_LINE_BYTES = 64 * 1024  # where the hashParameters line may be


def start(bucket: str, key: str) -> dict:
    """A job for the file at `key` in the imports bucket (`bucket` must name it: the worker may read no
    other), queued for the worker: 202 and the job, whose GET shows its progress."""
    if bucket != import_files.bucket() or not key.startswith(import_files.PREFIX) or ".." in key:
        raise ValidationFailed("The source must be under imports/ in the stack's imports bucket", details=[
            {"field": "source", "message": f"bucket {import_files.bucket()}, a key under {import_files.PREFIX}"}])
    job = {"jobId": ids.new_id(ids.IMPORT), "status": "queued", "source": {"bucket": bucket, "key": key},
           "bytesRead": 0, "linesRead": 0, "received": 0, "created": 0, "skipped": 0, "refused": 0, "refusals": [],
           "createdAt": clock.iso()}
    accounts_table.put_import_job(job)
    import_files.go_on(job["jobId"])
    return job


def work(job_id: str, remaining_ms: Callable[[], int]) -> None:
    """Goes on with the job from its checkpoint, chunk by chunk, until the file ends (the job succeeds)
    or the time left is short (the job is handed on: a message for the next worker)."""
    job = accounts_table.get_import_job(job_id)
    if job is None or job["status"] in ("succeeded", "failed"):
        return  # a message seen twice, or after the end
    key, at = job["source"]["key"], int(job["bytesRead"])
    try:
        first, _ = import_files.read(key, 0, _FIRST_LINE_BYTES)
        firebase = operators.hash_parameters(first.split(b"\n", 1)[0].decode("utf-8", "replace"))
    except import_files.SourceMissing:
        accounts_table.finish_import(job_id, at, "failed", clock.iso(), "SOURCE_NOT_FOUND")
        return
    except ValidationFailed:
        accounts_table.finish_import(job_id, at, "failed", clock.iso(), "INVALID_HASH_PARAMETERS")
        return
    progress = _Progress(job_id, at, int(job["linesRead"]), int(job["refused"]))
    while remaining_ms() > LAST_SECONDS * 1000:
        data, size = import_files.read(key, progress.at, CHUNK_BYTES)
        if not data:
            accounts_table.finish_import(job_id, progress.at, "succeeded", clock.iso())
            return
        end = len(data) if progress.at + len(data) >= size else data.rfind(b"\n") + 1
        if end == 0:
            accounts_table.finish_import(job_id, progress.at, "failed", clock.iso(), "LINE_TOO_LONG")
            return
        try:
            _chunk(progress, data[:end], firebase, lambda: remaining_ms() > LAST_SECONDS * 1000)
        except _MovedOn:
            return  # another worker has the job
    import_files.go_on(job_id)


class _MovedOn(Exception):
    pass


class _Progress:
    """The job's checkpoint as this worker moves it: what is written, and what waits for the next write."""

    def __init__(self, job_id: str, at: int, lines: int, refused_so_far: int):
        self.job_id, self.at, self.lines = job_id, at, lines
        self.kept_refusals = max(0, KEPT_REFUSALS - refused_so_far)
        self.to, self.counts, self.refusals = at, _zero(), []

    def read(self, length: int, outcome: str | None, reason: str = "") -> None:
        """A line of `length` bytes read: its outcome (None: blank, or the hashParameters line)."""
        self.to += length
        self.lines += 1
        if outcome is not None:
            self.counts["received"] += 1
            self.counts[outcome] += 1
        if reason and len(self.refusals) < self.kept_refusals:
            self.refusals.append({"line": self.lines, "reason": reason})

    def checkpoint(self) -> dynamodb.Labelled:
        return accounts_table.import_checkpoint_op(self.job_id, self.at, self.to, self.lines, self.counts,
                                                   self.refusals, clock.iso())

    def written(self) -> None:
        self.kept_refusals -= len(self.refusals)
        self.at, self.counts, self.refusals = self.to, _zero(), []


def _zero() -> dict:
    return {"received": 0, "created": 0, "skipped": 0, "refused": 0}


def _chunk(progress: _Progress, data: bytes, firebase: dict | None, time_left: Callable[[], bool]) -> None:
    seen: set[str] = set()  # one chunk's addresses (a repeat in a later chunk is skipped: it exists by then)
    for raw in data.splitlines(keepends=True):
        if not time_left():
            break
        text = raw.decode("utf-8", "replace").strip()
        if not text or (progress.lines == 0 and firebase is not None):
            progress.read(len(raw), None)
            continue
        progress.read(len(raw), "created")  # as it will be if this transaction writes
        try:
            outcome = operators.import_line(text, firebase, seen, also=[progress.checkpoint()])
        except operators.Refused as refused:
            _undo_last(progress, "refused", refused.reason)
            continue
        except dynamodb.TransactionCancelled as cancelled:
            if cancelled.refused(accounts_table.IMPORT_MOVED_ON):
                raise _MovedOn() from None
            raise
        if outcome == "created":
            progress.written()
        else:
            _undo_last(progress, outcome)
    if progress.to != progress.at:
        try:
            dynamodb.transact([progress.checkpoint()])
        except dynamodb.TransactionCancelled:
            raise _MovedOn() from None
        progress.written()


def _undo_last(progress: _Progress, outcome: str, reason: str = "") -> None:
    """The line just counted as created was not: counted as `outcome`, listed if refused."""
    progress.counts["created"] -= 1
    progress.counts[outcome] += 1
    if reason and len(progress.refusals) < progress.kept_refusals:
        progress.refusals.append({"line": progress.lines, "reason": reason})

