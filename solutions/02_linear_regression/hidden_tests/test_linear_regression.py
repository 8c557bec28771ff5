"""Hidden checks for 02_linear_regression.

Three-way comparison on fixed-seed data:
1. learner from-scratch vs the reference (same path of gradient descent);
2. learner from-scratch vs scikit-learn (LinearRegression, mean_squared_error);
3. learner library code vs scikit-learn used correctly;
plus the lesson: gradients equal a numeric gradient, the loss falls, GD converges to the
closed-form solution, the plot shows the data and the fitted line.

Conventions pinned here (all stated in exercises/02_linear_regression/README.md):
- w has shape (d,), b is a float, predict returns shape (n,).
- mse is the mean of squared residuals; gradients are (2/n)·Xᵀ(ŷ − y) and (2/n)·Σ(ŷ − y).
- fit_gd starts at w = 0, b = 0; losses[t] is the MSE before update t; w and b are updated
  together from gradients at the same (old) parameters.
- fit_normal_equation solves least squares on [X | 1] (intercept last).
- plot_fit returns a matplotlib Figure with the data as points and the line over the data.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.testing import assert_close


def _fail(message: str):
    """Fail the check with exactly this message.

    An AssertionError reaches the learner unchanged; pytest.fail's exception is reported by
    the engine as "the check could not use your result (Failed: …)" and cut to 300 chars.
    """
    raise AssertionError(message)

# ----------------------------------------------------------------------------- data


def _synthetic(seed: int, n: int = 200, d: int = 3):
    """y = X·w_true + 4 + noise, X standard normal (well conditioned: GD converges fast)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = np.array([1.5, -2.0, 0.7, 3.0, -0.5, 1.0][:d])
    y = X @ w_true + 4.0 + 0.5 * rng.standard_normal(n)
    return X, y


def _diabetes(standardise: bool = False):
    """sklearn's bundled diabetes set (442 × 10); standardised to mean 0, std 1 for GD."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    if standardise:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y


def _one_feature(seed: int, n: int = 60):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 10.0, n)
    y = 3.0 * x + 2.0 + 2.0 * rng.standard_normal(n)
    return x, y


def _sklearn_fit(X, y):
    from sklearn.linear_model import LinearRegression

    return LinearRegression().fit(X, y)


def _numeric_grad_mse(X, y, w, b, h=1e-5):
    """Centred-difference gradient of the true MSE w.r.t. (w, b)."""

    def loss(w_, b_):
        return float(np.mean((X @ w_ + b_ - y) ** 2))

    dw = np.empty_like(w)
    for j in range(w.size):
        e = np.zeros_like(w)
        e[j] = h
        dw[j] = (loss(w + e, b) - loss(w - e, b)) / (2 * h)
    db = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    return dw, db


# ----------------------------------------------------------------------------- helpers


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    name = getattr(value, "type_name", None) if not isinstance(value, (list, tuple, dict)) else None
    return f"a {name or type(value).__name__}"


def _is_real_scalar(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fi"


def _scalar(value, name: str) -> float:
    if not _is_real_scalar(value):
        if isinstance(value, np.ndarray) and value.size == 1:
            _fail(f"{name} should be a single float, got an array of shape {value.shape}: "
                        "keep the bias a plain number (b = 0.0), not an array")
        _fail(f"{name} should be a single float, got {_describe(value)}")
    out = float(value)
    assert np.isfinite(out), f"{name} is {out}: the computation overflowed (steps too large?)"
    return out


def _vector(value, name: str, d: int) -> np.ndarray:
    """A float array of shape (d,), with a message that explains the usual shape bugs."""
    if not isinstance(value, np.ndarray):
        _fail(f"{name} should be a numpy array of shape ({d},), got {_describe(value)}")
    if value.shape != (d,):
        hint = ""
        if value.shape in ((d, 1), (1, d)):
            hint = (f": keep w 1-D with np.zeros(d). A column of shape ({d}, 1) makes X @ w of "
                    "shape (n, 1), and (n, 1) − (n,) silently broadcasts to an (n, n) matrix")
        elif value.ndim == 2 and value.shape[0] == d:
            hint = (f": w grew into a matrix. That is what a column w of shape ({d}, 1) does: "
                    "X @ w is (n, 1), X @ w − y silently broadcasts to an (n, n) matrix, and "
                    f"Xᵀ of it is ({d}, n). Keep w 1-D with np.zeros(d)")
        _fail(f"{name} should have shape ({d},), got {value.shape}{hint}")
    if value.dtype.kind != "f":
        _fail(f"{name} should be float64, got dtype {value.dtype}")
    if not np.all(np.isfinite(value)):
        _fail(f"{name} contains NaN or Inf: the updates diverged (is the gradient a "
                    "mean, with 1/n?)")
    return value


def _gradient_hint(got: np.ndarray, num: np.ndarray, n: int, which: str, formula: str) -> str:
    """Name the usual bug from the ratio between the learner's and the numeric gradient."""
    denom = float(np.dot(num, num))
    ratio = float(np.dot(got, num)) / denom if denom > 0 else np.nan
    fits = np.allclose(got, ratio * num, rtol=1e-4, atol=1e-9)
    if fits and np.isclose(ratio, 0.5, rtol=1e-3):
        return (f"{which} is half the true gradient: the factor 2 is missing "
                f"(d/dŷ (ŷ − y)² = 2(ŷ − y)); {which} = {formula}")
    if fits and np.isclose(ratio, n, rtol=1e-3):
        return (f"{which} is n = {n} times too large: the 1/n of the mean is missing "
                f"(you summed instead of averaging); {which} = {formula}")
    if fits and np.isclose(ratio, n / 2, rtol=1e-3):
        return (f"{which} is n/2 = {n / 2:g} times too large: both the 1/n and the factor 2 "
                f"are missing; {which} = {formula}")
    if fits and np.isclose(ratio, 2.0, rtol=1e-3):
        return f"{which} is twice the true gradient; {which} = {formula}"
    if fits and np.isclose(ratio, -1.0, rtol=1e-3):
        return f"{which} has the wrong sign: the residual is ŷ − y, not y − ŷ; {which} = {formula}"
    return f"{which} = {formula}, with ŷ = X·w + b"


# ----------------------------------------------------------------------------- prediction and loss


def test_predict(learner):
    """predict returns X·w + b with shape (n,)"""
    rng = np.random.default_rng(10)
    X = rng.standard_normal((30, 4))
    w = rng.standard_normal(4)
    b = 0.75
    y_hat = learner.linear_regression_numpy.predict(X, w, b)
    if isinstance(y_hat, np.ndarray) and y_hat.shape != (30,):
        _fail(f"predict(X, w, b) with X (30, 4), w (4,) returned shape {y_hat.shape}, "
                    "expected (30,): one prediction per row of X, 1-D (no column vector)")
    assert_close(y_hat, X @ w + b, name="predict(X, w, b)", rtol=1e-12, atol=1e-12,
                 hint="ŷ = X @ w + b (X is (n, d), w is (d,), b a float)")


def test_mse_matches_sklearn(learner):
    """mse equals sklearn.metrics.mean_squared_error"""
    from sklearn.metrics import mean_squared_error

    rng = np.random.default_rng(11)
    for n in (5, 50, 333):
        y_true = rng.normal(3.0, 2.0, n)
        y_pred = y_true + rng.normal(0.0, 0.7, n)
        got = learner.linear_regression_numpy.mse(y_true, y_pred)
        got = _scalar(got, f"mse(y_true, y_pred) with n = {n}")
        expected = float(mean_squared_error(y_true, y_pred))
        if np.isclose(got, n * expected, rtol=1e-9):
            hint = "your value is n times too large: take the mean of the squares, not the sum"
        elif np.isclose(got, expected / 2, rtol=1e-9):
            hint = "your value is half the MSE: no factor ½ here, the mean of the squares"
        elif np.isclose(got, np.sqrt(expected), rtol=1e-9):
            hint = "your value is the RMSE: do not take the square root"
        else:
            hint = "mse = mean of (y_pred − y_true)²"
        assert_close(got, expected, name=f"mse vs mean_squared_error (n = {n})", rtol=1e-10,
                     hint=hint)


@pytest.mark.points(2)
def test_gradients_match_numeric(learner):
    """mse_gradients agrees with a numeric gradient of the MSE"""
    X, y = _synthetic(seed=12, n=40, d=3)
    n, d = X.shape
    rng = np.random.default_rng(13)
    for w, b in [(np.zeros(d), 0.0), (rng.standard_normal(d), -1.25)]:
        result = learner.linear_regression_numpy.mse_gradients(X, y, w, b)
        assert isinstance(result, (tuple, list)) and len(result) == 2, (
            f"mse_gradients(X, y, w, b) should return a pair (dw, db), got {_describe(result)}")
        dw = _vector(result[0], "dw returned by mse_gradients", d)
        db = _scalar(result[1], "db returned by mse_gradients")
        num_dw, num_db = _numeric_grad_mse(X, y, w, b)
        at = "at w = 0, b = 0" if not w.any() else "at random w, b"
        assert_close(dw, num_dw, name=f"dL/dw {at} (n = {n}, d = {d})", rtol=1e-6, atol=1e-7,
                     hint=_gradient_hint(dw, num_dw, n, "dL/dw", "(2/n)·Xᵀ(ŷ − y)"))
        assert_close(db, num_db, name=f"dL/db {at} (n = {n})", rtol=1e-6, atol=1e-7,
                     hint=_gradient_hint(np.array([db]), np.array([num_db]), n, "dL/db",
                                         "(2/n)·Σ(ŷ − y)"))


# ----------------------------------------------------------------------------- gradient descent


def test_gd_returns_shapes(learner):
    """fit_gd returns w of shape (d,), a float b and losses of shape (epochs,)"""
    X, y = _synthetic(seed=14, n=50, d=3)
    result = learner.linear_regression_numpy.fit_gd(X, y, lr=0.05, epochs=20)
    assert isinstance(result, (tuple, list)) and len(result) == 3, (
        f"fit_gd should return a tuple (w, b, losses), got {_describe(result)}")
    w, b, losses = result
    _vector(w, "w returned by fit_gd", 3)
    _scalar(b, "b returned by fit_gd")
    assert isinstance(losses, np.ndarray), (
        f"losses should be a numpy array of shape (epochs,), got {_describe(losses)}")
    assert losses.shape == (20,), (
        f"losses should have shape (epochs,) = (20,), got {losses.shape}: one MSE per epoch")
    assert losses.dtype.kind == "f", f"losses should be float64, got dtype {losses.dtype}"


@pytest.mark.points(2)
def test_gd_matches_reference(learner, reference):
    """fit_gd takes exactly the reference gradient-descent steps"""
    X, y = _synthetic(seed=15, n=200, d=3)
    epochs = 40  # not converged: the path is compared, not only where it ends
    w, b, losses = learner.linear_regression_numpy.fit_gd(X, y, lr=0.05, epochs=epochs)
    w_ref, b_ref, losses_ref = reference.linear_regression_numpy.fit_gd(X, y, lr=0.05,
                                                                        epochs=epochs)
    w = _vector(w, "w returned by fit_gd", 3)
    b = _scalar(b, "b returned by fit_gd")
    losses = np.asarray(losses, dtype=float).reshape(-1)

    hint = ("start from w = 0, b = 0; each epoch record the MSE, compute dw and db at the "
            "current (w, b), then w ← w − lr·dw and b ← b − lr·db")
    if b == 0.0:
        hint = "b is still 0 after training: the bias must be updated too (b ← b − lr·db)"
    elif losses.shape == losses_ref.shape and not np.isclose(losses[0], losses_ref[0]):
        if np.allclose(losses[:-1], losses_ref[1:], rtol=1e-8):
            hint = ("your losses are shifted by one epoch: record losses[t] BEFORE the update, "
                    "so losses[0] is the MSE at w = 0, b = 0")
        else:
            hint = (f"losses[0] should be the MSE at w = 0, b = 0 (= mean(y²) = "
                    f"{losses_ref[0]:.6g}): start from zeros and record before updating")
    elif not np.allclose(w, w_ref, rtol=1e-6):
        hint = ("the first loss is right but the path differs. If the gradient check passes, "
                "look at the update: dw and db both at the old (w, b), lr used as given, "
                "gradients from mse_gradients' formula (2/n)·Xᵀ(ŷ − y), (2/n)·Σ(ŷ − y)")
    assert_close(losses, losses_ref, name=f"losses (lr = 0.05, {epochs} epochs)", rtol=1e-9,
                 atol=1e-12, hint=hint)
    assert_close(w, w_ref, name=f"w after {epochs} epochs", rtol=1e-9, atol=1e-12, hint=hint)
    assert_close(b, b_ref, name=f"b after {epochs} epochs", rtol=1e-9, atol=1e-12, hint=hint)


def test_loss_history_falls(learner):
    """The loss falls at every epoch and reaches the least-squares minimum"""
    X, y = _synthetic(seed=16, n=200, d=3)
    _w, _b, losses = learner.linear_regression_numpy.fit_gd(X, y, lr=0.1, epochs=300)
    losses = np.asarray(losses, dtype=float).reshape(-1)
    assert losses.size == 300, f"losses should hold 300 values (one per epoch), got {losses.size}"
    assert np.all(np.isfinite(losses)), (
        "the loss became NaN or Inf with lr = 0.1 on standardised data: the steps are far too "
        "large. Is the gradient a mean (with 1/n), not a sum?")
    rises = np.flatnonzero(np.diff(losses) > 1e-12 * losses[0])
    assert rises.size == 0, (
        f"the loss went UP at {rises.size} of 299 steps, first at epoch {rises[0] + 1} "
        f"({losses[rises[0]]:.6g} → {losses[rises[0] + 1]:.6g}): with the right gradient and "
        "lr = 0.1 each step lowers the MSE; check the sign of the update and the gradient")
    model = _sklearn_fit(X, y)
    best = float(np.mean((model.predict(X) - y) ** 2))
    assert_close(losses[-1], best, name="final loss vs the least-squares minimum (sklearn)",
                 rtol=1e-6, hint="after 300 epochs the MSE should be at its minimum: if it "
                 "stalls above, b (or part of w) is not being learnt")


@pytest.mark.points(2)
def test_gd_converges_to_sklearn(learner):
    """Gradient descent converges to sklearn's coefficients (synthetic and diabetes)"""
    cases = [("synthetic (200 × 3)", *_synthetic(seed=17), 0.1, 400),
             ("diabetes, standardised (442 × 10)", *_diabetes(standardise=True), 0.2, 6000)]
    for label, X, y, lr, epochs in cases:
        with learner.time_limit(60):
            w, b, _losses = learner.linear_regression_numpy.fit_gd(X, y, lr=lr, epochs=epochs)
        w = _vector(w, f"w from fit_gd on {label}", X.shape[1])
        b = _scalar(b, f"b from fit_gd on {label}")
        model = _sklearn_fit(X, y)
        hint = (f"after {epochs} epochs at lr = {lr} gradient descent should sit on the "
                "least-squares solution; if the reference-path check passes, this one does too")
        if b == 0.0:
            hint = "b stayed 0: the bias is never updated"
        assert_close(w, model.coef_, name=f"w vs LinearRegression().coef_ on {label}",
                     rtol=1e-6, atol=1e-6, hint=hint)
        assert_close(b, float(model.intercept_),
                     name=f"b vs LinearRegression().intercept_ on {label}", rtol=1e-6,
                     atol=1e-6, hint=hint)


# ----------------------------------------------------------------------------- normal equation


def _normal_equation_hint(X, y, w, b) -> str:
    coef_no_intercept, *_ = np.linalg.lstsq(X, y, rcond=None)
    if b == 0.0 or (w.shape == coef_no_intercept.shape
                    and np.allclose(w, coef_no_intercept, rtol=1e-6)):
        return ("this is the fit WITHOUT intercept: append a column of ones to X "
                "(A = [X | 1]), solve for θ = (w, b) and split off b = θ[-1]")
    return ("solve least squares on A = [X | 1] with np.linalg.lstsq(A, y, rcond=None) "
            "(or np.linalg.solve(AᵀA, Aᵀy)); w = θ[:-1], b = θ[-1]")


@pytest.mark.points(2)
def test_normal_equation_matches_sklearn(learner):
    """The normal equation gives sklearn's coefficients and intercept (synthetic and diabetes)"""
    cases = [("synthetic (200 × 3)", *_synthetic(seed=18)),
             ("synthetic (30 × 6)", *_synthetic(seed=19, n=30, d=6)),
             ("diabetes (442 × 10)", *_diabetes())]
    for label, X, y in cases:
        result = learner.linear_regression_numpy.fit_normal_equation(X, y)
        assert isinstance(result, (tuple, list)) and len(result) == 2, (
            f"fit_normal_equation should return a pair (w, b), got {_describe(result)}")
        w = _vector(result[0], f"w from fit_normal_equation on {label}", X.shape[1])
        b = _scalar(result[1], f"b from fit_normal_equation on {label}")
        model = _sklearn_fit(X, y)
        hint = _normal_equation_hint(X, y, w, b)
        assert_close(w, model.coef_, name=f"w vs LinearRegression().coef_ on {label}",
                     rtol=1e-8, atol=1e-8, hint=hint)
        assert_close(b, float(model.intercept_),
                     name=f"b vs LinearRegression().intercept_ on {label}", rtol=1e-8,
                     atol=1e-8, hint=hint)


def test_same_predictions_as_sklearn(learner):
    """Your normal-equation fit predicts what sklearn predicts on held-out data"""
    X, y = _diabetes()
    X_train, y_train, X_test = X[:350], y[:350], X[350:]
    w, b = learner.linear_regression_numpy.fit_normal_equation(X_train, y_train)
    y_hat = learner.linear_regression_numpy.predict(X_test, w, b)
    expected = _sklearn_fit(X_train, y_train).predict(X_test)
    assert_close(y_hat, expected, name="predictions on the 92 held-out diabetes rows",
                 rtol=1e-8, atol=1e-8,
                 hint="fit_normal_equation on the first 350 rows, then predict(X_test, w, b) "
                      "= X_test @ w + b, shape (92,)")


# ----------------------------------------------------------------------------- the plot


def _describe_figure(fig):
    """Runs in the sandbox: the plain-data content of a matplotlib figure."""
    import numpy as np

    out = {"type": type(fig).__name__, "module": type(fig).__module__, "axes": []}
    for ax in getattr(fig, "axes", []):
        points = []
        for coll in ax.collections:
            try:
                offsets = np.asarray(coll.get_offsets(), dtype=float)
            except Exception:  # noqa: BLE001 — a collection without offsets
                continue
            if offsets.ndim == 2 and offsets.shape[1] == 2:
                points.append(offsets)
        lines = []
        for line in ax.get_lines():
            lines.append({
                "x": np.asarray(line.get_xdata(), dtype=float).ravel(),
                "y": np.asarray(line.get_ydata(), dtype=float).ravel(),
                "linestyle": str(line.get_linestyle()),
                "marker": str(line.get_marker()),
                "visible": bool(line.get_visible()),
            })
        out["axes"].append({"points": points, "lines": lines})
    return out


def _same_points(xy, x, y) -> bool:
    data = np.column_stack([x, y])
    if xy.shape != data.shape:
        return False
    a = xy[np.lexsort((xy[:, 1], xy[:, 0]))]
    e = data[np.lexsort((data[:, 1], data[:, 0]))]
    return bool(np.allclose(a, e, rtol=1e-9, atol=1e-9))


@pytest.mark.points(2)
def test_plot_shows_data_and_line(learner):
    """plot_fit returns a Figure with the data points and the fitted line across them"""
    x, y = _one_feature(seed=20)
    w, b = 2.8, 2.9  # any line: the check is that the plot draws the one it is given
    fig = learner.linear_regression_numpy.plot_fit(x, y, w, b)
    if isinstance(fig, (tuple, list)):
        _fail(f"plot_fit should return the Figure alone, got a {type(fig).__name__} of "
                    f"{len(fig)} items: `return fig`, not `return fig, ax`")
    kind = getattr(fig, "type_name", type(fig).__name__)
    assert kind == "Figure", (
        f"plot_fit should return a matplotlib Figure, got a {kind}: create it with "
        "`fig, ax = plt.subplots()` (or matplotlib.figure.Figure()) and return fig")
    info = learner.probe(_describe_figure, fig)
    assert info["axes"], "the figure has no axes: draw on fig.add_subplot() or plt.subplots()"

    shows_data = False
    line_found = None
    lo, hi = float(x.min()), float(x.max())
    for ax in info["axes"]:
        if any(_same_points(np.asarray(p), x, y) for p in ax["points"]):
            shows_data = True
        for line in ax["lines"]:
            if not line["visible"] or line["x"].size == 0:
                continue
            no_style = line["linestyle"] in ("None", "none", "", " ")
            if no_style and _same_points(np.column_stack([line["x"], line["y"]]), x, y):
                shows_data = True  # data drawn with plot(x, y, "o")
            elif (not no_style and line["x"].size >= 2
                  and np.allclose(line["y"], w * line["x"] + b, rtol=1e-9, atol=1e-9)):
                line_found = line
    assert shows_data, (
        "the 60 data points (x, y) are not on the figure: draw them as points, e.g. "
        "ax.scatter(x, y) (every point, unchanged)")
    assert line_found is not None, (
        f"no line ŷ = w·x + b (w = {w}, b = {b}) found on the figure: draw it with a solid line, "
        "e.g. ax.plot(xs, w * xs + b) with xs spanning the data")
    span = hi - lo
    x_line = line_found["x"]
    assert x_line.min() <= lo + 0.02 * span and x_line.max() >= hi - 0.02 * span, (
        f"the fitted line covers x from {x_line.min():.3g} to {x_line.max():.3g}, but the data "
        f"go from {lo:.3g} to {hi:.3g}: draw it across the whole range of the data")


# ----------------------------------------------------------------------------- scikit-learn


def _check_estimator(model, X, y, label):
    kind = getattr(model, "type_name", None)
    if kind is None:
        _fail(f"fit_sklearn should return the fitted LinearRegression estimator itself, "
                    f"got {_describe(model)}")
    assert kind == "LinearRegression", (
        f"fit_sklearn returned a {kind}, expected sklearn.linear_model.LinearRegression "
        "(plain least squares, no regularisation)")
    expected = _sklearn_fit(X, y)
    hint = "LinearRegression() with its defaults, fitted with .fit(X, y) on the data you are given"
    if model.fit_intercept is not True:
        hint = ("fit_intercept is off: keep LinearRegression's default fit_intercept=True, the "
                "model needs its b")
    assert_close(model.coef_, expected.coef_, name=f"coef_ of your LinearRegression on {label}",
                 rtol=1e-10, atol=1e-10, hint=hint)
    assert_close(model.intercept_, float(expected.intercept_),
                 name=f"intercept_ of your LinearRegression on {label}", rtol=1e-10,
                 atol=1e-10, hint=hint)
    return expected


@pytest.mark.points(2)
def test_sklearn_model_fitted_correctly(learner):
    """fit_sklearn returns a LinearRegression fitted like sklearn's own (coef_, intercept_, predict)"""
    for label, X, y in [("synthetic (200 × 3)", *_synthetic(seed=21)),
                        ("diabetes (442 × 10)", *_diabetes())]:
        model = learner.linear_regression_sklearn.fit_sklearn(X, y)
        expected = _check_estimator(model, X, y, label)
        rng = np.random.default_rng(22)
        X_new = X[rng.permutation(len(X))[:25]] + 0.01 * rng.standard_normal((25, X.shape[1]))
        assert_close(model.predict(X_new), expected.predict(X_new),
                     name=f"model.predict on 25 new rows ({label})", rtol=1e-10, atol=1e-10)


def test_scratch_and_library_agree(learner):
    """Your from-scratch normal equation and your sklearn model give the same predictions"""
    X, y = _diabetes()
    w, b = learner.linear_regression_numpy.fit_normal_equation(X, y)
    model = learner.linear_regression_sklearn.fit_sklearn(X, y)
    from_scratch = learner.linear_regression_numpy.predict(X, w, b)
    from_library = model.predict(X)
    assert_close(from_scratch, from_library,
                 name="predict(X, w, b) from scratch vs your model.predict(X) (diabetes)",
                 rtol=1e-8, atol=1e-8,
                 hint="both solve the same least-squares problem with an intercept: they must "
                      "agree to about 1e-10")


def test_evaluate_metrics(learner):
    """evaluate returns sklearn's mean_squared_error and r2_score of the model"""
    from sklearn.metrics import mean_squared_error, r2_score

    X, y = _diabetes()
    X_train, y_train, X_test, y_test = X[:350], y[:350], X[350:], y[350:]
    model = learner.linear_regression_sklearn.fit_sklearn(X_train, y_train)
    scores = learner.linear_regression_sklearn.evaluate(model, X_test, y_test)
    assert isinstance(scores, dict) and {"mse", "r2"} <= set(scores), (
        f"evaluate should return a dict with keys 'mse' and 'r2', got {_describe(scores)}"
        + (f" with keys {sorted(scores)}" if isinstance(scores, dict) else ""))
    y_pred = _sklearn_fit(X_train, y_train).predict(X_test)
    mse_expected = float(mean_squared_error(y_test, y_pred))
    r2_expected = float(r2_score(y_test, y_pred))
    got_mse = _scalar(scores["mse"], "evaluate(...)['mse']")
    got_r2 = _scalar(scores["r2"], "evaluate(...)['r2']")
    mse_hint = "mean_squared_error(y, model.predict(X)) on the data passed to evaluate"
    if np.isclose(got_mse, np.sqrt(mse_expected), rtol=1e-9):
        mse_hint = "this is the RMSE: report the MSE itself (no square root)"
    r2_hint = "r2_score(y_true, y_pred) on the data passed to evaluate"
    if np.isclose(got_r2, float(r2_score(y_pred, y_test)), rtol=1e-9):
        r2_hint = ("the arguments are swapped: r2_score(y_true, y_pred), true values first "
                   "(R² is not symmetric)")
    assert_close(got_mse, mse_expected, name="'mse' on the 92 held-out rows", rtol=1e-9,
                 hint=mse_hint)
    assert_close(got_r2, r2_expected, name="'r2' on the 92 held-out rows", rtol=1e-9,
                 hint=r2_hint)
