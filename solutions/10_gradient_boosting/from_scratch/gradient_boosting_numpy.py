"""Gradient boosting from scratch: regression trees fitted to residuals, NumPy only.

Conventions (README.md), the same as scikit-learn's GradientBoostingRegressor /
GradientBoostingClassifier with subsample=1.0, max_features=None:

- a regression tree splits on the squared error of its target r: the best split has the
  largest gain MSE(parent) − (n_l/n)·MSE(left) − (n_r/n)·MSE(right);
- candidate thresholds are the midpoints between consecutive DISTINCT sorted values;
  a sample goes LEFT when x[feature] <= threshold;
- a cut is a candidate only if it leaves at least min_samples_leaf samples on each side;
  a node is a leaf at depth max_depth (the root has depth 0), when all its r are equal, or
  when it has no candidate cut;
- a node's value is Σ r / Σ h over its samples (h = 1: the mean of r);
- regressor: F₀ = mean(y); each stage fits a tree to r = y − F and adds lr·tree(x);
- classifier (labels 0/1): F₀ = log(p/(1−p)) with p = mean(y); each stage fits a tree to
  r = y − σ(F) with h = σ(F)(1 − σ(F)), so its leaves are Newton steps Σr / Σp(1−p);
- train_loss[m] is the training loss AFTER stage m (MSE, or the mean log loss).

A tree is a nested dict: every node has "leaf" (bool), "value" (float), "n_samples" (int)
and "impurity" (float, the MSE of r in the node); a split node also has "feature" (int),
"threshold" (float), "left" and "right" (nodes).
"""

from __future__ import annotations

import numpy as np


# ---- one regression tree ---------------------------------------------------------------
def _feature_gains(x, r, min_samples_leaf=1):
    """All candidate thresholds of one feature and their gains (vectorised).

    Sort once; the sum of r left of every cut is a cumulative sum. With S = Σr over the
    node, n_l samples summing to S_l on the left, the gain
        MSE(parent) − (n_l/n)·MSE(left) − (n_r/n)·MSE(right) = (n_l·n_r / n²)·(mean_l − mean_r)²
    (the between-groups part of the variance), which needs no squares of r at all.
    """
    order = np.argsort(x, kind="stable")
    xs, rs = x[order], r[order]
    n = len(r)
    cuts = np.flatnonzero(xs[1:] > xs[:-1])          # cut after sorted position i: distinct values only
    cuts = cuts[(cuts + 1 >= min_samples_leaf) & (n - (cuts + 1) >= min_samples_leaf)]
    n_left = (cuts + 1).astype(np.float64)
    n_right = n - n_left
    sum_left = np.cumsum(rs)[cuts]
    sum_right = rs.sum() - sum_left
    gains = n_left * n_right / n**2 * (sum_left / n_left - sum_right / n_right) ** 2
    thresholds = (xs[cuts] + xs[cuts + 1]) / 2.0
    return thresholds, gains


def best_split(X, r, min_samples_leaf=1):
    """The split of X (n, d) that best reduces the squared error of r (n,).

    Only cuts that leave at least min_samples_leaf samples on each side are candidates.
    Returns (feature, threshold, gain), or None when there is no candidate.
    Ties go to the lowest feature index, then to the lowest threshold.
    """
    X = np.asarray(X, dtype=np.float64)
    r = np.asarray(r, dtype=np.float64)
    best = None
    for feature in range(X.shape[1]):
        thresholds, gains = _feature_gains(X[:, feature], r, min_samples_leaf)
        if len(gains) == 0:
            continue
        i = int(np.argmax(gains))                    # first maximum: the lowest threshold
        if best is None or gains[i] > best[2]:       # strict: an equal gain keeps the lower feature
            best = (feature, float(thresholds[i]), float(gains[i]))
    return best


def fit_tree(X, r, max_depth, min_samples_leaf=1, hessian=None):
    """A regression tree of depth <= max_depth fitted to r, as a nested dict (see above).

    Every leaf keeps at least min_samples_leaf samples.
    Splits are chosen on the squared error of r; every node's value is Σr / Σhessian over
    its samples (hessian=None means all ones: the mean of r).
    """
    X = np.asarray(X, dtype=np.float64)
    r = np.asarray(r, dtype=np.float64)
    h = np.ones_like(r) if hessian is None else np.asarray(hessian, dtype=np.float64)

    def grow(rows, depth):
        r_node = r[rows]
        node = {"leaf": True, "value": float(r_node.sum() / h[rows].sum()),
                "n_samples": int(len(rows)), "impurity": float(np.var(r_node))}
        if depth >= max_depth or len(rows) < 2 * min_samples_leaf or np.all(r_node == r_node[0]):
            return node
        split = best_split(X[rows], r_node, min_samples_leaf)
        if split is None:
            return node
        feature, threshold, _gain = split
        goes_left = X[rows, feature] <= threshold
        node.update(leaf=False, feature=int(feature), threshold=float(threshold),
                    left=grow(rows[goes_left], depth + 1),
                    right=grow(rows[~goes_left], depth + 1))
        return node

    return grow(np.arange(len(r)), 0)


def predict_tree(tree, X):
    """The value of the leaf each row of X (n, d) falls into: (n,) float64."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty(len(X), dtype=np.float64)

    def fill(node, rows):
        if node["leaf"]:
            out[rows] = node["value"]
            return
        goes_left = X[rows, node["feature"]] <= node["threshold"]
        fill(node["left"], rows[goes_left])
        fill(node["right"], rows[~goes_left])

    fill(tree, np.arange(len(X)))
    return out


# ---- boosting --------------------------------------------------------------------------
def _sigmoid(z):
    """Numerically stable logistic function (no overflow for large |z|)."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _log_loss(y, F):
    """Mean log loss of labels y in {0, 1} for log-odds F: mean(log(1 + e^F) − y·F)."""
    return float(np.mean(np.logaddexp(0.0, F) - y * F))


def fit_gb_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3, min_samples_leaf=1):
    """Gradient boosting for the squared error.

    F₀ = mean(y); stage m fits a tree to the residuals r = y − F (the negative gradient of
    ½(y − F)²) and adds learning_rate · tree(x).

    Returns {"init": float, "learning_rate": float, "trees": [tree, ...] (n_estimators),
             "train_loss": (n_estimators,) float64, the training MSE after each stage}.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    init = float(np.mean(y))
    F = np.full(len(y), init)
    trees, train_loss = [], np.empty(n_estimators)
    for m in range(n_estimators):
        tree = fit_tree(X, y - F, max_depth, min_samples_leaf)
        F = F + learning_rate * predict_tree(tree, X)
        trees.append(tree)
        train_loss[m] = np.mean((y - F) ** 2)
    return {"init": init, "learning_rate": float(learning_rate), "trees": trees,
            "train_loss": train_loss}


def fit_gb_classifier(X, y, n_estimators=100, learning_rate=0.1, max_depth=3, min_samples_leaf=1):
    """Gradient boosting for the log loss, binary labels y in {0, 1}.

    F is the log-odds. F₀ = log(p/(1−p)) with p = mean(y); stage m fits a tree to
    r = y − σ(F) with leaf values Σr / Σσ(F)(1 − σ(F)) (one Newton step per leaf) and adds
    learning_rate · tree(x).

    Returns the same dict as fit_gb_regressor; train_loss is the mean log loss.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    p = np.mean(y)
    init = float(np.log(p / (1.0 - p)))
    F = np.full(len(y), init)
    trees, train_loss = [], np.empty(n_estimators)
    for m in range(n_estimators):
        prob = _sigmoid(F)
        tree = fit_tree(X, y - prob, max_depth, min_samples_leaf, hessian=prob * (1.0 - prob))
        F = F + learning_rate * predict_tree(tree, X)
        trees.append(tree)
        train_loss[m] = _log_loss(y, F)
    return {"init": init, "learning_rate": float(learning_rate), "trees": trees,
            "train_loss": train_loss}


def staged_predict_raw(model, X):
    """F after each stage: (n_estimators, n) float64, row m = init + lr · Σ_{j<=m} tree_j(x)."""
    X = np.asarray(X, dtype=np.float64)
    steps = np.array([model["learning_rate"] * predict_tree(tree, X)
                      for tree in model["trees"]]).reshape(-1, len(X))
    return model["init"] + np.cumsum(steps, axis=0)


def predict_raw(model, X):
    """F(x) after all stages: (n,) float64 (the regressor's prediction, the classifier's log-odds)."""
    X = np.asarray(X, dtype=np.float64)
    F = np.full(len(X), float(model["init"]))
    for tree in model["trees"]:
        F += model["learning_rate"] * predict_tree(tree, X)
    return F


def predict_proba(model, X):
    """P(y = 1 | x) = σ(F(x)) for a classifier model: (n,) float64."""
    return _sigmoid(predict_raw(model, X))


def feature_importances(model, n_features):
    """Total squared-error reduction per feature over all trees, normalised to sum to 1.

    Every split node adds n_samples·impurity − n_left·impurity_left − n_right·impurity_right
    to its feature. Returns (n_features,) float64 (all zeros if no tree ever split).
    """
    total = np.zeros(n_features)

    def visit(node):
        if node["leaf"]:
            return
        left, right = node["left"], node["right"]
        total[node["feature"]] += (node["n_samples"] * node["impurity"]
                                   - left["n_samples"] * left["impurity"]
                                   - right["n_samples"] * right["impurity"])
        visit(left)
        visit(right)

    for tree in model["trees"]:
        visit(tree)
    s = total.sum()
    return total / s if s > 0 else total
