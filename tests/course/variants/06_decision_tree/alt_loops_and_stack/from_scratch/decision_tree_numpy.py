"""A correct CART written differently: plain loops and masks, bincount impurities with an
explicit 0·log 0 guard, midpoints as a + (b − a)/2, an iterative (stack) tree builder and a
vectorised predict."""

import numpy as np


def _probs(y):
    counts = np.bincount(np.asarray(y, dtype=np.int64))
    return counts / counts.sum()


def gini(y):
    p = _probs(y)
    return float(1.0 - (p ** 2).sum())


def entropy(y):
    total = 0.0
    for p in _probs(y):
        if p > 0:
            total -= p * np.log2(p)
    return float(total)


def _imp(y, criterion):
    if criterion == "gini":
        return gini(y)
    if criterion == "entropy":
        return entropy(y)
    raise ValueError(criterion)


def impurity_decrease(y_parent, y_left, y_right, criterion="gini"):
    n = len(y_parent)
    weighted = (len(y_left) * _imp(y_left, criterion) + len(y_right) * _imp(y_right, criterion)) / n
    return _imp(y_parent, criterion) - weighted


def candidate_thresholds(x):
    v = sorted(set(float(a) for a in x))
    return np.array([v[i] + (v[i + 1] - v[i]) / 2 for i in range(len(v) - 1)], dtype=np.float64)


def best_split(X, y, criterion="gini"):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    best_gain, best = -np.inf, None
    for j in range(X.shape[1]):
        for t in candidate_thresholds(X[:, j]):
            mask = X[:, j] <= t
            g = impurity_decrease(y, y[mask], y[~mask], criterion)
            if g > best_gain:
                best_gain, best = g, (j, float(t), float(g))
    return best


def fit_tree(X, y, max_depth=None, min_samples_split=2, criterion="gini"):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    k = int(y.max()) + 1
    root = {}
    stack = [(root, np.arange(len(y)), 0)]
    while stack:
        node, idx, depth = stack.pop()
        counts = np.bincount(y[idx], minlength=k)
        node["leaf"] = True
        node["prediction"] = int(np.flatnonzero(counts == counts.max())[0])
        node["n_samples"] = len(idx)
        node["impurity"] = _imp(y[idx], criterion)
        if counts.max() == len(idx):
            continue
        if max_depth is not None and depth == max_depth:
            continue
        if len(idx) < min_samples_split:
            continue
        split = best_split(X[idx], y[idx], criterion)
        if split is None:
            continue
        j, t, _ = split
        go_left = X[idx, j] <= t
        node.update({"leaf": False, "feature": j, "threshold": t, "left": {}, "right": {}})
        stack.append((node["right"], idx[~go_left], depth + 1))
        stack.append((node["left"], idx[go_left], depth + 1))
    return root


def predict(tree, X):
    X = np.asarray(X, dtype=np.float64)
    out = np.zeros(len(X), dtype=np.int64)

    def fill(node, rows):
        if node["leaf"]:
            out[rows] = node["prediction"]
            return
        left = X[rows, node["feature"]] <= node["threshold"]
        fill(node["left"], rows[left])
        fill(node["right"], rows[~left])

    fill(tree, np.arange(len(X)))
    return out
