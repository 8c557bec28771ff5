"""A CART decision tree from scratch: impurities, the best split, growing and predicting.

NumPy only. Conventions (see README.md):

- labels are integers 0 … K−1; a node's prediction is the most frequent label, ties to the
  smallest label (np.argmax of the class counts);
- gini = 1 − Σ p_k², entropy = −Σ p_k log2 p_k (base 2, 0·log 0 = 0);
- candidate thresholds are the midpoints between consecutive DISTINCT sorted values;
- a sample goes LEFT when x[feature] <= threshold (like sklearn);
- best split = largest impurity decrease; ties go to the lowest feature index, then the
  lowest threshold;
- a tree is a nested dict (see fit_tree).
"""

from __future__ import annotations

import numpy as np

CRITERIA = ("gini", "entropy")


# ---- impurities ------------------------------------------------------------------------
def _impurity_from_counts(counts, criterion):
    """Impurity of one node, or of many nodes at once: counts (..., K) class counts."""
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum(axis=-1, keepdims=True)
    p = counts / np.where(n > 0, n, 1.0)
    if criterion == "gini":
        return 1.0 - np.sum(p * p, axis=-1)
    if criterion == "entropy":
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
        return -np.sum(terms, axis=-1) + 0.0       # + 0.0 turns −0.0 into 0.0
    raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")


def _counts(y):
    return np.unique(np.asarray(y), return_counts=True)[1]


def gini(y):
    """Gini impurity 1 − Σ_k p_k² of the labels y (n,), n ≥ 1."""
    return float(_impurity_from_counts(_counts(y), "gini"))


def entropy(y):
    """Entropy −Σ_k p_k log2 p_k of the labels y (n,), in bits (0·log 0 = 0)."""
    return float(_impurity_from_counts(_counts(y), "entropy"))


def impurity(y, criterion="gini"):
    """gini(y) or entropy(y)."""
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    return gini(y) if criterion == "gini" else entropy(y)


def impurity_decrease(y_parent, y_left, y_right, criterion="gini"):
    """I(parent) − (n_left/n)·I(left) − (n_right/n)·I(right)."""
    n, n_left, n_right = len(y_parent), len(y_left), len(y_right)
    return float(impurity(y_parent, criterion)
                 - n_left / n * impurity(y_left, criterion)
                 - n_right / n * impurity(y_right, criterion))


# ---- splits ----------------------------------------------------------------------------
def candidate_thresholds(x):
    """Midpoints between consecutive distinct sorted values of x (n,): shape (n_distinct − 1,)."""
    values = np.unique(np.asarray(x, dtype=np.float64))   # sorted, duplicates removed
    return (values[:-1] + values[1:]) / 2.0


def _feature_gains(x, y, n_classes, criterion):
    """All candidate thresholds of one feature and their impurity decreases (vectorised).

    Sort once; the class counts left of every cut are a cumulative sum of one-hot labels.
    """
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    n = len(y)
    left_counts = np.cumsum(np.eye(n_classes)[ys], axis=0)[:-1]     # cut after sample i
    cuts = np.flatnonzero(xs[1:] > xs[:-1])                          # only between distinct values
    left_counts = left_counts[cuts]
    right_counts = np.bincount(y, minlength=n_classes) - left_counts
    n_left = (cuts + 1).astype(np.float64)
    n_right = n - n_left
    parent = _impurity_from_counts(np.bincount(y, minlength=n_classes), criterion)
    gains = (parent - n_left / n * _impurity_from_counts(left_counts, criterion)
             - n_right / n * _impurity_from_counts(right_counts, criterion))
    thresholds = (xs[cuts] + xs[cuts + 1]) / 2.0
    return thresholds, gains


def best_split(X, y, criterion="gini"):
    """The split with the largest impurity decrease: (feature, threshold, gain), or None.

    Ties go to the lowest feature index, then to the lowest threshold. None when no feature
    has two distinct values (nothing to split).
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    n_classes = int(y.max()) + 1
    best = None
    for feature in range(X.shape[1]):
        thresholds, gains = _feature_gains(X[:, feature], y, n_classes, criterion)
        if len(gains) == 0:
            continue
        i = len(gains) - 1 - int(np.argmax(gains[::-1]))   # last maximum
        if best is None or gains[i] >= best[2]:           # >=: a tie goes to the later feature
            best = (feature, float(thresholds[i]), float(gains[i]))
    return best


# ---- the tree --------------------------------------------------------------------------
def fit_tree(X, y, max_depth=None, min_samples_split=2, criterion="gini"):
    """Grow a CART tree greedily, as a nested dict.

    Every node: {"leaf": bool, "prediction": int, "n_samples": int, "impurity": float}.
    A split node also has "feature" (int), "threshold" (float), "left" and "right" (nodes);
    samples with x[feature] <= threshold go left.

    A node is a leaf when it is pure, at depth max_depth (the root has depth 0), has fewer
    than min_samples_split samples, or no feature has two distinct values. Otherwise it is
    split at best_split, even when the best gain is 0 (as sklearn does).
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    n_classes = int(y.max()) + 1

    def grow(rows, depth):
        y_node = y[rows]
        counts = np.bincount(y_node, minlength=n_classes)
        node = {"leaf": True, "prediction": int(np.argmax(counts)),
                "n_samples": int(len(rows)),
                "impurity": float(_impurity_from_counts(counts, criterion))}
        if (node["impurity"] == 0.0 or len(rows) < min_samples_split
                or (max_depth is not None and depth >= max_depth)):
            return node
        split = best_split(X[rows], y_node, criterion)
        if split is None:
            return node
        feature, threshold, _gain = split
        goes_left = X[rows, feature] <= threshold
        node.update(leaf=False, feature=int(feature), threshold=float(threshold),
                    left=grow(rows[goes_left], depth + 1),
                    right=grow(rows[~goes_left], depth + 1))
        return node

    return grow(np.arange(len(y)), 0)


def predict(tree, X):
    """Labels (n,) int64: each row walks from the root to a leaf (x[feature] <= threshold → left)."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty(len(X), dtype=np.int64)
    for i, x in enumerate(X):
        node = tree
        while not node["leaf"]:
            node = node["left"] if x[node["feature"]] <= node["threshold"] else node["right"]
        out[i] = node["prediction"]
    return out

