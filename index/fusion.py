"""Reciprocal rank fusion: a pure function over ranked id lists."""
from __future__ import annotations

from collections.abc import Hashable, Sequence

__all__ = ["rrf"]


def rrf(rankings: Sequence[Sequence[Hashable]], k: int = 60, weights: Sequence[float] | None = None) -> dict:
    """Fuse ranked lists (best first): score(id) = Σ weight / (k + rank), rank from 1. Returns id -> score."""
    weights = [1.0] * len(rankings) if weights is None else weights
    if len(weights) != len(rankings):
        raise ValueError(f"rrf: {len(rankings)} rankings but {len(weights)} weights")
    scores: dict = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores
