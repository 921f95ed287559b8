"""Reciprocal rank fusion over hand-written ranked lists."""
from __future__ import annotations

import pytest

from index.fusion import rrf


def ranked(scores: dict) -> list:
    return sorted(scores, key=lambda item: -scores[item])


def test_scores_are_reciprocal_ranks_summed_over_lists():
    scores = rrf([[1, 2, 3], [3, 1]], k=60)
    assert scores[1] == pytest.approx(1 / 61 + 1 / 62)
    assert scores[2] == pytest.approx(1 / 62)
    assert scores[3] == pytest.approx(1 / 63 + 1 / 61)
    assert ranked(scores) == [1, 3, 2]


def test_an_id_in_only_one_list_scores_that_list_alone():
    scores = rrf([["a", "b"], ["c"]])
    assert set(scores) == {"a", "b", "c"}
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["a"] == scores["c"] == pytest.approx(1 / 61)


def test_mirrored_lists_tie():
    scores = rrf([["x", "y"], ["y", "x"]])
    assert scores["x"] == pytest.approx(scores["y"])


def test_agreement_beats_one_first_place():
    # second in both lists outranks first in one list only
    scores = rrf([["solo", "both"], ["other", "both"]])
    assert ranked(scores)[0] == "both"


def test_weights_scale_each_list():
    scores = rrf([["lexical"], ["dense"]], weights=[2.0, 1.0])
    assert scores["lexical"] == pytest.approx(2 / 61)
    assert scores["dense"] == pytest.approx(1 / 61)
    zero = rrf([["lexical"], ["dense"]], weights=[0.0, 1.0])
    assert ranked(zero) == ["dense", "lexical"] and zero["lexical"] == 0.0


def test_k_flattens_the_curve():
    sharp = rrf([["a", "b"]], k=1)
    flat = rrf([["a", "b"]], k=1000)
    assert sharp["a"] / sharp["b"] == pytest.approx(3 / 2)
    assert flat["a"] / flat["b"] == pytest.approx(1002 / 1001)


def test_no_lists_or_empty_lists_give_nothing():
    assert rrf([]) == {}
    assert rrf([[], []]) == {}
