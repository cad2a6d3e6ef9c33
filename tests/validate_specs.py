#!/usr/bin/env python3
"""Validate specs with openapi-spec-validator, then every example against its schema.

Usage: python3 tests/validate_specs.py [specs/x.yaml ...]   (default: every specs/*.yaml)

With no arguments it also checks the service's real forms in tests/corpus/real/ (fixtures.tsv names
each fixture's spec and schema) against their schema, in read context, and the response bodies of
tests/drift/<vendor>.json against the schema their operation documents for that status and media type.

Request examples are checked in write context (readOnly fields rejected), response and
parameter examples in read context (writeOnly fields rejected). Examples of non-JSON media
types whose value is a string (XML, raw text) are not schema-checked. Exit status 1 on any problem.
"""
import glob
import json
import sys

import yaml
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename


def is_json(media_type):
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def check_value(spec, schema, value, validator_cls, where, problems):
    root = {"allOf": [schema], "components": spec.get("components", {})}
    validator = validator_cls(root)
    for err in sorted(validator.iter_errors(value), key=lambda e: list(e.path)):
        path = "/" + "/".join(str(p) for p in err.path)
        problems.append(f"{where}: example value at {path}: {err.message}")


def examples_of(holder):
    if "example" in holder:
        yield "example", holder["example"]
    for name, ex in (holder.get("examples") or {}).items():
        if "$ref" in ex:
            continue
        if "value" in ex:
            yield name, ex["value"]


def resolve(spec, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        parts = node["$ref"].lstrip("#/").split("/")
        node = spec
        for p in parts:
            node = node[p.replace("~1", "/").replace("~0", "~")]
        seen += 1
    return node


def check_content(spec, content, validator_cls, where, problems):
    for media_type, media in (content or {}).items():
        schema = media.get("schema")
        for name, value in examples_of(media):
            here = f"{where}/content/{media_type}/examples/{name}"
            if schema is None:
                problems.append(f"{here}: example without a schema")
            elif isinstance(value, str) and not is_json(media_type):
                continue
            else:
                check_value(spec, schema, value, validator_cls, here, problems)


def check_schema_examples(spec, problems):
    for name, schema in (spec.get("components", {}).get("schemas") or {}).items():
        stack = [(f"#/components/schemas/{name}", schema)]
        while stack:
            where, node = stack.pop()
            if not isinstance(node, dict):
                continue
            if "example" in node and "$ref" not in node:
                check_value(spec, node, node["example"], OAS30ReadValidator, where, problems)
            for key, sub in (node.get("properties") or {}).items():
                stack.append((f"{where}/properties/{key}", sub))
            if isinstance(node.get("items"), dict):
                stack.append((f"{where}/items", node["items"]))


TOP_ORDER = ["openapi", "info", "servers", "security", "tags", "paths", "components"]
OP_ORDER = ["tags", "summary", "description", "operationId", "security", "parameters",
            "requestBody", "responses"]
METHOD_ORDER = ["get", "put", "post", "patch", "delete"]
COMPONENT_ORDER = ["securitySchemes", "parameters", "requestBodies", "responses", "schemas"]


def out_of_order(keys, order):
    """The first key that breaks `order` (keys not in `order` must be x- keys at the end)."""
    ranks = []
    for k in keys:
        if k in order:
            ranks.append(order.index(k))
        elif k.startswith("x-"):
            ranks.append(len(order))
        else:
            ranks.append(len(order) + 1)
    for i in range(1, len(ranks)):
        if ranks[i] < ranks[i - 1]:
            return keys[i]
    return None


def check_layout(path, spec):
    """The layout convention of specs/README.md, so a one-field change is a one-line diff."""
    problems = []
    text = open(path, encoding="utf-8").read()
    if "\t" in text:
        problems.append(f"{path}: tabs are not allowed")
    block = None  # indentation of the key that opened a block scalar
    for n, line in enumerate(text.splitlines(), 1):
        if line != line.rstrip():
            problems.append(f"{path}:{n}: trailing whitespace")
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            continue  # block scalar content keeps the document's own spacing
        block = indent if line.rstrip().endswith(("|", "|-", "|+", ">", ">-", ">+")) else None
        if line.strip() and indent % 2:
            problems.append(f"{path}:{n}: indentation is not a multiple of 2")
    bad = out_of_order(list(spec), TOP_ORDER)
    if bad:
        problems.append(f"{path}: top-level key `{bad}` is out of order ({', '.join(TOP_ORDER)})")
    routes = list(spec.get("paths") or {})
    if routes != sorted(routes):
        problems.append(f"{path}: paths are not sorted")
    for route, item in (spec.get("paths") or {}).items():
        bad = out_of_order([k for k in item if k in METHOD_ORDER], METHOD_ORDER)
        if bad:
            problems.append(f"{path}: #/paths/{route}: method `{bad}` is out of order")
        for method in METHOD_ORDER:
            if method in item:
                bad = out_of_order(list(item[method]), OP_ORDER)
                if bad:
                    problems.append(f"{path}: #/paths/{route}/{method}: key `{bad}` is out of order")
    components = spec.get("components") or {}
    bad = out_of_order(list(components), COMPONENT_ORDER)
    if bad:
        problems.append(f"{path}: components section `{bad}` is out of order")
    for section, entries in components.items():
        if isinstance(entries, dict) and list(entries) != sorted(entries):
            problems.append(f"{path}: components/{section} are not sorted by name")
    return problems


def check_spec(path):
    problems = []
    spec_dict, _ = read_from_filename(path)
    try:
        validate(spec_dict)
    except Exception as exc:  # the validator raises one of several error types
        return [f"{path}: openapi-spec-validator: {exc}"]
    spec = yaml.safe_load(open(path, encoding="utf-8"))
    for route, item in (spec.get("paths") or {}).items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "patch", "delete", "head", "options", "trace"):
                continue
            where = f"{path}#/paths/{route.replace('~', '~0').replace('/', '~1')}/{method}"
            for i, param in enumerate(op.get("parameters", []) + item.get("parameters", [])):
                param = resolve(spec, param)
                for name, value in examples_of(param):
                    check_value(spec, param.get("schema", {}), value, OAS30ReadValidator,
                                f"{where}/parameters/{i}/examples/{name}", problems)
            body = resolve(spec, op.get("requestBody", {}))
            check_content(spec, body.get("content"), OAS30WriteValidator,
                          f"{where}/requestBody", problems)
            for status, response in (op.get("responses") or {}).items():
                response = resolve(spec, response)
                check_content(spec, response.get("content"), OAS30ReadValidator,
                              f"{where}/responses/{status}", problems)
    check_schema_examples(spec, problems)
    problems.extend(check_layout(path, spec))
    return problems


REAL_FORMS = "tests/corpus/real"


def check_real_forms(problems):
    """Each real form of a service validates against the schema its row of fixtures.tsv names."""
    rows = open(f"{REAL_FORMS}/fixtures.tsv", encoding="utf-8").read().splitlines()[1:]
    specs = {}
    for row in rows:
        fixture, vendor, schema_name, _source = row.split("\t")
        if vendor not in specs:
            specs[vendor] = yaml.safe_load(open(f"specs/{vendor}.yaml", encoding="utf-8"))
        spec = specs[vendor]
        value = json.load(open(f"{REAL_FORMS}/{fixture}", encoding="utf-8"))
        schema = {"$ref": f"#/components/schemas/{schema_name}"}
        check_value(spec, schema, value, OAS30ReadValidator, f"{REAL_FORMS}/{fixture}", problems)
    return len(rows)


DRIFT = "tests/drift"


def operation(spec, operation_id):
    for item in (spec.get("paths") or {}).values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    return None


def check_drift_cases(problems):
    """Each response body of tests/drift/<vendor>.json validates against the schema its operation
    documents for that status and media type (for event streams, `x-sse-data`, per event)."""
    count = 0
    for path in sorted(glob.glob(f"{DRIFT}/*.json")):
        vendor = path.rsplit("/", 1)[1][: -len(".json")]
        spec = yaml.safe_load(open(f"specs/{vendor}.yaml", encoding="utf-8"))
        for case in json.load(open(path, encoding="utf-8")):
            where = f"{path}: {case['case']}"
            op = operation(spec, case["call"])
            response = resolve(spec, ((op or {}).get("responses") or {}).get(str(case["status"]), {}))
            media = (response.get("content") or {}).get(case["contentType"])
            if media is None:
                problems.append(f"{where}: {case['call']} documents no {case['status']} {case['contentType']}")
                continue
            schema = media.get("schema", {})
            if case["expect"] == "InBody":  # an error sent with a 2xx status
                schema = {"$ref": spec.get("x-error-in-200")}
            if "events" in case:
                schema = {"$ref": schema.get("x-sse-data")}
                values = [event["data"] for event in case["events"]]
            else:
                values = [case["body"]]
            for value in values:
                check_value(spec, schema, value, OAS30ReadValidator, where, problems)
            count += 1
    return count


def main(argv):
    paths = argv[1:] or sorted(glob.glob("specs/*.yaml"))
    problems = []
    for path in paths:
        problems.extend(check_spec(path))
    forms = 0 if argv[1:] else check_real_forms(problems) + check_drift_cases(problems)
    for p in problems:
        print(p)
    print(f"{len(paths)} specs checked, {len(problems)} problems")
    if forms:
        print(f"{forms} real forms (tests/corpus/real, tests/drift) checked against their schema")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
