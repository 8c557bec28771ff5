"""Hidden checks for 03_logistic_regression.

Conventions pinned here (all stated in exercises/03_logistic_regression/README.md):
- bce_with_logits takes LOGITS z (not probabilities) and returns the MEAN over samples.
- objective J(w, b) = mean BCE + (lam/2)·‖w‖²; the bias b is not penalised.
- sklearn's LogisticRegression(C) minimises C·Σ BCE + ½‖w‖² (intercept unpenalised), so
  lam = 1/(C·n) and C = 1/(lam·n); lam = 0 is C = np.inf.
- fit: full-batch gradient descent from w = 0, b = 0; losses[t] is J before update t.
- predict: 1 where z = x·w + b > 0, else 0 (z == 0 gives 0, as sklearn does).
- breast_cancer is standardised in the test with the population std (ddof=0, StandardScaler).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from grader.testing import assert_close, assert_same, numeric_gradient, rel_error


def _fail(message: str):
    """Fail the check with exactly this message.

    An AssertionError reaches the learner unchanged; pytest.fail's exception is reported by
    the engine as "the check could not use your result (Failed: …)" and cut to 300 chars.
    """
    raise AssertionError(message)

NP = "logistic_regression_numpy"
SK = "logistic_regression_sklearn"


# --------------------------------------------------------------------------- data
def _toy(n=80, d=3, seed=0):
    """Non-separable binary data: labels drawn from a true logistic model."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(scale=1.5, size=d)
    p = 1.0 / (1.0 + np.exp(-(X @ w_true + 0.3)))
    y = (rng.random(n) < p).astype(np.float64)
    return X, y


@functools.lru_cache(maxsize=1)
def _breast_cancer_std():
    """breast_cancer, standardised per feature with mean and population std (ddof=0)."""
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0, ddof=0)
    return X, y.astype(np.float64)


def _sk_tight(X, y, C):
    """LogisticRegression used correctly: same objective, converged tightly."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "fi"


# ------------------------------------------------------------------- probes (sandbox)
def _call_watching_warnings(func, cases):
    """Runs func(*args) for each case (func: the learner's function, passed as a Handle so
    the probe runs in the sandbox that holds it) and records every numpy warning."""
    import warnings

    import numpy as np

    results = []
    for args in cases:
        with warnings.catch_warnings(record=True) as caught, \
                np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            warnings.simplefilter("always")
            out = func(*args)
        try:
            value = np.asarray(out, dtype=np.float64)
        except (TypeError, ValueError):
            value = f"<{type(out).__name__}>"
        results.append({"out": value,
                        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]})
    return results


def _learner_function(learner, name):
    """The learner's from-scratch function itself, as a Handle for learner.probe."""
    return getattr(learner.logistic_regression_numpy, name).value()


def _describe_figure(fig):
    """Plain-data summary of a matplotlib Figure: scatter points and drawn curves."""
    import numpy as np
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.contour import ContourSet

    info = {"type": type(fig).__name__, "n_axes": 0, "points": [], "curves": []}
    if not hasattr(fig, "get_axes"):
        return info
    axes = fig.get_axes()
    info["n_axes"] = len(axes)
    for ax in axes:
        for line in ax.lines:
            xy = np.asarray(line.get_xydata(), dtype=np.float64)
            info["curves"].append({"kind": "line", "xy": xy})
        for coll in ax.collections:
            if isinstance(coll, ContourSet):
                if coll.filled:
                    continue
                for path in coll.get_paths():
                    if len(path.vertices):
                        info["curves"].append({"kind": "contour",
                                               "xy": np.asarray(path.vertices, dtype=np.float64)})
            elif isinstance(coll, LineCollection):
                for seg in coll.get_segments():
                    info["curves"].append({"kind": "segments",
                                           "xy": np.asarray(seg, dtype=np.float64)})
            elif isinstance(coll, PathCollection):
                offs = np.asarray(coll.get_offsets(), dtype=np.float64)
                if offs.size:
                    info["points"].append(offs.reshape(-1, 2))
    return info


# -------------------------------------------------------------------------- checks
@pytest.mark.points(1)
def test_sigmoid_values(learner, reference):
    """sigmoid returns 1/(1+e^(−z)) elementwise, same shape, float64"""
    rng = np.random.default_rng(1)
    z = rng.normal(scale=4.0, size=(5, 7))
    z[0, 0] = 0.0
    s = learner.logistic_regression_numpy.sigmoid(z)
    assert_close(s, reference.logistic_regression_numpy.sigmoid(z),
                 name="sigmoid(z) for a (5, 7) array of moderate z", rtol=1e-12, atol=1e-15,
                 hint="sigmoid must work elementwise on arrays of any shape: "
                      "1 / (1 + exp(−z)), with sigmoid(0) = 0.5")
    assert np.asarray(s).dtype == np.float64, (
        f"sigmoid returned dtype {np.asarray(s).dtype}, expected float64")


@pytest.mark.points(2)
def test_sigmoid_stable(learner, reference):
    """sigmoid is stable at |z| ≥ 1000: no overflow warning, no NaN/Inf, limits 0 and 1"""
    z = np.array([-1000.0, -745.0, -700.0, -100.0, -30.0, 0.0, 30.0, 100.0, 700.0, 1000.0])
    func = _learner_function(learner, "sigmoid")
    (res,) = learner.probe(_call_watching_warnings, func, [(z,)])
    assert not res["warnings"], (
        f"sigmoid(z) for z in [-1000, 1000] raised numpy warnings: {res['warnings'][:3]}. "
        "np.exp(-z) overflows for z ≤ -710: never take exp of a large positive number. "
        "Use exp(−|z|): for z ≥ 0, 1/(1+e^(−z)); for z < 0, e^z/(1+e^z). Note that "
        "np.where(cond, a, b) computes BOTH branches on every element before choosing, so "
        "an exp(-z) inside np.where still overflows: compute e = np.exp(-np.abs(z)) first")
    out = res["out"]
    assert not isinstance(out, str), f"sigmoid returned {out[1:-1]}, expected a float64 array"
    assert_close(out, reference.logistic_regression_numpy.sigmoid(z),
                 name="sigmoid(z) at z = [-1000, -745, -700, -100, -30, 0, 30, 100, 700, 1000]",
                 rtol=1e-12, atol=1e-15,
                 hint="the limits are sigmoid(-1000) = 0.0 and sigmoid(1000) = 1.0; "
                      "a NaN usually means inf/inf from exp overflowing")


def _bce_hint(got, z, y):
    """Name the usual BCE bug from the value the learner returned."""
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if np.isfinite(got) and np.isclose(got, np.mean(np.logaddexp(0.0, -y * z)), rtol=1e-9):
        return ("your loss is log(1 + e^(−y·z)), the form for labels y ∈ {−1, +1}; here the "
                "labels are 0 and 1: BCE = log(1 + e^z) − y·z")
    if z.size > 1 and np.isfinite(got) and np.isclose(
            got, np.sum(np.logaddexp(0.0, z) - y * z), rtol=1e-9):
        return "your value is the SUM over the samples: return the mean"
    return ("compute the loss from the logit, never through log(sigmoid(z)): "
            "BCE = log(1 + e^z) − y·z with log(1 + e^z) = np.logaddexp(0, z). A confident "
            "wrong prediction must cost |z| (1000), not inf, NaN or a clipped value like 34.5")


@pytest.mark.points(2)
def test_bce_stable(learner, reference):
    """bce_with_logits is exact at |z| ≥ 1000: no warning, no NaN/Inf, loss 0 or |z|"""
    cases = [
        (np.array([1000.0]), np.array([1.0])),     # confident and right  -> 0
        (np.array([1000.0]), np.array([0.0])),     # confident and wrong  -> 1000
        (np.array([-1000.0]), np.array([1.0])),    # confident and wrong  -> 1000
        (np.array([-1000.0]), np.array([0.0])),    # confident and right  -> 0
        (np.array([0.0]), np.array([1.0])),        # undecided            -> ln 2
        (np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0]),
         np.array([1.0, 0.0, 0.0, 1.0, 1.0])),     # mean of the above    -> (2000 + ln 2)/5
    ]
    expected = [0.0, 1000.0, 1000.0, 0.0, math.log(2.0), (2000.0 + math.log(2.0)) / 5.0]
    func = _learner_function(learner, "bce_with_logits")
    results = learner.probe(_call_watching_warnings, func, cases)
    labels = ["z=1000, y=1", "z=1000, y=0", "z=-1000, y=1", "z=-1000, y=0", "z=0, y=1",
              "the 5 cases above as one batch (the mean)"]
    for label, (z, y), res, exp in zip(labels, cases, results, expected):
        out = res["out"]
        assert not isinstance(out, str), (
            f"bce_with_logits({label}) returned {out[1:-1]}, expected a float")
        assert not res["warnings"], (
            f"bce_with_logits({label}) raised numpy warnings: {res['warnings'][:3]}. "
            "Compute the loss from the logit: log(1 + e^z) − y·z, with log(1 + e^z) = "
            "np.logaddexp(0, z); going through sigmoid then log(p) overflows or hits log(0)")
        assert_close(out, np.float64(exp), name=f"bce_with_logits({label})",
                     rtol=1e-12, atol=1e-12, hint=_bce_hint(float(np.ravel(out)[0])
                                                            if np.size(out) == 1 else np.nan,
                                                            z, y))


def _loss_hint(got, X, y, w, b, lam):
    """Name the usual objective bug from the value the learner's loss returned."""
    n = X.shape[0]
    z = X @ w + b
    bce = float(np.mean(np.logaddexp(0.0, z) - y * z))
    pen = 0.5 * lam * float(w @ w)
    guesses = [
        (bce + pen + 0.5 * lam * b * b, "the bias is penalised too: the penalty is "
                                        "(lam/2)·‖w‖² on the weights only, never on b"),
        (bce + 2.0 * pen, "the penalty is lam·‖w‖²: it is (lam/2)·‖w‖², with the ½"),
        (bce, "the L2 penalty (lam/2)·‖w‖² is missing"),
        (n * bce + pen, "the BCE is summed over the samples: J uses the MEAN BCE"),
    ]
    if _is_number(got):
        for value, why in guesses:
            if np.isclose(float(got), value, rtol=1e-9):
                return why
    return ("J = mean BCE + (lam/2)·‖w‖²: the penalty covers w only, never b, and the "
            "BCE is a mean, not a sum")


def _gradient_hints(gw, gb, X, y, w, b, lam):
    """Hints for dJ/dw and dJ/db that name the usual bug when the learner's values show it."""
    n = X.shape[0]
    r = 1.0 / (1.0 + np.exp(-(X @ w + b))) - y
    data_w = X.T @ r / n
    hint_w = "dJ/dw = Xᵀ(sigmoid(Xw + b) − y)/n + lam·w"
    hint_b = ("dJ/db = mean(sigmoid(Xw + b) − y): no lam·b term, the bias is not penalised")
    if isinstance(gw, np.ndarray) and gw.shape == w.shape:
        for value, why in [
                (data_w + 2 * lam * w, "your penalty gradient is 2·lam·w: the penalty "
                                       "(lam/2)·‖w‖² has gradient lam·w"),
                (data_w, "the penalty gradient lam·w is missing"),
                (n * data_w + lam * w, "the data term is summed: divide Xᵀ(p − y) by n"),
                (-data_w + lam * w, "the data term has the wrong sign: the residual is "
                                    "sigmoid(z) − y, not y − sigmoid(z)"),
                (X.T @ ((X @ w + b) - y) / n + lam * w,
                 "you used z − y (the linear-regression residual): it is sigmoid(z) − y")]:
            if np.allclose(gw, value, rtol=1e-9, atol=1e-12):
                hint_w = why
                break
    if _is_number(gb):
        for value, why in [(float(r.mean()) + lam * b, "the bias is penalised: drop the lam·b"),
                           (float(r.sum()), "dJ/db is a sum: take the mean of sigmoid(z) − y"),
                           (-float(r.mean()), "dJ/db has the wrong sign: mean(sigmoid(z) − y)")]:
            if np.isclose(float(gb), value, rtol=1e-9):
                hint_b = why
                break
    return hint_w, hint_b


@pytest.mark.points(1)
def test_loss_and_gradient_values(learner, reference):
    """loss and gradient equal the reference objective: mean BCE + (lam/2)·‖w‖², b unpenalised"""
    X, y = _toy(n=50, d=4, seed=2)
    rng = np.random.default_rng(3)
    w = rng.normal(size=4)
    b, lam = 1.7, 0.3
    ref = reference.logistic_regression_numpy
    mod = learner.logistic_regression_numpy
    bce = mod.bce_with_logits(X @ w + b, y)
    assert_close(bce, ref.bce_with_logits(X @ w + b, y),
                 name="bce_with_logits on 50 moderate logits", rtol=1e-10,
                 hint=_bce_hint(float(bce) if _is_number(bce) else np.nan, X @ w + b, y))
    L = mod.loss(w, b, X, y, lam)
    assert_close(L, ref.loss(w, b, X, y, lam), name="loss(w, b, X, y, lam=0.3) with b = 1.7",
                 rtol=1e-10, hint=_loss_hint(L, X, y, w, b, lam))
    result = mod.gradient(w, b, X, y, lam)
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        "gradient(w, b, X, y, lam) should return a pair (dJ/dw of shape (d,), dJ/db a float)")
    gw, gb = result
    rgw, rgb = ref.gradient(w, b, X, y, lam)
    hint_w, hint_b = _gradient_hints(gw, gb, X, y, w, b, lam)
    assert_close(gw, rgw, name="dJ/dw from gradient() (lam = 0.3)", rtol=1e-10, atol=1e-14,
                 hint=hint_w)
    assert_close(gb, rgb, name="dJ/db from gradient() (b = 1.7, lam = 0.3)", rtol=1e-10,
                 atol=1e-14, hint=hint_b)


@pytest.mark.points(2)
def test_gradient_finite_differences(learner):
    """gradient agrees with centred finite differences of your own loss (rel error ≤ 1e-7)"""
    X, y = _toy(n=40, d=4, seed=4)
    rng = np.random.default_rng(5)
    theta = np.concatenate([rng.normal(size=4), [0.4]])
    lam = 0.2
    mod = learner.logistic_regression_numpy
    num = numeric_gradient(lambda t: float(mod.loss(t[:-1].copy(), float(t[-1]), X, y, lam)),
                           theta, h=1e-5)
    gw, gb = mod.gradient(theta[:-1], float(theta[-1]), X, y, lam)
    analytic = np.concatenate([np.asarray(gw, dtype=np.float64).ravel(),
                               np.atleast_1d(np.asarray(gb, dtype=np.float64))])
    assert analytic.shape == num.shape, (
        f"gradient returned {analytic.size - 1} + 1 numbers for 4 weights + 1 bias; "
        "return (grad_w of shape (d,), grad_b as a float)")
    err = rel_error(analytic, num)
    worst = int(np.argmax(np.abs(analytic - num)))
    where = "dJ/db" if worst == 4 else f"dJ/dw[{worst}]"
    n = X.shape[0]
    k = float(analytic @ num) / float(num @ num)
    diagnosis = ("gradient() must be the derivative of YOUR loss(); check each term: "
                 "Xᵀ(sigmoid(z) − y)/n (with the 1/n), lam·w for the penalty (lam/2)·‖w‖², "
                 "and mean(sigmoid(z) − y) for b")
    if np.allclose(analytic, k * num, rtol=1e-4, atol=1e-9):
        for factor, why in [(n, f"n = {n} times the numeric one: the 1/n of the mean is "
                                "missing (summed instead of averaged)"),
                            (-1.0, "the numeric one with the opposite sign: the residual is "
                                   "sigmoid(z) − y, and the step goes against the gradient"),
                            (2.0, "twice the numeric one: a stray factor 2"),
                            (0.5, "half the numeric one: a factor 2 is missing")]:
            if np.isclose(k, factor, rtol=1e-3):
                diagnosis = f"your gradient is {why}"
    assert err <= 1e-7, (
        f"analytic gradient vs finite differences of loss() at random w (4,), b = 0.4, "
        f"lam = {lam}: relative error {err:.2e} (must be ≤ 1e-7); worst at {where}: analytic "
        f"{analytic[worst]:.6g}, numeric {num[worst]:.6g}. {diagnosis}")


@pytest.mark.points(2)
def test_fit_matches_reference(learner, reference):
    """fit (gradient descent from zeros) gives the reference weights, bias and loss history"""
    X, y = _toy(n=80, d=3, seed=6)
    kw = dict(lam=0.05, lr=0.5, epochs=300)
    w, b, losses = learner.logistic_regression_numpy.fit(X, y, **kw)
    rw, rb, rlosses = reference.logistic_regression_numpy.fit(X, y, **kw)
    losses = np.asarray(losses, dtype=np.float64)
    assert losses.shape == (300,), (
        f"losses has shape {losses.shape}, expected (300,): one value per epoch")
    assert_close(losses[0], np.float64(math.log(2.0)), name="losses[0]", rtol=1e-12,
                 hint="losses[t] is the objective BEFORE update t; at w = 0, b = 0 every "
                      "p = 0.5 and the loss is ln 2")
    assert_close(w, rw, name="weights w returned by fit", rtol=1e-9, atol=1e-12,
                 hint="start at zeros and do `epochs` full-batch steps w −= lr·dJ/dw, "
                      "b −= lr·dJ/db with J = mean BCE + (lam/2)·‖w‖². If the check of "
                      "loss and gradient fails too, fix it first: fit only repeats its steps")
    assert_close(b, np.float64(rb), name="bias b returned by fit", rtol=1e-9, atol=1e-12,
                 hint="the bias is updated with mean(sigmoid(z) − y) and is not penalised")
    assert_close(losses, np.asarray(rlosses), name="loss history", rtol=1e-9,
                 hint="record J(w, b) once per epoch, before that epoch's update")
    assert np.all(np.diff(losses) <= 1e-12), (
        "the loss history goes up at epoch "
        f"{int(np.argmax(np.diff(losses) > 1e-12)) + 1} with lr = 0.5: gradient descent on "
        "this convex loss must go down; check the sign of the update")


@pytest.mark.points(3)
def test_fit_matches_sklearn(learner):
    """fit reaches sklearn's coefficients on standardised breast_cancer (lam = 1/(C·n))"""
    X, y = _breast_cancer_std()
    n = X.shape[0]
    C = 0.1
    lam = 1.0 / (C * n)
    with learner.time_limit(60):
        w, b, _ = learner.logistic_regression_numpy.fit(X, y, lam=lam, lr=0.3, epochs=3000)
    model = _sk_tight(X, y, C)
    # Tolerance from convergence: the objective is locally μ-strongly convex with
    # μ = λ_min(Hessian at the optimum) ≈ 0.0167, so ‖θ − θ*‖ ≤ ‖∇J(θ)‖/μ. Measured:
    # GD (3000 epochs, lr 0.3) ‖∇J‖ ≈ 4.6e-10 → ≤ 3e-8; sklearn (lbfgs, tol 1e-10)
    # ‖∇J‖ ≈ 4.5e-8 → ≤ 2.7e-6. Both lie within 3e-6 of θ*, so 1e-5 is safe while the
    # bugs aimed at (intercept penalised: 0.2, lam = C/n or 1/C: > 1) are far outside.
    assert_close(w, model.coef_[0], name="weights w (30 features) vs sklearn coef_",
                 rtol=0.0, atol=1e-5,
                 hint="with lam = 1/(C·n) both minimise the same objective; check that the "
                      "penalty is (lam/2)·‖w‖² on the MEAN loss and that b is not penalised")
    assert_close(b, np.float64(model.intercept_[0]), name="bias b vs sklearn intercept_",
                 rtol=0.0, atol=1e-5,
                 hint="sklearn never penalises the intercept: no lam·b in dJ/db")


@pytest.mark.points(2)
def test_predict_matches_sklearn(learner):
    """predict_proba and predict agree with sklearn given the same weights"""
    X, y = _breast_cancer_std()
    model = _sk_tight(X, y, 1.0)
    w, b = model.coef_[0].copy(), float(model.intercept_[0])
    mod = learner.logistic_regression_numpy
    p = mod.predict_proba(X, w, b)
    assert_close(p, model.predict_proba(X)[:, 1],
                 name="predict_proba(X, sklearn coef_, sklearn intercept_) vs "
                      "sklearn predict_proba(X)[:, 1]",
                 rtol=1e-10, atol=1e-15,
                 hint="return p(y=1|x) = sigmoid(X·w + b), shape (n,) — sklearn's column 1")
    labels = mod.predict(X, w, b)
    labels_arr = np.asarray(labels)
    assert labels_arr.shape == (X.shape[0],), (
        f"predict returned shape {labels_arr.shape}, expected ({X.shape[0]},)")
    assert np.issubdtype(labels_arr.dtype, np.integer), (
        f"predict returned dtype {labels_arr.dtype}, expected an integer dtype (int64) of 0/1")
    assert_same(labels_arr, model.predict(X).astype(np.int64),
                name="predict(X, w, b) vs sklearn predict(X)",
                hint="class 1 where z = X·w + b > 0 (p > 0.5)")
    ties = np.asarray(mod.predict(X[:5], np.zeros(X.shape[1]), 0.0))
    assert_same(ties, np.zeros(5, dtype=np.int64), name="predict with w = 0, b = 0 (z == 0)",
                hint="the tie z == 0 (p exactly 0.5) gives class 0, as sklearn does: use z > 0")


@pytest.mark.points(2)
def test_log_odds(learner, reference):
    """w·x + b equals the log-odds log(p / (1 − p)) of the predicted probability"""
    X, y = _toy(n=60, d=3, seed=7)
    w = np.array([1.5, -2.0, 0.8])
    b = -0.4
    mod = learner.logistic_regression_numpy
    z = np.asarray(mod.decision_function(X, w, b), dtype=np.float64)
    assert_close(z, X @ w + b, name="decision_function(X, w, b)", rtol=1e-12, atol=1e-12,
                 hint="the logit is z = X·w + b, shape (n,)")
    p = np.asarray(mod.predict_proba(X, w, b), dtype=np.float64)
    # the data keep |z| < 10, so p stays well away from 0 and 1 and log(p/(1 − p)) is accurate
    assert_close(np.log(p / (1.0 - p)), X @ w + b,
                 name="log(p / (1 − p)) of your predict_proba vs X·w + b",
                 rtol=1e-9, atol=1e-9,
                 hint="predict_proba must be exactly sigmoid(X·w + b), the inverse of the "
                      "log-odds")
    assert_close(mod.log_odds(p), X @ w + b, name="log_odds(predict_proba(X, w, b))",
                 rtol=1e-9, atol=1e-9, hint="log_odds(p) = log(p) − log(1 − p)")
    q = np.array([1e-12, 0.25, 0.5, 0.9, 1 - 1e-9])
    assert_close(mod.log_odds(q), reference.logistic_regression_numpy.log_odds(q),
                 name="log_odds(p) at p = [1e-12, 0.25, 0.5, 0.9, 1 − 1e-9]",
                 rtol=1e-6, hint="log_odds(p) = log(p / (1 − p)) — natural log")


@pytest.mark.points(2)
def test_library_impl(learner):
    """fit_sklearn uses LogisticRegression with C = 1/(lam·n) and converges like sklearn"""
    mod = learner.logistic_regression_sklearn
    c = mod.c_from_lambda(0.01, 200)
    hint = ("sklearn minimises C·Σloss + ½‖w‖²; divide by C·n to get "
            "mean loss + (lam/2)·‖w‖²: C = 1/(lam·n)")
    wrong_maps = {100.0: "you returned 1/lam: the n is missing (sklearn's loss is a SUM over "
                         "the n samples, yours a mean), C = 1/(lam·n)",
                  2.0: "you returned lam·n: C is the INVERSE of the penalty, C = 1/(lam·n)",
                  0.25: "you returned 1/(2·lam·n): both objectives carry the same ½ on "
                        "‖w‖², so no extra 2: C = 1/(lam·n)",
                  1.0: "you returned 1.0, sklearn's default C, whatever lam: C = 1/(lam·n)",
                  5e-5: "you returned lam/n: C = 1/(lam·n)"}
    if _is_number(c):
        for value, why in wrong_maps.items():
            if np.isclose(float(c), value, rtol=1e-9):
                hint = why
    assert_close(c, np.float64(0.5), name="c_from_lambda(lam=0.01, n_samples=200)",
                 rtol=1e-12, hint=hint)
    c0 = mod.c_from_lambda(0.0, 200)
    assert c0 == np.inf, (
        f"c_from_lambda(0.0, 200) returned {c0!r}: no penalty is C = np.inf (sklearn's "
        "`penalty=None` is deprecated since 1.8; C = np.inf is the way to switch it off)")
    X, y = _breast_cancer_std()
    n = X.shape[0]
    lam = 1.0 / (0.1 * n)
    with learner.time_limit(60):
        model = mod.fit_sklearn(X, y, lam)
    kind = getattr(model, "type_name", type(model).__name__)
    assert kind == "LogisticRegression", (
        f"fit_sklearn returned a {kind}, expected the fitted LogisticRegression estimator "
        "itself (return model.fit(X, y))")
    assert_close(model.C, np.float64(0.1), name="C of the returned LogisticRegression "
                 f"for lam = {lam:.6g}, n = {n}", rtol=1e-9,
                 hint="C = 1/(lam·n), not 1/lam")
    assert model.fit_intercept is True, "fit_intercept must stay True (the model has a bias b)"
    ref = _sk_tight(X, y, 0.1)
    # same objective; both converged within 3e-6 of the optimum (see test_fit_matches_sklearn)
    assert_close(model.coef_, ref.coef_, name="coef_ of your fitted model", rtol=0.0,
                 atol=1e-5,
                 hint="converge tightly: with the default tol=1e-4 lbfgs stops about 2e-3 "
                      "away from the minimum; pass tol=1e-10 and max_iter=10_000")
    assert_close(model.intercept_, ref.intercept_, name="intercept_ of your fitted model",
                 rtol=0.0, atol=1e-5)
    Xs, ys = _toy(n=60, d=3, seed=8)
    model0 = mod.fit_sklearn(Xs, ys, 0.0)
    ref0 = _sk_tight(Xs, ys, np.inf)
    assert_close(model0.coef_, ref0.coef_, name="coef_ for lam = 0 (no penalty)", rtol=0.0,
                 atol=1e-5, hint="lam = 0 must give C = np.inf (an unpenalised fit)")


@pytest.mark.points(2)
def test_decision_boundary_plot(learner):
    """plot_decision_boundary returns a Figure with the data points and the line x·w + b = 0"""
    rng = np.random.default_rng(9)
    X = np.vstack([rng.normal([-1.5, -1.0], 0.8, size=(20, 2)),
                   rng.normal([1.5, 1.0], 0.8, size=(20, 2))])
    y = np.repeat([0, 1], 20)
    w = np.array([1.2, -0.8])
    b = 0.4
    fig = learner.logistic_regression_numpy.plot_decision_boundary(X, y, w, b)
    tname = getattr(fig, "type_name", type(fig).__name__)
    assert tname == "Figure", (
        f"plot_decision_boundary returned a {tname}, expected a matplotlib Figure "
        "(return fig, not ax or None)")
    info = learner.probe(_describe_figure, fig)
    assert info["n_axes"] >= 1, "the figure has no axes"
    span = float(np.max(X.max(axis=0) - X.min(axis=0)))
    pts = np.vstack(info["points"]) if info["points"] else np.empty((0, 2))
    if len(pts):
        dist = np.min(np.linalg.norm(X[:, None, :] - pts[None, :, :], axis=2), axis=1)
        missing = int(np.sum(dist > 1e-9 * span + 1e-12))
    else:
        missing = len(X)
    assert missing == 0, (
        f"{missing} of the {len(X)} data points are not drawn by any ax.scatter on the figure "
        "(x1 on the horizontal axis, x2 on the vertical one)")
    norm_w = float(np.linalg.norm(w))
    found = False
    for curve in info["curves"]:
        xy = np.asarray(curve["xy"], dtype=np.float64)
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) < 2:
            continue
        off_line = np.abs(xy @ w + b) / norm_w
        length = float(np.linalg.norm(xy.max(axis=0) - xy.min(axis=0)))
        if np.all(off_line <= 1e-3 * span) and length >= 0.25 * span:
            found = True
            break
    assert found, (
        f"none of the {len(info['curves'])} lines/contours on the figure lies on the decision "
        "boundary x·w + b = 0 across the data (p = 0.5). Draw it with ax.plot: for the x1 "
        "range, x2 = −(w[0]·x1 + b)/w[1]; or with ax.contour of z at level 0")


# ----------------------------------------------------------------------------- quiz

# The answer key (the same as solutions/03_logistic_regression/quiz.yaml), graded as in
# 01_introduction: one letter a–d per question; a wrong answer is named, never corrected.
QUIZ_KEY = {
    "q1_zero_logit": "b",
    "q2_logit_of_p": "d",
    "q3_odds_factor": "c",
    "q4_intercept_only": "a",
    "q5_linear_quantity": "c",
    "q6_boundary": "a",
    "q7_scaling": "b",
    "q8_symmetry": "d",
}


@pytest.mark.points(2)
def test_quiz(learner):
    """The log-odds quiz in quiz.yaml is answered correctly"""
    yaml = pytest.importorskip("yaml")
    text = learner.read_text("quiz.yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        _fail(f"quiz.yaml is not valid YAML any more: {str(exc).splitlines()[0]}. Only "
                    "replace `null` after `answer:` with a letter, e.g. `answer: b`")
    questions = data.get("questions") if isinstance(data, dict) else None
    assert isinstance(questions, list), (
        "quiz.yaml should keep its `questions:` list; only replace `null` after `answer:`")
    answers = {}
    for q in questions:
        if isinstance(q, dict) and "id" in q:
            answers[str(q["id"])] = q.get("answer")

    missing = [qid for qid in QUIZ_KEY if qid not in answers]
    assert not missing, f"quiz.yaml lost the question(s) {', '.join(missing)}: restore them"
    unanswered = [qid for qid in QUIZ_KEY if answers[qid] is None]
    invalid = [qid for qid in QUIZ_KEY if answers[qid] is not None
               and str(answers[qid]).strip().lower() not in ("a", "b", "c", "d")]
    wrong = [qid for qid in QUIZ_KEY if qid not in unanswered and qid not in invalid
             and str(answers[qid]).strip().lower() != QUIZ_KEY[qid]]
    problems = []
    if unanswered:
        problems.append(f"not answered yet: {', '.join(unanswered)}")
    if invalid:
        problems.append(f"not a single letter a–d: {', '.join(invalid)}")
    if wrong:
        problems.append(f"not right yet: {', '.join(wrong)}")
    assert not problems, (
        f"{len(unanswered) + len(invalid) + len(wrong)} of {len(QUIZ_KEY)} quiz answers need "
        f"another look. " + "; ".join(problems) + ". Each answer is one letter, e.g. "
        "`answer: b`. Remember: z = w·x + b = log(p / (1 − p)) and p = sigmoid(z)")
