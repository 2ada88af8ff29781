"""Read YAML text into plain Python data, keeping the line and column of every node.

Only safe YAML: no tag that would build a Python object is honoured, duplicate keys are errors
(PyYAML would silently keep the last), and the size of the file and of what its aliases expand
to are bounded, so that a hostile or broken file fails fast with a clear message.
"""

from __future__ import annotations

import codecs
import math
import re
import sys
import datetime as _dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem, ScenarioError

MAX_BYTES = 5_000_000
"""Largest scenario file read, in bytes."""

MAX_NODES = 500_000
"""Most YAML nodes a file may expand to once aliases are followed (a guard against alias bombs)."""

MAX_DEPTH = 100
"""Deepest nesting of mappings and lists accepted."""

Path = tuple  # a path into the data: keys (str) and list positions (int)

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE = _STD + "merge"
_EXPONENT = re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+$")
"""Numbers in exponent form that YAML 1.1 (PyYAML) reads as text unless they have a dot: 1e-3."""


@dataclass
class Document:
    """Plain data read from a YAML file, with the 1-based (line, column) of each value and key."""

    file: str
    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    """The text as written of each value YAML read as a number or a yes/no value (`1.10`, `no`)."""

    def at(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Position of `path` (its key when `key`), else of the nearest enclosing node that exists."""
        path = tuple(path)
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, path: Path, message: str, key: bool = False) -> Problem:
        line, col = self.at(path, key)
        return Problem(self.file, line, col, message)


def _mark(node_or_mark: Any) -> tuple[int, int]:
    m = getattr(node_or_mark, "start_mark", node_or_mark)
    return (m.line + 1, m.column + 1)


def show_tag(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' -> '!!python/object', as it was written in the file."""
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


def _expanded_size(root: Node, file: str) -> None:
    """Refuse a document whose aliases expand to more than MAX_NODES nodes, or refer to themselves.

    Aliases share the node they name, so the expanded size of each distinct node is counted once
    (memoised by identity): a billion-laughs file is refused after a few dozen steps instead of
    after walking half a million nodes.
    """
    size: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    busy: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, ScalarNode):
            size[key] = 1
            continue
        kids = ([x for pair in node.value for x in pair] if isinstance(node, MappingNode) else list(node.value))
        if done:
            busy.discard(key)
            total = 1 + sum(size[id(k)] for k in kids)
            if total > MAX_NODES:
                line, col = _mark(node)
                raise ScenarioError([Problem(file, line, col, f"aliases here expand to more than {MAX_NODES:,} "
                                             "YAML nodes (an alias bomb?): refused")])
            size[key] = total
            continue
        if key in size:
            continue
        busy.add(key)
        stack.append((node, True))
        for k in kids:
            if id(k) in busy:
                line, col = _mark(k)
                raise ScenarioError([Problem(file, line, col, "an alias refers to a mapping or list that "
                                             "contains it (a loop): refused")])
            if id(k) not in size:
                stack.append((k, False))


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0


def read_text(raw: bytes, file: str) -> str:
    """Decode a file's bytes as UTF-8, refusing oversized files and bytes that are not UTF-8."""
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [Problem(file, 1, 1, f"file is {len(raw):,} bytes; scenario files are limited to "
                     f"{MAX_BYTES:,} bytes: split it or remove unused parts")]
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # editors show no column for the byte-order mark
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError(
            [Problem(file, line, col, f"byte 0x{raw[e.start]:02x} is not UTF-8: save the file as UTF-8")]
        ) from None


def parse_yaml(text: str, file: str) -> Document:
    """YAML text -> `Document`, or `ScenarioError` naming FILE:LINE:COL of each problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError(
            [Problem(file, 1, 1, f"file is larger than {MAX_BYTES:,} bytes; scenario files are limited to that")]
        )
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # this already refuses control characters
        root = loader.get_single_node()
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        what = " (a control character)" if unicodedata.category(chr(e.character)) == "Cc" else ""
        raise ScenarioError([Problem(file, line, col, f"the character U+{e.character:04X}{what} is not "
                                     "allowed in a YAML file: remove it")]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        raise ScenarioError([Problem(file, line, col, _syntax_message(e))]) from None
    except yaml.YAMLError as e:
        raise ScenarioError([Problem(file, 1, 1, f"YAML error: {e}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(file, 1, 1, "nesting is too deep to read")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and root.tag == _STD + "null"):
        raise ScenarioError([Problem(file, 1, 1, "the file is empty: a scenario starts with a 'scenario:' mapping")])
    _expanded_size(root, file)
    doc = Document(file, None)
    problems: list[Problem] = []
    constructor = yaml.constructor.SafeConstructor()
    try:
        doc.data = _convert(root, (), doc, problems, constructor, _Budget(), 0)
    except (_TooBig, RecursionError):
        if not problems:
            problems.append(Problem(file, 1, 1, "nesting is too deep to read"))
        raise ScenarioError(problems[-1:]) from None
    if problems:
        raise ScenarioError(problems)
    return doc


class _TooBig(Exception):
    pass


def _convert(node: Node, path: Path, doc: Document, problems: list[Problem],
             constructor: yaml.constructor.SafeConstructor, budget: _Budget, depth: int) -> Any:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        line, col = _mark(node)
        problems.append(Problem(doc.file, line, col, f"the file expands to more than {MAX_NODES:,} "
                                "YAML nodes once aliases are followed (an alias bomb?): refused"))
        raise _TooBig
    if depth > MAX_DEPTH:
        line, col = _mark(node)
        problems.append(Problem(doc.file, line, col, f"nesting deeper than {MAX_DEPTH} levels: refused"))
        raise _TooBig
    doc.marks[path] = _mark(node)
    if isinstance(node, ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            problems.append(doc.problem(path, _tag_message(node.tag)))
            return None
        try:
            value = constructor.construct_object(node)
        except Exception:  # `!!int abc`, or an integer of more digits than Python converts
            m = node.start_mark
            if m.buffer is not None and m.buffer[m.index:m.index + 1] == "!":
                problems.append(doc.problem(path, f"'{_short(node.value)}' is not a valid {show_tag(node.tag)} "
                                                  "value: remove the tag or fix the value"))
            else:
                problems.append(doc.problem(path, f"{_short(node.value)} is too large for a number"))
            return None
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if isinstance(value, str) and node.style is None and _EXPONENT.match(value):
            value = float(value)  # 1e-3 is a number to the analyst, to YAML 1.2 and to editors
        # beyond a float's range (10**400, 1e999) every later step would overflow or be infinite
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _FLOAT_MAX or (
                isinstance(value, float) and math.isinf(value) and _EXPONENT.match(node.value.replace("_", ""))):
            problems.append(doc.problem(path, f"{_short(node.value)} is too large for a number"))
            return None
        if isinstance(value, (bool, int, float)):
            doc.texts[path] = node.value
        return value
    if isinstance(node, SequenceNode):
        if node.tag != _STD + "seq":
            problems.append(doc.problem(path, _tag_message(node.tag)))
            return None
        return [_convert(item, path + (i,), doc, problems, constructor, budget, depth + 1)
                for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _STD + "map":
            problems.append(doc.problem(path, _tag_message(node.tag)))
            return None
        out: dict[str, Any] = {}
        first_at: dict[str, tuple[int, int]] = {}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(_merge_pairs(value_node, doc, path, problems))
                continue
            if not isinstance(key_node, ScalarNode):
                line, col = _mark(key_node)
                problems.append(Problem(doc.file, line, col, "a key must be a plain word or number, "
                                        "not a list or mapping"))
                continue
            key = str(key_node.value)
            if key in first_at:
                line, col = _mark(key_node)
                problems.append(Problem(doc.file, line, col, f"duplicate key '{key}' (first at line "
                                        f"{first_at[key][0]}): remove one; YAML readers would silently keep the last"))
                continue
            first_at[key] = _mark(key_node)
            doc.key_marks[path + (key,)] = _mark(key_node)
            out[key] = _convert(value_node, path + (key,), doc, problems, constructor, budget, depth + 1)
        for key_node, value_node in merged:  # explicit keys win over merged ones, as YAML says
            key = str(key_node.value)
            if key not in out:
                doc.key_marks[path + (key,)] = _mark(key_node)
                out[key] = _convert(value_node, path + (key,), doc, problems, constructor, budget, depth + 1)
        return out
    return None  # pragma: no cover - the composer builds no other node kinds


_SYNTAX_HINTS = (
    ("'\\t'", "YAML indents with spaces, not tabs"),
    ("expected <block end>", "check this line's indentation against the lines above"),
    ("mapping values are not allowed", "a ': ' inside a value: put the value in quotes, or give the "
                                       "line above its missing ':'"),
    ("cannot start any token", "put the value in quotes"),
    ("quoted scalar", "a quote is opened and never closed"),
    ("expected the node content", "a value is missing here, or a '[' or '{' before it is not closed"),
    ("flow sequence", "a '[' is not closed, or items lack a ','"),
    ("flow mapping", "a '{' is not closed, or entries lack a ','"),
    ("undefined alias", "an alias (*name) needs an anchor (&name) earlier in the file"),
    ("another document", "a scenario is one YAML document: remove the '---' line"),
)


def _syntax_message(e: yaml.MarkedYAMLError) -> str:
    """PyYAML's account of a syntax error, with where it started and a hint at the usual cause."""
    problem = (e.problem or "").removeprefix("but ")  # 'but found another document'
    text = f"YAML syntax error: {problem or e.context}"
    if problem and e.context:
        cm, pm = e.context_mark, e.problem_mark
        started = f" at line {cm.line + 1}, column {cm.column + 1}" if cm and pm and cm.line != pm.line else ""
        text += f" ({e.context}{started})"
    said = f"{e.context} {e.problem}"
    hint = _flow_hint(e) or next((h for needle, h in _SYNTAX_HINTS if needle in said), None)
    return text + (f": {hint}" if hint else "")


def _flow_hint(e: yaml.MarkedYAMLError) -> str | None:
    """The usual cause of an error inside `{...}` or `[...]`: a plain value holding '?', ': ' or
    ' #', which YAML reads as a key marker, a key or a comment there (`question: Act or wait?`)."""
    context, problem = e.context or "", e.problem or ""
    if "flow" not in context or "expected ','" not in problem:
        return None
    if problem.endswith("'?'") or problem.endswith("':'"):
        return (f"inside '{{...}}' or '[...]' a value holding {problem[-3:]} must be in quotes "
                "(question: \"Act or wait?\"), or an entry before it lacks a ','")
    cm, pm = e.context_mark, e.problem_mark
    if cm is not None and pm is not None and cm.buffer is not None and pm.line > cm.line:
        written = cm.buffer[cm.pointer:pm.pointer]
        if re.search(r"\s#", re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "", written)):
            return ("a ' #' inside '{...}' or '[...]' starts a comment, which hides the rest of the line: "
                    "put the value holding '#' in quotes")
    return None


_FLOAT_MAX = int(sys.float_info.max)


def _short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}...{text[-10:]} ({len(text):,} characters)"


def _tag_message(tag: str) -> str:
    return (f"the tag '{show_tag(tag)}' is not allowed (it was not run): a scenario file holds plain "
            "data; remove the tag")


def _merge_pairs(value: Node, doc: Document, path: Path, problems: list[Problem]) -> list[tuple[Node, Node]]:
    sources = value.value if isinstance(value, SequenceNode) else [value]
    pairs: list[tuple[Node, Node]] = []
    for src in sources:
        if not isinstance(src, MappingNode):
            line, col = _mark(src)
            problems.append(Problem(doc.file, line, col, "'<<' merges a mapping (or a list of mappings) only"))
            continue
        pairs.extend((k, v) for k, v in src.value if isinstance(k, ScalarNode) and k.tag != _MERGE)
    return pairs
