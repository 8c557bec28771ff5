"""Transfer learning with torchvision's ResNet-18: an alternative, feature-caching version."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

PRETRAIN_CLASSES = 5


def build_model(weights=None, seed=0):
    torch.manual_seed(seed)
    model = torchvision.models.resnet18(num_classes=PRETRAIN_CLASSES)
    if weights:
        state = torch.load(weights, map_location="cpu", weights_only=True)
        missing, unexpected = model.load_state_dict(state, strict=True)
    return model


def replace_head(model, num_classes, seed=0):
    in_features = model.fc.weight.shape[1]
    torch.manual_seed(seed)
    new_head = nn.Linear(in_features, num_classes, bias=True)
    setattr(model, "fc", new_head)
    return model


def freeze_backbone(model):
    for child_name, child in model.named_children():
        child.requires_grad_(child_name == "fc")
    return model


def make_optimizer(model, lr):
    return torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=lr)


def _backbone_features(model, X):
    """Everything but fc, run once: the frozen backbone's 512 features."""
    x = model.maxpool(model.relu(model.bn1(model.conv1(X))))
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        x = layer(x)
    return torch.flatten(model.avgpool(x), 1)


def train_head(model, X, y, *, steps=6, lr=1e-2):
    model.eval()
    with torch.no_grad():
        feats = _backbone_features(model, X)
    opt = make_optimizer(model, lr)
    history = []
    for step in range(steps):
        opt.zero_grad(set_to_none=True)
        logits = model.fc(feats)
        loss = nn.CrossEntropyLoss()(logits, y)
        history.append(float(loss.detach()))
        loss.backward()
        opt.step()
    return history


def evaluate(model, X, y):
    model.train(False)
    with torch.inference_mode():
        pred = model(X).argmax(1).numpy()
    return float(np.mean(pred == y.numpy()))


def save_head(model, path):
    torch.save({"weight": model.fc.weight.detach().clone(),
                "bias": model.fc.bias.detach().clone()}, path)


def load_finetuned(weights, head_path):
    head = torch.load(head_path, weights_only=True)
    model = replace_head(build_model(weights), len(head["bias"]))
    with torch.no_grad():
        model.fc.weight.copy_(head["weight"])
        model.fc.bias.copy_(head["bias"])
    model.eval()
    return model


# --------------------------------------------------------------------------------------
# Given helpers (complete): the data and the "pretraining" the checks use.
# --------------------------------------------------------------------------------------
def digits_images(size: int = 16):
    """All 1797 sklearn digits as X float32 (N, 3, size, size), y int64 (N,).

    Pixels / 16 (so in [0, 1]), upsampled from 8x8 with
    F.interpolate(mode="bilinear", align_corners=False), grey channel repeated 3 times.
    """
    import numpy as np
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = torch.from_numpy((digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8))
    X = F.interpolate(X, size=(size, size), mode="bilinear", align_corners=False)
    return X.repeat(1, 3, 1, 1).contiguous(), torch.from_numpy(digits.target.astype(np.int64))


def pretrain_checkpoint(path: str, *, steps: int = 8, batch_size: int = 32, lr: float = 1e-3,
                        seed: int = 0) -> None:
    """The checks' "pretraining": a ResNet-18 trained on the digits 0-4, saved to path.

    torch.manual_seed(seed); resnet18(weights=None, num_classes=5); `steps` Adam steps (all
    parameters, train mode) on random batches of digits 0-4; then the BatchNorm running
    statistics are re-estimated on 256 digits 0-4 (a cumulative average, as a long training
    run would have them). Saves the state_dict (about 45 MB) to path.
    """
    X, y = digits_images()
    pool = torch.nonzero(y < PRETRAIN_CLASSES).squeeze(1)
    torch.manual_seed(seed)
    model = torchvision.models.resnet18(weights=None, num_classes=PRETRAIN_CLASSES)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(steps):
        idx = pool[torch.randperm(len(pool), generator=gen)[:batch_size]]
        optimizer.zero_grad()
        F.cross_entropy(model(X[idx]), y[idx]).backward()
        optimizer.step()
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            bn.reset_running_stats()
            bn.momentum = None                      # cumulative average over the pass
        model(X[pool[torch.randperm(len(pool), generator=gen)[:256]]])
        for bn in bns:
            bn.momentum = 0.1
    torch.save(model.state_dict(), path)
