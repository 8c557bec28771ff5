"""Gradient boosting, written with loops (a correct alternative to the reference)."""
import math

import numpy as np


def best_split(X, r, min_samples_leaf=1):
    """Sort each feature once, then walk the cuts with running sums (plain Python floats).

    SSE(side) = Σr² − (Σr)²/n_side; gain = (SSE(parent) − SSE(left) − SSE(right)) / n.
    """
    X = np.asarray(X, dtype=float)
    r = np.asarray(r, dtype=float)
    n, d = X.shape
    total, total_sq = float(np.sum(r)), float(np.sum(r * r))
    sse_parent = total_sq - total * total / n
    best = None
    for j in range(d):
        order = np.argsort(X[:, j], kind="mergesort")
        xs, rs = X[order, j].tolist(), r[order].tolist()
        s_left = sq_left = 0.0
        for i in range(n - 1):
            s_left += rs[i]
            sq_left += rs[i] * rs[i]
            n_left, n_right = i + 1, n - i - 1
            if xs[i] == xs[i + 1] or n_left < min_samples_leaf or n_right < min_samples_leaf:
                continue
            s_right, sq_right = total - s_left, total_sq - sq_left
            sse = (sq_left - s_left * s_left / n_left) + (sq_right - s_right * s_right / n_right)
            gain = (sse_parent - sse) / n
            if best is None or gain > best[2]:
                best = (j, (xs[i] + xs[i + 1]) / 2, gain)
    return best


def fit_tree(X, r, max_depth, min_samples_leaf=1, hessian=None):
    X = np.asarray(X, dtype=float)
    r = np.asarray(r, dtype=float)
    h = np.ones(len(r)) if hessian is None else np.asarray(hessian, dtype=float)
    root = {}
    stack = [(root, np.arange(len(r)), 0)]
    while stack:
        node, rows, depth = stack.pop()
        node["leaf"] = True
        node["value"] = float(np.sum(r[rows]) / np.sum(h[rows]))
        node["n_samples"] = len(rows)
        node["impurity"] = float(np.var(r[rows]))
        if depth == max_depth or np.ptp(r[rows]) == 0:
            continue
        split = best_split(X[rows], r[rows], min_samples_leaf)
        if split is None:
            continue
        j, t, _ = split
        node["leaf"] = False
        node["feature"], node["threshold"] = j, t
        node["left"], node["right"] = {}, {}
        mask = X[rows, j] <= t
        stack.append((node["left"], rows[mask], depth + 1))
        stack.append((node["right"], rows[~mask], depth + 1))
    return root


def _leaf(tree, x):
    node = tree
    while not node["leaf"]:
        node = node["left"] if x[node["feature"]] <= node["threshold"] else node["right"]
    return node


def predict_tree(tree, X):
    return np.array([_leaf(tree, x)["value"] for x in np.asarray(X, dtype=float)])


def fit_gb_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                     min_samples_leaf=1):
    y = np.asarray(y, dtype=float)
    F = np.ones(len(y)) * y.mean()
    model = {"init": float(y.mean()), "learning_rate": learning_rate, "trees": [],
             "train_loss": []}
    for _ in range(n_estimators):
        tree = fit_tree(X, y - F, max_depth, min_samples_leaf)
        F = F + learning_rate * predict_tree(tree, X)
        model["trees"].append(tree)
        model["train_loss"].append(float(np.mean((y - F) ** 2)))
    model["train_loss"] = np.array(model["train_loss"])
    return model


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def fit_gb_classifier(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                      min_samples_leaf=1):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    p0 = y.mean()
    F = np.full(len(y), math.log(p0 / (1 - p0)))
    model = {"init": math.log(p0 / (1 - p0)), "learning_rate": learning_rate, "trees": [],
             "train_loss": np.zeros(n_estimators)}
    for m in range(n_estimators):
        p = _sigmoid(F)
        r = y - p
        tree = fit_tree(X, r, max_depth, min_samples_leaf)        # leaves: mean of r
        leaf_of = [id(_leaf(tree, x)) for x in X]
        leaves = {}
        stack = [tree]
        while stack:
            node = stack.pop()
            if node["leaf"]:
                leaves[id(node)] = node
            else:
                stack += [node["left"], node["right"]]
        for key, node in leaves.items():               # one Newton step per leaf
            rows = [i for i, k in enumerate(leaf_of) if k == key]
            node["value"] = float(np.sum(r[rows]) / np.sum(p[rows] * (1 - p[rows])))
        F = F + learning_rate * predict_tree(tree, X)
        model["trees"].append(tree)
        model["train_loss"][m] = np.mean(np.log1p(np.exp(F)) - y * F)
    return model


def predict_raw(model, X):
    return staged_predict_raw(model, X)[-1]


def staged_predict_raw(model, X):
    F = np.full(len(X), float(model["init"]))
    rows = []
    for tree in model["trees"]:
        F = F + model["learning_rate"] * predict_tree(tree, X)
        rows.append(F)
    return np.array(rows)


def predict_proba(model, X):
    return _sigmoid(predict_raw(model, X))


def feature_importances(model, n_features):
    imp = [0.0] * n_features

    def visit(node):
        if node["leaf"]:
            return
        l, r = node["left"], node["right"]
        imp[node["feature"]] += (node["n_samples"] * node["impurity"]
                                 - l["n_samples"] * l["impurity"]
                                 - r["n_samples"] * r["impurity"])
        visit(l)
        visit(r)

    for tree in model["trees"]:
        visit(tree)
    total = sum(imp)
    return np.array([v / total for v in imp])
