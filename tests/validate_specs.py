#!/usr/bin/env python3
"""Validate specs with openapi-spec-validator, then every example against its schema.

Usage: python3 tests/validate_specs.py [specs/x.yaml ...]   (default: every specs/*.yaml)

Request examples are checked in write context (readOnly fields rejected), response and
parameter examples in read context (writeOnly fields rejected). Examples of non-JSON media
types whose value is a string (XML, raw text) are not schema-checked. Exit status 1 on any problem.
"""
import glob
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
    return problems


def main(argv):
    paths = argv[1:] or sorted(glob.glob("specs/*.yaml"))
    problems = []
    for path in paths:
        problems.extend(check_spec(path))
    for p in problems:
        print(p)
    print(f"{len(paths)} specs checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
