"""Starts the whole local stack in this process: moto, the template's resources, the API."""

from __future__ import annotations

from local.aws import LocalAws
from local.gateway import LocalApi
from local.template import Template


def start_local_api(stage: str = "dev") -> tuple[LocalAws, LocalApi]:
    aws = LocalAws()
    aws.start()
    template = Template.load(overrides={"Stage": stage})
    aws.provision(template)
    return aws, LocalApi(template)
