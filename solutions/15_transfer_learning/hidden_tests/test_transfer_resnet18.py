"""Hidden checks for 15_transfer_learning (library_impl/transfer_resnet18.py).

The "pretrained" checkpoint is made here, in the grading process, by the reference's given
helper pretrain_checkpoint (ResNet-18 trained 8 Adam steps (batches of 32) on the digits 0-4, BatchNorm
statistics re-estimated), once per run, with fixed seeds: identical run to run. It is written
to learner.workdir and the learner's build_model loads it from there.

The learner's ResNet stays in the sandbox (a Handle); probes read parameters, buffers,
requires_grad flags and optimizer groups there. Checks: the model and the checkpoint
(exact), the new head and the output size, only the head trainable, the optimizer holds
exactly the trainable tensors, the backbone (parameters AND BatchNorm buffers) bit-identical
after fine-tuning, the fine-tuning path equal to the reference's, evaluate in eval mode,
transfer beating training from scratch on the same budget, the saved head reloading to
identical logits.

Data: sklearn digits / 16, bilinear 8x8 -> 16x16, grey repeated to 3 channels (float32).
New task: digits 5-9 relabelled 0-4; 6 labelled images per class (30), 300 held-out.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from grader.testing import assert_close, assert_same

N_NEW = 5                       # digits 5..9 -> labels 0..4
STEPS, LR = 6, 1e-2             # the fine-tuning budget of the transfer check
SCRATCH_LR = 1e-3               # Adam's usual lr for a whole network trained from scratch
MIN_TRANSFER_ACC = 0.55         # reference: see README
MIN_MARGIN = 0.25               # transfer − scratch; reference margin ≈ 0.5
HEAD_KEYS = ["fc.bias", "fc.weight"]
F32 = dict(rtol=1e-4, atol=1e-5)

_CACHE: dict = {}


# --------------------------------------------------------------------------------------
# data, the checkpoint, reference models (grading side)
# --------------------------------------------------------------------------------------
def _data(reference):
    if "data" not in _CACHE:
        _CACHE["data"] = reference.transfer_resnet18.digits_images()
    return _CACHE["data"]


def _checkpoint(learner, reference):
    """Path of the digits-0-4 checkpoint in learner.workdir (made once per run)."""
    path = os.path.join(learner.workdir, "resnet18_digits04.pt")
    if "state" not in _CACHE:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            made = os.path.join(tmp, "ckpt.pt")
            reference.transfer_resnet18.pretrain_checkpoint(made)
            _CACHE["state"] = torch.load(made, weights_only=True)
    if not os.path.isfile(path):
        torch.save(_CACHE["state"], path)
    return path


def _few_shot(reference, k=6, n_test=300, seed=0):
    """k labelled digits per class 5..9 (labels 0..4) and n_test held-out ones."""
    X, y = _data(reference)
    yn = y.numpy()
    rng = np.random.default_rng(seed)
    train = np.concatenate([rng.choice(np.flatnonzero(yn == c), k, replace=False)
                            for c in range(5, 10)])
    rest = np.setdiff1d(np.flatnonzero(yn >= 5), train)
    test = np.sort(np.random.default_rng(seed + 1).choice(rest, n_test, replace=False))
    return X[train], y[train] - 5, X[test], y[test] - 5


def _ref_finetuned(reference, path, X, y, *, num_classes=N_NEW, seed=0, steps=STEPS, lr=LR):
    ref = reference.transfer_resnet18
    model = ref.freeze_backbone(ref.replace_head(ref.build_model(path), num_classes, seed))
    losses = ref.train_head(model, X, y, steps=steps, lr=lr)
    return model, losses


def _scratch_accuracy(reference, Xtr, ytr, Xte, yte, steps=STEPS):
    """The baseline: the whole ResNet-18 from random init, same images, same number of steps."""
    if "scratch" not in _CACHE:
        ref = reference.transfer_resnet18
        model = ref.replace_head(ref.build_model(None, seed=0), N_NEW, seed=0)
        optimizer = torch.optim.Adam(model.parameters(), lr=SCRATCH_LR)
        model.train()
        for _ in range(steps):
            optimizer.zero_grad()
            F.cross_entropy(model(Xtr), ytr).backward()
            optimizer.step()
        _CACHE["scratch"] = ref.evaluate(model, Xte, yte)
    return _CACHE["scratch"]


# --------------------------------------------------------------------------------------
# probes: run inside the sandbox on the learner's model, return plain data
# --------------------------------------------------------------------------------------
def _state(model, keys=None):
    """Parameters and buffers named in keys (all if None) as NumPy arrays."""
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()
            if keys is None or k in keys}


def _digests(model):
    """A SHA-1 of the bytes of every parameter and buffer: bit-identity without moving 45 MB."""
    import hashlib

    return {k: hashlib.sha1(v.detach().cpu().contiguous().numpy().tobytes()).hexdigest()
            for k, v in model.state_dict().items()}


def _digest_of(state):
    import hashlib

    return {k: hashlib.sha1(v.detach().cpu().contiguous().numpy().tobytes()).hexdigest()
            for k, v in state.items()}


def _info(model):
    import torch
    from torch import nn

    out = {"type": type(model).__name__, "module": type(model).__module__,
           "is_module": isinstance(model, nn.Module)}
    if not out["is_module"]:
        return out
    fc = getattr(model, "fc", None)
    out["fc"] = type(fc).__name__ if fc is not None else None
    if isinstance(fc, nn.Linear):
        out["fc_cfg"] = [fc.in_features, fc.out_features, fc.bias is not None]
    out["keys"] = sorted(model.state_dict().keys())
    out["trainable"] = [n for n, p in model.named_parameters() if p.requires_grad]
    out["n_params"] = [n for n, _ in model.named_parameters()]
    out["training"] = bool(model.training)
    out["dtypes"] = sorted({str(p.dtype) for p in model.parameters()})
    return out


def _forward(model, x, mode):
    """model(x) without gradients in the given mode; the model's mode is restored after."""
    import torch

    was = model.training
    model.train(mode == "train")
    try:
        with torch.no_grad():
            out = model(x)
    finally:
        model.train(was)
    return out


def _set_train(model):
    model.train()
    return True


def _optimizer_info(model, opt):
    import torch

    out = {"type": type(opt).__name__, "is_optimizer": isinstance(opt, torch.optim.Optimizer)}
    if not out["is_optimizer"]:
        return out
    names = {id(p): n for n, p in model.named_parameters()}
    held = [p for g in opt.param_groups for p in g["params"]]
    out["held"] = [names.get(id(p), "<not a parameter of the model>") for p in held]
    out["held_frozen"] = [names.get(id(p), "?") for p in held if not p.requires_grad]
    out["lrs"] = [float(g["lr"]) for g in opt.param_groups]
    out["trainable"] = [n for n, p in model.named_parameters() if p.requires_grad]
    return out


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _model_info(learner, model, call):
    info = learner.probe(_info, model)
    if not info["is_module"]:
        raise AssertionError(f"{call} returned a {info['type']}; expected the torchvision "
                             "ResNet (an nn.Module)\n  hint: return the model itself")
    return info


def _learner_finetuned(learner, reference, X, y, *, seed=0, steps=STEPS, lr=LR):
    lib = learner.transfer_resnet18
    path = _checkpoint(learner, reference)
    model = lib.build_model(path)
    model = lib.replace_head(model, N_NEW, seed)
    model = lib.freeze_backbone(model)
    losses = lib.train_head(model, X, y, steps=steps, lr=lr)
    return model, losses


def _losses(losses, steps, call):
    if not isinstance(losses, (list, tuple, np.ndarray)):
        raise AssertionError(f"{call} returned a {type(losses).__name__}; expected a list of "
                             f"{steps} floats (the loss of each step)")
    try:
        arr = np.asarray(losses, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise AssertionError(f"{call} returned {losses!r:.200}: not a list of numbers\n  hint: "
                             "append loss.item(), not the tensor") from None
    if arr.shape != (steps,):
        raise AssertionError(f"{call} returned {arr.size} losses, expected one per step: "
                             f"{steps}")
    if not np.all(np.isfinite(arr)):
        raise AssertionError(f"{call}: the losses contain NaN or Inf: {arr}")
    return arr


def _changed(before, after, keys):
    return [k for k in keys if before.get(k) != after.get(k)]


# ======================================================================================
# building, the head, freezing, the optimizer
# ======================================================================================
@pytest.mark.points(1)
def test_build_model(learner, reference):
    """build_model is torchvision's resnet18 (5 outputs), seeded, and loads the checkpoint exactly"""
    import torchvision

    lib = learner.transfer_resnet18
    model = lib.build_model(None, seed=3)
    info = _model_info(learner, model, "build_model(None, seed=3)")
    torch.manual_seed(3)
    expected = torchvision.models.resnet18(weights=None, num_classes=5)
    assert info["type"] == "ResNet" and info["module"].startswith("torchvision"), (
        f"build_model returned a {info['type']} from {info['module']}; expected "
        "torchvision.models.resnet18(weights=None, num_classes=5) itself")
    want = {k: v.numpy() for k, v in expected.state_dict().items()}
    assert_same(info["keys"], sorted(want), name="keys of model.state_dict()",
                hint="use torchvision.models.resnet18 unchanged (3 input channels, fc head)")
    assert info.get("fc_cfg") == [512, 5, True], (
        f"model.fc is {info.get('fc')} {info.get('fc_cfg')}; the pretraining head is "
        "nn.Linear(512, 5): resnet18(weights=None, num_classes=5)")
    got = learner.probe(_state, model, ["conv1.weight", "layer4.1.conv2.weight", "fc.weight"])
    for k in ("conv1.weight", "layer4.1.conv2.weight", "fc.weight"):
        assert_close(got[k], want[k], name=f"initial {k} with seed=3", rtol=0, atol=0,
                     hint="torch.manual_seed(seed) right before resnet18(weights=None, "
                          "num_classes=5), so the same seed gives the same initial weights")

    path = _checkpoint(learner, reference)
    loaded = learner.probe(_digests, lib.build_model(path))
    state = _digest_of(_CACHE["state"])
    wrong = [k for k in state if loaded.get(k) != state[k]]
    assert not wrong, (
        f"build_model(weights=path) does not hold the checkpoint: {len(wrong)} of "
        f"{len(state)} tensors differ or are missing (first: {wrong[:3]})\n  hint: "
        "model.load_state_dict(torch.load(weights, weights_only=True)) — parameters AND "
        "BatchNorm buffers (running_mean, running_var) come from the file")


@pytest.mark.points(2)
def test_replace_head_output_size(learner, reference):
    """replace_head puts a fresh seeded nn.Linear(512, k) on top; the output is (N, k), the backbone unchanged"""
    from torch import nn

    lib = learner.transfer_resnet18
    path = _checkpoint(learner, reference)
    model = lib.build_model(path)
    model = lib.replace_head(model, 7, 4)
    info = _model_info(learner, model, "replace_head(model, 7, seed=4)")
    assert info.get("fc") == "Linear" and info.get("fc_cfg") == [512, 7, True], (
        f"after replace_head(model, 7) model.fc is {info.get('fc')} {info.get('fc_cfg')}; "
        "expected nn.Linear(512, 7) [in_features, out_features, bias]\n  hint: "
        "model.fc = nn.Linear(model.fc.in_features, num_classes) — assign it to model.fc "
        "(not a new attribute, not nn.Sequential around the model)")
    got = learner.probe(_state, model, HEAD_KEYS)
    torch.manual_seed(4)
    head = nn.Linear(512, 7)
    assert_close(got["fc.weight"], head.weight.detach().numpy(),
                 name="new fc.weight with seed=4", rtol=0, atol=0,
                 hint="torch.manual_seed(seed) immediately before nn.Linear(512, num_classes)")
    assert_close(got["fc.bias"], head.bias.detach().numpy(), name="new fc.bias with seed=4",
                 rtol=0, atol=0)
    state = _digest_of(_CACHE["state"])
    digests = learner.probe(_digests, model)
    wrong = [k for k in state if not k.startswith("fc.") and digests.get(k) != state[k]]
    assert not wrong, (f"replace_head changed the pretrained backbone ({wrong[:3]}...)\n  "
                       "hint: only model.fc is replaced; build_model already loaded the rest")

    X = _data(reference)[0][:6]
    out = learner.probe(_forward, model, X, "eval")
    assert tuple(out.shape) == (6, 7), (
        f"model(x) for x of shape (6, 3, 16, 16) has shape {tuple(out.shape)}, expected "
        "(6, 7): one logit per new class")
    ref = reference.transfer_resnet18
    expected = ref.replace_head(ref.build_model(path), 7, 4).eval()
    with torch.no_grad():
        want = expected(X)
    assert_close(out, want, name="logits (eval mode) after replace_head(model, 7, seed=4)",
                 **F32, hint="the pretrained backbone followed by the new head; no softmax")


@pytest.mark.points(2)
def test_only_head_trainable(learner, reference):
    """freeze_backbone leaves exactly fc.weight and fc.bias trainable, in either order with replace_head"""
    lib = learner.transfer_resnet18
    path = _checkpoint(learner, reference)
    for order in ("replace, then freeze", "freeze, then replace"):
        model = lib.build_model(path)
        if order.startswith("replace"):
            model = lib.freeze_backbone(lib.replace_head(model, N_NEW, 0))
        else:
            model = lib.replace_head(lib.freeze_backbone(model), N_NEW, 0)
        info = _model_info(learner, model, f"freeze_backbone ({order})")
        trainable = sorted(info["trainable"])
        if trainable == HEAD_KEYS:
            continue
        n_all = len(info["n_params"])
        if not trainable:
            hint = ("nothing is trainable: the head must stay trainable (freeze every "
                    "parameter whose name does not start with 'fc.')")
        elif len(trainable) == n_all:
            hint = ("nothing is frozen: set param.requires_grad = False on the backbone's "
                    "parameters (model.named_parameters()); wrapping in torch.no_grad() or "
                    "model.eval() does not freeze anything")
        elif not set(HEAD_KEYS) <= set(trainable):
            hint = "the head is frozen too: keep fc.weight and fc.bias trainable"
        else:
            extra = [n for n in trainable if n not in HEAD_KEYS]
            hint = (f"{len(extra)} backbone tensors are still trainable (first: {extra[:3]}): "
                    "freeze EVERY parameter except model.fc's — BatchNorm weights and biases "
                    "included")
        raise AssertionError(
            f"{order}: {len(trainable)} of {n_all} parameter tensors require gradients, "
            f"expected exactly {HEAD_KEYS}\n  hint: {hint}")


@pytest.mark.points(2)
def test_optimizer_holds_only_trainable(learner, reference):
    """make_optimizer is Adam(lr) over exactly the trainable parameters (the head), nothing frozen"""
    lib = learner.transfer_resnet18
    path = _checkpoint(learner, reference)
    model = lib.freeze_backbone(lib.replace_head(lib.build_model(path), N_NEW, 0))
    opt = lib.make_optimizer(model, 0.003)
    info = learner.probe(_optimizer_info, model, opt)
    assert info["is_optimizer"], (f"make_optimizer returned a {info['type']}; expected a "
                                  "torch.optim.Adam")
    assert info["type"] == "Adam", (f"make_optimizer returned torch.optim.{info['type']}; the "
                                    "convention is torch.optim.Adam")
    held = info["held"]
    if info["held_frozen"]:
        raise AssertionError(
            f"the optimizer holds {len(held)} tensors, {len(info['held_frozen'])} of them "
            f"frozen (requires_grad=False), e.g. {info['held_frozen'][:3]}\n  hint: give Adam "
            "only the trainable parameters: [p for p in model.parameters() if "
            "p.requires_grad] (or model.fc.parameters()), not model.parameters()")
    assert sorted(held) == HEAD_KEYS and len(held) == 2, (
        f"the optimizer holds {held}, expected exactly the trainable {info['trainable']}\n"
        "  hint: each trainable parameter once, nothing else")
    assert all(abs(lr - 0.003) < 1e-12 for lr in info["lrs"]), (
        f"make_optimizer(model, lr=0.003) has learning rate(s) {info['lrs']}\n  hint: pass "
        "lr to Adam: torch.optim.Adam(params, lr=lr)")


# ======================================================================================
# fine-tuning
# ======================================================================================
@pytest.mark.points(2)
def test_backbone_unchanged_after_finetuning(learner, reference):
    """After train_head the backbone (weights AND BatchNorm running stats) is bit-identical; the head moved"""
    Xtr, ytr, _, _ = _few_shot(reference)
    lib = learner.transfer_resnet18
    path = _checkpoint(learner, reference)
    model = lib.freeze_backbone(lib.replace_head(lib.build_model(path), N_NEW, 0))
    before = learner.probe(_digests, model)
    learner.probe(_set_train, model)          # train_head must choose the mode itself
    lib.train_head(model, Xtr[:20], ytr[:20], steps=3, lr=LR)
    after = learner.probe(_digests, model)
    backbone = [k for k in before if not k.startswith("fc.")]
    params = {n for n in learner.probe(_info, model)["n_params"]}
    moved_w = _changed(before, after, [k for k in backbone if k in params])
    moved_b = _changed(before, after, [k for k in backbone if k not in params])
    assert not moved_w, (
        f"{len(moved_w)} backbone parameter tensors changed during train_head (first: "
        f"{moved_w[:3]})\n  hint: the backbone is frozen: only the parameters with "
        "requires_grad reach the optimizer (make_optimizer), and train_head must not unfreeze")
    assert not moved_b, (
        f"{len(moved_b)} BatchNorm buffers changed during train_head (first: {moved_b[:3]}): "
        "running_mean / running_var are updated by every forward pass in TRAIN mode, frozen "
        "weights or not\n  hint: call model.eval() at the start of train_head (the convention "
        "of this topic: the whole model in eval mode while the head trains)")
    moved_head = _changed(before, after, HEAD_KEYS)
    assert moved_head == HEAD_KEYS, (
        f"after 3 steps of train_head only {moved_head or 'nothing'} of {HEAD_KEYS} changed\n"
        "  hint: each step: optimizer.zero_grad(); loss = F.cross_entropy(model(X), y); "
        "loss.backward(); optimizer.step()")


@pytest.mark.points(3)
def test_finetuning_matches_reference(learner, reference):
    """train_head takes the reference's steps: same losses and same trained head (eval-mode backbone)"""
    Xtr, ytr, _, _ = _few_shot(reference)
    model, losses = _learner_finetuned(learner, reference, Xtr, ytr, seed=1, steps=6, lr=LR)
    call = f"train_head(model, X (30, 3, 16, 16), y, steps=6, lr={LR})"
    got = _losses(losses, 6, call)
    ref_model, ref_losses = _ref_finetuned(reference, _checkpoint(learner, reference), Xtr,
                                           ytr, seed=1, steps=6)
    want = np.asarray(ref_losses)
    hint = ("model.eval() first; make_optimizer(model, lr); each step zero_grad → "
            "F.cross_entropy(model(X), y) (the MEAN over the batch, full batch) → backward → "
            "step; append loss.item() of that step")
    if got.shape == want.shape:
        if np.isclose(got[0], want[0] * len(ytr), rtol=1e-3):
            hint = "your losses are 30 times too large: use the MEAN cross-entropy, not the sum"
        elif np.allclose(got[:-1], want[1:], rtol=1e-3):
            hint = ("your losses are shifted by one step: record the loss computed in each "
                    "step (before its update), so losses[0] is the loss of the fresh head")
        elif not np.isclose(got[0], want[0], rtol=1e-3):
            hint = ("the very first loss differs (before any update): the backbone must run "
                    "in eval mode (model.eval(): BatchNorm uses the pretrained running "
                    "statistics, not the batch's), and the head is replace_head's seeded one")
        elif np.isclose(got[1], got[0], rtol=1e-4):
            hint = "the loss did not move after the first step: is lr passed to the optimizer?"
    assert_close(got, want, name=f"losses of {call}", rtol=1e-3, atol=1e-5, hint=hint)
    state = learner.probe(_state, model, HEAD_KEYS)
    for k in HEAD_KEYS:
        assert_close(state[k], ref_model.state_dict()[k].numpy(),
                     name=f"trained {k} after 6 steps", rtol=1e-3, atol=1e-5, hint=hint)


@pytest.mark.points(1)
def test_evaluate_in_eval_mode(learner, reference):
    """evaluate returns the accuracy in eval mode (the model may arrive in train mode)"""
    _, _, Xte, yte = _few_shot(reference)
    Xte, yte = Xte[:120], yte[:120]
    lib = learner.transfer_resnet18
    path = _checkpoint(learner, reference)
    model = lib.replace_head(lib.build_model(path), N_NEW, 2)
    ref = reference.transfer_resnet18
    expected_model = ref.replace_head(ref.build_model(path), N_NEW, 2).eval()
    with torch.no_grad():
        logits = expected_model(Xte)
    want = float((logits.argmax(1) == yte).double().mean())
    learner.probe(_set_train, model)
    got = lib.evaluate(model, Xte, yte)
    assert isinstance(got, (float, int, np.floating)) and not isinstance(got, bool), (
        f"evaluate returned a {type(got).__name__}; expected a Python float in [0, 1]")
    got = float(got)
    hint = "model.eval(), then under torch.no_grad(): (model(X).argmax(dim=1) == y).mean()"
    if np.isclose(got, want * len(yte)):
        hint = "that is the number of correct predictions: divide by len(y) (a fraction)"
    elif np.isclose(got, 100 * want):
        hint = "that is a percentage: return a fraction in [0, 1]"
    elif not np.isclose(got, want, rtol=0, atol=1e-9):
        model_train = ref.replace_head(ref.build_model(path), N_NEW, 2).train()
        with torch.no_grad():
            acc_train = float((model_train(Xte).argmax(1) == yte).double().mean())
        if np.isclose(got, acc_train) and not np.isclose(acc_train, want):
            hint = ("this is the accuracy in TRAIN mode (BatchNorm normalises with the batch's "
                    "statistics and updates its running stats): call model.eval() first")
    assert_close(got, want, name="evaluate(model, X (120 digits), y) with the model left in "
                 "train mode", rtol=0, atol=1e-9, hint=hint)
    again = learner.probe(_state, model, ["layer1.0.bn1.running_mean"])
    state = _CACHE["state"]
    assert np.array_equal(again["layer1.0.bn1.running_mean"],
                          state["layer1.0.bn1.running_mean"].numpy()), (
        "evaluate changed the BatchNorm running statistics: it ran the model in train mode\n"
        "  hint: model.eval() before the forward pass")


@pytest.mark.points(3)
def test_transfer_beats_scratch(learner, reference):
    """Fine-tuning the head on the pretrained backbone beats training ResNet-18 from scratch on the same budget"""
    Xtr, ytr, Xte, yte = _few_shot(reference)
    model, losses = _learner_finetuned(learner, reference, Xtr, ytr, seed=0)
    _losses(losses, STEPS, f"train_head(model, X (30, 3, 16, 16), y, steps={STEPS}, lr={LR})")
    acc = float(learner.transfer_resnet18.evaluate(model, Xte, yte))
    scratch = _scratch_accuracy(reference, Xtr, ytr, Xte, yte)
    budget = (f"30 labelled digits 5–9 (6 per class), {STEPS} full-batch steps, 300 "
              "held-out digits")
    hint = ("build_model(checkpoint) → replace_head(model, 5, seed) → freeze_backbone → "
            f"train_head(steps={STEPS}, lr={LR}) with the backbone in eval mode")
    assert acc >= MIN_TRANSFER_ACC, (
        f"transfer accuracy {acc:.3f} on {budget}; must be ≥ {MIN_TRANSFER_ACC} (the reference "
        f"reaches 0.76)\n  hint: {hint}")
    assert acc >= scratch + MIN_MARGIN, (
        f"transfer accuracy {acc:.3f} vs {scratch:.3f} for ResNet-18 trained from scratch "
        f"(all layers, Adam lr {SCRATCH_LR}) on the same budget ({budget}); transfer must win "
        f"by ≥ {MIN_MARGIN}\n  hint: {hint}")


@pytest.mark.points(2)
def test_saved_head_reloads(learner, reference):
    """save_head writes only the head (weight, bias); checkpoint + head reload to identical logits"""
    Xtr, ytr, Xte, _ = _few_shot(reference)
    model, _ = _learner_finetuned(learner, reference, Xtr[:20], ytr[:20], seed=0, steps=2)
    lib = learner.transfer_resnet18
    path = os.path.join(learner.workdir, "head.pt")
    lib.save_head(model, path)
    assert os.path.isfile(path), f"save_head(model, path) wrote no file at {path}"
    try:
        head = torch.load(path, weights_only=True, map_location="cpu")
    except Exception as exc:
        raise AssertionError(
            f"torch.load(path, weights_only=True) could not read the saved head "
            f"({type(exc).__name__}: {str(exc)[:200]})\n  hint: torch.save(model.fc.state_dict(), "
            "path): tensors only, never a pickled module") from None
    if not isinstance(head, dict) or not all(isinstance(v, torch.Tensor) for v in head.values()):
        raise AssertionError(f"the saved file holds a {type(head).__name__}, expected the "
                             "head's state_dict (a dict of tensors)")
    keys = sorted(head)
    if len(keys) > 2:
        raise AssertionError(
            f"the saved file holds {len(keys)} tensors ({os.path.getsize(path) / 1e6:.1f} MB): "
            "the whole model. The backbone is frozen and already in the checkpoint; save the "
            "head only\n  hint: torch.save(model.fc.state_dict(), path) (keys weight, bias)")
    assert_same(keys, ["bias", "weight"], name="keys of the saved head",
                hint="torch.save(model.fc.state_dict(), path): keys 'weight' and 'bias'")
    trained = learner.probe(_state, model, HEAD_KEYS)
    assert_close(head["weight"], trained["fc.weight"], name="saved weight vs model.fc.weight",
                 rtol=0, atol=0, hint="save the head AFTER training")
    reloaded = lib.load_finetuned(_checkpoint(learner, reference), path)
    X = Xte[:40]
    a = learner.probe(_forward, reloaded, X, "eval")
    b = learner.probe(_forward, model, X, "eval")
    assert tuple(a.shape) == (40, N_NEW), (
        f"load_finetuned(...)(x) has shape {tuple(a.shape)}, expected (40, {N_NEW})")
    assert_close(a, b, name="logits of load_finetuned(checkpoint, head) vs the fine-tuned "
                 "model (eval mode)", rtol=0, atol=0,
                 hint="build_model(weights) → replace_head(model, head['weight'].shape[0]) → "
                      "model.fc.load_state_dict(head) → model.eval()")
    info = learner.probe(_info, reloaded)
    assert not info["training"], "load_finetuned should return the model in eval mode"
