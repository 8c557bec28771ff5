"""k-nearest neighbours by hand, NumPy only.

Conventions (README.md): Euclidean distance; neighbours sorted by distance, equal
distances keep the order of the training rows (stable sort); majority vote, a tied vote
goes to the smallest label.
"""
import numpy as np


def euclidean_distances(X_query, X_train):
    """Euclidean distance from every query row to every training row.

    X_query: (n_query, d) float64, X_train: (n_train, d) float64.
    Returns D: (n_query, n_train) float64 with D[i, j] = ||X_query[i] - X_train[j]||.
    """
    X_query = np.asarray(X_query, dtype=np.float64)
    X_train = np.asarray(X_train, dtype=np.float64)
    diff = X_query[:, None, :] - X_train[None, :, :]
    return np.sqrt(np.sum(diff * diff, axis=2))


def kneighbors(X_train, X_query, k):
    """The k nearest training rows of every query row, nearest first.

    Returns (distances, indices): both (n_query, k); distances float64, indices int64
    (row numbers in X_train). Equal distances keep training order (stable sort).
    """
    D = euclidean_distances(X_query, X_train)
    indices = np.argsort(D, axis=1, kind="stable")[:, :k]
    distances = np.take_along_axis(D, indices, axis=1)
    return distances, indices.astype(np.int64)


def majority_vote(labels):
    """The most frequent label in the 1-D int array `labels`; a tie goes to the smallest."""
    values, counts = np.unique(np.asarray(labels), return_counts=True)
    return int(values[np.argmax(counts)])   # np.unique sorts, argmax takes the first max


def knn_predict(X_train, y_train, X_query, k):
    """Predict the label of every query row by a majority vote of its k nearest neighbours.

    X_train: (n_train, d), y_train: (n_train,) int labels, X_query: (n_query, d).
    Returns (n_query,) int64.
    """
    y_train = np.asarray(y_train)
    _, indices = kneighbors(X_train, X_query, k)
    return np.array([majority_vote(y_train[row]) for row in indices], dtype=np.int64)
