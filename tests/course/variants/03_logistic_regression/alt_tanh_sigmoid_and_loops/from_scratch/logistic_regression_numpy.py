"""A correct alternative: sigmoid through tanh, BCE as max(z, 0) − y·z + log1p(e^−|z|),
an explicit loop over the samples in the gradient, a contour for the decision boundary."""

import numpy as np


def sigmoid(z):
    # sigmoid(z) = (1 + tanh(z/2)) / 2: tanh never overflows
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def bce_with_logits(z, y):
    z = np.asarray(z, dtype=float)
    y = np.asarray(y, dtype=float)
    per_sample = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return float(per_sample.sum() / len(z))


def decision_function(X, w, b):
    return np.dot(X, w) + b


def loss(w, b, X, y, lam=0.0):
    return bce_with_logits(decision_function(X, w, b), y) + lam / 2.0 * float(np.sum(w ** 2))


def gradient(w, b, X, y, lam=0.0):
    n, d = X.shape
    gw = np.zeros(d)
    gb = 0.0
    for i in range(n):
        r = sigmoid(X[i] @ w + b) - y[i]
        gw += r * X[i]
        gb += r
    return gw / n + lam * w, gb / n


def fit(X, y, lam=0.0, lr=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    t = 0
    while t < epochs:
        losses.append(loss(w, b, X, y, lam))
        z = X @ w + b
        r = sigmoid(z) - y
        gw, gb = X.T @ r / len(y) + lam * w, r.mean()
        w, b = w - lr * gw, b - lr * gb
        t += 1
    return w, float(b), np.array(losses)


def predict_proba(X, w, b):
    return sigmoid(decision_function(X, w, b))


def predict(X, w, b):
    return np.where(decision_function(X, w, b) > 0, 1, 0).astype(np.int64)


def log_odds(p):
    p = np.asarray(p, dtype=float)
    return np.log(p / (1.0 - p))


def plot_decision_boundary(X, y, w, b):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm")
    g1, g2 = np.meshgrid(np.linspace(X[:, 0].min(), X[:, 0].max(), 200),
                         np.linspace(X[:, 1].min(), X[:, 1].max(), 200))
    ax.contour(g1, g2, w[0] * g1 + w[1] * g2 + b, levels=[0.0], colors="k")
    return fig
