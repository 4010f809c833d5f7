"""The shipped OSIICS table keeps the classification's structure: the first character is the body area (``M`` for
an illness), the second the tissue and pathology type (an illness: the organ system), each letter meaning one thing."""

from __future__ import annotations

from collections import defaultdict

from operational.medical.osiics import PAIRED_BODY_AREAS, codes, lookup


def test_every_code_reads_as_body_area_then_tissue():
    for code in codes().values():
        assert code.code[0] == code.body_area_code, code
        assert code.code[1] == code.tissue_code, code
        assert code.group == code.code[:2]
        assert (code.kind == "illness") == (code.body_area_code == "M"), code


def test_each_letter_means_one_thing():
    meanings = defaultdict(set)
    for code in codes().values():
        meanings[("area", code.body_area_code)].add(code.body_area)
        if code.kind == "injury":
            meanings[("tissue", code.tissue_code)].add(code.tissue_pathology)
    assert {key: names for key, names in meanings.items() if len(names) > 1} == {}


def test_a_side_is_needed_on_the_limbs_only():
    assert lookup("kl3").needs_side and lookup("AL1").needs_side and lookup("SDA").needs_side
    assert not lookup("HN1").needs_side and not lookup("LM1").needs_side and not lookup("MPIX").needs_side
    assert frozenset("SUERWPGTKQAF") == PAIRED_BODY_AREAS
