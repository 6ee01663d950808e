"""`make deploy`'s dashboard upload, against moto's S3: every file with its type, nothing stale left."""

from __future__ import annotations

import os

import boto3
from moto import mock_aws

from deploy.dashboard import SITE, upload


@mock_aws
def test_upload_puts_every_file_with_its_type_and_deletes_stale_ones(monkeypatch):
    for name in [name for name in os.environ if name.startswith("AWS_ENDPOINT_URL")]:
        monkeypatch.delenv(name)  # the in-process mock, not a local stack's moto server
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="site")
    s3.put_object(Bucket="site", Key="js/old.js", Body=b"gone")
    keys = upload(s3, "site")
    assert "index.html" in keys and "js/app.js" in keys and "scopes.json" in keys
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket="site")["Contents"]) == sorted(keys)
    script = s3.get_object(Bucket="site", Key="js/app.js")
    assert script["ContentType"] == "text/javascript; charset=utf-8" and script["CacheControl"] == "no-cache"
    assert script["Body"].read() == (SITE / "js" / "app.js").read_bytes()
