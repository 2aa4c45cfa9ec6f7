"""The JSON export's shared encoder (no cycle check, issue 15 speed) writes what json.dumps
with the documented options writes, for every family's record."""

from __future__ import annotations

import json

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.writers import site_env
from quizgen.writers.json import _ENCODER


def test_encoder_without_cycle_check_writes_what_json_dumps_writes():
    for family in load_bank():
        record = variant(family, 0, 0).to_dict()
        assert _ENCODER.encode(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def test_site_json_script_encoder_writes_what_json_dumps_writes():
    data = {"b": [1.5, -0.0, 1e-07, "</script> & ≈"], "a": {"z": None, "y": True}}
    assert site_env._JSON.encode(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                                                     sort_keys=True, allow_nan=False)
