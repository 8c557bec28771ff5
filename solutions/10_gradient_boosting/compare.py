# %% [markdown]
# # 10 · Gradient boosting: your boosting next to scikit-learn's
# The same data and settings for your `fit_gb_regressor` / `fit_gb_classifier` and for
# `GradientBoostingRegressor` / `GradientBoostingClassifier`: the stage-by-stage loss
# curves, the predictions and the feature importances should coincide.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.metrics import log_loss, mean_squared_error


def make_data(seed, n, classification=False):
    """Features on a 1/64 grid (exact in float32, like the checks), a smooth target + noise."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, 5)) * 64) / 64
    if classification:
        z = 1.5 * X[:, 0] - X[:, 1] ** 2 + 0.8 * X[:, 2] * X[:, 3] + 0.5 + 0.7 * rng.normal(size=n)
        return X, (z > 0).astype(np.int64)
    y = (np.sin(2 * X[:, 0]) + 0.8 * X[:, 1] ** 2 - 0.6 * X[:, 2] + 0.4 * X[:, 0] * X[:, 3]
         + 0.3 * rng.normal(size=n))
    return X, y


settings = dict(n_estimators=100, learning_rate=0.1, max_depth=3, min_samples_leaf=5)
X, y = make_data(0, 400)
X_train, y_train, X_test, y_test = X[:240], y[:240], X[240:], y[240:]

# %% [markdown]
# ## Regression: your model and sklearn's, fitted on the same 240 rows

# %%
yours = learner.gradient_boosting_numpy.fit_gb_regressor(X_train, y_train, **settings)
sk = GradientBoostingRegressor(**settings, random_state=0).fit(X_train, y_train)
pred_yours = np.asarray(learner.gradient_boosting_numpy.predict_raw(yours, X_test))
pred_sk = sk.predict(X_test)
side_by_side("held-out predictions, first 8 rows", {
    "yours": pred_yours[:8], "sklearn": pred_sk[:8], "y": y_test[:8]})
side_by_side("summary", {
    "yours": [float(yours["init"]), mean_squared_error(y_test, pred_yours),
              float(np.max(np.abs(pred_yours - pred_sk)))],
    "sklearn": [float(np.ravel(sk.init_.constant_)[0]), mean_squared_error(y_test, pred_sk),
                0.0],
}, index=["F0 (init)", "held-out MSE", "max |yours - sklearn|"])

# %% [markdown]
# ## The training loss falls at every stage; the held-out loss does not have to
# Dashed: sklearn (`train_score_`, `staged_predict`). Solid: yours (`train_loss`,
# `staged_predict_raw`). The curves should lie on top of each other.

# %%
staged_yours = np.asarray(learner.gradient_boosting_numpy.staged_predict_raw(yours, X_test))
test_yours = ((staged_yours - y_test) ** 2).mean(axis=1)
test_sk = np.array([mean_squared_error(y_test, p) for p in sk.staged_predict(X_test)])
stages = np.arange(1, settings["n_estimators"] + 1)
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(stages, np.asarray(yours["train_loss"]), lw=3, alpha=0.5, label="yours, training")
ax.plot(stages, test_yours, lw=3, alpha=0.5, label="yours, held-out")
ax.plot(stages, sk.train_score_, "k--", lw=1, label="sklearn, training")
ax.plot(stages, test_sk, "k:", lw=1.5, label="sklearn, held-out")
ax.set(xlabel="stage (number of trees)", ylabel="MSE", yscale="log",
       title="Regression: loss after each stage")
ax.legend()
save(fig, "staged_loss_regression")

# %%
fig, ax = plt.subplots(figsize=(4.5, 4.5))
lo, hi = min(pred_sk.min(), pred_yours.min()), max(pred_sk.max(), pred_yours.max())
ax.plot([lo, hi], [lo, hi], color="0.7", lw=1)
ax.scatter(pred_sk, pred_yours, s=14)
ax.set(xlabel="sklearn's prediction", ylabel="your prediction",
       title="Held-out predictions (on the diagonal = equal)")
save(fig, "predictions_scatter")

# %% [markdown]
# ## Classification: log loss stage by stage, Newton steps in the leaves
# sklearn's `train_score_` is the deviance, twice the mean log loss: it is halved here.

# %%
Xc, yc = make_data(7, 400, classification=True)
Xc_train, yc_train, Xc_test, yc_test = Xc[:240], yc[:240], Xc[240:], yc[240:]
clf_yours = learner.gradient_boosting_numpy.fit_gb_classifier(Xc_train, yc_train, **settings)
clf_sk = GradientBoostingClassifier(**settings, random_state=0).fit(Xc_train, yc_train)
raw_yours = np.asarray(learner.gradient_boosting_numpy.staged_predict_raw(clf_yours, Xc_test))
test_clf_yours = [log_loss(yc_test, 1 / (1 + np.exp(-f)), labels=[0, 1]) for f in raw_yours]
test_clf_sk = [log_loss(yc_test, p, labels=[0, 1]) for p in clf_sk.staged_predict_proba(Xc_test)]
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(stages, np.asarray(clf_yours["train_loss"]), lw=3, alpha=0.5, label="yours, training")
ax.plot(stages, test_clf_yours, lw=3, alpha=0.5, label="yours, held-out")
ax.plot(stages, clf_sk.train_score_ / 2, "k--", lw=1, label="sklearn, training (train_score_/2)")
ax.plot(stages, test_clf_sk, "k:", lw=1.5, label="sklearn, held-out")
ax.set(xlabel="stage", ylabel="mean log loss", title="Classification: loss after each stage")
ax.legend()
save(fig, "staged_loss_classification")
proba_yours = np.asarray(learner.gradient_boosting_numpy.predict_proba(clf_yours, Xc_test))
side_by_side("P(y = 1), first 8 held-out rows", {
    "yours": proba_yours[:8], "sklearn": clf_sk.predict_proba(Xc_test)[:8, 1],
    "label": yc_test[:8]})

# %% [markdown]
# ## Feature importances: where the squared error was reduced
# The target uses x0, x1, x2 (and x0·x3); x4 is noise.

# %%
imp_yours = np.asarray(learner.gradient_boosting_numpy.feature_importances(yours, 5))
fig, ax = plt.subplots(figsize=(6, 3.5))
pos = np.arange(5)
ax.bar(pos - 0.2, imp_yours, width=0.4, label="yours")
ax.bar(pos + 0.2, sk.feature_importances_, width=0.4, label="sklearn")
ax.set(xticks=pos, xticklabels=[f"x{j}" for j in pos], ylabel="importance",
       title="Feature importances (regression)")
ax.legend()
save(fig, "feature_importances")
side_by_side("feature importances (regression)", {
    "yours": imp_yours, "sklearn": sk.feature_importances_}, index=[f"x{j}" for j in range(5)])

# %% [markdown]
# ## XGBoost and LightGBM (only where installed)
# The same settings, as close as these libraries get to scikit-learn's (README). Their
# trees are not identical (LightGBM bins the features), the held-out error is similar.

# %%
others = {"yours": mean_squared_error(y_test, pred_yours), "sklearn": mean_squared_error(y_test, pred_sk)}
for name, func in (("xgboost", "fit_xgboost_regressor"), ("lightgbm", "fit_lightgbm_regressor")):
    try:
        __import__(name)
    except ImportError:
        continue
    try:
        model = getattr(learner.gradient_boosting_sklearn, func)(X_train, y_train, **settings)
        others[name] = mean_squared_error(y_test, np.asarray(model.predict(X_test)))
    except Exception:  # noqa: BLE001 - optional: not implemented, or failing
        continue
side_by_side("held-out MSE by library", {k: [v] for k, v in others.items()}, index=["MSE"])
