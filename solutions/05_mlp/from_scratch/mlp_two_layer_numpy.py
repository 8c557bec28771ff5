"""A two-layer perceptron in NumPy: forward pass, backprop by the chain rule, SGD.

Network (weights stored like ``torch.nn.Linear``: W has shape (out, in), y = x Wᵀ + b):

    Z1 = X @ W1.T + b1        (n, hidden)
    H  = act(Z1)              act = ReLU or tanh
    logits = H @ W2.T + b2    (n, out)
    loss = mean over the n samples of the softmax cross-entropy
"""

from __future__ import annotations

import numpy as np

ACTIVATIONS = ("relu", "tanh")


def init_params(n_in, n_hidden, n_out, seed=0):
    """nn.Linear's default distribution: every entry U(−1/√fan_in, 1/√fan_in)."""
    rng = np.random.default_rng(seed)
    k1 = 1.0 / np.sqrt(n_in)
    k2 = 1.0 / np.sqrt(n_hidden)
    return {
        "W1": rng.uniform(-k1, k1, size=(n_hidden, n_in)),
        "b1": rng.uniform(-k1, k1, size=n_hidden),
        "W2": rng.uniform(-k2, k2, size=(n_out, n_hidden)),
        "b2": rng.uniform(-k2, k2, size=n_out),
    }


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def activate(Z, activation="relu"):
    _check_activation(activation)
    Z = np.asarray(Z, dtype=np.float64)
    if activation == "relu":
        return np.maximum(Z, 0.0)
    return np.tanh(Z)


def activation_grad(Z, activation="relu"):
    """d act(Z) / dZ, elementwise (ReLU: 0 at Z = 0, like torch)."""
    _check_activation(activation)
    Z = np.asarray(Z, dtype=np.float64)
    if activation == "relu":
        return (Z > 0).astype(np.float64)
    return 1.0 - np.tanh(Z) ** 2


def _forward(params, X, activation):
    Z1 = X @ params["W1"].T + params["b1"]
    H = activate(Z1, activation)
    logits = H @ params["W2"].T + params["b2"]
    return Z1, H, logits


def forward(params, X, activation="relu"):
    X = np.asarray(X, dtype=np.float64)
    return _forward(params, X, activation)[2]


def cross_entropy(logits, y):
    """Mean softmax cross-entropy and its gradient w.r.t. the logits."""
    logits = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1.0
    return float(loss), dlogits / n


def loss_and_grads(params, X, y, activation="relu"):
    X = np.asarray(X, dtype=np.float64)
    Z1, H, logits = _forward(params, X, activation)
    loss, dlogits = cross_entropy(logits, y)
    dW2 = dlogits.T @ H
    db2 = dlogits.sum(axis=0)
    dH = dlogits @ params["W2"]
    dZ1 = dH * activation_grad(Z1, activation)
    dW1 = dZ1.T @ X
    db1 = dZ1.sum(axis=0)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def sgd_step(params, grads, lr):
    return {name: params[name] - lr * grads[name] for name in params}


def train(params, X, y, activation="relu", lr=0.1, epochs=100):
    losses = []
    for _ in range(epochs):
        loss, grads = loss_and_grads(params, X, y, activation)
        losses.append(loss)
        params = sgd_step(params, grads, lr)
    return params, losses


def predict(params, X, activation="relu"):
    return forward(params, X, activation).argmax(axis=1)
