"""10 · Gradient boosting from scratch — NumPy only (no scikit-learn, SciPy, XGBoost here).

Replace every `raise NotImplementedError(...)` with your implementation.
The exact contract (shapes, conventions, tolerances) is in ../README.md.
Check your work with `mlgrade check 10_gradient_boosting`.

A tree is a nested dict. Every node:
    {"leaf": bool, "value": float, "n_samples": int, "impurity": float}
        value     = Σ r / Σ h over the node's samples (h = 1 unless a hessian is given)
        impurity  = np.var(r) over the node's samples (the MSE of r, ddof=0)
A split node (leaf False) also has:
    "feature": int, "threshold": float, "left": node, "right": node
        a sample goes LEFT when x[feature] <= threshold.

A model is a dict:
    {"init": float, "learning_rate": float, "trees": [tree, ...], "train_loss": (M,) array}
    F(x) = init + learning_rate · Σ_m tree_m(x)
"""

from __future__ import annotations

import numpy as np


# ---- one regression tree ---------------------------------------------------------------
def best_split(X, r, min_samples_leaf=1):
    """The split of X that most reduces the squared error of r.

    Candidates: every feature j and every midpoint between two consecutive DISTINCT sorted
    values of X[:, j] that leaves at least min_samples_leaf samples on each side.
    gain = MSE(r) − (n_left/n)·MSE(r_left) − (n_right/n)·MSE(r_right).

    Args:
        X: float64 (n, d); r: float64 (n,); min_samples_leaf: int >= 1.

    Returns:
        (feature: int, threshold: float, gain: float) of the largest gain, or None when
        there is no candidate at all.
    """
    raise NotImplementedError("best_split: see README.md")


def fit_tree(X, r, max_depth, min_samples_leaf=1, hessian=None):
    """Grow a regression tree on r greedily (best_split at every node), as a nested dict.

    A node is a leaf when its depth is max_depth (the root has depth 0), when all its r are
    equal, or when best_split finds no candidate. Every node's value is
    Σ r / Σ hessian over its samples (hessian=None: all ones, so the mean of r).

    Args:
        X: float64 (n, d); r: float64 (n,); max_depth: int >= 1;
        min_samples_leaf: int >= 1; hessian: None or float64 (n,), positive.

    Returns:
        the root node (dict, see the module docstring).
    """
    raise NotImplementedError("fit_tree: see README.md")


def predict_tree(tree, X):
    """The value of the leaf every row of X falls into (x[feature] <= threshold → left).

    Args:
        tree: a node dict; X: float64 (n, d).

    Returns:
        float64 (n,).
    """
    raise NotImplementedError("predict_tree: see README.md")


# ---- boosting --------------------------------------------------------------------------
def fit_gb_regressor(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                     min_samples_leaf=1):
    """Gradient boosting for the squared error.

    F₀ = mean(y). For m = 0 .. n_estimators − 1: r = y − F, tree_m = fit_tree(X, r, ...),
    F ← F + learning_rate · tree_m(x), train_loss[m] = mean((y − F)²).

    Args:
        X: float64 (n, d); y: float64 (n,); the settings as in sklearn.

    Returns:
        {"init": float, "learning_rate": float, "trees": list of n_estimators trees,
         "train_loss": float64 (n_estimators,)}.
    """
    raise NotImplementedError("fit_gb_regressor: see README.md")


def fit_gb_classifier(X, y, n_estimators=100, learning_rate=0.1, max_depth=3,
                      min_samples_leaf=1):
    """Gradient boosting for the log loss, labels y in {0, 1}; F is the log-odds.

    F₀ = log(p / (1 − p)), p = mean(y). For every stage: p = σ(F), r = y − p,
    tree_m = fit_tree(X, r, ..., hessian=p·(1 − p)) (leaves are Newton steps Σr / Σp(1−p)),
    F ← F + learning_rate · tree_m(x), train_loss[m] = mean log loss of F.

    Args:
        X: float64 (n, d); y: int (n,) with values 0 and 1.

    Returns:
        the same dict as fit_gb_regressor (train_loss holds the mean log loss).
    """
    raise NotImplementedError("fit_gb_classifier: see README.md")


def predict_raw(model, X):
    """F(x) = init + learning_rate · Σ tree(x): the regressor's prediction, the classifier's
    log-odds. Returns float64 (n,)."""
    raise NotImplementedError("predict_raw: see README.md")


def staged_predict_raw(model, X):
    """F after every stage: float64 (n_estimators, n); row m includes trees 0..m."""
    raise NotImplementedError("staged_predict_raw: see README.md")


def predict_proba(model, X):
    """P(y = 1 | x) = σ(F(x)) for a classifier model: float64 (n,)."""
    raise NotImplementedError("predict_proba: see README.md")


def feature_importances(model, n_features):
    """Squared-error reduction per feature over all trees, normalised to sum to 1.

    Every split node adds n_samples·impurity − n_left·impurity_left − n_right·impurity_right
    to the importance of its feature.

    Returns:
        float64 (n_features,).
    """
    raise NotImplementedError("feature_importances: see README.md")
