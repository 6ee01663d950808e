"""`make deploy`'s last step: upload dashboard/ to the stack's bucket and invalidate its distribution.

    python -m deploy.dashboard --stack-name latchkey-dev

The stack's outputs name the bucket (DashboardBucketName) and the distribution (DashboardDistributionId).
Files keep their names (no build step, no hashes), so every file is revalidated by browsers
(`no-cache`) and the distribution is invalidated after each upload; files the folder no longer has
are deleted from the bucket. Dev-only: not part of the layer."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from local.static_site import SITE, content_type


def upload(s3, bucket: str, site: Path = SITE) -> list[str]:
    """Puts every file of `site` in `bucket` and deletes what it no longer has; the keys uploaded."""
    keys = []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        key = file.relative_to(site).as_posix()
        s3.put_object(Bucket=bucket, Key=key, Body=file.read_bytes(), ContentType=content_type(file),
                      CacheControl="no-cache")
        keys.append(key)
    stale = [{"Key": obj["Key"]} for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
             for obj in page.get("Contents", []) if obj["Key"] not in keys]
    if stale:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": stale})
    return keys


def main() -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stack-name", required=True)
    args = parser.parse_args()
    (stack,) = boto3.client("cloudformation").describe_stacks(StackName=args.stack_name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    keys = upload(boto3.client("s3"), outputs["DashboardBucketName"])
    boto3.client("cloudfront").create_invalidation(
        DistributionId=outputs["DashboardDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())})
    print(f"dashboard: {len(keys)} files uploaded; {outputs['DashboardUrl']} (invalidation started)")


if __name__ == "__main__":
    main()
