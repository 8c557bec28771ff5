"""Gaussian naive Bayes by hand, NumPy only.

A model is a plain dict of arrays (README.md):
    classes   (C,)    the sorted distinct labels
    means     (C, d)  per-class feature means
    variances (C, d)  per-class feature variances (ddof=0) + var_smoothing * max feature var
    priors    (C,)    class frequencies n_c / n
"""
import numpy as np


def fit_gaussian_nb(X, y, var_smoothing=1e-9):
    """Estimate the Gaussian naive Bayes parameters from X (n, d) and int labels y (n,)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    classes = np.unique(y)
    epsilon = var_smoothing * np.var(X, axis=0).max()
    means = np.array([X[y == c].mean(axis=0) for c in classes])
    variances = np.array([X[y == c].var(axis=0) for c in classes]) + epsilon
    priors = np.array([np.mean(y == c) for c in classes])
    return {"classes": classes, "means": means, "variances": variances, "priors": priors}


def joint_log_likelihood(model, X):
    """log P(c) + sum_j log N(x_j | mean_cj, var_cj) for every row and class: (n, C)."""
    X = np.asarray(X, dtype=np.float64)
    means = np.asarray(model["means"], dtype=np.float64)
    variances = np.asarray(model["variances"], dtype=np.float64)
    priors = np.asarray(model["priors"], dtype=np.float64)
    log_norm = -0.5 * np.sum(np.log(2.0 * np.pi * variances), axis=1)              # (C,)
    sq = ((X[:, None, :] - means[None, :, :]) ** 2 / variances[None, :, :]).sum(axis=2)
    return np.log(priors)[None, :] + log_norm[None, :] - 0.5 * sq


def _logsumexp(a):
    m = np.max(a, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(a - m), axis=1, keepdims=True))


def predict_proba(model, X):
    """Posterior P(c | x) for every row: (n, C), rows sum to 1, computed in log space."""
    jll = joint_log_likelihood(model, X)
    return np.exp(jll - _logsumexp(jll))


def predict(model, X):
    """The most probable class label of every row: (n,), labels from model["classes"]."""
    jll = joint_log_likelihood(model, X)
    return np.asarray(model["classes"])[np.argmax(jll, axis=1)]
