"""Train two small models, save them to disk and load them back.

- a scikit-learn Pipeline (StandardScaler + LogisticRegression) saved with joblib;
- a PyTorch MLP whose state_dict is saved with torch.save and loaded with
  torch.load(..., weights_only=True).

See README.md for every convention the checks rely on.
"""

from __future__ import annotations

import joblib
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from torch import nn

N_FEATURES, N_HIDDEN, N_CLASSES, DROPOUT = 4, 16, 3, 0.2


# ---------------------------------------------------------------- scikit-learn + joblib
def train_sklearn(X: np.ndarray, y: np.ndarray) -> Pipeline:
    """Fit StandardScaler -> LogisticRegression(max_iter=1000) as ONE Pipeline on raw X.

    The scaler lives inside the saved object, so whoever loads the file feeds raw features
    and gets the same preprocessing the model was trained with.
    """
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)


def save_sklearn(model, path: str) -> None:
    """Write the fitted estimator to `path` with joblib.dump."""
    joblib.dump(model, path)


def load_sklearn(path: str):
    """Read an estimator written by save_sklearn (joblib.load). Only load files you trust:
    a joblib file is a pickle and can run code when loaded."""
    return joblib.load(path)


# ---------------------------------------------------------------- PyTorch + state_dict
def build_mlp(n_features: int = N_FEATURES, n_hidden: int = N_HIDDEN,
              n_classes: int = N_CLASSES, dropout: float = DROPOUT) -> nn.Sequential:
    """Linear(n_features, n_hidden) -> ReLU -> Dropout(dropout) -> Linear(n_hidden, n_classes).

    Returns logits (no softmax). state_dict keys: 0.weight, 0.bias, 3.weight, 3.bias.
    """
    return nn.Sequential(
        nn.Linear(n_features, n_hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(n_hidden, n_classes),
    )


def train_mlp(X: np.ndarray, y: np.ndarray, n_hidden: int = N_HIDDEN, epochs: int = 150,
              lr: float = 0.01, seed: int = 0) -> nn.Sequential:
    """Seeded full-batch training: the same call gives the same weights, every time.

    torch.manual_seed(seed) FIRST, then build_mlp(X.shape[1], n_hidden, int(y.max()) + 1),
    then `epochs` steps of Adam(lr) on CrossEntropyLoss (mean), one forward per epoch in
    train mode. The model is returned in eval mode.
    """
    torch.manual_seed(seed)
    model = build_mlp(X.shape[1], n_hidden, int(y.max()) + 1)
    X_t = torch.as_tensor(X, dtype=torch.float32)
    y_t = torch.as_tensor(y, dtype=torch.int64)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X_t), y_t)
        loss.backward()
        optimizer.step()
    return model.eval()


def save_torch(model: nn.Module, path: str) -> None:
    """Save the weights only: torch.save(model.state_dict(), path).

    A state_dict is a dict of tensors: torch.load(path, weights_only=True) reads it without
    running any code. Pickling the whole module (torch.save(model, path)) ties the file to
    your class definitions and needs an unsafe load.
    """
    torch.save(model.state_dict(), path)


def load_torch(path: str, n_features: int = N_FEATURES, n_hidden: int = N_HIDDEN,
               n_classes: int = N_CLASSES) -> nn.Sequential:
    """Rebuild the architecture, load the weights safely, and switch to eval mode."""
    model = build_mlp(n_features, n_hidden, n_classes)
    model.load_state_dict(torch.load(path, weights_only=True))
    return model.eval()          # Dropout off: the same input always gives the same output
