"""An LSTM forecaster in PyTorch: nn.LSTM + nn.Linear (reference solution).

Inputs are batch-first here: a batch of windows has shape (N, T, 1).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class LSTMForecaster(nn.Module):
    """Reads a window of T past values and predicts the next one.

    ``self.lstm`` is ``nn.LSTM(input_size, hidden_size, batch_first=True)`` (one layer) and
    ``self.head`` is ``nn.Linear(hidden_size, 1)``, applied to the hidden state of the LAST
    time step. forward: x (N, T, input_size) -> (N,).
    """

    def __init__(self, hidden_size=16, input_size=1):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :]).squeeze(-1)


def train_forecaster(X, y, hidden_size=16, epochs=200, lr=0.01, seed=0):
    """Train an LSTMForecaster on windows X (N, T, 1) and next values y (N,).

    Full-batch Adam on the mean squared error, ``epochs`` steps. Seeds torch with ``seed``
    before building the model. Returns (model, losses), losses = the loss of every epoch
    (a list of ``epochs`` Python floats, computed before that epoch's update).
    """
    torch.manual_seed(seed)
    X_t = torch.as_tensor(np.asarray(X), dtype=torch.float32)
    y_t = torch.as_tensor(np.asarray(y), dtype=torch.float32)
    model = LSTMForecaster(hidden_size=hidden_size, input_size=X_t.shape[-1])
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss(reduction="sum")
    losses = []
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X_t), y_t)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    return model, losses


def predict(model, X):
    """Predictions of ``model`` for windows X (N, T, 1) as a float64 NumPy array (N,)."""
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(np.asarray(X), dtype=torch.float32))
    return out.numpy().astype(np.float64)
