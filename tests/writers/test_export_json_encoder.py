"""The JSON export's encoder (orjson, issue 15 speed) writes the data json.dumps with the
documented options writes, for every family's record: the same floats to the bit (sign of zero
included), strings, keys and order; only a number's spelling may differ (1e-9 for 1e-09)."""

from __future__ import annotations

import json

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.writers import site_env
from quizgen.writers.json import encode


def test_encoder_writes_the_data_json_dumps_writes_for_every_family():
    for family in load_bank():
        for index in (0, 1):
            record = variant(family, index, 0).to_dict()
            reread = json.loads(encode(record))  # strict JSON: no NaN, no Infinity
            # the stdlib re-encoding spells each float as its repr: equal text means equal bits
            assert json.dumps(reread, ensure_ascii=False) == json.dumps(record, ensure_ascii=False), family.id


def test_record_with_nested_dataclasses_encodes_as_to_dict_for_every_family():
    # orjson writes a dataclass's fields in order and skips names beginning with "_": a record
    # field so named, or an attribute set outside the fields, would make these differ
    for family in load_bank():
        for index in (0, 1, 2):
            question = variant(family, index, 0)
            assert encode(question.top_level()) == encode(question.to_dict()), family.id


def test_encoder_is_compact_utf8_and_keeps_awkward_values():
    data = {"z": [-0.0, 1e-05, 1e-09, 1e16, 0.1, 2**64 - 1], "a": "≈ </script> \"\\ \n\u2028", "m": None}
    text = encode(data)
    assert "≈".encode() in text and b"\\u2248" not in text  # non-ASCII text as itself, in UTF-8
    assert b", " not in text and b'": ' not in text  # no separators' spaces
    assert list(json.loads(text)) == ["z", "a", "m"]  # insertion order, not sorted
    assert json.dumps(json.loads(text)) == json.dumps(data)


def test_site_json_script_encoder_writes_what_json_dumps_writes():
    data = {"b": [1.5, -0.0, 1e-07, "</script> & ≈"], "a": {"z": None, "y": True}}
    assert site_env._JSON.encode(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                                                     sort_keys=True, allow_nan=False)
