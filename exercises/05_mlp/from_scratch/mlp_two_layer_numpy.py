"""A two-layer perceptron in NumPy: forward pass, backprop by the chain rule, SGD.

NumPy only. Everything float64. Weights are stored like torch.nn.Linear:

    W1 (hidden, n_in), b1 (hidden,), W2 (n_out, hidden), b2 (n_out,)

    Z1     = X @ W1.T + b1          (n, hidden)
    H      = act(Z1)                act = "relu" or "tanh"
    logits = H @ W2.T + b2          (n, n_out)
    loss   = MEAN softmax cross-entropy over the n samples

`params` and `grads` are dicts with the keys "W1", "b1", "W2", "b2".
See README.md for every convention the checks rely on.
"""

import numpy as np


def init_params(n_in, n_hidden, n_out, seed=0):
    """Weights like nn.Linear's default init.

    Every entry ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = the layer's number of inputs
    (n_in for W1 and b1, n_hidden for W2 and b2). Use rng = np.random.default_rng(seed).

    Returns: {"W1": (n_hidden, n_in), "b1": (n_hidden,), "W2": (n_out, n_hidden),
              "b2": (n_out,)}, all float64.
    """
    raise NotImplementedError("init_params: see README.md")


def activate(Z, activation="relu"):
    """act(Z) elementwise; activation is "relu" or "tanh" (else raise ValueError)."""
    raise NotImplementedError("activate: see README.md")


def activation_grad(Z, activation="relu"):
    """d act(Z) / dZ elementwise, evaluated at the pre-activation Z.

    ReLU: 1 where Z > 0, else 0.   tanh: 1 - tanh(Z)**2.
    """
    raise NotImplementedError("activation_grad: see README.md")


def forward(params, X, activation="relu"):
    """X (n, n_in) -> logits (n, n_out). No softmax on the output."""
    raise NotImplementedError("forward: see README.md")


def cross_entropy(logits, y):
    """Mean softmax cross-entropy and its gradient.

    logits (n, n_out) float64, y (n,) int labels.
    Returns (loss, dlogits): loss a float (the MEAN over the n samples),
    dlogits (n, n_out) = d loss / d logits. Stay finite for |logits| up to 1000.
    """
    raise NotImplementedError("cross_entropy: see README.md")


def loss_and_grads(params, X, y, activation="relu"):
    """Forward, then backprop by the chain rule.

    Returns (loss, grads): loss a float, grads a dict with the keys of params and the
    same shapes (dW1 (hidden, n_in), db1 (hidden,), dW2 (n_out, hidden), db2 (n_out,)).
    """
    raise NotImplementedError("loss_and_grads: see README.md")


def sgd_step(params, grads, lr):
    """One gradient-descent update of every parameter; returns the updated params dict."""
    raise NotImplementedError("sgd_step: see README.md")


def train(params, X, y, activation="relu", lr=0.1, epochs=100):
    """Full-batch gradient descent starting from the given params.

    Each epoch: loss and grads on the whole X, then one sgd_step.
    Returns (params, losses): losses is a list of `epochs` floats,
    losses[i] = the loss BEFORE update i.
    """
    raise NotImplementedError("train: see README.md")


def predict(params, X, activation="relu"):
    """Class labels (n,): argmax of the logits."""
    raise NotImplementedError("predict: see README.md")
