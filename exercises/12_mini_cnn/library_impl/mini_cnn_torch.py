"""A complete mini CNN classifier for 8x8 digits, with PyTorch (see README.md).

Architecture (the attribute names are part of the contract: the saved state_dict keys are
conv.weight, conv.bias, fc.weight, fc.bias):
    conv    = nn.Conv2d(1, 16, kernel_size=3, padding=1)   (N, 1, 8, 8) -> (N, 16, 8, 8)
    ReLU
    pool    = nn.MaxPool2d(2)                              -> (N, 16, 4, 4)
    flatten (torch.flatten(x, 1))                          -> (N, 256)
    dropout = nn.Dropout(0.25)
    fc      = nn.Linear(256, 10)                           -> (N, 10) logits (no softmax)
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

N_CLASSES = 10


class MiniCNN(nn.Module):
    """conv -> ReLU -> pool -> flatten -> dropout -> fc; forward(x (N, 1, 8, 8)) -> logits (N, 10)."""

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError("MiniCNN: see README.md")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("MiniCNN.forward: see README.md")


def build_model(seed: int = 0) -> MiniCNN:
    """torch.manual_seed(seed), then a fresh MiniCNN (same seed -> same initial weights)."""
    raise NotImplementedError("build_model: see README.md")


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy in [0, 1]) of model on X (N, 1, 8, 8) float32, y (N,) int64.

    Puts the model in eval mode and computes without gradients. Returns two Python floats.
    """
    raise NotImplementedError("evaluate: see README.md")


def train(model: nn.Module, X_train: torch.Tensor, y_train: torch.Tensor,
          X_val: torch.Tensor, y_val: torch.Tensor, *, epochs: int = 5, lr: float = 1e-2,
          batch_size: int = 64, seed: int = 0) -> dict[str, list[float]]:
    """Train model in place with Adam(lr) on nn.CrossEntropyLoss, shuffled mini-batches.

    torch.manual_seed(seed) first; model.train() at the start of every epoch; after each
    epoch append to the history: train_loss, train_acc (over the epoch's batches) and
    val_loss, val_acc = evaluate(model, X_val, y_val).
    Returns {"train_loss": [...], "train_acc": [...], "val_loss": [...], "val_acc": [...]},
    each a list of `epochs` floats.
    """
    raise NotImplementedError("train: see README.md")


def predict(model: nn.Module, X: torch.Tensor):
    """Predicted labels (N,) as an int64 NumPy array; eval mode, no gradients."""
    raise NotImplementedError("predict: see README.md")


def save_weights(model: nn.Module, path: str) -> None:
    """Save model.state_dict() (the weights only, not the pickled module) to path."""
    raise NotImplementedError("save_weights: see README.md")


def load_model(path: str) -> MiniCNN:
    """A MiniCNN holding the weights saved at path (torch.load(weights_only=True)), in eval mode."""
    raise NotImplementedError("load_model: see README.md")


def load_digits_split(seed: int = 0):
    """Given helper (complete): sklearn digits as tensors, split like the checks split it.

    X: float32 (N, 1, 8, 8) scaled to [0, 1] (pixel / 16); y: int64 (N,). A stratified 25 %
    test split, then 20 % of the rest for validation. Returns
    (X_train, y_train, X_val, y_val, X_test, y_test): 1077 / 270 / 450 samples.
    """
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                      random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.2,
                                                      stratify=y_rest, random_state=seed)
    return tuple(torch.from_numpy(a) for a in (X_train, y_train, X_val, y_val, X_test, y_test))


def plot_curves(history: dict[str, list[float]]):
    """Given helper (complete): loss and accuracy per epoch, train vs validation; returns the Figure."""
    import matplotlib.pyplot as plt

    epochs = range(1, len(history["train_loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.2))
    ax_loss.plot(epochs, history["train_loss"], "o-", label="train")
    ax_loss.plot(epochs, history["val_loss"], "s--", label="validation")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    ax_acc.plot(epochs, history["train_acc"], "o-", label="train")
    ax_acc.plot(epochs, history["val_acc"], "s--", label="validation")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1))
    for ax in (ax_loss, ax_acc):
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
