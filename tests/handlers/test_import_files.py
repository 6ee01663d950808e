"""Imports from an S3 object through the admin API's handlers and the import worker: a file read in
chunks, with exact counts and each refused line's number; a worker that dies mid-file (before a write, or
after one with its answer lost) leaves the job where the next worker goes on, and no user or count
twice; a worker whose time runs short hands the job on; a source outside imports/ is refused."""

from __future__ import annotations

import json

import boto3
import pytest

from tests.handlers.conftest import body_of, code_of, invoke, sign_in
from tests.handlers.test_operators import operator_event
from tests.support import unique_email
from tests.unit.rules.test_imported_hashes import PASSWORD, made_by_reference


def put_file(lines: list, key: str) -> None:
    from latchkey.settings import get_settings

    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    boto3.client("s3").put_object(Bucket=get_settings().import_bucket, Key=key, Body=text.encode())


def start(local_api, key: str, bucket: str | None = None) -> dict:
    from latchkey.settings import get_settings

    event = operator_event("admin_import_users", body={"source": {"bucket": bucket or get_settings().import_bucket,
                                                                  "key": key}})
    return invoke(local_api, "AdminImportUsersFunction", event)


def job(local_api, job_id: str) -> dict:
    event = operator_event("admin_get_import")
    event["pathParameters"] = {"id": job_id}
    return body_of(invoke(local_api, "AdminGetImportFunction", event))["data"]


def a_file(count: int, tag: str) -> tuple[list, dict]:
    """`count` users (one with a bcrypt hash), a bad line, a repeated address and a blank line; what the
    job must end with."""
    users = [{"email": unique_email(f"{tag}{n}"), "name": f"User {n}"} for n in range(count)]
    users[0]["passwordHash"] = made_by_reference()["bcrypt $2b$"]
    lines = [*users[:3], "not json", "", {"email": "not an address"}, *users[3:], users[1]]
    refusals = [{"line": 4, "reason": "INVALID_JSON"}, {"line": 6, "reason": "INVALID_EMAIL"}]
    return lines, {"received": count + 3, "created": count, "skipped": 1, "refused": 2, "refusals": refusals}


@pytest.fixture
def small_chunks(monkeypatch):
    from latchkey.usecases import import_files

    monkeypatch.setattr(import_files, "CHUNK_BYTES", 2048)  # dozens of chunks for a few hundred lines


def test_a_file_far_larger_than_a_chunk_imports_with_exact_counts(local_api, small_chunks):
    lines, expected = a_file(300, "s3file")
    put_file(lines, "imports/users-300.jsonl")
    answer = start(local_api, "imports/users-300.jsonl")
    assert answer["statusCode"] == 202, answer["body"]
    queued = body_of(answer)["data"]
    assert queued["status"] == "queued" and queued["created"] == 0
    local_api.deliver_queued()
    done = job(local_api, queued["jobId"])
    assert done["status"] == "succeeded", done
    assert {k: done[k] for k in expected} == expected
    assert done["linesRead"] == len(lines) and done["bytesRead"] > 9 * 2048  # ten chunks and more
    assert sign_in(local_api, lines[0]["email"], PASSWORD)["user"]["email"] == lines[0]["email"]


@pytest.mark.parametrize("when", ["before the write", "after the write, its answer lost"])
def test_a_worker_that_dies_mid_file_leaves_the_job_for_the_next_with_exact_counts(local_api, small_chunks,
                                                                                    monkeypatch, when):
    from latchkey.store import accounts_table, dynamodb
    from latchkey.usecases import import_files

    lines, expected = a_file(120, "s3crash")
    put_file(lines, f"imports/crash-{when[0]}.jsonl")
    job_id = body_of(start(local_api, f"imports/crash-{when[0]}.jsonl"))["data"]["jobId"]
    real, writes = dynamodb.transact, []

    def dies_at_the_57th_user(items):
        items = list(items)
        if any(getattr(i, "label", "") == accounts_table.IMPORT_MOVED_ON for i in items):
            writes.append(1)
            if len(writes) == 57:
                if when == "after the write, its answer lost":
                    real(items)
                raise RuntimeError("the worker died")
        return real(items)

    for module in (dynamodb, accounts_table):  # a new organization's user, and a member
        monkeypatch.setattr(module, "transact", dies_at_the_57th_user)
    with pytest.raises(RuntimeError):
        import_files.work(job_id, lambda: 300_000)
    stopped = job(local_api, job_id)
    assert stopped["status"] == "running"
    users = [line for line in lines[:3] + lines[6:-1]]
    made = sum(accounts_table.find_credentials(u["email"]) is not None for u in users)
    assert 0 < made < len(users) and stopped["created"] == made  # the checkpoint is exactly what was written
    for module in (dynamodb, accounts_table):
        monkeypatch.setattr(module, "transact", real)
    import_files.work(job_id, lambda: 300_000)  # the message back after its visibility timeout
    done = job(local_api, job_id)
    assert done["status"] == "succeeded", done
    assert {k: done[k] for k in expected} == expected  # nothing counted twice
    assert all(accounts_table.find_credentials(u["email"]) is not None for u in users)


def test_a_worker_short_of_time_hands_the_job_on(local_api, small_chunks):
    from latchkey.usecases import import_files

    lines, expected = a_file(40, "s3time")
    put_file(lines, "imports/time.jsonl")
    job_id = body_of(start(local_api, "imports/time.jsonl"))["data"]["jobId"]
    left = iter([300_000] * 12 + [1_000] * 1000)
    import_files.work(job_id, lambda: next(left))
    handed_on = job(local_api, job_id)
    assert handed_on["status"] == "running" and 0 < handed_on["created"] < 40
    local_api.deliver_queued()  # the message it sent itself
    done = job(local_api, job_id)
    assert done["status"] == "succeeded" and {k: done[k] for k in expected} == expected


def test_a_source_outside_imports_or_another_bucket_is_refused_and_a_missing_file_fails_the_job(local_api):
    for bucket, key in ((None, "exports/users.jsonl"), ("someone-elses-bucket", "imports/users.jsonl"),
                        (None, "imports/../exports/x.jsonl")):
        answer = start(local_api, key, bucket)
        assert answer["statusCode"] == 400 and code_of(answer) == "VALIDATION_FAILED", answer["body"]
    job_id = body_of(start(local_api, "imports/never-put.jsonl"))["data"]["jobId"]
    local_api.deliver_queued()
    failed = job(local_api, job_id)
    assert (failed["status"], failed["error"], failed["created"]) == ("failed", "SOURCE_NOT_FOUND", 0)
