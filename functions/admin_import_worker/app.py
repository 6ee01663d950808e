"""The import worker (SQS event source on ImportQueue): goes on with an import from S3 from its last
checkpoint until the file ends or its time is nearly up (then it queues the job again). A worker that
fails leaves the message to come back: the next one goes on where the job stands."""

import json

from latchkey.logs import logger, with_request_id
from latchkey.usecases import import_files


@with_request_id
def handler(event: dict, context) -> None:
    for record in event.get("Records") or []:
        job_id = json.loads(record["body"])["jobId"]
        import_files.work(job_id, context.get_remaining_time_in_millis)
        logger.info("import worked on", extra={"jobId": job_id})
