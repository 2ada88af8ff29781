"""The JSON Schema of scenario files, built from the same dataclasses the loader reads into.

Editors use it (through the `# yaml-language-server: $schema=...` first line) to complete and
check keys; the loader remains the judge of meaning (references, sums, cycles).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal, Union

from .numbers import DISTRIBUTIONS
from .scenario import Scenario

SCHEMA_ID = "https://juncture.invalid/scenario.schema.json"


def _number_schema() -> dict:
    dist = {"type": "object", "minProperties": 1, "maxProperties": 1,
            "properties": {k: {"type": "array", "items": {"type": "number"}, "minItems": n, "maxItems": n}
                           for k, n in DISTRIBUTIONS.items()},
            "additionalProperties": False}
    short = {"anyOf": [
        {"type": "number", "description": "an exact number"},
        {"type": "string", "description": "a fraction 'a/b', a word of estimative probability "
                                          "(likely, very unlikely, ...) or 'otherwise'"},
        {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
         "description": "a range [low, high]"},
        dist,
    ]}
    long = {"type": "object", "required": ["value"], "additionalProperties": False,
            "properties": {"value": {"$ref": "#/$defs/short_number"}, "point": {"type": "number"},
                           "evidence": {"type": "array", "items": {"type": "string"}},
                           "assumptions": {"type": "array", "items": {"type": "string"}},
                           "confidence": {"enum": ["low", "moderate", "high"]}}}
    return {"short_number": short, "number": {"anyOf": [{"$ref": "#/$defs/short_number"}, long]}}


def _tree_schema() -> dict:
    node = {"$ref": "#/$defs/tree_node"}
    payoff = {"anyOf": [{"$ref": "#/$defs/number"},
                        {"type": "object", "additionalProperties": {"$ref": "#/$defs/number"}}]}
    return {"type": "object", "additionalProperties": False,
            "description": "A tree node: decision + options, chance + branches, or an end with a payoff.",
            "properties": {
                "decision": {"type": "string"}, "options": {"type": "object", "additionalProperties": node},
                "chance": {"type": "string"}, "branches": {"type": "object", "additionalProperties": node},
                "p": {"$ref": "#/$defs/number"}, "payoff": payoff, "actor": {"type": ["string", "null"]},
                "actor_payoffs": {"type": ["object", "null"], "additionalProperties": {"$ref": "#/$defs/number"}},
                "name": {"type": ["string", "null"]}}}


def _type_schema(tp: Any, meta: dict, defs: dict) -> dict:
    kind = meta.get("kind")
    if kind in ("number", "probability"):
        return {"$ref": "#/$defs/number"}
    if kind in ("numbers", "overrides", "probabilities"):
        return {"type": "object", "additionalProperties": {"$ref": "#/$defs/number"}}
    if kind == "table":
        return {"type": "object", "description": "state -> probability, nested by depends_on"}
    if kind == "tree":
        return {"$ref": "#/$defs/tree_node"}
    if kind == "scale":
        return {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 2, "maxItems": 2}}
    if kind == "when":
        return {"type": "object", "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}}
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _type_schema(inner[0], meta, defs)
    if dataclasses.is_dataclass(tp):
        name = tp.__name__.lower()
        if name not in defs:
            defs[name] = {}
            defs[name] = _object_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin is Literal:
        return {"enum": list(args)}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type_schema(args[0], {}, defs)}
        return {"type": "array", "prefixItems": [_type_schema(a, {}, defs) for a in args],
                "minItems": len(args), "maxItems": len(args)}
    if origin is dict:
        value = args[1]
        if dataclasses.is_dataclass(value):  # `protest:` with nothing is an item with no fields set
            return {"type": "object", "additionalProperties": _or_null(_type_schema(value, {"keyed": True}, defs))}
        return {"type": "object", "additionalProperties": _type_schema(value, {}, defs)}
    return {str: {"type": ["string", "number"]}, bool: {"type": "boolean"}, int: {"type": "integer"},
            float: {"type": "number"}}[tp]


def _or_null(s: dict) -> dict:
    """`s`, or nothing (YAML null)."""
    if isinstance(s.get("type"), (str, list)) and set(s) <= {"type", "items", "additionalProperties",
                                                             "prefixItems", "minItems", "maxItems"}:
        types = [s["type"]] if isinstance(s["type"], str) else list(s["type"])
        return {**s, "type": types + ["null"]}
    if set(s) == {"enum"}:
        return {"enum": [*s["enum"], None]}
    return {"anyOf": [s, {"type": "null"}]}


def _object_schema(cls: Any, defs: dict) -> dict:
    hints = typing.get_type_hints(cls)
    props, required = {}, []
    for fl in dataclasses.fields(cls):
        if "doc" not in fl.metadata:
            continue
        key = fl.metadata.get("key") or fl.name
        s = dict(_type_schema(hints[fl.name], dict(fl.metadata), defs))
        if fl.default is dataclasses.MISSING and fl.default_factory is dataclasses.MISSING:
            required.append(key)
        else:
            s = _or_null(s)  # the loader reads `key:` with no value as the key left out
        s["description"] = fl.metadata["doc"]
        props[key] = s
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if cls.__doc__:
        out["description"] = cls.__doc__.strip().splitlines()[0]
    if required:
        out["required"] = required
    return out


def _keyed_classes(cls: Any, seen: set | None = None) -> set[str]:
    """Def names of the dataclasses that appear as values of a mapping id -> item, under `cls`."""
    seen = set() if seen is None else seen
    out: set[str] = set()
    if cls in seen:
        return out
    seen.add(cls)
    for tp in typing.get_type_hints(cls).values():
        stack = [tp]
        while stack:
            t = stack.pop()
            args = typing.get_args(t)
            if typing.get_origin(t) is dict and dataclasses.is_dataclass(args[1]) and any(
                    f.name == "id" for f in dataclasses.fields(args[1])):
                out.add(args[1].__name__.lower())
            stack.extend(a for a in args if a is not Ellipsis)
            if dataclasses.is_dataclass(t):
                out |= _keyed_classes(t, seen)
    return out


def scenario_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    defs: dict[str, Any] = {}
    defs.update(_number_schema())
    defs["tree_node"] = _tree_schema()
    top = _object_schema(Scenario, defs)
    # items of id-keyed mappings (sources, actors, states, factors, ...) take their id from the key
    for name in _keyed_classes(Scenario):
        if name in defs:
            defs[name]["properties"].pop("id", None)
            if "required" in defs[name]:
                defs[name]["required"] = [r for r in defs[name]["required"] if r != "id"] or None
                if defs[name]["required"] is None:
                    del defs[name]["required"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Juncture scenario", **top, "$defs": dict(sorted(defs.items()))}


def schema_json() -> str:
    """The schema as the text committed in scenarios/scenario.schema.json."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=False) + "\n"
