"""template.yaml as the local runtime needs it: functions, routes, the authorizer, gateway responses,
tables and secrets, with the intrinsic functions it uses resolved.

The YAML is read with cfn-lint's decoder (it knows `!Ref`, `!Sub`, `!GetAtt`); SAM's Globals are
merged the way SAM merges them. Nothing here knows a route or a table by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

from local.constants import ACCOUNT, API_ID, REGION  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class ParameterError(ValueError):
    """A parameter override the template does not allow; the message names the parameter."""


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_dir: Path
    handler: str
    environment: dict[str, Any]
    policies: list[dict]
    layers: tuple[str, ...] = ()  # logical ids, Globals' first (SAM appends the function's own)
    memory: int = 128
    timeout: int = 3
    # The template's tables' key schemas (see Template.key_schemas): what IAM's dynamodb:LeadingKeys
    # reads from a request's key.
    key_schemas: dict[str, dict[str, list]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.code_dir.name


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, ... or ANY
    path: str  # the API Gateway resource path, e.g. /v1/items/{id}
    function: str  # logical id
    authorized: bool  # behind the Lambda authorizer
    iam: bool = False  # AWS_IAM: a SigV4 signature, judged by IAM policy (the admin API)


@dataclass(frozen=True)
class QueueEventSource:
    function: str  # logical id
    queue: str  # the queue's logical id
    batch_size: int = 10
    report_failures: bool = False  # FunctionResponseTypes: [ReportBatchItemFailures]


@dataclass
class Template:
    parameters: dict[str, str]
    resources: dict[str, dict]
    globals: dict[str, Any]
    physical: dict[str, str] = field(default_factory=dict)  # logical id -> name/ARN once known
    conditions: dict[str, Any] = field(default_factory=dict)  # the template's Conditions, unevaluated

    @classmethod
    def load(cls, path: Path = TEMPLATE, overrides: dict[str, str] | None = None) -> Template:
        doc = cfn_yaml.loads(path.read_text(), str(path))
        specs = doc.get("Parameters", {})
        parameters = {name: str(spec.get("Default", "")) for name, spec in specs.items()}
        for name, value in (overrides or {}).items():
            parameters[name] = check_parameter(specs, name, str(value))
        return cls(parameters, dict(doc["Resources"]), doc.get("Globals", {}),
                   conditions=dict(doc.get("Conditions", {})))

    # --- intrinsic functions ------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref":
                return self._ref(arg)
            if fn == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._get_att(logical_id, attribute)
            if fn == "Fn::Sub":
                text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))
                return re.sub(r"\$\{([^}!]+)\}", lambda m: str(extra.get(m[1]) or self._sub_name(m[1])), text)
            if fn == "Fn::If":
                name, yes, no = arg
                return self.resolve(yes if self.condition(name) else no)
            if fn == "Fn::Join":
                return str(arg[0]).join(str(self.resolve(v)) for v in arg[1])
            if fn == "Fn::Split":
                return str(self.resolve(arg[1])).split(str(arg[0]))
            if fn == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def condition(self, name: str) -> bool:
        """One of the template's Conditions, evaluated (Fn::Equals, Fn::Not, Fn::And, Fn::Or)."""
        return self._truth(self.conditions[name])

    def _truth(self, value: Any) -> bool:
        (fn, arg), = value.items()
        if fn == "Condition":
            return self.condition(arg)
        if fn == "Fn::Equals":
            return str(self.resolve(arg[0])) == str(self.resolve(arg[1]))
        if fn == "Fn::Not":
            return not self._truth(arg[0])
        if fn == "Fn::And":
            return all(self._truth(v) for v in arg)
        if fn == "Fn::Or":
            return any(self._truth(v) for v in arg)
        raise NotImplementedError(f"{fn} in a condition is not supported locally")

    def _sub_name(self, name: str) -> Any:
        if "." in name:
            logical_id, attribute = name.split(".", 1)
            return self._get_att(logical_id, attribute)
        return self._ref(name)

    def _ref(self, name: str) -> str:
        pseudo = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::StackName": "latchkey-local",
                  "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical:
            return self.physical[name]
        resource = self.resources[name]
        if resource["Type"] == "AWS::DynamoDB::Table":
            return self.resolve(resource["Properties"].get("TableName", name))
        if resource["Type"] == "AWS::S3::Bucket":  # Ref is the bucket's name
            return str(self.resolve((resource.get("Properties") or {}).get("BucketName", name.lower())))
        if resource["Type"] == "AWS::SQS::Queue":  # Ref is the queue URL
            return f"http://sqs.{REGION}.localhost/{ACCOUNT}/{self.queue_name(name)}"
        return name

    def queue_name(self, logical_id: str) -> str:
        """A queue's name: its QueueName, or one CloudFormation-style from the stack and logical id."""
        props = self.resources[logical_id].get("Properties") or {}
        return str(self.resolve(props["QueueName"])) if "QueueName" in props else f"latchkey-local-{logical_id}"

    def _get_att(self, logical_id: str, attribute: str) -> str:
        kind = self.resources[logical_id]["Type"]
        if kind == "AWS::DynamoDB::Table" and attribute == "Arn":
            return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{self._ref(logical_id)}"
        if kind == "AWS::S3::Bucket" and attribute == "Arn":
            return f"arn:aws:s3:::{self._ref(logical_id)}"
        if kind == "AWS::Serverless::Function" and attribute == "Arn":
            return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{logical_id}"
        if kind == "AWS::SQS::Queue" and attribute in ("Arn", "QueueName", "QueueUrl"):
            name = self.queue_name(logical_id)
            return {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", "QueueName": name,
                    "QueueUrl": self._ref(logical_id)}[attribute]
        raise NotImplementedError(f"Fn::GetAtt {logical_id}.{attribute} is not supported locally")

    # --- resources ----------------------------------------------------------------------------

    def of_type(self, kind: str) -> dict[str, dict]:
        return {name: r for name, r in self.resources.items() if r["Type"] == kind}

    def tables(self) -> dict[str, dict]:
        """Logical id -> the table's CloudFormation properties, resolved."""
        return {name: self.resolve(r["Properties"]) for name, r in self.of_type("AWS::DynamoDB::Table").items()}

    def key_schemas(self) -> dict[str, dict[str, list]]:
        """Table name -> {"": [partition key, sort key or None], index name: [...]}, for IAM's
        dynamodb:LeadingKeys (which attribute of a request's key is the partition key)."""
        from local.iam_dynamodb import key_schemas_of

        return key_schemas_of({str(self._ref(name)): props for name, props in self.tables().items()})

    def secrets(self) -> dict[str, dict]:
        return {name: self.resolve(r["Properties"]) for name, r in self.of_type("AWS::SecretsManager::Secret").items()}

    def buckets(self) -> list[str]:
        """The names of the buckets the functions write (those with a BucketName: the exports')."""
        return [self._ref(name) for name, r in self.of_type("AWS::S3::Bucket").items()
                if "BucketName" in (r.get("Properties") or {})]

    def queues(self) -> dict[str, dict]:
        """Logical id -> the queue's properties, resolved, dead-letter queues before the queues using them."""
        queues = {name: self.resolve(r.get("Properties") or {}) for name, r in self.of_type("AWS::SQS::Queue").items()}
        return dict(sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1]))

    def email_identities(self) -> list[str]:
        """Addresses or domains the template verifies for sending mail (AWS::SES::EmailIdentity)."""
        return [str(self.resolve(r["Properties"]["EmailIdentity"]))
                for r in self.of_type("AWS::SES::EmailIdentity").values()]

    def queue_event_sources(self) -> list[QueueEventSource]:
        """Every function's SQS events: what Lambda's event source mappings poll."""
        sources = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in (resource["Properties"].get("Events") or {}).values():
                if event["Type"] != "SQS":
                    continue
                props = event["Properties"]
                queue = props["Queue"]["Fn::GetAtt"]
                queue_id = queue[0] if isinstance(queue, list) else queue.split(".")[0]
                sources.append(QueueEventSource(
                    function=name, queue=queue_id, batch_size=int(self.resolve(props.get("BatchSize", 10))),
                    report_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or [])))
        return sources

    def functions(self) -> dict[str, Function]:
        defaults = self.globals.get("Function", {})
        key_schemas = self.key_schemas()
        result = {}
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            props = resource["Properties"]
            environment = {
                **defaults.get("Environment", {}).get("Variables", {}),
                **props.get("Environment", {}).get("Variables", {}),
            }
            result[name] = Function(
                logical_id=name,
                code_dir=ROOT / str(props["CodeUri"]),
                handler=str(props.get("Handler", defaults.get("Handler", "app.handler"))),
                environment={k: str(v) for k, v in self.resolve(environment).items()},
                policies=self.resolve(props.get("Policies", [])),
                layers=tuple(layer["Ref"] for layer in [*defaults.get("Layers", []), *props.get("Layers", [])]),
                memory=int(self.resolve(props.get("MemorySize", defaults.get("MemorySize", 128)))),
                timeout=int(self.resolve(props.get("Timeout", defaults.get("Timeout", 3)))),
                key_schemas=key_schemas,
            )
        return result

    def layers(self) -> dict[str, Path]:
        """Layer logical id -> its folder (`requirements.txt`, and `python/` for code of its own)."""
        return {name: ROOT / str(r["Properties"]["ContentUri"])
                for name, r in self.of_type("AWS::Serverless::LayerVersion").items()}

    def api(self) -> dict:
        (api,) = self.of_type("AWS::Serverless::Api").values()
        return api["Properties"]

    def stage(self) -> str:
        return str(self.resolve(self.api()["StageName"]))

    def authorizer_function(self) -> str:
        auth = self.api()["Auth"]
        arn = auth["Authorizers"][auth["DefaultAuthorizer"]]["FunctionArn"]
        return arn["Fn::GetAtt"][0] if isinstance(arn["Fn::GetAtt"], list) else arn["Fn::GetAtt"].split(".")[0]

    def gateway_responses(self) -> dict[str, dict]:
        return self.api().get("GatewayResponses", {})

    def routes(self) -> list[Route]:
        result = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] != "Api":
                    continue
                props = event["Properties"]
                authorizer = props.get("Auth", {}).get("Authorizer")
                result.append(
                    Route(
                        method=str(props["Method"]).upper(),
                        path=str(props["Path"]),
                        function=name,
                        authorized=authorizer not in ("NONE", "AWS_IAM"),
                        iam=authorizer == "AWS_IAM",
                    )
                )
        return result


def parse_overrides(text: str) -> dict[str, str]:
    """`Name=Value Name2=Value2`, as `sam deploy --parameter-overrides` takes them."""
    overrides = {}
    for pair in text.split():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ParameterError(f"parameter override {pair!r} is not Name=Value")
        overrides[name] = value
    return overrides


def check_parameter(specs: dict[str, dict], name: str, value: str) -> str:
    """`value` if the template's declaration of `name` admits it, as CloudFormation would check it."""
    spec = specs.get(name)
    if spec is None:
        raise ParameterError(f"{name}: the template has no such parameter (one of: {', '.join(sorted(specs))})")
    allowed = spec.get("AllowedValues")
    if allowed and value not in [str(a) for a in allowed]:
        raise ParameterError(f"{name}={value}: must be one of {', '.join(str(a) for a in allowed)}")
    if spec.get("Type") == "Number":
        try:
            number = float(value)
        except ValueError:
            raise ParameterError(f"{name}={value}: must be a number") from None
        if "MinValue" in spec and number < float(spec["MinValue"]):
            raise ParameterError(f"{name}={value}: must be at least {spec['MinValue']}")
        if "MaxValue" in spec and number > float(spec["MaxValue"]):
            raise ParameterError(f"{name}={value}: must be at most {spec['MaxValue']}")
    pattern = spec.get("AllowedPattern")
    if pattern and not re.fullmatch(str(pattern), value):
        raise ParameterError(f"{name}={value}: must match {pattern}")
    return value
