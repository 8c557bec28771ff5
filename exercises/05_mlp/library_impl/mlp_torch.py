"""The same two-layer network with PyTorch: nn.Linear, nn.ReLU / nn.Tanh, optim.SGD.

Everything float64 (call .double() on the model). See README.md.
"""

import torch
from torch import nn


class TwoLayerNet(nn.Module):
    """nn.Linear(n_in, n_hidden) -> nn.ReLU() or nn.Tanh() -> nn.Linear(n_hidden, n_out).

    Suggested attributes: self.fc1, self.act, self.fc2. forward(x) returns the logits.
    """

    def __init__(self, n_in, n_hidden, n_out, activation="relu"):
        super().__init__()
        raise NotImplementedError("TwoLayerNet.__init__: see README.md")

    def forward(self, x):
        raise NotImplementedError("TwoLayerNet.forward: see README.md")


def build_model(n_in, n_hidden, n_out, activation="relu", seed=0):
    """torch.manual_seed(seed), build the net, convert it to float64; return the model."""
    raise NotImplementedError("build_model: see README.md")


def load_numpy_params(model, params):
    """Copy the NumPy dict {"W1", "b1", "W2", "b2"} into the model's two nn.Linear layers.

    In place, under torch.no_grad(). nn.Linear stores weight as (out, in), exactly like W1
    and W2: no transpose. Returns the model.
    """
    raise NotImplementedError("load_numpy_params: see README.md")


def train_torch(model, X, y, lr=0.1, epochs=100):
    """Full-batch training with torch.optim.SGD(model.parameters(), lr=lr) and
    nn.CrossEntropyLoss() on the raw logits (no softmax before it); zero the gradients
    every epoch.

    X float64 tensor (n, n_in), y int64 tensor (n,). The model is trained in place.
    Returns the list of `epochs` loss values (floats, the loss before each step).
    """
    raise NotImplementedError("train_torch: see README.md")
