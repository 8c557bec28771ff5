"""06 · A CART decision tree from scratch — NumPy only.

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (conventions, tie rule, the tree format) is in ../README.md.
Check your work with `mlgrade check 06_decision_tree`.

Notation: X is (n, d) float64, y is (n,) int64 with labels 0 … K−1.
A sample goes LEFT when x[feature] <= threshold.
"""

from __future__ import annotations

import numpy as np


def gini(y):
    """Gini impurity of a node.

    Args:
        y: int array (n,), n >= 1, the labels in the node.

    Returns:
        float: 1 − Σ_k p_k², with p_k = (number of labels equal to k) / n.
    """
    raise NotImplementedError("gini: see README.md")


def entropy(y):
    """Entropy of a node, in bits.

    Args:
        y: int array (n,), n >= 1.

    Returns:
        float: −Σ_k p_k · log2(p_k) over the classes present (0 · log 0 counts as 0).
    """
    raise NotImplementedError("entropy: see README.md")


def impurity_decrease(y_parent, y_left, y_right, criterion="gini"):
    """The gain of a split: how much it lowers the impurity.

    Args:
        y_parent: int array (n,); y_left (n_left,) and y_right (n_right,) its two parts.
        criterion: "gini" or "entropy" (anything else: raise ValueError).

    Returns:
        float: I(parent) − (n_left / n) · I(left) − (n_right / n) · I(right).
    """
    raise NotImplementedError("impurity_decrease: see README.md")


def candidate_thresholds(x):
    """The thresholds worth trying on one feature.

    Args:
        x: float array (n,), one column of X.

    Returns:
        float64 array (n_distinct − 1,): the midpoints (v[i] + v[i+1]) / 2 between
        consecutive values of v = the sorted DISTINCT values of x (empty if x is constant).
    """
    raise NotImplementedError("candidate_thresholds: see README.md")


def best_split(X, y, criterion="gini"):
    """The split of (X, y) with the largest impurity decrease.

    Try every feature and every candidate threshold of that feature; the samples with
    X[:, feature] <= threshold go left. Ties: the lowest feature index wins, then the
    lowest threshold.

    Args:
        X: float array (n, d); y: int array (n,); criterion: "gini" or "entropy".

    Returns:
        tuple (feature: int, threshold: float, gain: float), or None when no feature has
        two distinct values.
    """
    raise NotImplementedError("best_split: see README.md")


def fit_tree(X, y, max_depth=None, min_samples_split=2, criterion="gini"):
    """Grow a CART tree greedily (recursively), as nested dicts.

    Every node is a dict with
        "leaf": bool, "prediction": int (majority label, ties to the smallest),
        "n_samples": int, "impurity": float;
    a split node (leaf False) also has
        "feature": int, "threshold": float, "left": node, "right": node.

    A node is a leaf when it is pure, its depth equals max_depth (the root has depth 0;
    None = no limit), it has fewer than min_samples_split samples, or best_split returns
    None. Otherwise it is split at best_split, even when the gain is 0.

    Args:
        X: float array (n, d); y: int array (n,) with labels 0 … K−1.

    Returns:
        dict: the root node.
    """
    raise NotImplementedError("fit_tree: see README.md")


def predict(tree, X):
    """Labels for the rows of X.

    Each row starts at the root and goes left when x[feature] <= threshold, right
    otherwise, until a leaf; it gets the leaf's "prediction".

    Args:
        tree: a root node as returned by fit_tree; X: float array (n, d).

    Returns:
        int64 array (n,).
    """
    raise NotImplementedError("predict: see README.md")
