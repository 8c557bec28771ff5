# %% [markdown]
# # 04 · The perceptron: what one neuron can and cannot learn
# Your perceptron on the logic gates (from w = 0, b = 0, lr = 1), and next to
# scikit-learn's `Perceptron` on a separable cloud of points.

# %%
import matplotlib.pyplot as plt
import numpy as np

X_gate = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
gates = {"AND": np.array([0, 0, 0, 1]), "OR": np.array([0, 1, 1, 1]),
         "NAND": np.array([1, 1, 1, 0]), "XOR": np.array([0, 1, 1, 0])}
runs = {name: learner.perceptron_numpy.fit(X_gate, y, lr=1.0, max_epochs=30)
        for name, y in gates.items()}

# %%
side_by_side("logic gates, lr = 1, at most 30 epochs", {
    name: [w[0], w[1], b, len(errors), float(converged),
           float(np.mean(np.asarray(learner.perceptron_numpy.predict(X_gate, w, b)) == gates[name]))]
    for name, (w, b, errors, converged) in runs.items()
}, index=["w[0]", "w[1]", "b", "epochs run", "converged (1 = yes)", "accuracy"])

# %% [markdown]
# ## The learnt boundaries x·w + b = 0
# AND, OR and NAND are linearly separable: a line puts the 1s on one side. For XOR no line
# can, and the last line the perceptron tried still gets some inputs wrong.

# %%
def draw_boundary(ax, w, b, colour="k"):
    xs = np.array([-0.5, 1.5])
    if abs(w[1]) > 1e-12:
        ax.plot(xs, -(w[0] * xs + b) / w[1], color=colour, lw=2)
    elif abs(w[0]) > 1e-12:
        ax.axvline(-b / w[0], color=colour, lw=2)


fig, axes = plt.subplots(1, 4, figsize=(13, 3.4))
for ax, (name, (w, b, errors, converged)) in zip(axes, runs.items()):
    y = gates[name]
    g1, g2 = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    region = np.asarray(learner.perceptron_numpy.predict(grid, w, b)).reshape(g1.shape)
    ax.contourf(g1, g2, region, levels=[-0.5, 0.5, 1.5], colors=["#dbe8f6", "#fbe3d0"])
    for label, marker, colour in ((0, "o", "tab:blue"), (1, "s", "tab:orange")):
        pts = X_gate[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=90, c=colour, edgecolors="k",
                   label=f"y = {label}", zorder=3)
    draw_boundary(ax, np.asarray(w), b)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="x1", ylabel="x2",
           title=f"{name}: {'converged' if converged else 'NOT converged'}, {len(errors)} epochs")
axes[0].legend(loc="upper left", fontsize=8)
fig.tight_layout()
save(fig, "logic_gates")

# %% [markdown]
# ## Mistakes per epoch: the separable gates reach 0, XOR never does

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, (w, b, errors, converged) in runs.items():
    ax.plot(np.arange(1, len(errors) + 1), errors, marker="o", ms=4, label=name)
ax.set(xlabel="epoch", ylabel="misclassified samples (updates)", ylim=(-0.2, 4.2),
       title="Perceptron rule: errors per epoch (budget 30 epochs)")
ax.legend()
save(fig, "errors_per_epoch")

# %% [markdown]
# ## Your perceptron and scikit-learn's `Perceptron`
# Same algorithm, labels ±1 on their side: with `eta0 = lr`, `shuffle=False`, `tol=None` and
# the same starting weights, the two make exactly the same updates.

# %%
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Perceptron

rng = np.random.default_rng(0)
X = rng.uniform(-3, 3, size=(400, 2))
X = X[np.abs(X @ [2.0, -1.0] + 0.5) / np.sqrt(5) > 0.1][:150]       # a margin around the line
y = (X @ [2.0, -1.0] + 0.5 > 0).astype(np.int64)
w_init, b_init, lr, epochs = np.array([0.3, 0.8]), -0.2, 0.1, 100
w, b, errors, converged = learner.perceptron_numpy.fit(X, y, lr=lr, max_epochs=epochs,
                                                       w_init=w_init, b_init=b_init)
sk = Perceptron(eta0=lr, shuffle=False, tol=None, max_iter=epochs, penalty=None)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    sk.fit(X, y, coef_init=w_init.reshape(1, -1), intercept_init=[b_init])
side_by_side(f"150 separable points, lr = {lr}: {len(errors)} epochs, converged = {converged}", {
    "yours": np.append(w, b),
    "sklearn Perceptron": np.append(sk.coef_[0], sk.intercept_[0]),
}, index=["w[0]", "w[1]", "b"])

fig, ax = plt.subplots(figsize=(5, 4.5))
for label, colour in ((0, "tab:blue"), (1, "tab:orange")):
    ax.scatter(X[y == label, 0], X[y == label, 1], s=10, c=colour, label=f"y = {label}")
xs = np.array([-3.0, 3.0])
ax.plot(xs, -(w[0] * xs + b) / w[1], lw=3, label="your boundary")
ax.plot(xs, -(sk.coef_[0, 0] * xs + sk.intercept_[0]) / sk.coef_[0, 1], "k--",
        label="sklearn Perceptron")
ax.plot(xs, -(2.0 * xs + 0.5) / -1.0, ":", color="grey", label="true line")
ax.set(xlim=(-3, 3), ylim=(-3, 3), xlabel="x1", ylabel="x2", title="Separable data")
ax.legend(fontsize=8, loc="lower right")
save(fig, "separable_vs_sklearn")
