"""A complete mini CNN classifier for 8x8 digits (reference solution).

Architecture (attribute names are part of the contract: the saved state_dict keys are
conv.weight, conv.bias, fc.weight, fc.bias):
    conv    = nn.Conv2d(1, 16, kernel_size=3, padding=1)   (N, 1, 8, 8) -> (N, 16, 8, 8)
    ReLU
    pool    = nn.MaxPool2d(2)                              -> (N, 16, 4, 4)
    flatten                                                -> (N, 256)
    dropout = nn.Dropout(0.25)
    fc      = nn.Linear(256, 10)                           -> (N, 10) logits
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

N_CLASSES = 10


class MiniCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.25)
        self.fc = nn.Linear(16 * 4 * 4, N_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(self.dropout(torch.flatten(x, 1)))


def build_model(seed: int = 0) -> MiniCNN:
    """A freshly initialised MiniCNN; the same seed gives the same initial weights."""
    torch.manual_seed(seed)
    return MiniCNN()


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of model on (X, y), in eval mode, without gradients."""
    model.eval()
    with torch.no_grad():
        logits = model(X)
        loss = F.cross_entropy(logits, y).item()
        acc = (logits.argmax(dim=1) == y).double().mean().item()
    return loss, acc


def train(model: nn.Module, X_train: torch.Tensor, y_train: torch.Tensor,
          X_val: torch.Tensor, y_val: torch.Tensor, *, epochs: int = 5, lr: float = 1e-2,
          batch_size: int = 64, seed: int = 0) -> dict[str, list[float]]:
    """Adam on CrossEntropyLoss, mini-batches shuffled each epoch; returns per-epoch curves."""
    torch.manual_seed(seed)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    history: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "val_loss": [],
                                       "val_acc": []}
    for _ in range(epochs):
        model.train()
        total_loss, correct, seen = 0.0, 0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            logits = model(xb)
            loss = criterion(logits, yb)
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(yb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
            seen += len(yb)
        history["train_loss"].append(total_loss / seen)
        history["train_acc"].append(correct / seen)
        val_loss, val_acc = evaluate(model, X_val, y_val)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
    model.eval()
    return history


def predict(model: nn.Module, X: torch.Tensor):
    """Predicted class labels (N,) as an int64 NumPy array, in eval mode."""
    model.eval()
    with torch.no_grad():
        return model(X).argmax(dim=1).numpy()


def save_weights(model: nn.Module, path: str) -> None:
    """Save the state_dict (weights only, not the pickled module) to path."""
    torch.save(model.state_dict(), path)


def load_model(path: str) -> MiniCNN:
    """A MiniCNN with the weights saved at path, in eval mode."""
    model = MiniCNN()
    model.load_state_dict(torch.load(path, weights_only=True))
    return model.eval()


def load_digits_split(seed: int = 0):
    """Given helper: sklearn digits as tensors, split like the checks split it.

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
    """Given helper: loss and accuracy per epoch, train vs validation; returns the Figure."""
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
