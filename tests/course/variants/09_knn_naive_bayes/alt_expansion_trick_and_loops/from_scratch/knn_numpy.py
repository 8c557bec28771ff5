"""KNN, another correct way: the ||a||^2 - 2ab + ||b||^2 expansion, lexsort, a dict vote."""
import numpy as np


def euclidean_distances(X_query, X_train):
    X_query = np.asarray(X_query, dtype=np.float64)
    X_train = np.asarray(X_train, dtype=np.float64)
    sq = (X_query ** 2).sum(axis=1)[:, None] - 2.0 * X_query @ X_train.T \
        + (X_train ** 2).sum(axis=1)[None, :]
    return np.sqrt(np.maximum(sq, 0.0))


def kneighbors(X_train, X_query, k):
    D = euclidean_distances(X_query, X_train)
    n_train = D.shape[1]
    dists, idxs = [], []
    for row in D:
        order = np.lexsort((np.arange(n_train), row))[:k]   # by distance, then by index
        idxs.append(order)
        dists.append(row[order])
    return np.array(dists), np.array(idxs, dtype=np.int64)


def majority_vote(labels):
    counts = {}
    for label in labels:
        counts[int(label)] = counts.get(int(label), 0) + 1
    best = max(counts.values())
    return min(label for label, c in counts.items() if c == best)


def knn_predict(X_train, y_train, X_query, k):
    _, idx = kneighbors(X_train, X_query, k)
    y_train = np.asarray(y_train)
    return np.array([majority_vote(y_train[row]) for row in idx], dtype=np.int64)
