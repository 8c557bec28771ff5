# %% [markdown]
# # 02 · Linear regression: your code next to scikit-learn
# Gradient descent, the normal equation and `LinearRegression` on the same data.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression

X, y = load_diabetes(return_X_y=True)
X = (X - X.mean(axis=0)) / X.std(axis=0)          # standardised for gradient descent

# %% [markdown]
# ## Coefficients: three routes to the same least-squares solution

# %%
w_gd, b_gd, losses = learner.linear_regression_numpy.fit_gd(X, y, lr=0.2, epochs=2000)
w_ne, b_ne = learner.linear_regression_numpy.fit_normal_equation(X, y)
yours = learner.linear_regression_sklearn.fit_sklearn(X, y)
library = LinearRegression().fit(X, y)
side_by_side("diabetes coefficients (w, then b)", {
    "gradient descent": np.append(w_gd, b_gd),
    "normal equation": np.append(w_ne, b_ne),
    "your LinearRegression": np.append(yours.coef_, yours.intercept_),
    "sklearn": np.append(library.coef_, library.intercept_),
}, index=[f"w[{i}]" for i in range(X.shape[1])] + ["b"])

# %% [markdown]
# ## The loss falls, epoch after epoch

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(losses, label="your gradient descent")
ax.axhline(np.mean((library.predict(X) - y) ** 2), color="k", ls="--", label="sklearn's minimum")
ax.set(xlabel="epoch", ylabel="MSE", yscale="log", title="Training loss")
ax.legend()
save(fig, "loss_curve")

# %% [markdown]
# ## One feature: the fitted line over the data

# %%
x1 = X[:, 2:3]                                    # body-mass index, standardised
w1, b1 = learner.linear_regression_numpy.fit_normal_equation(x1, y)
ref1 = LinearRegression().fit(x1, y)
fig, ax = plt.subplots(figsize=(6, 4))
ax.scatter(x1[:, 0], y, s=8, alpha=0.5, label="data")
xs = np.array([x1.min(), x1.max()])
ax.plot(xs, w1[0] * xs + b1, lw=3, label="your normal equation")
ax.plot(xs, ref1.coef_[0] * xs + ref1.intercept_, "k--", label="sklearn")
ax.set(xlabel="bmi (standardised)", ylabel="disease progression", title="Fitted line")
ax.legend()
save(fig, "fitted_line")

# %%
side_by_side("predictions on the first 8 rows", {
    "yours": learner.linear_regression_numpy.predict(X[:8], w_ne, b_ne),
    "sklearn": library.predict(X[:8]),
})
