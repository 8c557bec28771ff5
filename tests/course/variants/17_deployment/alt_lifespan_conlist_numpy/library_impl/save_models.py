"""Saving and loading: an alternative that is just as correct."""

import joblib
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from torch import nn


def train_sklearn(X, y):
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=1000))])
    pipe.fit(X, y)
    return pipe


def save_sklearn(model, path):
    joblib.dump(model, path, compress=3)


def load_sklearn(path):
    model = joblib.load(path)
    return model


def build_mlp(n_features=4, n_hidden=16, n_classes=3, dropout=0.2):
    layers = [nn.Linear(n_features, n_hidden), nn.ReLU(), nn.Dropout(p=dropout),
              nn.Linear(n_hidden, n_classes)]
    return nn.Sequential(*layers)


def train_mlp(X, y, n_hidden=16, epochs=150, lr=0.01, seed=0):
    torch.manual_seed(seed)
    n_classes = int(np.max(y)) + 1
    model = build_mlp(X.shape[1], n_hidden, n_classes)
    inputs = torch.from_numpy(np.asarray(X, dtype=np.float32))
    targets = torch.from_numpy(np.asarray(y)).long()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(epochs):
        model.train()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(inputs), targets)
        loss.backward()
        opt.step()
        if epoch % 10 == 0:                      # eval mode: no Dropout masks are drawn
            model.eval()
            with torch.no_grad():
                history.append((model(inputs).argmax(1) == targets).float().mean().item())
    model.train(False)
    return model


def save_torch(model, path):
    state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
    torch.save(state, path)


def load_torch(path, n_features=4, n_hidden=16, n_classes=3):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = build_mlp(n_features, n_hidden, n_classes)
    model.load_state_dict(state, strict=True)
    model.train(False)
    return model
