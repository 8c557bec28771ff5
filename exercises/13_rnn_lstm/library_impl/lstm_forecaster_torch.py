"""An LSTM forecaster in PyTorch: nn.LSTM + nn.Linear.

Windows are batch-first here: a batch has shape (N, T, 1). See README.md.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class LSTMForecaster(nn.Module):
    """Reads a window of T past values and predicts the next one.

    __init__(hidden_size=16, input_size=1):
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)   (one layer)
        self.head = nn.Linear(hidden_size, 1)
    forward(x): x (N, T, input_size) float32 -> (N,): the head applied to the hidden
        state of the LAST time step.
    """

    def __init__(self, hidden_size=16, input_size=1):
        super().__init__()
        raise NotImplementedError("LSTMForecaster.__init__: see README.md")

    def forward(self, x):
        raise NotImplementedError("LSTMForecaster.forward: see README.md")


def train_forecaster(X, y, hidden_size=16, epochs=200, lr=0.01, seed=0):
    """Train an LSTMForecaster on windows X (N, T, 1) and next values y (N,).

    First torch.manual_seed(seed), then build the model, then `epochs` steps of full-batch
    torch.optim.Adam(lr=lr) on nn.MSELoss().
    Returns (model, losses): losses is a list of `epochs` Python floats (the loss of each
    epoch, computed before that epoch's update); the model is returned in eval mode.
    """
    raise NotImplementedError("train_forecaster: see README.md")


def predict(model, X):
    """Forecasts of `model` for windows X (N, T, 1): a float64 NumPy array of shape (N,).

    Eval mode, no gradients.
    """
    raise NotImplementedError("predict: see README.md")
