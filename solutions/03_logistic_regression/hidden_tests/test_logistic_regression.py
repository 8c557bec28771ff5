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
from pathlib import Path

import numpy as np
import pytest
import yaml

from grader.testing import assert_close, assert_same, numeric_gradient, rel_error

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


# ------------------------------------------------------------------- probes (sandbox)
def _call_watching_warnings(stem, func_name, cases):
    """Runs stem.func_name(*args) for each case and records every numpy warning."""
    import importlib
    import warnings

    import numpy as np

    func = getattr(importlib.import_module(stem), func_name)
    results = []
    for args in cases:
        with warnings.catch_warnings(record=True) as caught, \
                np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            warnings.simplefilter("always")
            out = func(*args)
        results.append({"out": np.asarray(out, dtype=np.float64),
                        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]})
    return results


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
                 name="sigmoid(z) for a (5, 7) array of moderate z", rtol=1e-12, atol=1e-300,
                 hint="sigmoid must work elementwise on arrays of any shape: "
                      "1 / (1 + exp(−z)), with sigmoid(0) = 0.5")
    assert np.asarray(s).dtype == np.float64, (
        f"sigmoid returned dtype {np.asarray(s).dtype}, expected float64")


@pytest.mark.points(2)
def test_sigmoid_stable(learner, reference):
    """sigmoid is stable at |z| ≥ 1000: no overflow warning, no NaN/Inf, limits 0 and 1"""
    z = np.array([-1000.0, -745.0, -700.0, -100.0, -30.0, 0.0, 30.0, 100.0, 700.0, 1000.0])
    learner.has(f"{NP}.sigmoid")  # loads the module in the sandbox
    (res,) = learner.probe(_call_watching_warnings, NP, "sigmoid", [(z,)])
    assert not res["warnings"], (
        f"sigmoid(z) for z in [-1000, 1000] raised numpy warnings: {res['warnings'][:3]}. "
        "np.exp(-z) overflows for z ≤ -710: never take exp of a large positive number. "
        "Use exp(−|z|): for z ≥ 0, 1/(1+e^(−z)); for z < 0, e^z/(1+e^z)")
    out = res["out"]
    assert_close(out, reference.logistic_regression_numpy.sigmoid(z),
                 name="sigmoid(z) at z = [-1000, -745, -700, -100, -30, 0, 30, 100, 700, 1000]",
                 rtol=1e-12, atol=1e-300,
                 hint="the limits are sigmoid(-1000) = 0.0 and sigmoid(1000) = 1.0; "
                      "a NaN usually means inf/inf from exp overflowing")


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
    learner.has(f"{NP}.bce_with_logits")
    results = learner.probe(_call_watching_warnings, NP, "bce_with_logits", cases)
    labels = ["z=1000, y=1", "z=1000, y=0", "z=-1000, y=1", "z=-1000, y=0", "z=0, y=1",
              "the 5 cases above as one batch (the mean)"]
    for label, res, exp in zip(labels, results, expected):
        assert not res["warnings"], (
            f"bce_with_logits({label}) raised numpy warnings: {res['warnings'][:3]}. "
            "Compute the loss from the logit: log(1 + e^z) − y·z, with log(1 + e^z) = "
            "np.logaddexp(0, z); going through sigmoid then log(p) overflows or hits log(0)")
        assert_close(res["out"], np.float64(exp), name=f"bce_with_logits({label})",
                     rtol=1e-12, atol=1e-12,
                     hint="a confident wrong prediction must cost |z| (1000), not inf or a "
                          "clipped value like 34.5; compute from logits, and return the MEAN")


@pytest.mark.points(1)
def test_loss_and_gradient_values(learner, reference):
    """loss and gradient equal the reference objective: mean BCE + (lam/2)·‖w‖², b unpenalised"""
    X, y = _toy(n=50, d=4, seed=2)
    rng = np.random.default_rng(3)
    w = rng.normal(size=4)
    b, lam = 1.7, 0.3
    ref = reference.logistic_regression_numpy
    assert_close(learner.logistic_regression_numpy.bce_with_logits(X @ w + b, y),
                 ref.bce_with_logits(X @ w + b, y), name="bce_with_logits on 50 moderate logits",
                 rtol=1e-10, hint="mean over samples of log(1 + e^z) − y·z")
    L = learner.logistic_regression_numpy.loss(w, b, X, y, lam)
    assert_close(L, ref.loss(w, b, X, y, lam), name="loss(w, b, X, y, lam=0.3) with b = 1.7",
                 rtol=1e-10,
                 hint="J = mean BCE + (lam/2)·‖w‖²: the penalty covers w only, never b, and the "
                      "BCE is a mean, not a sum")
    gw, gb = learner.logistic_regression_numpy.gradient(w, b, X, y, lam)
    rgw, rgb = ref.gradient(w, b, X, y, lam)
    assert_close(gw, rgw, name="dJ/dw from gradient()", rtol=1e-10, atol=1e-14,
                 hint="dJ/dw = Xᵀ(sigmoid(Xw + b) − y)/n + lam·w")
    assert_close(gb, rgb, name="dJ/db from gradient()", rtol=1e-10, atol=1e-14,
                 hint="dJ/db = mean(sigmoid(Xw + b) − y): no lam·b term, the bias is not "
                      "penalised")


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
    ratio = analytic[worst] / num[worst] if num[worst] != 0 else float("nan")
    assert err <= 1e-7, (
        f"analytic gradient vs finite differences of loss(): relative error {err:.2e} "
        f"(must be ≤ 1e-7); worst at {where}: analytic {analytic[worst]:.6g}, numeric "
        f"{num[worst]:.6g} (ratio {ratio:.4g}). A ratio near n = 40 means a missing 1/n, "
        "near −1 a sign error (the residual is sigmoid(z) − y), otherwise check lam·w")


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
                      "b −= lr·dJ/db with J = mean BCE + (lam/2)·‖w‖²")
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
    assert np.all(np.abs(z) < 15)  # test data keeps p away from 0 and 1
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
    assert_close(mod.c_from_lambda(0.01, 200), np.float64(0.5),
                 name="c_from_lambda(lam=0.01, n_samples=200)", rtol=1e-12,
                 hint="sklearn minimises C·Σloss + ½‖w‖²; divide by C·n to get "
                      "mean loss + (lam/2)·‖w‖²: C = 1/(lam·n)")
    c0 = mod.c_from_lambda(0.0, 200)
    assert c0 == np.inf, (
        f"c_from_lambda(0.0, 200) returned {c0!r}: no penalty is C = np.inf")
    X, y = _breast_cancer_std()
    n = X.shape[0]
    lam = 1.0 / (0.1 * n)
    with learner.time_limit(60):
        model = mod.fit_sklearn(X, y, lam)
    assert model.type_name == "LogisticRegression", (
        f"fit_sklearn returned a {model.type_name}, expected a fitted LogisticRegression")
    assert_close(model.C, np.float64(0.1), name="C of the returned LogisticRegression "
                 f"for lam = {lam:.6g}, n = {n}", rtol=1e-9,
                 hint="C = 1/(lam·n), not 1/lam")
    assert model.fit_intercept is True, "fit_intercept must stay True (the model has a bias b)"
    ref = _sk_tight(X, y, 0.1)
    # same objective; both converged within 3e-6 of the optimum (see test_fit_matches_sklearn)
    assert_close(model.coef_, ref.coef_, name="coef_ of your fitted model", rtol=0.0,
                 atol=1e-5,
                 hint="converge tightly: the default tol=1e-4 stops ~2e-3 away; use "
                      "tol ≤ 1e-8 and a large max_iter (e.g. 10_000)")
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


def _answer_ok(given, expected):
    if isinstance(expected, str):
        return isinstance(given, str) and given.strip().lower().rstrip(")") == expected
    if isinstance(given, bool) or given is None:
        return False
    try:
        value = float(given)
    except (TypeError, ValueError):
        return False
    return abs(value - expected) <= max(5e-3 * abs(expected), 1e-3)


@pytest.mark.points(2)
def test_quiz(learner):
    """The log-odds quiz (quiz.yaml) is answered correctly"""
    expected = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "quiz.yaml").read_text(encoding="utf-8"))
    try:
        given = yaml.safe_load(learner.read_text("quiz.yaml"))
    except yaml.YAMLError as exc:
        pytest.fail(f"quiz.yaml is not valid YAML any more: {exc}".splitlines()[0])
    questions = given.get("questions") if isinstance(given, dict) else None
    assert isinstance(questions, dict), (
        "quiz.yaml must keep its `questions:` mapping; only replace the `null` answers")
    unanswered, wrong = [], []
    for qid, item in expected["questions"].items():
        entry = questions.get(qid)
        answer = entry.get("answer") if isinstance(entry, dict) else None
        if answer is None:
            unanswered.append(qid)
        elif not _answer_ok(answer, item["answer"]):
            wrong.append(qid)
    problems = []
    if unanswered:
        problems.append(f"not answered yet: {', '.join(unanswered)}")
    if wrong:
        problems.append(f"not correct: {', '.join(wrong)}")
    assert not problems, (
        "; ".join(problems) + ". Numbers need at least 3 significant digits (0.5 % is "
        "accepted), choices a single letter. Remember: z = w·x + b = log(p/(1 − p))")
