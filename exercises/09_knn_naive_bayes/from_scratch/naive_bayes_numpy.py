"""Gaussian naive Bayes by hand, NumPy only (no sklearn, scipy, torch here).

A model is a plain dict of float64 arrays (README.md):
    "classes"   (C,)    the sorted distinct labels (np.unique(y))
    "means"     (C, d)  per-class feature means
    "variances" (C, d)  per-class feature variances (ddof=0)
                        + var_smoothing * max over features of np.var(X, axis=0)
    "priors"    (C,)    class frequencies n_c / n
Row c of means / variances / priors belongs to the label classes[c].
"""
import numpy as np


def fit_gaussian_nb(X, y, var_smoothing=1e-9):
    """Estimate the model dict above from X (n, d) float64 and int labels y (n,)."""
    raise NotImplementedError("fit_gaussian_nb: see README.md")


def joint_log_likelihood(model, X):
    """log P(c) + sum_j log N(x_j | means[c, j], variances[c, j]) for every row and class.

    model: a dict as above (the checks may pass one built from sklearn's GaussianNB).
    X: (n, d) float64. Returns (n, C) float64.
    """
    raise NotImplementedError("joint_log_likelihood: see README.md")


def predict_proba(model, X):
    """Posterior probabilities P(c | x): (n, C) float64, every row sums to 1.

    Must work for points far from all the data: normalise in log space (log-sum-exp).
    """
    raise NotImplementedError("predict_proba: see README.md")


def predict(model, X):
    """The most probable class of every row: (n,) labels taken from model["classes"]."""
    raise NotImplementedError("predict: see README.md")
