# %% [markdown]
# # 06 · Decision trees: your CART next to scikit-learn
# The same greedy algorithm twice: the root split, the decision regions it carves, and how
# accuracy changes with depth.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris, load_wine
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

iris = load_iris()
X_iris, y_iris = iris.data, iris.target

# %% [markdown]
# ## The root split on iris
# Petal length ≤ 2.45 and petal width ≤ 0.8 isolate setosa equally well. Your tie rule takes
# the lower feature index; sklearn lets `random_state` decide.

# %%
feature, threshold, gain = learner.decision_tree_numpy.best_split(X_iris, y_iris, "gini")
rows = {"yours": [feature, threshold, gain]}
for seed in (0, 4):
    t = DecisionTreeClassifier(max_depth=1, random_state=seed).fit(X_iris, y_iris).tree_
    l, r = t.children_left[0], t.children_right[0]
    sk_gain = (t.impurity[0] - t.n_node_samples[l] / t.n_node_samples[0] * t.impurity[l]
               - t.n_node_samples[r] / t.n_node_samples[0] * t.impurity[r])
    rows[f"sklearn, random_state={seed}"] = [t.feature[0], t.threshold[0], sk_gain]
side_by_side("root split on iris (gini)", rows, index=["feature", "threshold", "gain"])

# %% [markdown]
# ## Decision regions on two iris features
# Sepal length and petal length, trees of depth 4: each box is one leaf. On these two
# features the best split of every node is unique, so the two trees should be identical.
# (On petal length and petal width they would not be: the root is the tie above.)

# %%
X2 = X_iris[:, [0, 2]]
tree = learner.decision_tree_numpy.fit_tree(X2, y_iris, max_depth=4)
sk_tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X2, y_iris)

xx, yy = np.meshgrid(np.linspace(4.0, 8.2, 300), np.linspace(0.5, 7.3, 300))
grid = np.column_stack([xx.ravel(), yy.ravel()])
regions = {"your fit_tree": np.asarray(learner.decision_tree_numpy.predict(tree, grid)),
           "sklearn DecisionTreeClassifier": sk_tree.predict(grid)}

fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, (title, z) in zip(axes, regions.items()):
    ax.contourf(xx, yy, z.reshape(xx.shape), levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.3,
                cmap="viridis")
    ax.scatter(X2[:, 0], X2[:, 1], c=y_iris, s=12, cmap="viridis", edgecolor="k", lw=0.3)
    ax.set(title=title, xlabel="sepal length (cm)")
axes[0].set_ylabel("petal length (cm)")
fig.suptitle("Decision regions, max_depth = 4")
save(fig, "decision_regions")

disagree = float(np.mean(regions["your fit_tree"] != regions["sklearn DecisionTreeClassifier"]))
side_by_side("grid points where the two trees disagree (share)", {"share": [disagree]})

# %% [markdown]
# ## Depth against accuracy (wine, 70/30 split)
# Training accuracy climbs to 1.0; test accuracy levels off or falls: the deep tree memorises.
# From depth 3 on, some nodes of the wine tree have tied splits: sklearn breaks them by
# `random_state` (the shaded band spans random_state 0 to 9), your tree by the tie rule, so
# your test accuracy may sit anywhere in the band.

# %%
X_w, y_w = load_wine(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X_w, y_w, test_size=0.3, random_state=0, stratify=y_w)
depths = [1, 2, 3, 4, 5, 6, None]
curve = learner.decision_tree_sklearn.depth_accuracy_curve(Xtr, ytr, Xte, yte, depths)
scratch_test = []
for d in depths:
    t = learner.decision_tree_numpy.fit_tree(Xtr, ytr, max_depth=d)
    scratch_test.append(accuracy_score(yte, np.asarray(learner.decision_tree_numpy.predict(t, Xte))))
band = np.array([[accuracy_score(yte, DecisionTreeClassifier(max_depth=d, random_state=s)
                                 .fit(Xtr, ytr).predict(Xte)) for d in depths]
                 for s in range(10)])

labels = [str(d) for d in depths]
side_by_side("test accuracy by max_depth (wine)", {
    "your fit_tree": scratch_test,
    "your sklearn curve (random_state=0)": curve["test"],
    "sklearn, worst random_state": band.min(axis=0),
    "sklearn, best random_state": band.max(axis=0),
}, index=labels)

fig, ax = plt.subplots(figsize=(6.5, 4))
pos = np.arange(len(depths))
ax.fill_between(pos, band.min(axis=0), band.max(axis=0), color="C1", alpha=0.2,
                label="test, sklearn random_state 0–9")
ax.plot(pos, curve["train"], "o-", color="C0", label="train (your sklearn curve)")
ax.plot(pos, curve["test"], "s-", color="C1", label="test (your sklearn curve)")
ax.plot(pos, scratch_test, "x--", color="k", ms=9, label="test (your fit_tree)")
ax.set_xticks(pos, labels)
ax.set(xlabel="max_depth", ylabel="accuracy", title="Depth against accuracy (wine)",
       ylim=(0.5, 1.02))
ax.legend(loc="lower right")
save(fig, "depth_accuracy")
