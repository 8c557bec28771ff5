"""Random forest from scratch: bootstrap sampling, bagging, soft vote, out-of-bag score.

NumPy only. The base learner (`fit_tree`, `tree_predict_proba`) is given: the lesson is
everything around it. Labels are integers 0..K-1; a tree and a forest are plain dicts of
NumPy arrays, so they can be inspected (and graded) like any other data.
"""

from __future__ import annotations

import numpy as np

# --------------------------------------------------------------------------------------
# GIVEN: the base learner. A CART classification tree (Gini impurity) that looks at a
# random subset of `max_features` features at every split. You do not need to change it.
# --------------------------------------------------------------------------------------


def resolve_max_features(max_features, n_features):
    """Number of features examined per split: None → all, "sqrt" → ⌊√d⌋, int → itself."""
    if max_features is None:
        return n_features
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    return int(min(max(1, max_features), n_features))


def fit_tree(X, y, n_classes, max_depth=None, max_features=None, rng=None):
    """Fit a CART classification tree (Gini) and return it as a dict of flat arrays.

    X (n, d) float64, y (n,) int in 0..n_classes-1. max_depth=None grows until leaves are
    pure. At every split a random subset of `resolve_max_features(max_features, d)`
    features is examined, drawn with `rng.choice(d, size=k, replace=False)` (no draw when
    k == d). `rng` is a np.random.Generator (or a seed). A sample goes left when
    x[feature] <= threshold; thresholds are midpoints between consecutive sorted values.

    Returns {"feature": int64 (m,), "threshold": float64 (m,), "left": int64 (m,),
    "right": int64 (m,), "value": float64 (m, n_classes)} for m nodes, node 0 the root;
    leaves have feature = left = right = -1; value[i] is the class distribution
    (proportions) of the training samples that reach node i.
    """
    rng = np.random.default_rng(rng)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    n_features = X.shape[1]
    k = resolve_max_features(max_features, n_features)
    feature, threshold, left, right, value = [], [], [], [], []

    def best_split(rows):
        """(feature, threshold) of the best Gini split of `rows`, or None."""
        feats = np.arange(n_features) if k == n_features else np.sort(
            rng.choice(n_features, size=k, replace=False))
        best, best_score = None, -np.inf
        onehot = np.eye(n_classes)[y[rows]]
        n = len(rows)
        for f in feats:
            order = np.argsort(X[rows, f], kind="stable")
            xs = X[rows, f][order]
            cl = np.cumsum(onehot[order], axis=0)[:-1]          # counts left of each cut
            cr = cl[-1] + onehot[order][-1] - cl                 # counts right
            nl = np.arange(1, n, dtype=np.float64)
            valid = xs[1:] > xs[:-1]
            if not valid.any():
                continue
            # minimising the weighted Gini = maximising Σ cl²/nl + Σ cr²/nr
            score = (cl ** 2).sum(axis=1) / nl + (cr ** 2).sum(axis=1) / (n - nl)
            score[~valid] = -np.inf
            i = int(np.argmax(score))
            if score[i] > best_score:
                best_score = score[i]
                best = (int(f), 0.5 * (xs[i] + xs[i + 1]))
        return best

    def grow(rows, depth):
        node = len(feature)
        counts = np.bincount(y[rows], minlength=n_classes).astype(np.float64)
        feature.append(-1)
        threshold.append(0.0)
        left.append(-1)
        right.append(-1)
        value.append(counts / counts.sum())
        if (max_depth is not None and depth >= max_depth) or np.count_nonzero(counts) <= 1:
            return node
        split = best_split(rows)
        if split is None:
            return node
        f, t = split
        go_left = X[rows, f] <= t
        feature[node], threshold[node] = f, t
        left[node] = grow(rows[go_left], depth + 1)
        right[node] = grow(rows[~go_left], depth + 1)
        return node

    grow(np.arange(len(y)), 0)
    return {
        "feature": np.array(feature, dtype=np.int64),
        "threshold": np.array(threshold, dtype=np.float64),
        "left": np.array(left, dtype=np.int64),
        "right": np.array(right, dtype=np.int64),
        "value": np.array(value, dtype=np.float64).reshape(len(value), n_classes),
    }


def tree_predict_proba(tree, X):
    """Class distribution of the leaf each row of X (m, d) falls into: (m, n_classes)."""
    X = np.asarray(X, dtype=np.float64)
    node = np.zeros(len(X), dtype=np.int64)
    while True:
        inner = tree["feature"][node] >= 0
        if not inner.any():
            break
        rows = np.nonzero(inner)[0]
        at = node[rows]
        go_left = X[rows, tree["feature"][at]] <= tree["threshold"][at]
        node[rows] = np.where(go_left, tree["left"][at], tree["right"][at])
    return tree["value"][node]


# --------------------------------------------------------------------------------------
# YOUR WORK: bootstrap, bagging, soft vote, out-of-bag score.
# --------------------------------------------------------------------------------------


def bootstrap_indices(n_samples, rng):
    """n_samples row indices drawn uniformly WITH replacement: int64 (n_samples,).

    rng is a seed (int) or a np.random.Generator; draw with exactly
    `np.random.default_rng(rng).integers(0, n_samples, size=n_samples)`.
    """
    rng = np.random.default_rng(rng)
    return rng.integers(0, n_samples, size=n_samples)


def oob_mask(indices, n_samples):
    """Boolean (n_samples,): True for the rows that do NOT appear in `indices` (out of bag)."""
    in_bag = np.zeros(n_samples, dtype=bool)
    in_bag[np.asarray(indices, dtype=np.int64)] = True
    return ~in_bag


def fit_forest(X, y, n_trees=25, max_depth=None, max_features="sqrt", seed=0):
    """Bagging: every tree is fitted on its own bootstrap sample of (X, y).

    rng = np.random.default_rng(seed), then for t = 0..n_trees-1, in this order:
        idx = bootstrap_indices(n, rng)
        tree = fit_tree(X[idx], y[idx], n_classes, max_depth, max_features, rng)
    with n_classes = y.max() + 1. Returns {"trees": [tree, ...], "bootstrap": int64
    (n_trees, n) — row t is the idx of tree t —, "n_classes": int}.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    rng = np.random.default_rng(seed)
    n_classes = int(y.max()) + 1
    bootstrap = [bootstrap_indices(len(y), rng) for _ in range(n_trees)]
    trees = [fit_tree(X[idx], y[idx], n_classes, max_depth, max_features, rng)
             for idx in bootstrap]
    return {"trees": trees, "bootstrap": np.array(bootstrap, dtype=np.int64),
            "n_classes": n_classes}


def forest_predict_proba(forest, X):
    """Soft vote: the mean over trees of tree_predict_proba(tree, X): (m, n_classes)."""
    return np.mean([tree_predict_proba(tree, X) for tree in forest["trees"]], axis=0)


def forest_predict(forest, X):
    """Class with the highest soft-vote probability (ties → smallest class): int64 (m,)."""
    return np.argmax(forest_predict_proba(forest, X), axis=1).astype(np.int64)


def oob_score(forest, X, y):
    """Out-of-bag accuracy of the forest on its own training data (X, y).

    Each row is predicted by the soft vote of only the trees whose bootstrap sample did not
    contain it; rows that are in the bag of every tree are left out. Returns a float.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    n = len(y)
    proba = np.zeros((n, forest["n_classes"]))
    votes = np.zeros(n)
    for tree, idx in zip(forest["trees"], forest["bootstrap"]):
        mask = oob_mask(idx, n)
        proba[mask] += tree_predict_proba(tree, X[mask])
        votes[mask] += 1
    seen = votes > 0
    pred = np.argmax(proba[seen] / votes[seen, None], axis=1)
    return float(np.mean(pred == y[seen]))
