# %% [markdown]
# # 03 · Logistic regression: your code next to scikit-learn
# Your gradient descent, your `LogisticRegression` and scikit-learn's own, on the
# standardised breast-cancer data, with your λ mapped to scikit-learn's C by λ = 1/(C·n).

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

data = load_breast_cancer()
X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)   # ddof = 0
y = data.target.astype(np.float64)                                  # 1 = benign
n = X.shape[0]
C = 0.1
lam = 1.0 / (C * n)

# %% [markdown]
# ## Coefficients: gradient descent and lbfgs minimise the same objective

# %%
w, b, losses = learner.logistic_regression_numpy.fit(X, y, lam=lam, lr=0.3, epochs=3000)
yours = learner.logistic_regression_sklearn.fit_sklearn(X, y, lam)
library = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
show = np.argsort(-np.abs(library.coef_[0]))[:8]                    # the 8 largest weights
side_by_side(f"breast_cancer, C = {C} (lam = {lam:.3g}): the 8 largest weights, then b", {
    "your gradient descent": np.append(np.asarray(w)[show], b),
    "your LogisticRegression": np.append(np.asarray(yours.coef_)[0][show],
                                         np.asarray(yours.intercept_)[0]),
    "sklearn": np.append(library.coef_[0][show], library.intercept_[0]),
}, index=[data.feature_names[j] for j in show] + ["b (intercept)"])

# %% [markdown]
# ## The objective falls to scikit-learn's minimum
# J(w, b) = mean BCE + (lam/2)·‖w‖². The right panel shows the gap to the minimum on a log
# scale: a straight line means linear (geometric) convergence.

# %%
z_star = X @ library.coef_[0] + library.intercept_[0]
J_star = np.mean(np.logaddexp(0.0, z_star) - y * z_star) + 0.5 * lam * library.coef_[0] @ library.coef_[0]
losses = np.asarray(losses, dtype=float)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
ax1.plot(losses[:300], label="your fit")
ax1.axhline(J_star, color="k", ls="--", label="sklearn's minimum")
ax1.set(xlabel="epoch", ylabel="J(w, b)", title="Training objective (first 300 epochs)")
ax1.legend()
ax2.semilogy(np.maximum(losses - J_star, 1e-16))
ax2.set(xlabel="epoch", ylabel="J − J*", title="Distance to the minimum")
fig.tight_layout()
save(fig, "loss_curve")

# %% [markdown]
# ## Stable at the extremes
# The naive formulas `1/(1 + exp(−z))` and `−log(1 − sigmoid(z))` overflow or hit log(0);
# yours must give the exact limits without a warning.

# %%
z = np.array([-1000.0, -745.0, -30.0, 0.0, 30.0, 745.0, 1000.0])
side_by_side("sigmoid(z) and the BCE of a wrong label (y = 1 − [z > 0])", {
    "z": z,
    "your sigmoid": learner.logistic_regression_numpy.sigmoid(z),
    "exact sigmoid": np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))),
                              np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z)))),
    "your BCE": [learner.logistic_regression_numpy.bce_with_logits(np.array([zi]),
                                                                   np.array([float(zi <= 0)]))
                 for zi in z],
    "exact BCE": [np.logaddexp(0.0, zi) - float(zi <= 0) * zi for zi in z],
})

# %% [markdown]
# ## Two features: the decision boundary is the line w·x + b = 0

# %%
cols = [0, 1]                                                       # mean radius, mean texture
X2 = X[:, cols]
w2, b2, _ = learner.logistic_regression_numpy.fit(X2, y, lam=0.0, lr=0.5, epochs=2000)
w2 = np.asarray(w2, dtype=float)
ref2 = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X2, y)
fig, ax = plt.subplots(figsize=(6, 4.5))
for label, colour, name in ((0, "tab:red", "malignant"), (1, "tab:blue", "benign")):
    pts = X2[y == label]
    ax.scatter(pts[:, 0], pts[:, 1], s=10, alpha=0.6, c=colour, label=name)
x1 = np.array([X2[:, 0].min(), X2[:, 0].max()])
ax.plot(x1, -(w2[0] * x1 + b2) / w2[1], lw=3, label="your boundary")
ax.plot(x1, -(ref2.coef_[0, 0] * x1 + ref2.intercept_[0]) / ref2.coef_[0, 1], "k--",
        label="sklearn (C = inf)")
ax.set(xlabel=f"{data.feature_names[cols[0]]} (standardised)",
       ylabel=f"{data.feature_names[cols[1]]} (standardised)",
       ylim=(X2[:, 1].min() - 0.2, X2[:, 1].max() + 0.2), title="Decision boundary p = 0.5")
ax.legend(loc="upper right", fontsize=8)
save(fig, "decision_boundary")

# %% [markdown]
# ## w·x + b is the log-odds
# Each dot is one patient: your logit z = x·w + b against log(p/(1 − p)) of scikit-learn's
# predicted probability. They lie on the diagonal.

# %%
z_yours = np.asarray(learner.logistic_regression_numpy.decision_function(X, w, b), dtype=float)
p_sk = library.predict_proba(X)[:, 1]
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.scatter(np.log(p_sk) - np.log1p(-p_sk), z_yours, s=8, alpha=0.6)
lim = [min(z_yours.min(), -10), max(z_yours.max(), 10)]
ax.plot(lim, lim, "k--", lw=1)
ax.set(xlabel="log(p / (1 − p)), sklearn's p", ylabel="your z = x·w + b", title="Logit = log-odds")
save(fig, "log_odds")
