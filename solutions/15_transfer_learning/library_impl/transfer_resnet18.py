"""Transfer learning with torchvision's ResNet-18 (see README.md).

A ResNet-18 "pretrained" on the digits 0-4 (a checkpoint file, standing in for the ImageNet
weights we cannot download) is given a new head for the digits 5-9; the backbone is frozen
and kept in eval mode, only the head trains, on a few labelled images.

Images are float32 (N, 3, 16, 16): sklearn's 8x8 digits / 16, upsampled to 16x16
(bilinear), the grey channel repeated 3 times (see digits_images, given below).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
import torchvision
from torch import nn

PRETRAIN_CLASSES = 5          # the checkpoint's head: digits 0-4


def build_model(weights: str | None = None, seed: int = 0) -> nn.Module:
    """torchvision's resnet18 with a 5-class head; weights: path of a state_dict checkpoint.

    torch.manual_seed(seed), then torchvision.models.resnet18(weights=None, num_classes=5);
    if weights is a path, load that state_dict (torch.load(weights, weights_only=True)).
    """
    torch.manual_seed(seed)
    model = torchvision.models.resnet18(weights=None, num_classes=PRETRAIN_CLASSES)
    if weights is not None:
        model.load_state_dict(torch.load(weights, weights_only=True))
    return model


def replace_head(model: nn.Module, num_classes: int, seed: int = 0) -> nn.Module:
    """Replace model.fc by a fresh nn.Linear(512, num_classes) (after torch.manual_seed(seed))."""
    torch.manual_seed(seed)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def freeze_backbone(model: nn.Module) -> nn.Module:
    """requires_grad = False for every parameter except the head's (fc.weight, fc.bias)."""
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("fc.")
    return model


def make_optimizer(model: nn.Module, lr: float) -> torch.optim.Optimizer:
    """Adam over exactly the parameters that require gradients (the head), in model order."""
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)


def train_head(model: nn.Module, X: torch.Tensor, y: torch.Tensor, *, steps: int = 6,
               lr: float = 1e-2) -> list[float]:
    """Fine-tune the trainable parameters: `steps` full-batch Adam steps on mean cross-entropy.

    The whole model stays in eval mode (frozen BatchNorm statistics). Returns the loss of
    each step, computed before that step's update.
    """
    model.eval()
    optimizer = make_optimizer(model, lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """Accuracy (fraction in [0, 1]) of model on X, y, in eval mode, without gradients."""
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).double().mean().item()


def save_head(model: nn.Module, path: str) -> None:
    """Save the head only: torch.save(model.fc.state_dict(), path) (keys weight, bias)."""
    torch.save(model.fc.state_dict(), path)


def load_finetuned(weights: str, head_path: str) -> nn.Module:
    """The fine-tuned model again: the pretrained checkpoint plus the saved head, in eval mode."""
    model = build_model(weights)
    head = torch.load(head_path, weights_only=True)
    replace_head(model, head["weight"].shape[0])
    model.fc.load_state_dict(head)
    return model.eval()


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
