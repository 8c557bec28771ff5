"""Alternative correct torch side: nn.Sequential, load_state_dict, F.cross_entropy."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model(n_in, n_hidden, n_out, activation="relu", seed=0):
    act = {"relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(n_in, n_hidden), act(), nn.Linear(n_hidden, n_out)).to(
        torch.float64)


def load_numpy_params(model, params):
    state = {"0.weight": params["W1"], "0.bias": params["b1"],
             "2.weight": params["W2"], "2.bias": params["b2"]}
    model.load_state_dict({k: torch.tensor(v, dtype=torch.float64) for k, v in state.items()})
    return model


def train_torch(model, X, y, lr=0.1, epochs=100):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = F.cross_entropy(model(X.double()), y.long())
        losses.append(float(loss))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()                    # after the step: as good as before backward
    return losses
