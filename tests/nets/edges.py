"""Edge cases for every operation of an OpenAPI schema, read from the schema itself: a plausible request (required
fields filled, fields the world knows by name set to rows that exist), then the same request with one parameter
or body field at a time set to a value that breaks careless code at the edges of its type: integers past 2⁶³,
coordinates past DecimalField(9, 6), dates in year 1 or 9999 at ±12:00, "0" for a date, NUL, a lone surrogate,
U+FFFF. Random generation reaches these rarely; every run sends them all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# By JSON type (and string format): what each field is tried with.
NASTY: dict[str, list[Any]] = {
    "integer": [0, -1, 2**63, 10**30],
    "number": [1e16, -1.4469813660243294e16, 1e308],
    "date": ["0001-01-01", "9999-12-31", "0"],
    "date-time": ["0001-01-01T00:00:00+12:00", "9999-12-31T23:00:00-12:00", "0"],
    "string": ["\x00", "\ud800", "\uffff", "一行\n\x0b二行"],
}
# Outside a JSON body, text travels in a URL: a lone surrogate cannot be encoded into one.
URL_SAFE_STRINGS = ["\x00", "\uffff", "一行\n二行"]


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def kinds(schema: dict[str, Any], root: dict[str, Any]) -> list[str]:
    """The NASTY keys that fit a field: its types (through anyOf/oneOf), a string's date formats instead."""
    schema = resolve(schema, root)
    found: list[str] = []
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):
        found += [kind for kind in kinds(option, root) if kind not in found]
    kind = schema.get("type")
    if kind == "string" and schema.get("format") in ("date", "date-time"):
        found.append(schema["format"])
    elif kind in NASTY and kind not in found:
        found.append(kind)
    return found


def plain(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """A value of the field's type the schema accepts, for required fields nobody named."""
    schema = resolve(schema, root)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    for option in schema.get("anyOf", []):
        if resolve(option, root).get("type") != "null":
            return plain(option, root)
    plain_values = {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}
    return plain_values.get(schema.get("type"))


def edge_requests(operation: Any, root: dict[str, Any], *, plausible: dict[str, Any],
                  known: dict[str, list[Any]]) -> Iterator[Any]:
    """Cases for `operation`: the plausible one, then one per (field, nasty value)."""
    definition = root["paths"][operation.path][operation.method.lower()]
    values: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
    fields: list[tuple[str, str, dict[str, Any]]] = []
    for parameter in definition.get("parameters", []):
        where, name, schema = parameter["in"], parameter["name"], parameter.get("schema", {})
        if where not in values:
            continue
        if name in known:
            values[where][name] = known[name][0]
        elif name in plausible:
            values[where][name] = plausible[name]
        elif parameter.get("required"):
            values[where][name] = plain(schema, root)
        fields.append((where, name, schema))
    body = None
    content = definition.get("requestBody", {}).get("content", {}).get("application/json")
    if content is not None:
        body_schema = resolve(content["schema"], root)
        required = set(body_schema.get("required", []))
        body = {}
        for name, schema in body_schema.get("properties", {}).items():
            if name in plausible:
                body[name] = plausible[name]
            elif name in required:
                body[name] = plain(schema, root)
            fields.append(("body", name, schema))

    def case(where: str = "", name: str = "", value: Any = None) -> Any:
        path, query = dict(values["path"]), dict(values["query"])
        sent = dict(body) if body is not None else None
        if where == "path":
            path[name] = value
        elif where == "query":
            query[name] = value
        elif where == "body":
            sent[name] = value
        extra = {"body": sent, "media_type": "application/json"} if sent is not None else {}
        return operation.Case(path_parameters=path, query=query, **extra)

    yield case()
    for where, name, schema in fields:
        for kind in kinds(schema, root):
            for value in NASTY[kind]:
                if where != "body" and kind == "string" and value not in URL_SAFE_STRINGS:
                    continue
                yield case(where, name, value)
