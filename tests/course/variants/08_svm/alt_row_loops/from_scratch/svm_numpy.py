"""Alternative correct solution written with explicit Python loops over rows (slow but right)."""

import math

import numpy as np


def hinge_loss(X, y, w, b):
    out = np.zeros(len(y))
    for i in range(len(y)):
        out[i] = max(0.0, 1.0 - y[i] * (X[i] @ w + b))
    return out


def svm_objective(X, y, w, b, C=1.0):
    total = 0.0
    for value in hinge_loss(X, y, w, b):
        total += value
    return 0.5 * float(w @ w) + C * total


def svm_subgradient(X, y, w, b, C=1.0):
    dw = w.astype(np.float64).copy()
    db = 0.0
    for i in range(len(y)):
        if y[i] * (X[i] @ w + b) < 1:
            dw -= C * y[i] * X[i]
            db -= C * y[i]
    return dw, float(db)


def fit_linear_svm(X, y, C=1.0, lr=0.001, epochs=2000):
    w = np.zeros(X.shape[1])
    b = 0.0
    objectives = np.zeros(epochs)
    for t in range(epochs):
        objectives[t] = svm_objective(X, y, w, b, C)
        dw, db = svm_subgradient(X, y, w, b, C)
        w -= lr * dw
        b -= lr * db
    return w, b, objectives


def predict(X, w, b):
    return np.array([1 if x @ w + b > 0 else -1 for x in X], dtype=np.int64)


def margin_width(w):
    return 2.0 / math.sqrt(sum(v * v for v in w))


def support_vector_indices(X, y, w, b, tol=1e-3):
    return np.array([i for i in range(len(y)) if y[i] * (X[i] @ w + b) <= 1 + tol],
                    dtype=np.int64)


def rbf_kernel(A, B, gamma):
    K = np.zeros((len(A), len(B)))
    for i in range(len(A)):
        for j in range(len(B)):
            d = A[i] - B[j]
            K[i, j] = math.exp(-gamma * float(d @ d))
    return K


def gamma_scale(X):
    return 1.0 / (X.shape[1] * float(np.var(X)))


def rbf_decision_function(X, support_vectors, dual_coef, intercept, gamma):
    K = rbf_kernel(X, support_vectors, gamma)
    return np.array([float(K[i] @ dual_coef) + intercept for i in range(len(X))])
