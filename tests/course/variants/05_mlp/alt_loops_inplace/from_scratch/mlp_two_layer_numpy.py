"""Alternative correct MLP: per-sample loops, in-place updates, another init idiom."""

import numpy as np


def init_params(n_in, n_hidden, n_out, seed=0):
    rng = np.random.default_rng(seed)
    params = {}
    # all weights first, then the biases; U(-k, k) as k * (2 * U(0, 1) - 1)
    for name, shape, fan_in in (("W1", (n_hidden, n_in), n_in), ("W2", (n_out, n_hidden), n_hidden),
                                ("b1", (n_hidden,), n_in), ("b2", (n_out,), n_hidden)):
        params[name] = (2.0 * rng.random(shape) - 1.0) / np.sqrt(fan_in)
    return {k: params[k] for k in ("W1", "b1", "W2", "b2")}


def activate(Z, activation="relu"):
    Z = np.asarray(Z, dtype=np.float64)
    if activation == "relu":
        return np.where(Z > 0, Z, 0.0)
    if activation == "tanh":
        return np.tanh(Z)
    raise ValueError(f"unknown activation {activation}")


def activation_grad(Z, activation="relu"):
    Z = np.asarray(Z, dtype=np.float64)
    if activation == "relu":
        return np.heaviside(Z, 0.0)
    if activation == "tanh":
        return 1.0 / np.cosh(Z) ** 2
    raise ValueError(f"unknown activation {activation}")


def forward(params, X, activation="relu"):
    X = np.asarray(X, dtype=np.float64)
    H = activate(np.einsum("ni,hi->nh", X, params["W1"]) + params["b1"], activation)
    return np.einsum("nh,oh->no", H, params["W2"]) + params["b2"]


def cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=np.float64)
    n = len(logits)
    total = 0.0
    dlogits = np.zeros_like(logits)
    for i in range(n):
        lse = np.logaddexp.reduce(logits[i])
        total += lse - logits[i, int(y[i])]
        dlogits[i] = np.exp(logits[i] - lse)
        dlogits[i, int(y[i])] -= 1.0
    return total / n, dlogits / n


def loss_and_grads(params, X, y, activation="relu"):
    X = np.asarray(X, dtype=np.float64)
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = X @ W1.T + b1
    H = activate(Z1, activation)
    loss, dlogits = cross_entropy(H @ W2.T + b2, y)
    grads = {k: np.zeros_like(v, dtype=np.float64) for k, v in params.items()}
    for i in range(len(X)):                      # one sample at a time: outer products
        grads["W2"] += np.outer(dlogits[i], H[i])
        grads["b2"] += dlogits[i]
        dz1 = (W2.T @ dlogits[i]) * activation_grad(Z1[i], activation)
        grads["W1"] += np.outer(dz1, X[i])
        grads["b1"] += dz1
    return loss, grads


def sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]               # in place, and the same dict back
    return params


def train(params, X, y, activation="relu", lr=0.1, epochs=100):
    losses = []
    while len(losses) < epochs:
        loss, grads = loss_and_grads(params, X, y, activation)
        losses.append(loss)
        sgd_step(params, grads, lr)
    return params, losses


def predict(params, X, activation="relu"):
    return np.argmax(forward(params, X, activation), axis=1)
