"""Hidden checks for 05_mlp: a two-layer network by hand, then with torch.

Conventions pinned here (all stated in the topic README):
- weights like nn.Linear: W1 (hidden, in), b1 (hidden,), W2 (out, hidden), b2 (out,);
  a layer computes X @ W.T + b;
- loss = MEAN softmax cross-entropy over the n samples (nn.CrossEntropyLoss);
- train() is full-batch gradient descent; losses[i] is the loss BEFORE update i;
- ReLU'(0) = 0 (mask z > 0, as torch); init U(±1/√fan_in), draw order free;
- train_torch: plain SGD (no momentum), CrossEntropyLoss (mean) on raw logits;
- everything float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from grader.testing import assert_close, assert_same, datasets, numeric_gradient, rel_error

NAMES = ("W1", "b1", "W2", "b2")
ACTS = ("relu", "tanh")
# non-square on purpose: a transposed weight or gradient cannot go unnoticed
N, N_IN, N_HIDDEN, N_OUT = 7, 3, 5, 4


# ---- data made here, never inside the learner's call ----------------------------------
def _problem(seed=0, n=N, n_in=N_IN, n_hidden=N_HIDDEN, n_out=N_OUT):
    """Inputs, labels and weights with every hidden pre-activation far from ReLU's kink."""
    rng = np.random.default_rng(seed)
    while True:  # deterministic: redraw until no |Z1| is below 0.05
        X = rng.normal(size=(n, n_in))
        y = rng.permutation(np.arange(n) % n_out).astype(np.int64)
        params = {
            "W1": rng.normal(scale=0.8, size=(n_hidden, n_in)),
            "b1": rng.normal(scale=0.3, size=n_hidden),
            "W2": rng.normal(scale=0.8, size=(n_out, n_hidden)),
            "b2": rng.normal(scale=0.3, size=n_out),
        }
        Z1 = X @ params["W1"].T + params["b1"]
        if np.abs(Z1).min() > 0.05:
            return X, y, params


def _copy(params):
    return {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}


def _torch_net(params, activation):
    """The library's net with the given weights copied in (float64)."""
    act = {"relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    net = nn.Sequential(nn.Linear(params["W1"].shape[1], params["W1"].shape[0]), act(),
                        nn.Linear(params["W2"].shape[1], params["W2"].shape[0])).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.from_numpy(params["W1"]))
        net[0].bias.copy_(torch.from_numpy(params["b1"]))
        net[2].weight.copy_(torch.from_numpy(params["W2"]))
        net[2].bias.copy_(torch.from_numpy(params["b2"]))
    return net


def _torch_params(net):
    return {"W1": net[0].weight, "b1": net[0].bias, "W2": net[2].weight, "b2": net[2].bias}


def _autograd(params, X, y, activation):
    net = _torch_net(params, activation)
    loss = nn.functional.cross_entropy(net(torch.from_numpy(X)), torch.from_numpy(y))
    loss.backward()
    grads = {k: p.grad.numpy().copy() for k, p in _torch_params(net).items()}
    return loss.item(), grads


def _as_dict(value, what):
    assert isinstance(value, dict), f"{what}: expected a dict with keys {list(NAMES)}, " \
                                    f"got {type(value).__name__}"
    missing = [k for k in NAMES if k not in value]
    assert not missing, f"{what}: missing key(s) {missing} (keys must be {list(NAMES)})"
    return value


def _grad_diagnosis(grads, true, n, activation):
    """One message for all four gradients, with the most likely bug."""
    lines, bad = [], []
    for k in NAMES:
        g, t = np.asarray(grads[k], dtype=np.float64), true[k]
        if g.shape != t.shape:
            lines.append(f"  d{k}: shape {g.shape}, expected {t.shape}")
            bad.append((k, "shape"))
            continue
        err = rel_error(g, t)
        lines.append(f"  d{k}: relative error {err:.2e}")
        if not np.isfinite(g).all() or err > 1e-7:
            bad.append((k, "value"))
    if not bad:
        return None
    hints = []
    bias_shape = [k for k, v in bad if v == "shape" and k.startswith("b")]
    if bias_shape:
        hints.append("a bias gradient has the wrong shape: db has the shape of b, (out,); "
                     "sum dZ over the BATCH axis, db = dZ.sum(axis=0)")
    if any(v == "shape" and k.startswith("W") for k, v in bad):
        same_size = all(np.asarray(grads[k]).size == true[k].size for k, v in bad
                        if v == "shape" and k.startswith("W"))
        hints.append("a gradient has the wrong shape" + (" (transposed?)" if same_size else "")
                     + ": like nn.Linear, dW1 = dZ1ᵀ·X has shape (hidden, in) and "
                     "dW2 = dlogitsᵀ·H has shape (out, hidden), the shape of the weight itself")
    val = [k for k, v in bad if v == "value"]

    def ratio(k):
        g, t = np.asarray(grads[k], dtype=np.float64), true[k]
        return float(np.sum(g * t) / np.sum(t * t))

    def scaled(k, r):
        g, t = np.asarray(grads[k], dtype=np.float64), true[k]
        return np.allclose(g, r * t, rtol=1e-6, atol=1e-12)

    if val and all(scaled(k, n) for k in val):
        hints.append(f"your gradients are exactly n = {n} times too large: the loss is the MEAN "
                     "over the batch, so dlogits = (softmax − one_hot)/n (the 1/n is missing)")
    elif val and all(scaled(k, 1.0 / n) for k in val):
        hints.append(f"the gradient of {', '.join('d' + k for k in val)} is n = {n} times too "
                     "small: you divided by n twice. dlogits already carries the 1/n of the "
                     "mean, so the bias gradient is the SUM of dZ over the batch, not its mean")
    elif val and set(val) <= {"W1", "b1"}:
        if activation == "relu":
            hints.append("only the first layer is wrong with ReLU: check the ReLU derivative "
                         "mask, dZ1 = dH · (Z1 > 0), evaluated at the pre-activation Z1")
        else:
            hints.append("only the first layer is wrong with tanh: tanh'(z) = 1 − tanh(z)² "
                         "(squared!), evaluated at the pre-activation Z1")
    elif val:
        r = {k: ratio(k) for k in val}
        hints.append("check the chain rule from the loss backwards: dlogits = (softmax − "
                     "one_hot)/n, dW2 = dlogitsᵀH, db2 = Σ dlogits, dH = dlogits·W2, "
                     "dZ1 = dH ⊙ act'(Z1), dW1 = dZ1ᵀX, db1 = Σ dZ1 (best-fit scale yours/true: "
                     + ", ".join(f"d{k} {v:.3g}" for k, v in r.items()) + ")")
    return "\n".join(lines), " ".join(hints)


# ---- from scratch ------------------------------------------------------------------------
def test_init_params_like_nn_linear(learner):
    """init_params stores weights like nn.Linear and draws them from U(±1/√fan_in)"""
    p = _as_dict(learner.mlp_two_layer_numpy.init_params(3, 50, 4, seed=0), "init_params(...)")
    shapes = {"W1": (50, 3), "b1": (50,), "W2": (4, 50), "b2": (4,)}
    for k, shape in shapes.items():
        a = np.asarray(p[k])
        assert a.shape == shape, (
            f"init_params(3, 50, 4)[{k!r}]: shape {a.shape}, expected {shape}. "
            "Store weights like nn.Linear: W has shape (out, in) and a layer computes X @ W.T + b")
        assert a.dtype == np.float64, f"init_params[{k!r}]: dtype {a.dtype}, expected float64"
    for k, fan_in in (("W1", 3), ("b1", 3), ("W2", 50), ("b2", 50)):
        a = np.asarray(p[k])
        bound = 1 / np.sqrt(fan_in)
        assert np.abs(a).max() <= bound + 1e-12, (
            f"init_params[{k!r}]: values up to {np.abs(a).max():.4g}, but U(−1/√fan_in, "
            f"1/√fan_in) with fan_in = {fan_in} stays within ±{bound:.4g} "
            "(fan_in is the layer's number of INPUTS)")
    w2 = np.asarray(p["W2"])
    assert w2.std() > 0.25 / np.sqrt(50), (
        "init_params['W2'] values are almost all equal: draw them at random, "
        "uniformly in ±1/√fan_in")
    again = learner.mlp_two_layer_numpy.init_params(3, 50, 4, seed=0)
    other = learner.mlp_two_layer_numpy.init_params(3, 50, 4, seed=1)
    for k in NAMES:
        assert_close(again[k], p[k], name=f"init_params(seed=0)[{k!r}] called twice", rtol=0,
                     hint="seed inside: rng = np.random.default_rng(seed)")
    assert not np.allclose(np.asarray(other["W1"]), np.asarray(p["W1"])), (
        "init_params gives the same W1 for seed=0 and seed=1: use the seed argument")


def test_activations_and_derivatives(learner):
    """ReLU, tanh and their derivatives are right"""
    z = np.array([[-3.0, -0.7, -1e-3, 0.0], [2e-3, 0.4, 2.5, -0.0]])   # 0.0: ReLU's kink
    m = learner.mlp_two_layer_numpy
    assert_close(m.activate(z, "relu"), np.maximum(z, 0), name="activate(z, 'relu')",
                 rtol=1e-15, hint="ReLU(z) = max(z, 0)")
    assert_close(m.activate(z, "tanh"), np.tanh(z), name="activate(z, 'tanh')", rtol=1e-12)
    relu_grad = m.activation_grad(z, "relu")
    hint = "ReLU'(z) = 1 where z > 0, else 0 (a mask, evaluated at the pre-activation)"
    g = np.asarray(relu_grad, dtype=np.float64)
    if g.shape == z.shape and np.array_equal(g[z != 0], (z[z != 0] > 0).astype(float)):
        hint = ("ReLU'(0) must be 0, as in torch: the mask is z > 0 (strictly), "
                "not z >= 0 (README: 0 at exactly z = 0)")
    assert_close(relu_grad, (z > 0).astype(float), name="activation_grad(z, 'relu')", rtol=0,
                 hint=hint)
    t = np.tanh(z)
    assert_close(m.activation_grad(z, "tanh"), 1 - t ** 2, name="activation_grad(z, 'tanh')",
                 rtol=1e-12, hint="tanh'(z) = 1 − tanh(z)² (squared), not 1 − tanh(z)")


def test_forward_matches_torch(learner):
    """forward equals torch's nn.Linear net with the same weights (ReLU and tanh)"""
    X, _, params = _problem(seed=1)
    for act in ACTS:
        expected = _torch_net(params, act)(torch.from_numpy(X)).detach().numpy()
        out = learner.mlp_two_layer_numpy.forward(_copy(params), X, act)
        assert_close(out, expected, name=f"forward(params, X, {act!r}) logits", rtol=1e-10,
                     atol=1e-12,
                     hint="Z1 = X @ W1.T + b1, H = act(Z1), logits = H @ W2.T + b2 "
                          "(no activation and no softmax on the output)")


def test_cross_entropy_matches_torch(learner):
    """cross_entropy gives torch's mean loss and its gradient, also for huge logits"""
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(6, 4)) * 2
    y = np.array([0, 3, 1, 2, 3, 0])
    for scale, label in ((1.0, "ordinary"), (600.0, "huge (|logit| up to ~1000)")):
        z = torch.tensor(logits * scale, requires_grad=True)
        loss = nn.functional.cross_entropy(z, torch.from_numpy(y))
        loss.backward()
        got_loss, got_grad = learner.mlp_two_layer_numpy.cross_entropy(logits * scale, y)
        assert_close(got_loss, loss.item(), name=f"cross_entropy loss, {label} logits",
                     rtol=1e-10, atol=1e-12,
                     hint="mean over samples of −log softmax(z)[y]; subtract the row max "
                          "before exp (log-sum-exp) so huge logits do not overflow")
        n = logits.shape[0]
        g = np.asarray(got_grad, dtype=np.float64)
        hint = "d(mean loss)/dz = (softmax(z) − one_hot(y)) / n"
        if g.shape == z.grad.shape and np.allclose(g, z.grad.numpy() * n, rtol=1e-8, atol=1e-12):
            hint = f"the gradient is n = {n} times too large: the 1/n of the mean is missing. " + hint
        assert_close(g, z.grad.numpy(), name=f"cross_entropy gradient dlogits, {label} logits",
                     rtol=1e-9, atol=1e-12, hint=hint)


@pytest.mark.points(2)
def test_gradients_match_autograd(learner):
    """Backprop gradients equal torch autograd (float64, relative error ≤ 1e-7)"""
    X, y, params = _problem(seed=0)
    for act in ACTS:
        true_loss, true = _autograd(params, X, y, act)
        loss, grads = learner.mlp_two_layer_numpy.loss_and_grads(_copy(params), X, y, act)
        assert_close(loss, true_loss, name=f"loss from loss_and_grads ({act})", rtol=1e-10,
                     hint="the loss is the MEAN softmax cross-entropy of the logits")
        _as_dict(grads, f"grads from loss_and_grads ({act})")
        diag = _grad_diagnosis(grads, true, X.shape[0], act)
        if diag is not None:
            table, hint = diag
            raise AssertionError(f"gradients with activation {act!r} differ from autograd "
                                 f"(must be ≤ 1e-7):\n{table}\n  hint: {hint}")


def test_gradients_pass_numeric_check(learner):
    """Backprop gradients agree with centred finite differences of your own loss"""
    X, y, params = _problem(seed=2, n=5, n_in=2, n_hidden=3, n_out=3)
    m = learner.mlp_two_layer_numpy
    for act in ACTS:
        _, grads = m.loss_and_grads(_copy(params), X, y, act)
        _as_dict(grads, f"grads from loss_and_grads ({act})")
        for k in NAMES:
            work = _copy(params)

            def f(_value, _work=work):
                return m.loss_and_grads(_work, X, y, act)[0]

            num = numeric_gradient(f, work[k], h=1e-5)
            g = np.asarray(grads[k], dtype=np.float64)
            assert g.shape == num.shape, (
                f"d{k} ({act}): shape {g.shape}, but {k} has shape {num.shape}: a gradient has "
                "the shape of its parameter " + (
                    "(a bias gradient sums dZ over the batch axis: db = dZ.sum(axis=0))"
                    if k.startswith("b") else "(nn.Linear layout: dW = dZᵀ·input)"))
            err = rel_error(g, num)
            hint = ("compare each layer: the output layer first (dW2, db2), then the first "
                    "layer through the activation derivative")
            if np.allclose(g, num * X.shape[0], rtol=1e-4, atol=1e-9):
                hint = (f"d{k} is n = {X.shape[0]} times the finite difference of your own "
                        "loss: the loss is a mean, its gradient needs the 1/n")
            elif np.allclose(g, num / X.shape[0], rtol=1e-4, atol=1e-9):
                hint = (f"d{k} is 1/n = 1/{X.shape[0]} of the finite difference of your own "
                        "loss: you divided by n twice (dlogits already carries the 1/n, so "
                        "a bias gradient is the SUM of dZ over the batch)")
            elif k in ("W1", "b1") and act == "tanh":
                hint = "tanh'(z) = 1 − tanh(z)²"
            elif k in ("W1", "b1"):
                hint = "the ReLU mask (Z1 > 0) on the way back through the activation"
            assert err <= 1e-6, (
                f"d{k} ({act}) vs centred finite differences (h = 1e-5) of your loss: relative "
                f"error {err:.2e} (must be ≤ 1e-6)\n  hint: {hint}")


def test_sgd_step_matches_torch(learner):
    """sgd_step makes the same update as torch.optim.SGD"""
    X, y, params = _problem(seed=4)
    net = _torch_net(params, "relu")
    opt = torch.optim.SGD(net.parameters(), lr=0.3)
    opt.zero_grad()
    nn.functional.cross_entropy(net(torch.from_numpy(X)), torch.from_numpy(y)).backward()
    grads = {k: p.grad.numpy().copy() for k, p in _torch_params(net).items()}
    opt.step()
    new = _as_dict(learner.mlp_two_layer_numpy.sgd_step(_copy(params), grads, 0.3),
                   "sgd_step(...) result")
    for k, p in _torch_params(net).items():
        assert_close(new[k], p.detach().numpy(), name=f"{k} after one sgd_step (lr = 0.3)",
                     rtol=1e-12, atol=1e-14,
                     hint="gradient DEScent: param ← param − lr · grad, for every parameter")


def test_train_matches_reference(learner, reference):
    """train (full-batch gradient descent) follows the reference step by step"""
    X, y, params = _problem(seed=5)
    for act in ACTS:
        new, losses = learner.mlp_two_layer_numpy.train(_copy(params), X, y, act, 0.2, 25)
        ref_new, ref_losses = reference.mlp_two_layer_numpy.train(_copy(params), X, y, act,
                                                                  0.2, 25)
        got = np.asarray(losses, dtype=np.float64).ravel()
        hint = ("each epoch: loss and grads on the WHOLE batch, then one sgd_step; "
                "losses[i] is the loss before update i (losses[0] = loss of the initial params)")
        if got.shape == (25,) and np.allclose(got[:-1], ref_losses[1:], rtol=1e-8):
            hint = "you record the loss AFTER the update: losses[i] is the loss BEFORE update i"
        assert_close(got, np.asarray(ref_losses), name=f"losses from train(..., {act!r}, "
                     "lr=0.2, epochs=25)", rtol=1e-8, atol=1e-12, hint=hint)
        _as_dict(new, "params returned by train")
        for k in NAMES:
            assert_close(new[k], ref_new[k], name=f"{k} after train ({act})", rtol=1e-8,
                         atol=1e-12, hint=hint)


@pytest.mark.points(2)
def test_learns_xor(learner, reference):
    """The MLP learns XOR (100% on the 4 points), which the perceptron of 04 could not"""
    X, y = datasets.logic_gate("xor")
    params = reference.mlp_two_layer_numpy.init_params(2, 16, 2, seed=0)
    for act in ACTS:
        new, losses = learner.mlp_two_layer_numpy.train(_copy(params), X, y, act, 0.5, 1000)
        pred = learner.mlp_two_layer_numpy.predict(new, X, act)
        assert_same(np.asarray(pred).astype(np.int64), y,
                    name=f"XOR predictions after train(hidden=16, {act!r}, lr=0.5, epochs=1000)"
                         " from init_params(2, 16, 2, seed=0)",
                    hint="predict = argmax of the logits; if training works (see the other "
                         "checks) the hidden layer makes XOR separable")
        last = float(np.asarray(losses, dtype=np.float64).ravel()[-1])
        assert last < 0.05, (f"XOR: final training loss {last:.4g} ({act}), expected < 0.05 "
                             "after 1000 full-batch steps with lr = 0.5")


# ---- torch -------------------------------------------------------------------------------
def _describe_model(model):
    import torch.nn as nn

    lin = [m for m in model.modules() if isinstance(m, nn.Linear)]
    acts = [type(m).__name__ for m in model.modules() if isinstance(m, (nn.ReLU, nn.Tanh))]
    return {
        "linear_shapes": [list(m.weight.shape) for m in lin],
        "dtypes": sorted({str(p.dtype) for p in model.parameters()}),
        "acts": acts,
        "weights": [p.detach().numpy().copy() for p in model.parameters()],
    }


def _linear_params(model):
    import torch.nn as nn

    lin = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return [t.detach().numpy().copy() for m in lin for t in (m.weight, m.bias)]


def _assert_float64(params, what):
    dtypes = sorted({str(np.asarray(v).dtype) for v in params})
    assert dtypes == ["float64"], (
        f"{what}: the model's parameters are {', '.join(dtypes)}, expected float64. "
        "build_model must convert the model with .double(): a float32 model rounds the "
        "copied NumPy weights (~1e-8) and cannot take float64 inputs")


def test_torch_model_structure(learner):
    """build_model: two nn.Linear layers, nn.ReLU / nn.Tanh, float64, seeded"""
    lib = learner.mlp_torch
    for act, name in (("relu", "ReLU"), ("tanh", "Tanh")):
        d = learner.probe(_describe_model, lib.build_model(3, 5, 4, act, seed=0))
        assert_same(d["linear_shapes"], [[5, 3], [4, 5]],
                    name=f"weight shapes of the nn.Linear layers in build_model(3, 5, 4, {act!r})",
                    hint="nn.Linear(3, 5) then nn.Linear(5, 4); nn.Linear stores weight as (out, in)")
        assert_same(d["acts"], [name], name=f"activation modules in build_model(..., {act!r})",
                    hint=f"use one nn.{name}() module between the two layers")
        assert_same(d["dtypes"], ["torch.float64"], name="parameter dtypes of build_model",
                    hint="convert the model with .double() so it matches NumPy's float64")
    a = learner.probe(_describe_model, lib.build_model(3, 5, 4, "relu", seed=7))["weights"]
    b = learner.probe(_describe_model, lib.build_model(3, 5, 4, "relu", seed=7))["weights"]
    c = learner.probe(_describe_model, lib.build_model(3, 5, 4, "relu", seed=8))["weights"]
    for i, (u, v) in enumerate(zip(a, b)):
        assert_close(u, v, name=f"parameter {i} of build_model(seed=7), built twice", rtol=0,
                     hint="call torch.manual_seed(seed) inside build_model, before the layers")
    assert not np.allclose(a[0], c[0]), "build_model gives the same weights for seed 7 and 8"


def test_torch_forward_with_copied_weights(learner, reference):
    """The torch model with copied-in NumPy weights gives the NumPy and torch outputs"""
    X, _, params = _problem(seed=6)
    lib = learner.mlp_torch
    for act in ACTS:
        model = lib.build_model(N_IN, N_HIDDEN, N_OUT, act, seed=0)
        lib.load_numpy_params(model, _copy(params))
        got = learner.probe(_linear_params, model)
        _assert_float64(got, f"build_model(..., {act!r}) then load_numpy_params")
        for k, v in zip(NAMES, got):
            assert_close(v, params[k], name=f"{k} inside the model after load_numpy_params",
                         rtol=0, hint="copy W1→fc1.weight, b1→fc1.bias, W2→fc2.weight, "
                                      "b2→fc2.bias under torch.no_grad(); same layout, no .T")
        out = model(torch.from_numpy(X))
        expected = _torch_net(params, act)(torch.from_numpy(X)).detach().numpy()
        assert_close(out, expected, name=f"model(X) logits ({act})", rtol=1e-10, atol=1e-12,
                     hint="forward: fc1 → activation → fc2, no softmax (CrossEntropyLoss "
                          "takes logits)")
        assert_close(out, reference.mlp_two_layer_numpy.forward(params, X, act),
                     name=f"model(X) vs the NumPy forward ({act})", rtol=1e-10, atol=1e-12)


def _torch_losses(params, X, y, act, epochs, zero_grad=True, momentum=0.0, lr=0.5):
    """Losses of a few epochs of SGD (autograd, update by hand), optionally with a common
    mistake: gradients never zeroed, or momentum (v = μv + g; p −= lr·v, as torch)."""
    net = _torch_net(params, act)
    velocity = [torch.zeros_like(p) for p in net.parameters()]
    out = []
    for _ in range(epochs):
        if zero_grad:
            net.zero_grad()
        loss = nn.functional.cross_entropy(net(torch.from_numpy(X)), torch.from_numpy(y))
        loss.backward()
        with torch.no_grad():
            for p, v in zip(net.parameters(), velocity, strict=True):
                v.mul_(momentum).add_(p.grad)
                p.sub_(lr * v)
        out.append(loss.item())
    return np.asarray(out)


def _training_diagnosis(got, ref_losses, params, X, y, act):
    """Name the likely bug in train_torch from where its loss curve leaves the reference."""
    if not np.isclose(got[0], ref_losses[0], rtol=1e-8):
        logits = _torch_net(params, act)(torch.from_numpy(X)).detach()
        yt = torch.from_numpy(y)
        after_softmax = nn.functional.cross_entropy(torch.softmax(logits, dim=1), yt).item()
        if np.isclose(got[0], after_softmax, rtol=1e-8):
            return ("the very first loss is CrossEntropyLoss of softmax(logits): "
                    "nn.CrossEntropyLoss applies log-softmax itself and takes the raw LOGITS; "
                    "apply no softmax (no nn.Softmax layer) before it")
        if np.isclose(got[0], ref_losses[0] * len(y), rtol=1e-8):
            return (f"the very first loss is n = {len(y)} times too large: use the MEAN "
                    "(nn.CrossEntropyLoss() default reduction='mean'), not the sum")
        return ("the very first loss (initial weights, before any step) already differs from "
                "nn.CrossEntropyLoss()(model(X), y): the loss is wrong, not the update")
    if np.allclose(got[:2], ref_losses[:2], rtol=1e-8):
        k = min(len(got), 5)
        if np.allclose(got[:k], _torch_losses(params, X, y, act, k, zero_grad=False),
                       rtol=1e-8):
            return ("the first two losses agree, then they drift: the gradients ACCUMULATE. "
                    "Call optimizer.zero_grad() every epoch, before loss.backward()")
        if np.allclose(got[:k], _torch_losses(params, X, y, act, k, momentum=0.9), rtol=1e-8):
            return ("your steps carry momentum (0.9): use plain torch.optim.SGD("
                    "model.parameters(), lr=lr), no momentum")
        return ("the first two losses agree, then they drift: do the gradients accumulate "
                "(optimizer.zero_grad() every epoch) or does the optimizer use momentum? "
                "Plain SGD: param ← param − lr · grad of the current loss only")
    return ("the first loss agrees, the second does not: the update is wrong. One "
            "torch.optim.SGD(model.parameters(), lr=lr) step per epoch on the full batch; "
            "losses[i] = loss.item() BEFORE step i")


def test_torch_training_matches_numpy(learner, reference):
    """train_torch follows full-batch gradient descent exactly and the loss falls"""
    X, y = datasets.blobs(n=30, centers=3, d=2, std=1.5, seed=0)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    params = reference.mlp_two_layer_numpy.init_params(2, 8, 3, seed=1)
    lib = learner.mlp_torch
    for act in ACTS:
        model = lib.build_model(2, 8, 3, act, seed=0)
        lib.load_numpy_params(model, _copy(params))
        _assert_float64(learner.probe(_linear_params, model), f"build_model(2, 8, 3, {act!r})")
        losses = lib.train_torch(model, torch.from_numpy(X), torch.from_numpy(y), 0.5, 30)
        got = np.asarray(losses, dtype=np.float64).ravel()
        ref_params, ref_losses = reference.mlp_two_layer_numpy.train(_copy(params), X, y, act,
                                                                     0.5, 30)
        ref_losses = np.asarray(ref_losses)
        hint = ("per epoch: optimizer.zero_grad(), loss = CrossEntropyLoss()(model(X), y), "
                "loss.backward(), optimizer.step(); return the list of loss.item()")
        if got.shape == ref_losses.shape and not np.allclose(got, ref_losses, rtol=1e-8):
            hint = _training_diagnosis(got, ref_losses, params, X, y, act) or hint
        assert_close(got, ref_losses, name=f"losses from train_torch (lr=0.5, 30 epochs, {act})",
                     rtol=1e-8, atol=1e-12, hint=hint)
        assert got[-1] < 0.7 * got[0], (
            f"train_torch ({act}): the loss went from {got[0]:.4g} to {got[-1]:.4g}; "
            "it should fall by at least 30% in 30 epochs")
        final = learner.probe(_linear_params, model)
        for k, v in zip(NAMES, final):
            assert_close(v, ref_params[k], name=f"{k} of the model after train_torch ({act})",
                         rtol=1e-8, atol=1e-12, hint=hint)
