# %% [markdown]
# # 07 · Random forests: your bagging next to scikit-learn
# Bootstrap samples, a forest against one deep tree, the out-of-bag score and the feature
# importances, on the same noisy data as the checks.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

rf = learner.random_forest_numpy
X, y = make_classification(n_samples=600, n_features=10, n_informative=4, n_redundant=2,
                           flip_y=0.25, class_sep=1.0, random_state=3)
X_tr, y_tr, X_te, y_te = X[:400], y[:400], X[400:], y[400:]

# %% [markdown]
# ## Out of bag: about 1/e of the rows, for every bootstrap sample
# Each row is missed by one draw with probability 1 − 1/n, by all n draws with
# probability (1 − 1/n)ⁿ → 1/e ≈ 0.368.

# %%
sizes = [5, 10, 30, 100, 300, 1000]
shares = [np.mean([1 - len(np.unique(rf.bootstrap_indices(n, seed))) / n
                   for seed in range(200)]) for n in sizes]
side_by_side("out-of-bag share, mean over 200 bootstrap samples", {
    "yours": shares,
    "(1 − 1/n)^n": [(1 - 1 / n) ** n for n in sizes],
    "1/e": [1 / np.e] * len(sizes),
}, index=[f"n = {n}" for n in sizes])

one = [1 - len(np.unique(rf.bootstrap_indices(400, seed))) / 400 for seed in range(300)]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.hist(one, bins=25, alpha=0.8, label="your bootstrap samples (n = 400)")
ax.axvline(1 / np.e, color="k", ls="--", label="1/e")
ax.set(xlabel="share of rows out of bag", ylabel="samples", title="Out-of-bag share")
ax.legend(loc="upper left", fontsize=8)
save(fig, "oob_share")

# %% [markdown]
# ## Bagging beats one deep tree as the trees add up
# A fully grown tree memorises the 25 % flipped labels; the average of many such trees,
# each on its own bootstrap sample and feature subsets, does not.

# %%
n_max = 60
forest = rf.fit_forest(X_tr, y_tr, n_trees=n_max, seed=0)
sk = RandomForestClassifier(n_estimators=n_max, max_features="sqrt", oob_score=True,
                            random_state=0).fit(X_tr, y_tr)
tree_acc = DecisionTreeClassifier(random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
counts = [1, 2, 3, 5, 8, 12, 20, 30, 45, 60]
yours = [float(np.mean(np.asarray(rf.forest_predict(
    {"trees": forest["trees"][:k], "bootstrap": forest["bootstrap"][:k],
     "n_classes": forest["n_classes"]}, X_te)) == y_te)) for k in counts]
sk_proba = np.cumsum([est.predict_proba(X_te) for est in sk.estimators_], axis=0)
library = [float(np.mean(np.argmax(sk_proba[k - 1], axis=1) == y_te)) for k in counts]

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(counts, yours, "o-", label="your forest")
ax.plot(counts, library, "s--", label="RandomForestClassifier")
ax.axhline(tree_acc, color="grey", ls=":", label="one deep tree")
ax.set(xlabel="number of trees", ylabel="held-out accuracy", xscale="log",
       title="Forest vs single deep tree (200 held-out rows)")
ax.legend()
save(fig, "accuracy_vs_trees")

side_by_side("60-tree forests on the noisy data", {
    "yours": [yours[-1], rf.oob_score(forest, X_tr, y_tr)],
    "sklearn": [library[-1], sk.oob_score_],
}, index=["held-out accuracy", "OOB score"])

# %% [markdown]
# ## Feature importances: only feature 3 matters here

# %%
rng = np.random.default_rng(0)
X5 = rng.normal(size=(300, 5))
y5 = (X5[:, 3] + 0.3 * rng.normal(size=300) > 0).astype(np.int64)
imp, order = learner.random_forest_sklearn.feature_importances(X5, y5, n_estimators=50,
                                                               random_state=0)
ref_imp = RandomForestClassifier(n_estimators=50, random_state=0).fit(X5, y5).feature_importances_
fig, ax = plt.subplots(figsize=(6, 3.5))
idx = np.arange(5)
ax.bar(idx - 0.2, imp, width=0.4, label="yours")
ax.bar(idx + 0.2, ref_imp, width=0.4, label="sklearn")
ax.set(xticks=idx, xlabel="feature", ylabel="importance (sums to 1)",
       title="Mean decrease in impurity")
ax.legend()
save(fig, "importances")
side_by_side("importances", {"yours": imp, "sklearn": ref_imp},
             index=[f"feature {i}" for i in range(5)])
