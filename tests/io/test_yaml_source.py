"""Reading YAML safely: plain data only, positions kept, hostile or broken files refused with a reason."""

from __future__ import annotations

import time

import pytest

from model.io import loads
from model.io.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_yaml

OK = "scenario: {id: s, title: T}\ncriteria: [{id: cost}]\noptions: [{id: a, impacts: {cost: 1}}]\n"


def test_positions_of_values_and_keys_are_one_based():
    doc = parse_yaml("a:\n  b: [x, yy]\n", "f.yaml")
    assert doc.data == {"a": {"b": ["x", "yy"]}}
    assert doc.at(("a", "b", 1)) == (2, 10)  # 'yy'
    assert doc.at(("a", "b"), key=True) == (2, 3)  # the key 'b'
    assert doc.at(("a", "nope", 3)) == doc.at(("a",))  # the nearest node that exists


def test_dates_are_kept_as_iso_text():
    assert loads(OK.replace("title: T", "title: T, as_of: 2025-11-01")).meta.as_of == "2025-11-01"


def test_byte_order_mark_is_ignored():
    assert loads(b"\xef\xbb\xbf" + OK.encode()).meta.id == "s"


def test_merge_keys_copy_a_mapping_and_explicit_keys_win():
    text = OK + "sources:\n  base: &b {kind: newspaper, reliability: B, outlet: X}\n  nyt: {<<: *b, outlet: NYT}\n"
    nyt = loads(text).sources["nyt"]
    assert (nyt.outlet, nyt.kind, nyt.reliability) == ("NYT", "newspaper", "B")


@pytest.mark.parametrize("text, message", [
    ("a: !!int abc\n", "1:4: 'abc' is not a valid !!int value: remove the tag or fix the value"),
    ("a: !!timestamp yesterday\n", "1:4: 'yesterday' is not a valid !!timestamp value: remove the tag or fix the value"),
    ("a: !!binary aGk=\n", "1:4: the tag '!!binary' is not allowed (it was not run): a scenario file holds plain "
                           "data; remove the tag"),
    ("a: !!set {x}\n", "1:4: the tag '!!set' is not allowed (it was not run): a scenario file holds plain data; "
                       "remove the tag"),
    ("a: !secret x\n", "1:4: the tag '!secret' is not allowed (it was not run): a scenario file holds plain data; "
                       "remove the tag"),
    ("? [a, b]\n: 1\n", "1:3: a key must be a plain word or number, not a list or mapping"),
    ("a: &x 1\nb: {<<: *x}\n", "1:4: '<<' merges a mapping (or a list of mappings) only"),
    ("a: 1\n---\nb: 2\n", "2:1: YAML syntax error: found another document (expected a single document in the "
                          "stream at line 1, column 1): a scenario is one YAML document: remove the '---' line"),
    ("a: *nope\n", "1:4: YAML syntax error: found undefined alias 'nope': an alias (*name) needs an anchor "
                   "(&name) earlier in the file"),
    ("a: 'open\n", "2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at "
                   "line 1, column 4): a quote is opened and never closed"),
    ("a: b: c\n", "1:5: YAML syntax error: mapping values are not allowed here: a ': ' inside a value: put the "
                  "value in quotes, or give the line above its missing ':'"),
    # the README's own first example: '?' or ': ' in a plain value inside {...} (issue 15)
    ("s: {q: Act or wait?, b: c}\n", "1:19: YAML syntax error: expected ',' or '}', but got '?' (while parsing a "
                                     "flow mapping): inside '{...}' or '[...]' a value holding '?' must be in quotes "
                                     "(question: \"Act or wait?\"), or an entry before it lacks a ','"),
    ("s: [a, b: c: d]\n", "1:12: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence): "
                          "inside '{...}' or '[...]' a value holding ':' must be in quotes (question: \"Act or "
                          "wait?\"), or an entry before it lacks a ','"),
    ("s: {q: Act # now, b: c}\nt: 1\n", "2:1: YAML syntax error: expected ',' or '}', but got '<scalar>' (while "
                                        "parsing a flow mapping at line 1, column 4): a ' #' inside '{...}' or "
                                        "'[...]' starts a comment, which hides the rest of the line: put the value "
                                        "holding '#' in quotes"),
    ("a: x\x07y\n", "1:5: the character U+0007 (a control character) is not allowed in a YAML file: remove it"),
    ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
     f"1:{4 + MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels: refused"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "1:1: nesting is too deep to read"),
])
def test_refused(problems, text, message):
    assert problems(text) == [f"f.yaml:{message}"]


def test_aliases_may_share_a_large_node_below_the_limit():
    # 9 copies of a 9-item list of 9-item lists: 1 + 9 * (1 + 9 * (1 + 9)) = 820 nodes, well below the limit
    text = OK + "x0: &x0 [1, 2, 3, 4, 5, 6, 7, 8, 9]\nx1: &x1 [*x0, *x0, *x0, *x0, *x0, *x0, *x0, *x0, *x0]\n" \
                "x2: [*x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1]\n"
    doc = parse_yaml(text, "f.yaml")
    assert doc.data["x2"][8][8] == list(range(1, 10))
    assert MAX_NODES >= 500_000


def test_a_large_text_is_refused_before_it_is_parsed(problems):
    text = "a: " + "x" * MAX_BYTES + "\n"
    start = time.perf_counter()
    got = problems(text)
    assert time.perf_counter() - start < 2
    assert got == [f"f.yaml:1:1: file is larger than {MAX_BYTES:,} bytes; scenario files are limited to that"]


@pytest.mark.parametrize("written, shown", [
    ("1" + "0" * 400, "10000000000000000000...0000000000 (401 characters)"),  # an int no float can hold
    ("1e999", "1e999"),
    ("-" + "9" * 5000, "-9999999999999999999...9999999999 (5,001 characters)"),  # past Python's 4,300 digits
])
def test_numbers_beyond_a_float_are_refused_where_yaml_is_read(problems, at, written, shown):
    text = OK.replace("cost: 1", f"cost: {written}")
    assert problems(text) == [f"f.yaml:{at(text, written)}: {shown} is too large for a number"]
