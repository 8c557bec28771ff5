# %% [markdown]
# # 08 · Support vector machines: your SVM next to scikit-learn's SVC
# The hyperplane, margins and support vectors of your subgradient-descent SVM against
# `SVC(kernel="linear")`, then the RBF kernel against a straight line on the moons.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.svm import SVC

svm = learner.svm_numpy


def separable(seed, n=80, gap=1.0):
    """Linearly separable ±1 data with an empty band of width `gap` (as in the checks)."""
    rng = np.random.default_rng(seed)
    w_true = np.array([1.0, -0.8])
    X = 1.3 * rng.normal(size=(6 * n, 2))
    dist = (X @ w_true + 0.3) / np.linalg.norm(w_true)
    X = X[np.abs(dist) > gap / 2][:n]
    return X, np.where(X @ w_true + 0.3 > 0, 1, -1)


X, y = separable(seed=6)
C = 1.0
w, b, objectives = svm.fit_linear_svm(X, y, C=C, lr=0.001, epochs=2000)
svc = SVC(kernel="linear", C=C, tol=1e-8).fit(X, y)
w_svc, b_svc = svc.coef_[0], float(svc.intercept_[0])


def objective(w_, b_):
    return 0.5 * w_ @ w_ + C * np.sum(np.maximum(0, 1 - y * (X @ w_ + b_)))


side_by_side("linear SVM on separable data (C = 1)", {
    "yours (subgradient descent)": [w[0], w[1], b, svm.margin_width(w), objective(w, b)],
    "SVC(kernel='linear')": [w_svc[0], w_svc[1], b_svc, 2 / np.linalg.norm(w_svc),
                             objective(w_svc, b_svc)],
}, index=["w[0]", "w[1]", "b", "margin width 2/‖w‖", "J(w, b)"])

# %% [markdown]
# ## Decision boundary, margins and support vectors
# Solid: f(x) = 0; dashed: the margin planes f(x) = ±1. Circles: SVC's support vectors;
# crosses: the rows your `support_vector_indices` finds with your own w, b (tol = 0.02,
# since subgradient descent stops near, not on, the optimum).

# %%
fig, ax = plt.subplots(figsize=(6, 5))
ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=18, edgecolors="k", linewidths=0.3)
xs = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 2)
for (wv, bv), color, lw, label in (((w, b), "C0", 5, "yours"), ((w_svc, b_svc), "k", 1, "SVC")):
    for level, style in ((0, "-"), (1, "--"), (-1, "--")):
        ax.plot(xs, (level - bv - wv[0] * xs) / wv[1], style, color=color, lw=lw,
                alpha=0.45 if color == "C0" else 1.0, label=label if level == 0 else None)
ax.scatter(*X[svc.support_].T, s=140, facecolors="none", edgecolors="k", label="SVC's support vectors")
mine = np.asarray(svm.support_vector_indices(X, y, w, b, tol=0.02))
ax.scatter(*X[mine].T, s=60, marker="x", color="C2", label="your support vectors")
ax.set(xlim=(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5), ylim=(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5),
       title="Linear SVM: boundary and margins", xlabel="x₁", ylabel="x₂")
ax.legend(fontsize=8, loc="lower right")
save(fig, "boundary_and_margins")

# %% [markdown]
# ## The objective during subgradient descent
# Not a descent method: J may rise now and then, and with a constant step it hovers just
# above SVC's optimum instead of landing on it.

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(np.asarray(objectives) - objective(w_svc, b_svc) + 1e-6, label="J(w_t, b_t) − J*")
ax.set(xlabel="epoch", ylabel="gap to SVC's optimum", yscale="log", title="Subgradient descent")
ax.legend()
save(fig, "objective_curve")

# %% [markdown]
# ## RBF vs linear on the moons
# Your library functions, your RBF decision function (with the fitted SVC's support vectors
# and dual coefficients) drawn on top of SVC's own boundary.

# %%
Xm, ym = make_moons(n_samples=500, noise=0.2, random_state=0)
X_tr, y_tr, X_te, y_te = Xm[:300], ym[:300], Xm[300:], ym[300:]
scores = learner.svm_sklearn.compare_kernels(X_tr, y_tr, X_te, y_te, C=1.0)
linear = learner.svm_sklearn.fit_linear_svc(X_tr, y_tr, C=1.0)
rbf = learner.svm_sklearn.fit_rbf_svc(X_tr, y_tr, C=1.0)
side_by_side("held-out accuracy on moons (200 rows)", {
    "yours": [scores["linear"], scores["rbf"]],
    "SVC": [SVC(kernel="linear").fit(X_tr, y_tr).score(X_te, y_te),
            SVC(kernel="rbf").fit(X_tr, y_tr).score(X_te, y_te)],
}, index=["linear", "rbf"])

g0, g1 = np.meshgrid(np.linspace(-1.6, 2.6, 150), np.linspace(-1.2, 1.7, 120))
grid = np.column_stack([g0.ravel(), g1.ravel()])
ref_rbf = SVC(kernel="rbf", C=1.0).fit(X_tr, y_tr)
gamma = svm.gamma_scale(X_tr)
f_yours = np.asarray(svm.rbf_decision_function(grid, ref_rbf.support_vectors_, ref_rbf.dual_coef_[0],
                                               float(ref_rbf.intercept_[0]), gamma))
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, model, name in ((axes[0], linear, "linear"), (axes[1], rbf, "rbf")):
    f = np.asarray(model.decision_function(grid)).reshape(g0.shape)
    ax.contourf(g0, g1, f > 0, alpha=0.25, cmap="coolwarm")
    ax.contour(g0, g1, f, levels=[-1, 0, 1], colors="k", linestyles=["--", "-", "--"], linewidths=1)
    ax.scatter(X_te[:, 0], X_te[:, 1], c=y_te, cmap="coolwarm", s=10, edgecolors="k", linewidths=0.2)
    ax.set(title=f"your SVC(kernel='{name}'): held-out accuracy {scores[name]:.3f}", xlabel="x₁")
axes[1].contour(g0, g1, f_yours.reshape(g0.shape), levels=[0], colors="C2", linewidths=2.5,
                linestyles=":")
axes[1].plot([], [], ":", color="C2", lw=2.5, label="your rbf_decision_function = 0")
axes[1].legend(fontsize=8, loc="lower left")
axes[0].set_ylabel("x₂")
save(fig, "moons_rbf_vs_linear")
