"""Hidden checks for 12_mini_cnn (library_impl/mini_cnn_torch.py).

The learner's MiniCNN stays in the sandbox (a Handle); small probe functions read its
structure and weights there. Structure and forward pass are compared with the reference
architecture holding the same weights (float32). Learnt behaviour is checked, not the exact
numbers of one training run: accuracy on the held-out digits above a threshold, one curve
value per epoch (train_loss / train_acc equal to the logits the training steps produced,
watched with a forward hook; validation metrics measured in eval mode on the final weights),
loss falling, dropout on during training steps, gradients zeroed before every backward
(parameter hooks), identical runs for a seed, weights that reload to identical predictions,
and a CPU-time budget. When a comparison downstream of forward fails, the message says
whether forward itself is the problem (_forward_problem).

Data: sklearn's 8×8 digits, float32 (N, 1, 8, 8) scaled to [0, 1], split like the given
load_digits_split (stratified, random_state=0): 1077 train / 270 validation / 450 test.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.testing import assert_close, assert_same

# float32 module vs float32 module with the same weights (operation order may differ).
F32 = dict(rtol=1e-4, atol=1e-5)
N_PARAMS = 16 * 1 * 3 * 3 + 16 + 256 * 10 + 10          # 2,730
STATE_KEYS = ["conv.bias", "conv.weight", "fc.bias", "fc.weight"]
ACC_THRESHOLD = 0.90
CPU_BUDGET_S = 3.0


# --------------------------------------------------------------------------------------
# data and the reference architecture (grading side)
# --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _split():
    """sklearn digits as float32 (N, 1, 8, 8) / 16 and int64 labels; 1077 / 270 / 450."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                      random_state=0)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.2,
                                                      stratify=y_rest, random_state=0)
    return X_train, y_train, X_val, y_val, X_test, y_test


def _tensors(*arrays):
    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)


class _RefCNN(nn.Module):
    """Conv(1→16, 3×3, padding 1) → ReLU → MaxPool(2) → flatten → Dropout(0.25) → Linear."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.25)
        self.fc = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc(self.dropout(torch.flatten(self.pool(F.relu(self.conv(x))), 1)))


def _ref_model(state):
    model = _RefCNN()
    model.load_state_dict({k: torch.as_tensor(np.asarray(v)) for k, v in state.items()})
    return model.eval()


def _ref_state(seed):
    """A reference MiniCNN's initial weights as float32 NumPy arrays."""
    torch.manual_seed(seed)
    model = _RefCNN()
    with torch.no_grad():                   # larger weights: clearer argmax margins
        model.fc.weight.mul_(3.0)
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def _ref_logits(state, X):
    with torch.no_grad():
        return _ref_model(state)(torch.from_numpy(X)).numpy()


def _clear_margin(logits, min_gap=1e-3):
    """Rows whose top two logits differ by more than min_gap (no near-ties in argmax)."""
    top2 = np.sort(logits, axis=1)[:, -2:]
    return (top2[:, 1] - top2[:, 0]) > min_gap


# --------------------------------------------------------------------------------------
# probes: run inside the sandbox on the learner's model, return plain data
# --------------------------------------------------------------------------------------
def _describe(model):
    import torch
    from torch import nn

    info = {"type": type(model).__name__, "is_module": isinstance(model, nn.Module)}
    if not info["is_module"]:
        return info
    for name in ("conv", "pool", "dropout", "fc"):
        layer = getattr(model, name, None)
        info[name] = None if layer is None else type(layer).__name__
    conv, pool, drop, fc = (getattr(model, n, None) for n in ("conv", "pool", "dropout", "fc"))
    if isinstance(conv, nn.Conv2d):
        info["conv_cfg"] = [conv.in_channels, conv.out_channels, list(conv.kernel_size),
                            list(conv.stride), list(conv.padding) if not isinstance(
                                conv.padding, str) else conv.padding, conv.bias is not None]
    if isinstance(pool, nn.MaxPool2d):
        as_list = lambda v: list(v) if isinstance(v, (tuple, list)) else [v, v]
        info["pool_cfg"] = [as_list(pool.kernel_size), as_list(pool.stride),
                            as_list(pool.padding), bool(pool.ceil_mode)]
    if isinstance(drop, nn.Dropout):
        info["dropout_p"] = float(drop.p)
    if isinstance(fc, nn.Linear):
        info["fc_cfg"] = [fc.in_features, fc.out_features, fc.bias is not None]
    info["children"] = [n for n, _ in model.named_children()]
    info["keys"] = sorted(model.state_dict().keys())
    info["n_params"] = int(sum(p.numel() for p in model.parameters()))
    info["dtypes"] = sorted({str(p.dtype) for p in model.parameters()})
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(torch.zeros(5, 1, 8, 8))
        info["out"] = [list(out.shape), str(out.dtype)] if isinstance(out, torch.Tensor) \
            else [type(out).__name__]
    except Exception as exc:  # reported by the check
        info["out_error"] = f"{type(exc).__name__}: {exc}"[:400]
    model.train(was_training)
    return info


def _load_weights(model, state):
    import torch

    try:
        model.load_state_dict({k: torch.as_tensor(v) for k, v in state.items()})
    except Exception as exc:  # reported by the check
        return f"{type(exc).__name__}: {exc}"[:600]
    return None


def _set_mode(model, training):
    model.train(training)
    return bool(model.training)


def _forward_eval(model, x):
    """model(x) in eval mode without gradients, twice (dropout left on shows as a difference)."""
    import torch

    model.eval()
    with torch.no_grad():
        a, b = model(x), model(x)
    return a, b


def _weights(model):
    import numpy as np

    return {k: v.detach().cpu().numpy().astype(np.float32)
            for k, v in model.state_dict().items()}


def _cpu_seconds():
    import time

    return time.process_time()


def _record_forwards(model):
    """Record (training mode, grad enabled, batch size) for every model(x) call, and count the
    backward passes after which a parameter's .grad holds more than that pass's gradient
    (gradients of earlier steps not zeroed)."""
    import torch

    calls = []
    grads = {"backward": 0, "accumulated": {}}        # accumulated: per parameter
    fresh = {}

    def hook(module, inputs, output):
        x = inputs[0] if inputs else None
        calls.append([bool(module.training), bool(torch.is_grad_enabled()),
                      int(x.shape[0]) if hasattr(x, "shape") and len(x.shape) else -1])

    def keep_fresh(name):
        def f(grad):                       # the gradient of this backward pass alone
            fresh[name] = grad.detach().clone()
        return f

    def after_accumulate(name):
        def f(param):                      # param.grad = old .grad (if any) + this pass's
            new = fresh.pop(name, None)
            if name == "fc.weight":
                grads["backward"] += 1
            if new is not None and param.grad is not None and \
                    not torch.allclose(param.grad, new, rtol=1e-6, atol=1e-8):
                grads["accumulated"][name] = grads["accumulated"].get(name, 0) + 1
        return f

    handles = [model.register_forward_hook(hook)]
    for name, param in model.named_parameters():
        handles.append(param.register_hook(keep_fresh(name)))
        handles.append(param.register_post_accumulate_grad_hook(after_accumulate(name)))
    model._mlgrade_calls = calls
    model._mlgrade_grads = grads
    model._mlgrade_hooks = handles
    return True


def _record_outputs(model):
    """Keep the input and the logits of every model(x) call made with gradients enabled."""
    import torch

    seen = []

    def hook(module, inputs, output):
        if torch.is_grad_enabled() and inputs and isinstance(output, torch.Tensor):
            seen.append((inputs[0].detach().clone(), output.detach().clone()))

    model._mlgrade_seen = seen
    model._mlgrade_out_hook = model.register_forward_hook(hook)
    return True


def _read_outputs(model):
    import torch

    model._mlgrade_out_hook.remove()
    seen = model._mlgrade_seen
    del model._mlgrade_seen, model._mlgrade_out_hook
    if not seen:
        return None
    return (torch.cat([x for x, _ in seen]).numpy(), torch.cat([o for _, o in seen]).numpy())


def _read_forwards(model):
    for handle in model._mlgrade_hooks:
        handle.remove()
    calls = list(model._mlgrade_calls)
    grads = dict(model._mlgrade_grads)
    del model._mlgrade_calls, model._mlgrade_grads, model._mlgrade_hooks
    return calls, grads


# --------------------------------------------------------------------------------------
# helpers for the learner's results
# --------------------------------------------------------------------------------------
def _equal(got, want, *, name, hint):
    """Plain-data equality (nested lists, strings, numbers) with a readable message."""
    if got != want:
        raise AssertionError(f"{name}: got {got!r}, expected {want!r}\n  hint: {hint}")


def _history(h, epochs, call):
    keys = ["train_loss", "train_acc", "val_loss", "val_acc"]
    if not isinstance(h, dict):
        raise AssertionError(f"{call} returned {type(h).__name__}; expected a dict with the "
                             f"lists {keys}\n  hint: return history (and train the model in "
                             "place)")
    missing = [k for k in keys if k not in h]
    if missing:
        raise AssertionError(f"{call}: the history has keys {sorted(h)}, missing {missing}")
    out = {}
    for k in keys:
        try:
            v = np.asarray(h[k], dtype=np.float64)
        except (TypeError, ValueError):
            raise AssertionError(f"{call}: history[{k!r}] is not a list of numbers\n  hint: "
                                 "append plain floats (loss.item(), not the tensor)") from None
        if v.shape != (epochs,):
            hint = ("one value per EPOCH, appended after the epoch's last batch"
                    if v.ndim == 1 and len(v) > epochs else
                    "append exactly one value per epoch")
            raise AssertionError(f"{call}: history[{k!r}] has shape {v.shape}, expected "
                                 f"({epochs},) for epochs={epochs}\n  hint: {hint}")
        if not np.all(np.isfinite(v)):
            raise AssertionError(f"{call}: history[{k!r}] contains NaN or Inf: {v}")
        out[k] = v
    for k in ("train_acc", "val_acc"):
        if out[k].min() < 0 or out[k].max() > 1:
            raise AssertionError(f"{call}: history[{k!r}] = {np.round(out[k], 4).tolist()} is "
                                 "not a fraction in [0, 1]\n  hint: accuracy = correct / "
                                 "total (not a percentage, not a count)")
    return out


def _train(learner, X_tr, y_tr, X_val, y_val, *, seed, **kw):
    lib = learner.mini_cnn_torch
    model = lib.build_model(seed)
    kwargs = ", ".join(f"{k}={v}" for k, v in kw.items())
    call = f"train(model, X_train{tuple(X_tr.shape)}, ..., {kwargs}, seed={seed})"
    h = lib.train(model, X_tr, y_tr, X_val, y_val, seed=seed, **kw)
    return model, _history(h, kw.get("epochs", 5), call), call


# ======================================================================================
# the architecture
# ======================================================================================
@pytest.mark.points(2)
def test_architecture(learner):
    """MiniCNN is conv(1→16, 3×3, pad 1) → ReLU → MaxPool(2) → Dropout(0.25) → Linear(256, 10)"""
    info = learner.probe(_describe, learner.mini_cnn_torch.MiniCNN())
    assert info["is_module"], f"MiniCNN() is a {info['type']}; it must subclass nn.Module"
    expected_types = {"conv": "Conv2d", "pool": "MaxPool2d", "dropout": "Dropout",
                      "fc": "Linear"}
    for name, kind in expected_types.items():
        if info[name] != kind:
            raise AssertionError(
                f"model.{name} is {info[name] or 'missing'}, expected an nn.{kind}\n  hint: "
                "create self.conv = nn.Conv2d(1, 16, 3, padding=1), self.pool = "
                "nn.MaxPool2d(2), self.dropout = nn.Dropout(0.25), self.fc = nn.Linear(256, 10) "
                f"in __init__ (these names are part of the contract; yours: {info.get('children')})")
    _equal(info.get("conv_cfg"), [1, 16, [3, 3], [1, 1], [1, 1], True],
           name="model.conv [in_channels, out_channels, kernel_size, stride, padding, bias]",
           hint="nn.Conv2d(1, 16, kernel_size=3, padding=1): padding 1 keeps 8×8")
    _equal(info.get("pool_cfg"), [[2, 2], [2, 2], [0, 0], False],
           name="model.pool [kernel_size, stride, padding, ceil_mode]",
           hint="nn.MaxPool2d(2): 2×2 windows, stride 2, 8×8 → 4×4")
    _equal(info.get("dropout_p"), 0.25, name="model.dropout.p",
           hint="nn.Dropout(0.25): p is the probability of DROPPING a value")
    _equal(info.get("fc_cfg"), [256, 10, True], name="model.fc [in_features, out_features, bias]",
           hint="after pooling there are 16 channels × 4 × 4 = 256 features, 10 classes")
    _equal(info.get("keys"), STATE_KEYS, name="keys of model.state_dict()",
           hint="only conv and fc hold parameters; keep the attribute names conv and fc")
    _equal(info.get("n_params"), N_PARAMS, name="number of parameters",
           hint="16·1·3·3 + 16 (conv) + 256·10 + 10 (fc) = 2,730")
    _equal(info.get("dtypes"), ["torch.float32"], name="parameter dtypes",
           hint="keep torch's default float32 (the digits are float32)")
    if "out_error" in info:
        raise AssertionError(f"model(torch.zeros(5, 1, 8, 8)) raised {info['out_error']}\n"
                             "  hint: forward: conv → ReLU → pool → torch.flatten(x, 1) → "
                             "dropout → fc")
    _equal(info.get("out"), [[5, 10], "torch.float32"],
           name="[shape, dtype] of model(x) for x of shape (5, 1, 8, 8)",
           hint="forward returns one row of 10 logits per image: flatten with "
                "torch.flatten(x, 1) (keep the batch axis)")


@pytest.mark.points(2)
def test_forward_matches_torch_with_copied_weights(learner):
    """With the same weights, MiniCNN's logits equal conv → ReLU → pool → flatten → fc in torch"""
    state = _ref_state(3)
    model = learner.mini_cnn_torch.MiniCNN()
    err = learner.probe(_load_weights, model, state)
    assert err is None, (f"could not load a state_dict with keys {sorted(state)} into your "
                         f"MiniCNN: {err}\n  hint: name the layers conv and fc, shaped as in "
                         "the README")
    X = _split()[4][:64]
    expected = _ref_logits(state, X)
    got, again = learner.probe(_forward_eval, model, torch.from_numpy(X))
    got = got.numpy() if isinstance(got, torch.Tensor) else np.asarray(got)
    name = "logits of your MiniCNN (eval mode) on 64 test digits"
    if got.shape == expected.shape and not np.allclose(got, np.asarray(again), rtol=0, atol=0):
        raise AssertionError(
            f"{name}: two calls on the same input differ in eval mode\n  hint: dropout is "
            "still active after model.eval(): use the nn.Dropout module (self.dropout), or "
            "F.dropout(x, 0.25, training=self.training) — F.dropout's default is training=True")
    assert_close(got, expected, name=name, **F32, hint=_forward_hint(got, state, X))


def _forward_hint(got, state, X):
    ref = _ref_model(state)
    x = torch.from_numpy(X)
    with torch.no_grad():
        conv = ref.conv(x)
        logits = ref(x)
        cands = [
            (torch.softmax(logits, 1), "forward returns probabilities (softmax): return the "
             "raw logits — nn.CrossEntropyLoss applies log-softmax itself"),
            (torch.log_softmax(logits, 1), "forward returns log-probabilities (log_softmax): "
             "return the raw logits — nn.CrossEntropyLoss applies log-softmax itself"),
            (ref.fc(torch.flatten(ref.pool(conv), 1)), "the ReLU is missing: conv → ReLU → "
             "pool"),
            (ref.fc(torch.flatten(F.relu(F.avg_pool2d(conv, 2)), 1)),
             "this is average pooling: use nn.MaxPool2d(2)"),
            (ref.fc(ref.pool(F.relu(conv)).permute(0, 2, 3, 1).reshape(len(X), -1)),
             "the features are flattened channels-last: flatten the (N, 16, 4, 4) tensor as "
             "it is, with torch.flatten(x, 1)"),
            (torch.relu(logits), "a ReLU is applied to the logits: the last layer is fc alone"),
        ]
    g = np.asarray(got, dtype=np.float64)
    for cand, hint in cands:
        c = cand.numpy().astype(np.float64)
        if c.shape == g.shape and np.allclose(g, c, rtol=1e-4, atol=1e-5):
            return hint
    return ("forward: x = self.pool(F.relu(self.conv(x))); x = torch.flatten(x, 1); "
            "return self.fc(self.dropout(x))")


def _forward_problem(learner, model, state, X):
    """None if the learner's model, in eval mode, gives the reference logits for `state` on X
    (twice the same); else a hint naming the forward-pass problem. Leaves the model in eval
    mode: call it only once a comparison has already failed."""
    got, again = learner.probe(_forward_eval, model, torch.from_numpy(X))
    got, again = np.asarray(_as_array(got)), np.asarray(_as_array(again))
    prefix = "the problem is in forward, not here (see the forward-pass check): "
    if got.shape == (len(X), 10) and not np.array_equal(got, again):
        return (prefix + "two calls in eval mode give different logits, so dropout is still on "
                "after model.eval(): use the nn.Dropout module (self.dropout), not F.dropout "
                "(its default is training=True)")
    expected = _ref_logits(state, X)
    if got.shape != expected.shape or not np.allclose(got, expected, **F32):
        return prefix + "with these weights your logits differ from the README's network. " \
            + _forward_hint(got, state, X)
    return None


def _as_array(value):
    return value.numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


@pytest.mark.points(1)
def test_build_model_is_seeded(learner):
    """build_model(seed) gives the same initial weights for the same seed, others for another"""
    lib = learner.mini_cnn_torch
    a = learner.probe(_weights, lib.build_model(5))
    b = learner.probe(_weights, lib.build_model(5))
    c = learner.probe(_weights, lib.build_model(6))
    assert isinstance(a, dict) and sorted(a) == STATE_KEYS, (
        f"build_model(5) gave a model with weights {sorted(a) if isinstance(a, dict) else a}, "
        f"expected {STATE_KEYS}")
    for k in STATE_KEYS:
        assert_close(b[k], a[k], name=f"{k} of two models from build_model(5)", rtol=0, atol=0,
                     hint="call torch.manual_seed(seed) inside build_model, before creating "
                          "the MiniCNN")
    assert not np.array_equal(a["conv.weight"], c["conv.weight"]), (
        "build_model(5) and build_model(6) start from the same weights: seed torch with the "
        "seed argument (torch.manual_seed(seed)), not a fixed number")


# ======================================================================================
# evaluation: eval mode, predict, evaluate
# ======================================================================================
@pytest.mark.points(2)
def test_predict_and_evaluate_in_eval_mode(learner):
    """predict and evaluate switch to eval mode and equal torch's argmax / cross-entropy"""
    lib = learner.mini_cnn_torch
    state = _ref_state(11)
    X_test, y_test = _split()[4], _split()[5]
    logits = _ref_logits(state, X_test)
    keep = _clear_margin(logits)
    X, y, logits = X_test[keep][:200], y_test[keep][:200], logits[keep][:200]
    model = lib.MiniCNN()
    err = learner.probe(_load_weights, model, state)
    assert err is None, f"could not load conv/fc weights into your MiniCNN: {err}"
    eval_hint = ("call model.eval() at the start of predict and evaluate (dropout must be off "
                 "there) and compute under torch.no_grad()")
    learner.probe(_set_mode, model, True)          # as it is after a training epoch
    pred = lib.predict(model, torch.from_numpy(X))
    if isinstance(pred, torch.Tensor):
        raise AssertionError("predict returned a torch.Tensor; expected a NumPy array of int64 "
                             "labels\n  hint: return model(X).argmax(dim=1).numpy()")
    pred = np.asarray(pred)
    if pred.shape == (len(X), 10):
        raise AssertionError(f"predict returned shape {pred.shape}: the logits, not the labels"
                             "\n  hint: take the argmax over the classes: .argmax(dim=1)")
    assert_same(pred.shape, (len(X),), name=f"shape of predict(model, X) for X{X.shape}")
    assert np.issubdtype(pred.dtype, np.integer), (
        f"predict returned dtype {pred.dtype}; expected integer class labels (int64)")
    if not np.array_equal(pred, logits.argmax(axis=1)):
        eval_hint = _forward_problem(learner, model, state, X) or eval_hint
    assert_same(pred, logits.argmax(axis=1),
                name=f"predict(model, X) on {len(X)} test digits, model left in train mode "
                     "before the call", hint=eval_hint)
    learner.probe(_set_mode, model, True)
    res = lib.evaluate(model, torch.from_numpy(X), torch.from_numpy(y))
    assert isinstance(res, (tuple, list)) and len(res) == 2, (
        f"evaluate returned {type(res).__name__}; expected a tuple (loss, accuracy)")
    loss, acc = (float(v) for v in res)
    want_loss = float(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(y)))
    want_acc = float(np.mean(logits.argmax(axis=1) == y))
    if abs(acc - want_acc * 100) < 1e-6 and want_acc > 0:
        raise AssertionError(f"evaluate: accuracy {acc}, expected {want_acc:.6g}\n  hint: "
                             "return a fraction in [0, 1], not a percentage")
    loss_hint = eval_hint
    if abs(loss - want_loss) > 1e-4 * abs(want_loss) + 1e-5:
        loss_hint = _forward_problem(learner, model, state, X) or eval_hint
    if abs(loss - want_loss * len(X)) < 1e-3 * want_loss * len(X):
        loss_hint = "the loss is summed over the samples: return the MEAN cross-entropy"
    elif abs(loss - float(F.nll_loss(torch.from_numpy(logits), torch.from_numpy(y)))) < 1e-5:
        loss_hint = "that is nll_loss on raw logits: use F.cross_entropy(logits, y)"
    assert_close(loss, want_loss, name="loss from evaluate(model, X, y) (mean cross-entropy)",
                 **F32, hint=loss_hint)
    assert_close(acc, want_acc, name="accuracy from evaluate(model, X, y)", rtol=1e-9,
                 atol=1e-9, hint=eval_hint)


# ======================================================================================
# training
# ======================================================================================
@pytest.mark.points(1)
def test_curves_recorded_per_epoch(learner):
    """train records per epoch the mean loss/accuracy of its training steps and the validation loss/accuracy of the final weights"""
    X_tr, y_tr, X_val, y_val, _, _ = _split()
    n, bs, epochs = 384, 32, 3          # 12 full batches: any per-sample mean agrees exactly
    lib = learner.mini_cnn_torch
    model = lib.build_model(0)
    learner.probe(_record_outputs, model)
    call = f"train(model, X_train({n}, 1, 8, 8), ..., epochs={epochs}, batch_size={bs}, seed=0)"
    h = _history(lib.train(model, *_tensors(X_tr[:n], y_tr[:n], X_val, y_val), epochs=epochs,
                           lr=1e-2, batch_size=bs, seed=0), epochs, call)
    seen = learner.probe(_read_outputs, model)
    _check_train_curves(h, seen, X_tr[:n], y_tr[:n], epochs, call)
    state = learner.probe(_weights, model)
    logits = _ref_logits(state, X_val)
    want_loss = float(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(y_val)))
    want_acc = float(np.mean(logits.argmax(axis=1) == y_val))
    hint = ("after each epoch's last optimizer step, record evaluate(model, X_val, y_val): "
            "the mean cross-entropy and the accuracy on the validation set, in eval mode "
            "(dropout off), without gradients")
    if abs(h["val_loss"][-1] - want_loss) > 1e-4 * want_loss + 1e-5:
        if abs(h["val_loss"][-1] - h["train_loss"][-1]) < 1e-12:
            hint = "val_loss equals train_loss: evaluate on X_val, y_val"
        else:
            hint = _forward_problem(learner, model, state, X_val) or hint
    assert_close(h["val_loss"][-1], want_loss,
                 name=f"history['val_loss'][-1] vs the cross-entropy of the trained weights on "
                      f"the {len(X_val)} validation digits", **F32, hint=hint)
    assert_close(h["val_acc"][-1], want_acc, name="history['val_acc'][-1] vs the accuracy of "
                 "the trained weights on the validation digits", rtol=0, atol=1e-9, hint=hint)


def _check_train_curves(h, seen, X, y, epochs, call):
    """train_loss / train_acc vs the logits the model produced in the epoch's training steps."""
    if seen is None:
        return                               # no training forward seen: the loop check says why
    xs, outs = seen
    n = len(X)
    if len(xs) != epochs * n or outs.shape != (epochs * n, 10):
        return                               # not every sample once per epoch: loop check
    label_of = {row.tobytes(): int(label) for row, label in zip(X, y)}
    labels = [label_of.get(np.ascontiguousarray(row).tobytes()) for row in xs]
    if any(v is None for v in labels):
        return
    logits = torch.from_numpy(outs.astype(np.float64)).reshape(epochs, n, 10)
    labels = torch.tensor(labels).reshape(epochs, n)
    want_loss = np.array([float(F.cross_entropy(logits[e], labels[e])) for e in range(epochs)])
    want_acc = np.array([float((logits[e].argmax(1) == labels[e]).double().mean())
                         for e in range(epochs)])
    got = h["train_loss"]
    hint = ("train_loss = Σ loss.item()·len(yb) / n over the epoch's training steps (the mean "
            "cross-entropy over the epoch's samples), recorded from the logits of the training "
            "step itself")
    n_batches = n // 32
    if np.allclose(got, want_loss / 32, rtol=1e-3):
        hint = ("your train_loss is 32 (= batch_size) times too small: loss.item() is already "
                "a batch MEAN; multiply it by len(yb) before dividing by the number of samples "
                "(or average the batch means)")
    elif np.allclose(got, want_loss * n_batches, rtol=1e-3):
        hint = ("your train_loss is the SUM of the batch losses: divide by the number of "
                "batches (or weight by len(yb) and divide by the number of samples)")
    elif np.allclose(got, want_loss * n, rtol=1e-3):
        hint = "your train_loss is summed over the samples: divide by their number"
    assert_close(got, want_loss, name=f"history['train_loss'] vs the mean cross-entropy of the "
                 f"logits your model produced in each epoch's training steps ({call})", **F32,
                 hint=hint)
    hint = ("train_acc = (number of training samples whose logits' argmax equals the label "
            "during the epoch) / n")
    if np.allclose(h["train_acc"], want_acc * n, rtol=1e-6):
        hint = "train_acc is a count: divide the number of correct samples by n"
    assert_close(h["train_acc"], want_acc, name=f"history['train_acc'] vs the accuracy of the "
                 f"logits of each epoch's training steps ({call})", rtol=0, atol=1e-9,
                 hint=hint)


@pytest.mark.points(2)
def test_training_steps_use_train_mode_and_batches(learner):
    """Training steps run in train mode (dropout on), in mini-batches, and update every layer"""
    X_tr, y_tr, X_val, y_val, _, _ = _split()
    n, bs, epochs = 200, 32, 2
    lib = learner.mini_cnn_torch
    model = lib.build_model(0)
    before = learner.probe(_weights, model)
    learner.probe(_record_forwards, model)
    lib.train(model, *_tensors(X_tr[:n], y_tr[:n], X_val[:100], y_val[:100]), epochs=epochs,
              lr=1e-2, batch_size=bs, seed=0)
    calls, grads = learner.probe(_read_forwards, model)
    after = learner.probe(_weights, model)
    steps = [c for c in calls if c[1] and 0 < c[2] <= bs]          # grad on, a mini-batch
    call = f"train(model, X_train({n}, 1, 8, 8), ..., epochs={epochs}, batch_size={bs})"
    assert steps, (
        f"{call}: no forward pass with gradients on a mini-batch of at most {bs} samples was "
        f"seen (batch sizes seen: {sorted({c[2] for c in calls})})\n  hint: call the model as "
        "model(xb) (not model.forward(xb)) on mini-batches of batch_size samples, with "
        "gradients enabled")
    in_eval = sum(1 for c in steps if not c[0])
    assert in_eval == 0, (
        f"{call}: {in_eval} of {len(steps)} training steps ran with the model in eval mode, "
        "so dropout was off while learning\n  hint: evaluate() switches to eval mode; call "
        "model.train() at the start of EVERY epoch, before its first batch")
    sizes = [c[2] for c in steps]
    want = [bs] * (n // bs) + ([n % bs] if n % bs else [])
    assert_same(max(sizes), bs, name=f"largest training mini-batch ({call})",
                hint="use the batch_size argument (DataLoader(..., batch_size=batch_size))")
    assert_same(sum(sizes), epochs * n,
                name=f"training samples passed through the model with gradients ({call})",
                hint=f"each of the {n} samples once per epoch, {epochs} epochs "
                     f"(batches {want} per epoch); compute the running accuracy from the "
                     "logits of the training step, do not call the model a second time")
    accumulated = max(grads["accumulated"].values(), default=0)
    if accumulated:
        raise AssertionError(
            f"{call}: after {accumulated} of {grads['backward']} backward passes the "
            "parameters' .grad held more than that step's gradient: the gradients of earlier "
            "steps were still there and were added to it\n  hint: call optimizer.zero_grad() "
            "at the start of every step, before loss.backward() (PyTorch ACCUMULATES "
            "gradients into .grad)")
    for key in STATE_KEYS:
        if np.array_equal(before[key], after[key]):
            raise AssertionError(
                f"{call}: {key} did not change during training ({grads['backward']} backward "
                "passes seen)\n  hint: give the optimizer every parameter, "
                "torch.optim.Adam(model.parameters(), lr=lr), and keep the order "
                "zero_grad → forward → loss → backward → step (zero_grad between backward "
                "and step throws the gradients away)")


@pytest.mark.points(1)
def test_training_loss_falls(learner):
    """Over 5 epochs of Adam the training and validation losses fall"""
    X_tr, y_tr, X_val, y_val, _, _ = _split()
    model, h, call = _train(learner, *_tensors(X_tr, y_tr, X_val, y_val), seed=0, epochs=5,
                            lr=1e-2, batch_size=64)
    tl, vl = h["train_loss"], h["val_loss"]
    hint = ("each step: optimizer.zero_grad(); loss = criterion(model(xb), yb); "
            "loss.backward(); optimizer.step() — with Adam(model.parameters(), lr=lr) and "
            "nn.CrossEntropyLoss on raw logits")
    problem = None
    if not (tl[-1] < 0.5 * tl[0] and vl[-1] < vl[0] and vl[-1] < 0.6):
        problem = _forward_problem(learner, model, learner.probe(_weights, model), X_val[:64])
    if problem:
        hint = problem
    elif np.all(np.diff(tl) < 0) and tl[-1] >= 0.5 * tl[0]:
        hint = ("the loss falls steadily but slowly: is lr passed to the optimizer, "
                "torch.optim.Adam(model.parameters(), lr=lr)? Adam's default lr 1e-3 is 10 "
                "times smaller than the 1e-2 asked for here. " + hint)
    assert tl[0] < 3.0, (f"{call}: first-epoch training loss {tl[0]:.4g}; an untrained "
                         f"10-class model starts near ln 10 ≈ 2.30\n  hint: the loss is the "
                         "MEAN cross-entropy over the batch (record loss.item() weighted by "
                         "the batch size, divided by the number of samples)")
    assert tl[-1] < 0.5 * tl[0], (
        f"{call}: training loss per epoch {np.round(tl, 4).tolist()}; it should fall below "
        f"half its first value\n  hint: {hint}")
    assert vl[-1] < vl[0] and vl[-1] < 0.6, (
        f"{call}: validation loss per epoch {np.round(vl, 4).tolist()}; it should fall "
        f"(the reference ends near 0.13)\n  hint: {hint}")


@pytest.mark.points(3)
def test_heldout_accuracy(learner):
    """After 5 epochs (default arguments, seed 0) the accuracy on the 450 test digits is ≥ 0.90"""
    X_tr, y_tr, X_val, y_val, X_test, y_test = _split()
    lib = learner.mini_cnn_torch
    model = lib.build_model(0)
    h = _history(lib.train(model, *_tensors(X_tr, y_tr, X_val, y_val)), 5,
                 "train(model, X_train, y_train, X_val, y_val) with default arguments")
    pred = np.asarray(lib.predict(model, torch.from_numpy(X_test)))
    assert_same(pred.shape, y_test.shape, name="shape of predict(model, X_test)",
                hint="one label per image: shape (N,)")
    acc = float(np.mean(pred == y_test))
    hint = ("defaults: epochs=5, lr=1e-2, batch_size=64, Adam over model.parameters(), "
            "zero_grad before every backward, nn.CrossEntropyLoss on raw logits, shuffled "
            "mini-batches")
    if h["train_loss"][-1] > 0.5 * h["train_loss"][0]:
        hint = ("the training loss barely fell " + str(np.round(h["train_loss"], 3).tolist())
                + ": check that lr is passed to Adam (the default 1e-3 is too slow for 5 "
                  "epochs), zero_grad before every backward, and that forward returns logits; "
                + hint)
    elif acc < h["val_acc"][-1] - 0.1:
        hint = ("validation accuracy was " + f"{h['val_acc'][-1]:.3f}" + " but test accuracy "
                "is much lower: does predict() call model.eval() and take argmax(dim=1)?")
    if acc < ACC_THRESHOLD:
        hint = _forward_problem(learner, model, learner.probe(_weights, model),
                                X_test[:64]) or hint
    assert acc >= ACC_THRESHOLD, (
        f"accuracy on the 450 held-out test digits: {acc:.4f}, must be ≥ {ACC_THRESHOLD} (the "
        f"reference reaches 0.973 with seed 0, 0.94–0.97 over seeds)\n  hint: {hint}")


@pytest.mark.points(1)
def test_training_deterministic(learner):
    """Training is deterministic for a seed, and the seed matters"""
    X_tr, y_tr, X_val, y_val, _, _ = _split()
    data = _tensors(X_tr[:300], y_tr[:300], X_val[:100], y_val[:100])
    runs = []
    for seed in (1, 1, 2):
        model, h, call = _train(learner, *data, seed=seed, epochs=2, lr=1e-2, batch_size=32)
        runs.append((h, learner.probe(_weights, model)))
    hint = ("seed everything from the seed argument: torch.manual_seed(seed) in build_model "
            "before creating the layers and at the start of train (it fixes the shuffling "
            "and the dropout masks); a DataLoader may also take "
            "generator=torch.Generator().manual_seed(seed)")
    for k in ("train_loss", "val_loss"):
        assert_close(runs[1][0][k], runs[0][0][k], name=f"history[{k!r}] of two runs with "
                     "seed=1", rtol=0, atol=0, hint=hint)
    for k in STATE_KEYS:
        assert_close(runs[1][1][k], runs[0][1][k], name=f"trained {k} of two runs with seed=1",
                     rtol=0, atol=0, hint=hint)
    assert not np.array_equal(runs[2][1]["fc.weight"], runs[0][1]["fc.weight"]), (
        "seed=1 and seed=2 trained to identical weights: the seed argument is not used "
        "(torch.manual_seed(seed), not a fixed number)")


@pytest.mark.points(2)
def test_saved_weights_reload(learner):
    """save_weights writes a state_dict that reloads (torch.load weights_only) to identical predictions"""
    X_tr, y_tr, X_val, y_val, X_test, _ = _split()
    lib = learner.mini_cnn_torch
    model, _, _ = _train(learner, *_tensors(X_tr[:400], y_tr[:400], X_val, y_val), seed=0,
                         epochs=2, lr=1e-2, batch_size=32)
    path = os.path.join(learner.workdir, "mini_cnn.pt")
    lib.save_weights(model, path)
    assert os.path.isfile(path), f"save_weights(model, path) wrote no file at {path}"
    try:
        state = torch.load(path, weights_only=True, map_location="cpu")
    except Exception as exc:
        import re

        why = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).split(".")[0][:200]
        raise AssertionError(
            f"torch.load(path, weights_only=True) could not read the saved file "
            f"({type(exc).__name__}: {why})\n  hint: save the weights only: "
            "torch.save(model.state_dict(), path), not torch.save(model, path) (a pickled "
            "module needs the class and can run code when loaded)") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor)
                                              for v in state.values()):
        raise AssertionError(f"the saved file holds a {type(state).__name__}, expected a "
                             "state_dict (a dict of tensors)\n  hint: "
                             "torch.save(model.state_dict(), path)")
    assert_same(sorted(state), STATE_KEYS, name="keys of the saved state_dict",
                hint="save model.state_dict() of the MiniCNN itself (layers named conv, fc)")
    X = torch.from_numpy(X_test)
    pred = np.asarray(lib.predict(model, X))
    expected = _ref_logits({k: v.numpy() for k, v in state.items()}, X_test)
    keep = _clear_margin(expected)
    hint = "predict must use model.eval() and argmax(dim=1)"
    if not np.array_equal(pred[keep], expected.argmax(axis=1)[keep]):
        saved = {k: v.numpy() for k, v in state.items()}
        hint = _forward_problem(learner, model, saved, X_test) or hint
    assert_same(pred[keep], expected.argmax(axis=1)[keep],
                name="predict(model, X_test) vs the reference architecture holding your saved "
                     "weights", hint=hint)
    reloaded = lib.load_model(path)
    info = learner.probe(_describe, reloaded)
    assert info.get("type") == "MiniCNN", (f"load_model(path) returned a {info.get('type')}, "
                                           "expected a MiniCNN")
    assert_same(np.asarray(lib.predict(reloaded, X)), pred,
                name="predictions of load_model(path) vs the model that was saved",
                hint="load_model: model = MiniCNN(); model.load_state_dict(torch.load(path, "
                     "weights_only=True)); return model.eval()")
    a, _ = learner.probe(_forward_eval, reloaded, X[:32])
    b, _ = learner.probe(_forward_eval, model, X[:32])
    assert_close(a, b, name="logits of the reloaded model vs the saved one", rtol=0, atol=0,
                 hint="the reloaded model must hold exactly the saved weights")


@pytest.mark.points(1)
def test_training_time_budget(learner):
    """5 epochs on the 1077 training digits take at most 3 CPU-seconds"""
    X_tr, y_tr, X_val, y_val, _, _ = _split()
    lib = learner.mini_cnn_torch
    warm = _tensors(X_tr[:64], y_tr[:64], X_val[:64], y_val[:64])
    lib.train(lib.build_model(0), *warm, epochs=1, seed=0)     # first-call setup not counted
    model = lib.build_model(0)
    data = _tensors(X_tr, y_tr, X_val, y_val)
    before = learner.probe(_weights, model)
    t0 = learner.probe(_cpu_seconds)
    h = lib.train(model, *data, epochs=5, seed=0)
    spent = learner.probe(_cpu_seconds) - t0
    # the time only counts for a run that really trained: a history and weights that moved
    _history(h, 5, "train(model, X_train(1077, 1, 8, 8), ..., epochs=5, seed=0)")
    after = learner.probe(_weights, model)
    assert not np.array_equal(before["fc.weight"], after["fc.weight"]), (
        "train(...) with 5 epochs did not change the model's weights, so its time says "
        "nothing\n  hint: train the model in place: optimizer = "
        "torch.optim.Adam(model.parameters(), lr=lr), then zero_grad → forward → loss → "
        "backward → step on every mini-batch")
    assert spent <= CPU_BUDGET_S, (
        f"train(...) with 5 epochs, batch_size=64 used {spent:.2f} CPU-seconds, the budget is "
        f"{CPU_BUDGET_S:.0f} (the reference needs about 0.3 s on one core)\n  hint: train on "
        "mini-batches of batch_size samples (not one sample at a time), evaluate the "
        "validation set once per epoch, and keep the model as specified")
