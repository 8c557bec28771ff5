# %% [markdown]
# # 05 · Multi-layer perceptron: your code next to PyTorch
# Your NumPy network, your `nn.Module` and a plain PyTorch loop start from the **same
# weights** (your `init_params`) on two interleaving half-moons, in float64. If your backprop is right,
# the three training curves lie on top of each other to the last digits.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)          # tiny tensors: one thread is faster than two fighting
# two interleaving half-circles ("moons"), 100 points each, noise 0.2
rng = np.random.default_rng(0)
angle = rng.uniform(0, np.pi, 200)
y = np.arange(200) % 2
X = np.where(y[:, None] == 0, np.c_[np.cos(angle), np.sin(angle)],
             np.c_[1 - np.cos(angle), 0.5 - np.sin(angle)]) + rng.normal(scale=0.2, size=(200, 2))
X = (X - X.mean(axis=0)) / X.std(axis=0)                 # standardised, float64
y = y.astype(np.int64)
HIDDEN, LR, EPOCHS = 16, 0.5, 300
mlp = learner.mlp_two_layer_numpy
lib = learner.mlp_torch


def as_numpy(t):
    """A tensor (maybe with requires_grad) or an array → a float64 NumPy array."""
    if isinstance(t, torch.Tensor):
        t = t.detach().numpy()
    return np.asarray(t, dtype=np.float64)


def torch_net(params, activation):
    """The library used directly: nn.Linear → ReLU/Tanh → nn.Linear, weights copied in."""
    act = {"relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    W1, W2 = np.asarray(params["W1"]), np.asarray(params["W2"])
    net = nn.Sequential(nn.Linear(W1.shape[1], W1.shape[0]), act(),
                        nn.Linear(W2.shape[1], W2.shape[0])).double()
    with torch.no_grad():
        for layer, w, b in ((net[0], "W1", "b1"), (net[2], "W2", "b2")):
            layer.weight.copy_(torch.as_tensor(np.asarray(params[w], dtype=np.float64)))
            layer.bias.copy_(torch.as_tensor(np.asarray(params[b], dtype=np.float64)))
    return net


def fresh(params):
    """A private float64 copy (an in-place update must not leak into the next run)."""
    return {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}


NAMES = ("W1", "b1", "W2", "b2")
params0 = fresh(mlp.init_params(2, HIDDEN, 2, seed=0))

# %% [markdown]
# ## Gradients: your backprop vs autograd vs finite differences
# Relative error max|a−b| / max(1e-8, |a|+|b|) (CS231n) on a small net (2 → 6 → 2, 20
# points). Against autograd expect ~1e-15 (the same arithmetic); against centred finite
# differences of your own loss (h = 1e-5) ~1e-9: that is the error of the finite difference.


# %%
def rel_error(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("nan")                      # a wrong shape: see `mlgrade check 05_mlp`
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


Xs, ys = X[:20], y[:20]
small = fresh(mlp.init_params(2, 6, 2, seed=3))
rows, vs_autograd, vs_numeric = [], [], []
for act in ("relu", "tanh"):
    _, grads = mlp.loss_and_grads(fresh(small), Xs, ys, act)
    net = torch_net(small, act)
    nn.functional.cross_entropy(net(torch.from_numpy(Xs)), torch.from_numpy(ys)).backward()
    true = {"W1": net[0].weight.grad, "b1": net[0].bias.grad,
            "W2": net[2].weight.grad, "b2": net[2].bias.grad}
    for k in NAMES:
        num = np.zeros_like(small[k])
        for i in np.ndindex(small[k].shape):
            plus, minus = fresh(small), fresh(small)
            plus[k][i] += 1e-5
            minus[k][i] -= 1e-5
            num[i] = (mlp.loss_and_grads(plus, Xs, ys, act)[0]
                      - mlp.loss_and_grads(minus, Xs, ys, act)[0]) / 2e-5
        rows.append(f"d{k} ({act})")
        vs_autograd.append(rel_error(grads[k], as_numpy(true[k])))
        vs_numeric.append(rel_error(grads[k], num))
side_by_side("relative error of your gradients", {
    "vs torch autograd": vs_autograd,
    "vs finite differences": vs_numeric,
}, index=rows)

# %% [markdown]
# ## Training: your NumPy loop, your `train_torch`, and plain PyTorch
# Full-batch gradient descent, lr 0.5, 300 epochs, ReLU, all from your `init_params(2, 16, 2,
# seed=0)` weights. `losses[i]` is the loss before update i. "Plain PyTorch" is autograd plus
# the update `p −= lr · p.grad` written out: exactly the step `torch.optim.SGD` takes.

# %%
params_np, losses_np = mlp.train(fresh(params0), X, y, "relu", LR, EPOCHS)
losses_np = np.asarray(losses_np, dtype=np.float64)

model = lib.build_model(2, HIDDEN, 2, "relu", seed=0)
lib.load_numpy_params(model, fresh(params0))
losses_yt = np.asarray(lib.train_torch(model, torch.from_numpy(X), torch.from_numpy(y),
                                       LR, EPOCHS), dtype=np.float64)

# plain PyTorch: autograd for the gradients, and the step torch.optim.SGD takes, by hand
net = torch_net(params0, "relu")
losses_pt = []
for _ in range(EPOCHS):
    net.zero_grad()
    loss = nn.functional.cross_entropy(net(torch.from_numpy(X)), torch.from_numpy(y))
    loss.backward()
    with torch.no_grad():
        for p in net.parameters():
            p -= LR * p.grad                     # what optim.SGD(lr=LR).step() does
    losses_pt.append(loss.item())
losses_pt = np.asarray(losses_pt)

epochs_shown = [0, 1, 2, 10, 50, 100, 200, EPOCHS - 1]
side_by_side("training loss (mean cross-entropy) at some epochs", {
    "your NumPy train": losses_np[epochs_shown],
    "your train_torch": losses_yt[epochs_shown],
    "plain autograd + SGD step": losses_pt[epochs_shown],
    "|NumPy − plain torch|": np.abs(losses_np - losses_pt)[epochs_shown],
    "|train_torch − plain torch|": np.abs(losses_yt - losses_pt)[epochs_shown],
}, index=[f"epoch {e}" for e in epochs_shown])

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
ax1.plot(losses_np, lw=4, alpha=0.5, label="your NumPy train")
ax1.plot(losses_yt, lw=2, label="your train_torch")
ax1.plot(losses_pt, "k--", lw=1, label="plain autograd + SGD step")
ax1.set(xlabel="epoch", ylabel="mean cross-entropy", yscale="log",
        title="Same weights, same steps")
ax1.legend()
for other, label, marker in ((losses_yt, "your train_torch", "o"),
                             (losses_pt, "plain torch", "x")):
    ax2.semilogy(np.maximum(np.abs(losses_np - other), 1e-18), marker, ms=3, ls="none",
                 label=f"|your NumPy − {label}|")
ax2.axhline(np.finfo(np.float64).eps, color="k", ls=":", label="float64 machine epsilon")
ax2.set(xlabel="epoch", ylabel="|difference| (0 drawn at 1e-18)",
        title="How far apart the curves are", ylim=(5e-19, None))
ax2.legend(fontsize=8)
fig.tight_layout()
save(fig, "loss_curves")

# %% [markdown]
# ## Accuracy and decision boundaries
# The same trained weights in NumPy and in your `nn.Module`, and a tanh net next to them.

# %%
params_tanh, losses_tanh = mlp.train(fresh(params0), X, y, "tanh", LR, EPOCHS)
pred_np = np.asarray(mlp.predict(params_np, X, "relu"))
pred_yt = as_numpy(model(torch.from_numpy(X))).argmax(axis=1)
pred_pt = net(torch.from_numpy(X)).detach().numpy().argmax(axis=1)
pred_tanh = np.asarray(mlp.predict(params_tanh, X, "tanh"))
side_by_side("training accuracy on the moons (200 points)", {
    "accuracy": [np.mean(p == y) for p in (pred_np, pred_yt, pred_pt, pred_tanh)],
    "final loss": [losses_np[-1], losses_yt[-1], losses_pt[-1],
                   float(np.asarray(losses_tanh)[-1])],
}, index=["your NumPy (ReLU)", "your nn.Module (ReLU)", "plain torch (ReLU)",
          "your NumPy (tanh)"])

# %%
xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 150),
                     np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, 150))
grid = np.c_[xx.ravel(), yy.ravel()]


def p_class1(logits):
    z = as_numpy(logits)
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return p[:, 1].reshape(xx.shape)


panels = [
    ("your NumPy forward (ReLU)", p_class1(mlp.forward(params_np, grid, "relu"))),
    ("your nn.Module (ReLU)", p_class1(model(torch.from_numpy(grid)))),
    ("your NumPy forward (tanh)", p_class1(mlp.forward(params_tanh, grid, "tanh"))),
]
fig, axes = plt.subplots(1, 3, figsize=(13, 4))
for ax, (title, prob) in zip(axes, panels, strict=True):
    cs = ax.contourf(xx, yy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.7)
    ax.contour(xx, yy, prob, levels=[0.5], colors="k", linewidths=1.5)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", edgecolors="k", s=14)
    ax.set(title=title, xticks=[], yticks=[])
fig.colorbar(cs, ax=axes.tolist(), shrink=0.85, label="P(class 1)")
save(fig, "decision_boundary")
side_by_side("max |difference| of P(class 1) on the grid", {
    "your nn.Module vs your NumPy (ReLU)": [float(np.abs(panels[0][1] - panels[1][1]).max())],
}, index=["22500 grid points"])

# %% [markdown]
# ## XOR: what the perceptron of 04 could not learn
# `init_params(2, 16, 2, seed=0)`, lr 0.5, 1000 epochs (as in the check). Left: the regions
# your ReLU net carves; right: the loss for ReLU and tanh.

# %%
Xx = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
yx = np.array([0, 1, 1, 0], dtype=np.int64)
px = fresh(mlp.init_params(2, 16, 2, seed=0))
xor = {act: mlp.train(fresh(px), Xx, yx, act, 0.5, 1000) for act in ("relu", "tanh")}
side_by_side("XOR after 1000 epochs", {
    "predicted (ReLU)": mlp.predict(xor["relu"][0], Xx, "relu"),
    "predicted (tanh)": mlp.predict(xor["tanh"][0], Xx, "tanh"),
    "true label": yx,
}, index=["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"])

gx, gy = np.meshgrid(np.linspace(-0.5, 1.5, 120), np.linspace(-0.5, 1.5, 120))
prob = as_numpy(mlp.forward(xor["relu"][0], np.c_[gx.ravel(), gy.ravel()], "relu"))
prob = np.exp(prob - prob.max(axis=1, keepdims=True))
prob = (prob[:, 1] / prob.sum(axis=1)).reshape(gx.shape)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.contourf(gx, gy, prob, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.7)
ax1.contour(gx, gy, prob, levels=[0.5], colors="k")
ax1.scatter(Xx[:, 0], Xx[:, 1], c=yx, cmap="RdBu_r", edgecolors="k", s=120)
ax1.set(title="XOR regions of your ReLU net", xlabel="x1", ylabel="x2")
for act in ("relu", "tanh"):
    ax2.plot(np.asarray(xor[act][1], dtype=np.float64), label=act)
ax2.set(xlabel="epoch", ylabel="mean cross-entropy", yscale="log", title="XOR training loss")
ax2.legend()
fig.tight_layout()
save(fig, "xor")
