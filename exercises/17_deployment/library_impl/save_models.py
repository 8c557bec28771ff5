"""Train two small models, save them to disk and load them back. See README.md.

- a scikit-learn Pipeline (StandardScaler + LogisticRegression), saved with joblib;
- a PyTorch MLP, whose state_dict is saved with torch.save and loaded with
  torch.load(..., weights_only=True).
"""

from __future__ import annotations

import joblib
import numpy as np
import torch
from torch import nn

N_FEATURES, N_HIDDEN, N_CLASSES, DROPOUT = 4, 16, 3, 0.2


# ---------------------------------------------------------------- scikit-learn + joblib
def train_sklearn(X, y):
    """Fit ONE Pipeline, StandardScaler -> LogisticRegression(max_iter=1000), on raw X.

    X: (n, 4) float64 raw iris measurements (cm); y: (n,) int64 labels 0, 1, 2.
    Returns the fitted sklearn Pipeline (the scaler travels with the model).
    """
    raise NotImplementedError("train_sklearn: see README.md")


def save_sklearn(model, path):
    """Write the fitted estimator to the file `path` with joblib.dump. Returns None."""
    raise NotImplementedError("save_sklearn: see README.md")


def load_sklearn(path):
    """Read back an estimator written by save_sklearn (joblib.load) and return it."""
    raise NotImplementedError("load_sklearn: see README.md")


# ---------------------------------------------------------------- PyTorch + state_dict
def build_mlp(n_features=N_FEATURES, n_hidden=N_HIDDEN, n_classes=N_CLASSES, dropout=DROPOUT):
    """nn.Sequential(Linear(n_features, n_hidden), ReLU(), Dropout(dropout),
    Linear(n_hidden, n_classes)).

    Input (n, n_features) float32 -> logits (n, n_classes) (no softmax).
    state_dict keys: 0.weight, 0.bias, 3.weight, 3.bias.
    """
    raise NotImplementedError("build_mlp: see README.md")


def train_mlp(X, y, n_hidden=N_HIDDEN, epochs=150, lr=0.01, seed=0):
    """Seeded full-batch training; returns the trained nn.Sequential.

    X: (n, f) float32, y: (n,) int64. torch.manual_seed(seed) FIRST, then
    build_mlp(X.shape[1], n_hidden, int(y.max()) + 1), then `epochs` steps of
    torch.optim.Adam(lr=lr) on nn.CrossEntropyLoss(), one forward per epoch in train mode.
    """
    raise NotImplementedError("train_mlp: see README.md")


def save_torch(model, path):
    """Save the weights only (the state_dict) to the file `path`. Returns None."""
    raise NotImplementedError("save_torch: see README.md")


def load_torch(path, n_features=N_FEATURES, n_hidden=N_HIDDEN, n_classes=N_CLASSES):
    """Rebuild build_mlp(n_features, n_hidden, n_classes), load the state_dict stored at
    `path` with torch.load(path, weights_only=True), and return the model in eval mode."""
    raise NotImplementedError("load_torch: see README.md")
