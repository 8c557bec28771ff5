"""The same two-layer network with torch: nn.Linear, nn.ReLU / nn.Tanh, optim.SGD."""

from __future__ import annotations

import torch
from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self, n_in, n_hidden, n_out, activation="relu"):
        super().__init__()
        acts = {"relu": nn.ReLU, "tanh": nn.Tanh}
        if activation not in acts:
            raise ValueError(f"activation must be one of {sorted(acts)}, got {activation!r}")
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.act = acts[activation]()
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def build_model(n_in, n_hidden, n_out, activation="relu", seed=0):
    torch.manual_seed(seed)
    return TwoLayerNet(n_in, n_hidden, n_out, activation).double()


def load_numpy_params(model, params):
    with torch.no_grad():
        model.fc1.weight.copy_(torch.as_tensor(params["W1"], dtype=torch.float64))
        model.fc1.bias.copy_(torch.as_tensor(params["b1"], dtype=torch.float64))
        model.fc2.weight.copy_(torch.as_tensor(params["W2"], dtype=torch.float64))
        model.fc2.bias.copy_(torch.as_tensor(params["b2"], dtype=torch.float64))
    return model


def train_torch(model, X, y, lr=0.1, epochs=100):
    X = torch.as_tensor(X, dtype=torch.float64)
    y = torch.as_tensor(y, dtype=torch.long)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
