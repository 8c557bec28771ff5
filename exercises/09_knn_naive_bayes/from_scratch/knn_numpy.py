"""k-nearest neighbours by hand, NumPy only (no sklearn, scipy, torch here).

Conventions (README.md): Euclidean distance; neighbours sorted nearest first, equal
distances keep the order of the training rows (stable sort); majority vote, a tied vote
goes to the smallest label.
"""
import numpy as np


def euclidean_distances(X_query, X_train):
    """Euclidean distance from every query row to every training row.

    X_query: (n_query, d) float64, X_train: (n_train, d) float64.
    Returns D: (n_query, n_train) float64 with D[i, j] = ||X_query[i] - X_train[j]||.
    A point's distance to itself must be 0 (never NaN).
    """
    raise NotImplementedError("euclidean_distances: see README.md")


def kneighbors(X_train, X_query, k):
    """The k nearest training rows of every query row, nearest first.

    Returns (distances, indices), both of shape (n_query, k): distances float64, indices
    int64 (row numbers in X_train). Equal distances keep the training order (stable sort).
    """
    raise NotImplementedError("kneighbors: see README.md")


def majority_vote(labels):
    """The most frequent label in the 1-D int array `labels`, as a Python int.

    A tie goes to the smallest of the tied labels.
    """
    raise NotImplementedError("majority_vote: see README.md")


def knn_predict(X_train, y_train, X_query, k):
    """Predict every query row's label by a majority vote of its k nearest neighbours.

    X_train: (n_train, d) float64, y_train: (n_train,) int labels (any non-negative ints,
    not necessarily 0..C-1), X_query: (n_query, d) float64, k: int >= 1.
    Returns (n_query,) int64.
    """
    raise NotImplementedError("knn_predict: see README.md")
