"""A complete mini CNN classifier for 8x8 digits — a correct alternative.

Different idioms from the reference: parameter-free nn.ReLU / nn.Flatten modules, batches cut
by hand from a torch.randperm shuffle (no DataLoader), a summed cross-entropy divided by n in
evaluate, torch.inference_mode, predictions in chunks, the state_dict cloned before saving.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn


class MiniCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels=1, out_channels=16, kernel_size=(3, 3), padding=1)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.dropout = nn.Dropout(p=0.25)
        self.fc = nn.Linear(256, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.conv(x)))
        return self.fc(self.dropout(self.flatten(x)))


def build_model(seed=0):
    torch.manual_seed(seed)
    return MiniCNN()


def evaluate(model, X, y):
    model.eval()
    with torch.inference_mode():
        logits = model(X)
        total = nn.CrossEntropyLoss(reduction="sum")(logits, y).item()
        correct = int((logits.argmax(1) == y).sum())
    return total / len(y), correct / len(y)


def train(model, X_train, y_train, X_val, y_val, *, epochs=5, lr=1e-2, batch_size=64, seed=0):
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    n = len(X_train)
    history = {key: [] for key in ("train_loss", "train_acc", "val_loss", "val_acc")}
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(n)
        loss_sum, n_right = 0.0, 0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            xb, yb = X_train[idx], y_train[idx]
            optimizer.zero_grad(set_to_none=True)
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            optimizer.step()
            loss_sum += float(loss) * yb.shape[0]
            n_right += int((out.detach().argmax(1) == yb).sum())
        val_loss, val_acc = evaluate(model, X_val, y_val)
        for key, value in zip(history, (loss_sum / n, n_right / n, val_loss, val_acc)):
            history[key].append(float(value))
    return history


def predict(model, X):
    model.eval()
    chunks = []
    with torch.inference_mode():
        for start in range(0, len(X), 100):
            chunks.append(model(X[start:start + 100]).argmax(dim=1))
    return torch.cat(chunks).numpy().astype(np.int64)


def save_weights(model, path):
    torch.save({name: t.detach().clone() for name, t in model.state_dict().items()}, path)


def load_model(path):
    model = MiniCNN()
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    model.eval()
    return model


def load_digits_split(seed=0):
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


def plot_curves(history):
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.2))
    a.plot(history["train_loss"], label="train")
    a.plot(history["val_loss"], label="validation")
    b.plot(history["train_acc"], label="train")
    b.plot(history["val_acc"], label="validation")
    for ax in (a, b):
        ax.legend()
    return fig
