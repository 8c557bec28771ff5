# %% [markdown]
# # 09 · KNN and Gaussian naive Bayes: your code next to scikit-learn
# KNN decision regions, yours and `KNeighborsClassifier`'s; the class-conditional
# Gaussians of your naive Bayes and `GaussianNB`'s; and their probabilities.

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.datasets import load_iris, load_wine
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier


def standardise(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


rng = np.random.default_rng(0)
iris = load_iris()
X2 = standardise(iris.data[:, 2:4]) + 1e-3 * rng.normal(size=(150, 2))   # petal length, width
y2 = iris.target
order = rng.permutation(150)
train, test = order[:105], order[105:]

# %% [markdown]
# ## KNN: predictions for several k (iris petals, 45 held-out flowers)

# %%
ks = [1, 2, 3, 5, 8, 15]
yours_acc, sk_acc, same = [], [], []
for k in ks:
    mine = np.asarray(learner.knn_numpy.knn_predict(X2[train], y2[train], X2[test], k))
    ref = KNeighborsClassifier(n_neighbors=k).fit(X2[train], y2[train]).predict(X2[test])
    yours_acc.append(np.mean(mine == y2[test]))
    sk_acc.append(np.mean(ref == y2[test]))
    same.append(np.sum(mine == ref))
side_by_side("held-out accuracy by k", {"yours": yours_acc, "sklearn": sk_acc,
                                         "identical predictions (of 45)": same},
             index=[f"k={k}" for k in ks])

# %% [markdown]
# ## KNN decision regions, k = 5: yours | sklearn's | where they differ

# %%
k = 5
xx, yy = np.meshgrid(np.linspace(-2.0, 2.0, 90), np.linspace(-2.0, 2.0, 90))
grid = np.column_stack([xx.ravel(), yy.ravel()])
mine = np.asarray(learner.knn_numpy.knn_predict(X2[train], y2[train], grid, k)).reshape(xx.shape)
ref = KNeighborsClassifier(n_neighbors=k).fit(X2[train], y2[train]).predict(grid).reshape(xx.shape)
colours = ListedColormap(["tab:red", "tab:green", "tab:blue"])
fig, axes = plt.subplots(1, 3, figsize=(12, 4), sharey=True)
for ax, Z, title in ((axes[0], mine, "yours"), (axes[1], ref, "KNeighborsClassifier")):
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5, 2.5], cmap=colours, alpha=0.25)
    ax.scatter(X2[train, 0], X2[train, 1], c=y2[train], cmap=colours, vmin=0, vmax=2, s=12,
               edgecolor="k", linewidth=0.3)
    ax.set(title=f"{title}, k = {k}", xlabel="petal length (standardised)")
axes[0].set_ylabel("petal width (standardised)")
axes[2].imshow(mine != ref, origin="lower", extent=(-2, 2, -2, 2), cmap="Reds", vmin=0, vmax=1)
axes[2].set(title=f"different on {int(np.sum(mine != ref))} of {mine.size} grid points",
            xlabel="petal length (standardised)")
save(fig, "knn_decision_regions")

# %% [markdown]
# ## Gaussian naive Bayes: the fitted class-conditional Gaussians (wine, standardised)
# Solid: your means and variances. Dashed: `GaussianNB.theta_` and `var_`.

# %%
wine = load_wine()
Xw = standardise(wine.data)
yw = np.array([2, 5, 9])[wine.target]                          # labels 2, 5, 9 (not 0..2)
order = np.random.default_rng(1).permutation(len(yw))
w_train, w_test = order[:125], order[125:]
model = learner.naive_bayes_numpy.fit_gaussian_nb(Xw[w_train], yw[w_train])
gnb = GaussianNB().fit(Xw[w_train], yw[w_train])
features = [0, 6, 12]                                   # alcohol, flavanoids, proline
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
xs = np.linspace(-3.5, 3.5, 300)
for ax, j in zip(axes, features):
    for c, colour in zip(range(3), ("tab:red", "tab:green", "tab:blue")):
        for mu, var, style, label in (
                (np.asarray(model["means"])[c, j], np.asarray(model["variances"])[c, j], "-",
                 "yours"),
                (gnb.theta_[c, j], gnb.var_[c, j], "--", "sklearn")):
            pdf = np.exp(-(xs - mu) ** 2 / (2 * var)) / np.sqrt(2 * np.pi * var)
            ax.plot(xs, pdf, style, color=colour, lw=2.5 if style == "-" else 1,
                    alpha=0.6 if style == "-" else 1,
                    label=f"class {gnb.classes_[c]}, {label}")
    ax.set(title=wine.feature_names[j], xlabel="standardised value")
axes[0].set_ylabel("density")
axes[0].legend(fontsize=7)
save(fig, "nb_class_gaussians")
side_by_side("fitted parameters, class 2, first 4 features", {
    "your means": np.asarray(model["means"])[0, :4], "theta_": gnb.theta_[0, :4],
    "your variances": np.asarray(model["variances"])[0, :4], "var_": gnb.var_[0, :4]},
    index=[wine.feature_names[j] for j in range(4)])

# %% [markdown]
# ## Probabilities: yours against `GaussianNB.predict_proba` (53 held-out wines)

# %%
proba = np.asarray(learner.naive_bayes_numpy.predict_proba(model, Xw[w_test]))
sk_proba = gnb.predict_proba(Xw[w_test])
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.plot([0, 1], [0, 1], color="0.7", lw=1)
for c, colour in zip(range(3), ("tab:red", "tab:green", "tab:blue")):
    ax.scatter(sk_proba[:, c], proba[:, c], s=14, color=colour, label=f"P(class {gnb.classes_[c]})")
ax.set(xlabel="GaussianNB.predict_proba", ylabel="your predict_proba",
       title=f"max |difference| = {np.max(np.abs(proba - sk_proba)):.1e}")
ax.legend()
save(fig, "nb_predict_proba")
pred = np.asarray(learner.naive_bayes_numpy.predict(model, Xw[w_test]))
side_by_side("naive Bayes on the held-out wines", {
    "yours": [np.mean(pred == yw[w_test]), np.max(np.abs(proba - sk_proba))],
    "sklearn": [np.mean(gnb.predict(Xw[w_test]) == yw[w_test]), 0.0]},
    index=["accuracy", "max |P yours − P sklearn|"])
