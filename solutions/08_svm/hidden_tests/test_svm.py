"""Hidden checks for 08_svm.

Three-way comparison on fixed-seed data:
1. learner from-scratch vs the reference (hinge, objective, subgradient, the descent path);
2. learner from-scratch vs scikit-learn (the trained hyperplane vs SVC(kernel="linear"), SVC's
   own w, b, support vectors and dual coefficients copied into the learner's functions, the
   kernel matrix vs sklearn.metrics.pairwise.rbf_kernel, gamma vs SVC's gamma="scale");
3. learner library code vs SVC used correctly;
plus the lesson: subgradient vs finite differences away from the hinge's kink, the rule at the
kink, the margin and support vectors, RBF beats linear on moons.

Conventions pinned here (all stated in exercises/08_svm/README.md):
- labels y ∈ {−1, +1}; f(x) = x·w + b; w (d,), b a float.
- J(w, b) = ½‖w‖² + C·Σᵢ max(0, 1 − yᵢ f(xᵢ)): a SUM, bias not regularised (SVC's primal).
- subgradient: rows with yᵢ f(xᵢ) < 1 (strict) contribute; dw = w − C·Σ yᵢxᵢ, db = −C·Σ yᵢ.
- fit_linear_svm: w = 0, b = 0; objectives[t] before update t; constant lr; full batch.
- predict: +1 where f > 0, −1 where f ≤ 0 (as SVC.predict). margin width 2/‖w‖.
- support vectors: yᵢ f(xᵢ) ≤ 1 + tol, sorted indices.
- rbf_kernel K = exp(−γ‖a − b‖²); gamma="scale" = 1 / (n_features · X.var()).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.testing import assert_close, assert_same

# ----------------------------------------------------------------------------- data


def _separable(seed: int, n: int = 80, d: int = 2, gap: float = 1.0):
    """Linearly separable ±1 data: a band of width `gap` around a plane is left empty."""
    rng = np.random.default_rng(seed)
    w_true = np.array([1.0, -0.8, 0.5, 0.3][:d])
    X = 1.3 * rng.normal(size=(6 * n, d))
    dist = (X @ w_true + 0.3) / np.linalg.norm(w_true)
    X = X[np.abs(dist) > gap / 2][:n]
    y = np.where(X @ w_true + 0.3 > 0, 1, -1).astype(np.int64)
    return X, y


def _overlapping(seed: int, n: int = 80):
    """Two overlapping Gaussian clouds labelled ±1: a soft margin is needed."""
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n) < 0.5, 1, -1).astype(np.int64)
    X = rng.normal(size=(n, 2)) + y[:, None] * np.array([1.0, 0.6])
    return X, y


def _moons(seed: int = 0, n_train: int = 300, n_test: int = 200):
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n_train + n_test, noise=0.2, random_state=seed)
    return X[:n_train], y[:n_train].astype(np.int64), X[n_train:], y[n_train:].astype(np.int64)


def _random_problem(seed: int, n: int = 40, d: int = 3):
    """X, ±1 labels and a (w, b) whose margins y·f are spread around 1, none near the kink."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.where(rng.random(n) < 0.5, 1, -1).astype(np.int64)
    w = rng.normal(size=d)
    b = -0.4
    margins = y * (X @ w + b)
    assert np.min(np.abs(1 - margins)) > 1e-3, "test data error: a margin is at the kink"
    return X, y, w, b


def _svc_linear(X, y, C):
    """The exact soft-margin solution (tight tolerance, so margins sit at 1 to ~1e-8)."""
    from sklearn.svm import SVC

    return SVC(kernel="linear", C=C, tol=1e-8).fit(X, y)


def _objective(X, y, w, b, C):
    return float(0.5 * w @ w + C * np.sum(np.maximum(0.0, 1.0 - y * (X @ w + b))))


# ----------------------------------------------------------------------------- helpers


def _fail(message: str):
    """Fail the check with this message as the learner's feedback (pytest.fail would be
    reported as 'the check could not use your result', cut to 300 characters)."""
    raise AssertionError(message)


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    name = getattr(value, "type_name", None) if not isinstance(value, (list, tuple, dict)) else None
    return f"a {name or type(value).__name__}"


def _scalar(value, name: str) -> float:
    ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
          ) or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fi")
    if not ok:
        if isinstance(value, np.ndarray) and value.size == 1:
            _fail(f"{name} should be a single float, got an array of shape {value.shape}: "
                        "return a plain number (float(...))")
        _fail(f"{name} should be a single float, got {_describe(value)}")
    out = float(value)
    assert np.isfinite(out), f"{name} is {out}: an overflow or a division by zero"
    return out


def _array(value, name: str, shape: tuple) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        _fail(f"{name} should be a numpy array of shape {shape}, got {_describe(value)}")
    if value.shape != shape:
        extra = ""
        if value.size == int(np.prod(shape)):
            extra = " (same number of values: keep it 1-D / do not transpose)"
        _fail(f"{name} should have shape {shape}, got {value.shape}{extra}")
    if value.dtype.kind not in "fiu":
        _fail(f"{name} should hold numbers, got dtype {value.dtype}")
    if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
        _fail(f"{name} contains NaN or Inf")
    return value


def _pair(result, name: str):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        _fail(f"{name} should return a pair (dw, db), got {_describe(result)}")
    return result


# ----------------------------------------------------------------------------- hinge and objective


def test_hinge_loss(learner):
    """hinge_loss is max(0, 1 − y·f(x)) per row; its mean equals sklearn's hinge_loss"""
    from sklearn.metrics import hinge_loss

    X, y, w, b = _random_problem(seed=1)
    got = learner.svm_numpy.hinge_loss(X, y, w, b)
    margins = y * (X @ w + b)
    expected = np.maximum(0.0, 1.0 - margins)
    if not isinstance(got, np.ndarray) or got.ndim == 0:
        _fail(f"hinge_loss(X, y, w, b) with X (40, 3) should return one loss per row, an "
                    f"array of shape (40,), got {_describe(got)}: do not sum or average here")
    got = _array(got, "hinge_loss(X, y, w, b)", (40,))
    hint = "hinge_i = max(0, 1 − y_i·(x_i·w + b)), with y in {−1, +1}"
    if np.allclose(got, 1.0 - margins, rtol=1e-9):
        hint = ("some losses are negative: the max(0, ·) is missing (a row beyond the margin, "
                "y·f > 1, costs nothing)")
    elif np.allclose(got, np.maximum(0.0, -margins), rtol=1e-9):
        hint = ("this is the perceptron loss max(0, −y·f): the 1 is missing, the hinge also "
                "charges correct rows that are inside the margin")
    elif np.allclose(got, expected ** 2, rtol=1e-9):
        hint = ("this is the SQUARED hinge (LinearSVC's loss); SVC and this exercise use the "
                "plain hinge max(0, 1 − y·f)")
    assert_close(got, expected, name="hinge_loss(X, y, w, b) (40 rows)", rtol=1e-12,
                 atol=1e-12, hint=hint)
    assert_close(float(np.mean(got)), float(hinge_loss(y, X @ w + b)),
                 name="mean of your hinge_loss vs sklearn.metrics.hinge_loss(y, X·w + b)",
                 rtol=1e-12, atol=1e-12)


@pytest.mark.points(2)
def test_objective(learner):
    """svm_objective is ½‖w‖² + C·Σ hinge (a sum; the bias is not regularised)"""
    X, y, w, b = _random_problem(seed=2)
    n = len(y)
    for C in (1.0, 0.3):
        got = _scalar(learner.svm_numpy.svm_objective(X, y, w, b, C),
                      f"svm_objective(X, y, w, b, C={C})")
        reg, hinge = 0.5 * float(w @ w), float(np.sum(np.maximum(0.0, 1.0 - y * (X @ w + b))))
        expected = reg + C * hinge
        hint = "J(w, b) = ½·w·w + C·Σ_i max(0, 1 − y_i·(x_i·w + b))"
        if np.isclose(got, reg + C * hinge / n, rtol=1e-9):
            hint = (f"you averaged the hinge (C·mean): this exercise, like SVC, uses the SUM "
                    f"over the {n} rows, C·Σ hinge")
        elif np.isclose(got, expected + 0.5 * b * b, rtol=1e-9):
            hint = "the bias is regularised (+½b²): only w is, SVC leaves the intercept free"
        elif np.isclose(got, 2 * reg + C * hinge, rtol=1e-9):
            hint = "the ½ in front of ‖w‖² is missing"
        elif np.isclose(got, reg + hinge / C, rtol=1e-9) or np.isclose(got, C * reg + hinge,
                                                                          rtol=1e-9):
            hint = "C multiplies the hinge term, not the regulariser: ½‖w‖² + C·Σ hinge"
        assert_close(got, expected, name=f"svm_objective with C = {C} (40 rows, b = {b})",
                     rtol=1e-10, hint=hint)


# ----------------------------------------------------------------------------- subgradient


def _numeric_grad(X, y, w, b, C, h=1e-6):
    dw = np.empty_like(w)
    for j in range(w.size):
        e = np.zeros_like(w)
        e[j] = h
        dw[j] = (_objective(X, y, w + e, b, C) - _objective(X, y, w - e, b, C)) / (2 * h)
    db = (_objective(X, y, w, b + h, C) - _objective(X, y, w, b - h, C)) / (2 * h)
    return dw, db


def _dw_hint(dw, X, y, w, b, C):
    active = y * (X @ w + b) < 1
    hinge_part = -C * (y[active] @ X[active])
    n = len(y)
    if np.allclose(dw, hinge_part, rtol=1e-6, atol=1e-9):
        return ("dw is missing the gradient of the regulariser ½‖w‖², which is w: "
                "dw = w − C·Σ_active y_i·x_i")
    if np.allclose(dw, w + hinge_part / n, rtol=1e-6, atol=1e-9):
        return f"the hinge part is {n} = n times too small: the loss is a SUM over rows, not a mean"
    if np.allclose(dw, w - hinge_part, rtol=1e-6, atol=1e-9):
        return "the hinge part has the wrong sign: d/dw max(0, 1 − y·(x·w + b)) = −y·x on active rows"
    return "dw = w − C·Σ y_i·x_i over the rows with y_i·f(x_i) < 1"


def _db_hint(db, X, y, w, b, C):
    active = y * (X @ w + b) < 1
    hinge_part = -C * float(np.sum(y[active]))
    if np.isclose(db, b + hinge_part, rtol=1e-6, atol=1e-9):
        return "db includes b: the bias is not regularised, db = −C·Σ_active y_i only"
    if np.isclose(db, hinge_part / len(y), rtol=1e-6, atol=1e-9):
        return "db is n times too small: the loss is a SUM over rows, not a mean"
    if np.isclose(db, -hinge_part, rtol=1e-6, atol=1e-9):
        return "db has the wrong sign: d/db max(0, 1 − y·(x·w + b)) = −y on active rows"
    return "db = −C·Σ y_i over the rows with y_i·f(x_i) < 1"


@pytest.mark.points(2)
def test_subgradient_matches_numeric(learner, reference):
    """svm_subgradient equals a numeric gradient of J away from the hinge's kink"""
    for seed, C in [(3, 1.0), (4, 0.25)]:
        X, y, w, b = _random_problem(seed=seed, n=50, d=4)
        dw, db = _pair(learner.svm_numpy.svm_subgradient(X, y, w, b, C),
                       "svm_subgradient(X, y, w, b, C)")
        dw = _array(dw, "dw returned by svm_subgradient", (4,))
        db = _scalar(db, "db returned by svm_subgradient")
        num_dw, num_db = _numeric_grad(X, y, w, b, C)
        assert_close(dw, num_dw, name=f"dJ/dw vs centred differences (50 rows, C = {C})",
                     rtol=1e-6, atol=1e-6, hint=_dw_hint(dw, X, y, w, b, C))
        assert_close(db, num_db, name=f"dJ/db vs centred differences (50 rows, C = {C})",
                     rtol=1e-6, atol=1e-6, hint=_db_hint(db, X, y, w, b, C))
        ref_dw, ref_db = reference.svm_numpy.svm_subgradient(X, y, w, b, C)
        assert_close(dw, ref_dw, name=f"dw vs the reference (C = {C})", rtol=1e-10, atol=1e-12)
        assert_close(db, ref_db, name=f"db vs the reference (C = {C})", rtol=1e-10, atol=1e-12)


def test_subgradient_at_the_kink(learner, reference):
    """A row exactly on the margin (y·f = 1) has hinge 0 and adds nothing to the subgradient"""
    # Exact binary fractions: f = 0.5·x1 − 0.25·x2 + 0.25 is computed without rounding.
    X = np.array([[2, 1], [-2, 1], [0, -3], [0, 0], [4, 0], [-4, 2], [1, 3], [6, 2]],
                 dtype=np.float64)
    y = np.array([1, -1, 1, 1, 1, -1, -1, -1], dtype=np.int64)
    w, b, C = np.array([0.5, -0.25]), 0.25, 2.0
    margins = y * (X @ w + b)   # [1, 1, 1, 0.25, 2.25, 2.25, 0, -2.75]: rows 0–2 on the margin
    assert np.array_equal(margins, [1, 1, 1, 0.25, 2.25, 2.25, 0, -2.75])
    hinge = np.asarray(learner.svm_numpy.hinge_loss(X, y, w, b), dtype=np.float64)
    assert_close(hinge, np.maximum(0.0, 1.0 - margins), rtol=0, atol=1e-15,
                 name="hinge_loss with rows exactly on the margin (y·f = 1)",
                 hint="max(0, 1 − y·f): 0 on the margin (y·f = 1), 1 on the boundary (y·f = 0)")
    dw, db = _pair(learner.svm_numpy.svm_subgradient(X, y, w, b, C),
                   "svm_subgradient(X, y, w, b, C)")
    ref_dw, ref_db = reference.svm_numpy.svm_subgradient(X, y, w, b, C)
    le = margins <= 1
    hint = ("the rows with y·f < 1 (strictly) are the active ones: rows 3, 6, 7 here; "
            "rows 0–2 sit exactly on the margin, their hinge is 0 and they contribute 0")
    dw_a = np.asarray(dw, dtype=float)
    db_a = float(np.asarray(db)) if np.asarray(db).size == 1 else np.nan
    if np.allclose(dw_a, ref_dw) and np.isclose(db_a, ref_db + b):
        hint = "db includes b: the bias is not regularised, db = −C·Σ_active y_i only"
    elif dw_a.shape == w.shape and np.allclose(dw_a, ref_dw - w):
        hint = ("dw is missing the gradient of the regulariser ½‖w‖², which is w: "
                "dw = w − C·Σ_active y_i·x_i")
    elif (dw_a.shape == w.shape and np.allclose(dw_a, w - C * (y[le] @ X[le]))
            and np.isclose(db_a, -C * float(np.sum(y[le])))):
        hint = ("you counted the rows exactly on the margin (y·f = 1) as active: use y·f < 1, "
                "not y·f <= 1 (at the kink this exercise and the reference take the zero "
                "subgradient of the hinge)")
    assert_close(dw, ref_dw, name="dw with 3 of 8 rows exactly on the margin", rtol=1e-12,
                 atol=1e-12, hint=hint)
    assert_close(db, ref_db, name="db with 3 of 8 rows exactly on the margin", rtol=1e-12,
                 atol=1e-12, hint=hint)


# ----------------------------------------------------------------------------- training


def _fit(learner, X, y, C, lr, epochs):
    result = learner.svm_numpy.fit_linear_svm(X, y, C=C, lr=lr, epochs=epochs)
    if not (isinstance(result, (tuple, list)) and len(result) == 3):
        _fail(f"fit_linear_svm should return (w, b, objectives), got {_describe(result)}")
    w, b, objectives = result
    w = _array(w, "w returned by fit_linear_svm", (X.shape[1],)).astype(np.float64)
    b = _scalar(b, "b returned by fit_linear_svm")
    objectives = _array(objectives, "objectives returned by fit_linear_svm", (epochs,))
    return w, b, objectives.astype(np.float64)


@pytest.mark.points(2)
def test_fit_matches_reference(learner, reference):
    """fit_linear_svm takes exactly the reference subgradient steps"""
    X, y = _separable(seed=5, n=60)
    C, lr, epochs = 1.0, 0.002, 60
    w, b, objectives = _fit(learner, X, y, C, lr, epochs)
    w_ref, b_ref, obj_ref = reference.svm_numpy.fit_linear_svm(X, y, C=C, lr=lr, epochs=epochs)
    hint = ("start from w = 0, b = 0; each epoch record J(w, b), take the subgradient at the "
            "current (w, b), then w ← w − lr·dw and b ← b − lr·db (if the svm_objective or "
            "svm_subgradient checks fail, fix those first)")
    if not np.isclose(objectives[0], obj_ref[0]):
        if np.allclose(objectives[:-1], obj_ref[1:], rtol=1e-8):
            hint = ("your objectives are shifted by one epoch: record objectives[t] BEFORE the "
                    "update, so objectives[0] = J(0, 0)")
        else:
            hint = (f"objectives[0] should be J(0, 0) = C·n = {obj_ref[0]:g} (every hinge is 1 "
                    "at w = 0, b = 0): start from zeros, record before updating, sum the hinge")
    elif b == 0.0:
        hint = "b is still 0 after training: update the bias too, b ← b − lr·db"
    assert_close(objectives, obj_ref, name=f"objectives (C = {C}, lr = {lr}, {epochs} epochs)",
                 rtol=1e-8, atol=1e-10, hint=hint)
    assert_close(w, w_ref, name=f"w after {epochs} epochs", rtol=1e-8, atol=1e-10, hint=hint)
    assert_close(b, b_ref, name=f"b after {epochs} epochs", rtol=1e-8, atol=1e-10, hint=hint)


@pytest.mark.points(2)
def test_training_reaches_svc_optimum(learner):
    """Subgradient descent reaches the objective and margin of SVC(kernel="linear")"""
    X, y = _separable(seed=6, n=80)
    C = 1.0
    w, b, objectives = _fit(learner, X, y, C, lr=0.001, epochs=2000)
    svc = _svc_linear(X, y, C)
    w_svc, b_svc = svc.coef_[0], float(svc.intercept_[0])
    best = _objective(X, y, w_svc, b_svc, C)
    yours = _objective(X, y, w, b, C)
    width, width_svc = 2 / np.linalg.norm(w), 2 / np.linalg.norm(w_svc)
    hint = ("after 2000 epochs at lr = 0.001 subgradient descent is within 0.1 % of the "
            "optimum; if the reference-path check passes, this one does too")
    if b == 0.0:
        hint = "b stayed 0: the bias is never updated (b ← b − lr·db)"
    elif width > 1.2 * width_svc:
        hint = (f"your margin ({width:.3f}) is much wider than SVC's ({width_svc:.3f}): the "
                "hinge term is weighted too little (a mean instead of a sum? C dividing?)")
    assert yours <= 1.01 * best, (
        f"J(w, b) of your trained SVM is {yours:.6g}; SVC's optimum of the same objective "
        f"½‖w‖² + C·Σ hinge is {best:.6g} (more than 1 % lower). Your margin width "
        f"{width:.4f}, SVC's {width_svc:.4f}. hint: {hint}")
    assert abs(width - width_svc) <= 0.03 * width_svc, (
        f"margin width 2/‖w‖: yours {width:.4f}, SVC's {width_svc:.4f} (more than 3 % apart). "
        f"hint: {hint}")
    assert np.isclose(objectives[0], C * len(y), rtol=1e-12), (
        f"objectives[0] = {objectives[0]:.6g}, expected J(0, 0) = C·n = {C * len(y):g} "
        "(every hinge is 1 at w = 0, b = 0, and the hinge term is a sum): record the "
        "objective before the first update")


@pytest.mark.points(2)
def test_hyperplane_agrees_with_svc(learner):
    """On separable data your hyperplane agrees in sign with SVC(kernel="linear")"""
    X, y = _separable(seed=7, n=120, d=3)
    X_tr, y_tr, X_te = X[:80], y[:80], X[80:]
    C = 1.0
    w, b, _ = _fit(learner, X_tr, y_tr, C, lr=0.001, epochs=2000)
    svc = _svc_linear(X_tr, y_tr, C)
    w_svc = svc.coef_[0]
    cos = float(w @ w_svc / (np.linalg.norm(w) * np.linalg.norm(w_svc) + 1e-300))
    assert cos >= 0.999, (
        f"direction of w: cosine with SVC's coef_ is {cos:.5f} (needs ≥ 0.999); yours "
        f"{np.round(w, 4).tolist()}, SVC's {np.round(w_svc, 4).tolist()}; your b = {b:.4g}, "
        f"SVC's intercept_ = {svc.intercept_[0]:.4g}"
        + (": w points the wrong way (sign of the update?)" if cos < 0 else "")
        + (": b stayed 0, is the bias trained (b ← b − lr·db)?" if b == 0.0 else ""))
    for label, Z in (("80 training rows", X_tr), ("40 held-out rows", X_te)):
        mine = np.sign(Z @ w + b)
        theirs = np.sign(svc.decision_function(Z))
        assert_same(mine, theirs, name=f"sign of x·w + b vs SVC.decision_function on {label}",
                    hint=f"your b = {b:.4f}, SVC's intercept_ = {svc.intercept_[0]:.4f}: is the "
                         "bias trained (and not regularised)?")


# ----------------------------------------------------------------------------- predict, margin, SVs


def test_predict_matches_svc(learner):
    """predict with SVC's w and b gives SVC's labels (−1/+1; f = 0 → −1)"""
    X, y = _overlapping(seed=8, n=120)
    svc = _svc_linear(X[:80], y[:80], 1.0)
    w, b = svc.coef_[0].copy(), float(svc.intercept_[0])
    pred = learner.svm_numpy.predict(X[80:], w, b)
    pred = _array(pred, "predict(X, w, b)", (40,))
    hint = "+1 where x·w + b > 0, else −1"
    if set(np.unique(pred).tolist()) <= {0, 1}:
        hint = "labels are −1 and +1 here, not 0 and 1"
    assert_same(pred, svc.predict(X[80:]), name="predict(X, w, b) with SVC's coef_[0], "
                "intercept_[0] vs SVC.predict (40 held-out rows)", hint=hint)
    Z = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    w0, b0 = np.array([0.5, -0.5]), -0.5          # f = [0, −1, −0.5]: a point ON the boundary
    assert_same(np.asarray(learner.svm_numpy.predict(Z, w0, b0)), np.array([-1, -1, -1]),
                name="predict at f(x) = 0 exactly (and f < 0)",
                hint="a point exactly on the hyperplane (f = 0) is labelled −1, as SVC.predict "
                     "does: +1 only where f > 0")


def test_margin_width(learner):
    """margin_width is 2/‖w‖, the distance between the planes f = +1 and f = −1"""
    X, y = _separable(seed=9, n=80)
    svc = _svc_linear(X, y, 10.0)
    w = svc.coef_[0].copy()
    got = _scalar(learner.svm_numpy.margin_width(w), "margin_width(w)")
    expected = 2.0 / np.linalg.norm(w)
    hint = "the planes x·w + b = ±1 are 2/‖w‖ apart"
    if np.isclose(got, expected / 2, rtol=1e-9):
        hint = ("this is half the width (the distance from the boundary to one margin plane, "
                "1/‖w‖): the width between the planes f = +1 and f = −1 is 2/‖w‖")
    elif np.isclose(got, 2.0 / float(w @ w), rtol=1e-9):
        hint = "divide by the norm ‖w‖ (np.linalg.norm), not by the squared norm w·w"
    assert_close(got, expected, name="margin_width(SVC's coef_[0]) (C = 10, separable)",
                 rtol=1e-12, hint=hint)


def _sv_hint(got, expected, X, y, w, b):
    missing = sorted(set(expected.tolist()) - set(got.tolist()))
    extra = sorted(set(got.tolist()) - set(expected.tolist()))
    m = y * (X @ w + b)
    hint = (f"missing {missing[:8]}{'…' if len(missing) > 8 else ''}, extra "
            f"{extra[:8]}{'…' if len(extra) > 8 else ''}; support vectors are the rows with "
            "y_i·f(x_i) ≤ 1 + tol (on the margin, inside it, or misclassified)")
    if missing and all(abs(m[i] - 1) < 1e-3 for i in missing):
        hint = ("the rows exactly on the margin (y·f = 1 up to the solver's precision) are "
                f"missing ({missing[:8]}): they are support vectors too, use y·f <= 1 + tol")
    elif missing and all(m[i] < -1 for i in missing):
        hint = (f"rows {missing[:8]} are misclassified far on the wrong side (y·f < −1) and "
                "missing: use y·f, not |f| (they are support vectors, with α = C)")
    elif set(got.tolist()) == set(expected.tolist()):
        hint = "right rows, wrong order: return them sorted by index (np.flatnonzero does)"
    return hint


@pytest.mark.points(2)
def test_support_vectors_match_svc(learner):
    """support_vector_indices with SVC's w, b finds exactly SVC's support vectors"""
    cases = [("separable data, C = 1", *_separable(seed=0), 1.0),
             ("overlapping data, C = 0.5", *_overlapping(seed=2), 0.5)]
    for label, X, y, C in cases:
        svc = _svc_linear(X, y, C)
        w, b = svc.coef_[0].copy(), float(svc.intercept_[0])
        got = learner.svm_numpy.support_vector_indices(X, y, w, b, tol=1e-3)
        if not isinstance(got, np.ndarray) or got.ndim != 1:
            _fail(f"support_vector_indices should return a 1-D array of row indices, got "
                        f"{_describe(got)}")
        if got.dtype == np.bool_:
            _fail("support_vector_indices returned a boolean mask: return the row "
                        "indices, np.flatnonzero(mask)")
        expected = np.sort(svc.support_).astype(np.int64)
        assert_same(np.asarray(got), expected,
                    name=f"support vectors on {label} ({len(expected)} of {len(y)} rows)"
                    if got.shape == expected.shape else
                    f"support vectors on {label}: {got.shape[0]} rows, SVC has "
                    f"{len(expected)}", hint=_sv_hint(got, expected, X, y, w, b))


# ----------------------------------------------------------------------------- kernels


@pytest.mark.points(2)
def test_rbf_kernel_matches_sklearn(learner):
    """rbf_kernel equals sklearn.metrics.pairwise.rbf_kernel"""
    from sklearn.metrics.pairwise import euclidean_distances
    from sklearn.metrics.pairwise import rbf_kernel as sk_rbf

    rng = np.random.default_rng(10)
    A = 1.5 * rng.normal(size=(30, 4)) + 0.5
    B = rng.normal(size=(20, 4))
    cases = [(A, B, 0.05), (A, B, 0.5), (A, A, 2.0), (A[:7, :1], B[:9, :1], 1.0)]
    for P, Q, gamma in cases:
        shape = (len(P), len(Q))
        K = learner.svm_numpy.rbf_kernel(P, Q, gamma)
        if isinstance(K, np.ndarray) and K.shape == shape[::-1] and shape[0] != shape[1]:
            _fail(f"rbf_kernel(A {P.shape}, B {Q.shape}) returned shape {K.shape}, "
                        f"expected {shape}: rows follow A, columns follow B")
        K = _array(K, f"rbf_kernel(A {P.shape}, B {Q.shape}, gamma={gamma})", shape)
        expected = sk_rbf(P, Q, gamma=gamma)
        d = euclidean_distances(P, Q)
        hint = "K[i, j] = exp(−gamma·‖A[i] − B[j]‖²), the SQUARED Euclidean distance"
        if np.allclose(K, np.exp(-gamma * d), rtol=1e-9):
            hint = "the distance must be squared: exp(−gamma·‖a − b‖²), not exp(−gamma·‖a − b‖)"
        elif np.allclose(K, np.exp(-d ** 2 / (2 * gamma)), rtol=1e-9):
            hint = ("gamma is not a width σ: sklearn's RBF is exp(−gamma·‖a − b‖²), no "
                    "division, no factor 2")
        elif np.allclose(K, np.exp(-gamma * d ** 2 / 2), rtol=1e-9):
            hint = "no ½ in the exponent: exp(−gamma·‖a − b‖²)"
        assert_close(K, expected, rtol=1e-9, atol=1e-12, hint=hint,
                     name=f"rbf_kernel(A {P.shape}, B {Q.shape}, gamma={gamma}) vs sklearn")


def test_gamma_scale_matches_svc(learner):
    """gamma_scale equals SVC's gamma="scale", 1 / (n_features · X.var())"""
    from sklearn.svm import SVC

    rng = np.random.default_rng(11)
    X = rng.normal(size=(60, 3)) * np.array([0.5, 2.0, 1.0]) + np.array([3.0, -1.0, 0.0])
    y = (X[:, 0] > 3).astype(np.int64)
    got = _scalar(learner.svm_numpy.gamma_scale(X), "gamma_scale(X)")
    expected = float(SVC(kernel="rbf", gamma="scale").fit(X, y)._gamma)
    d = X.shape[1]
    hint = "gamma = 1 / (n_features · X.var()), X.var() the variance of ALL the entries of X"
    if np.isclose(got, 1 / (d * X.var(axis=0).mean()), rtol=1e-9):
        hint = ("you averaged the per-feature variances, X.var(axis=0).mean(): SVC uses X.var(), "
                "the variance of all entries together (it includes the spread between the "
                "feature means)")
    elif np.isclose(got, 1 / (d * X.std()), rtol=1e-9):
        hint = "X.std() is the standard deviation: use the variance X.var()"
    elif np.isclose(got, 1 / X.var(), rtol=1e-9):
        hint = "the factor n_features is missing: 1 / (X.shape[1] · X.var())"
    elif np.isclose(got, 1 / d, rtol=1e-9):
        hint = "1/n_features is gamma='auto' (and rbf_kernel's default), not 'scale'"
    assert_close(got, expected, name="gamma_scale(X) vs SVC(gamma='scale') (60 × 3, features "
                 "with different means and scales)", rtol=1e-12, hint=hint)


@pytest.mark.points(2)
def test_rbf_decision_function_matches_svc(learner):
    """With SVC's support vectors and dual coefficients your RBF decision function equals SVC's"""
    from sklearn.svm import SVC

    X_tr, y_tr, X_te, _ = _moons(seed=1, n_train=200, n_test=100)
    y_pm = np.where(y_tr == 1, 1, -1)
    gamma = 0.8
    svc = SVC(kernel="rbf", C=1.0, gamma=gamma).fit(X_tr, y_pm)
    sv, coef, b = svc.support_vectors_, svc.dual_coef_[0].copy(), float(svc.intercept_[0])
    got = learner.svm_numpy.rbf_decision_function(X_te, sv, coef, b, gamma)
    got = _array(got, f"rbf_decision_function(X {X_te.shape}, support_vectors {sv.shape}, "
                 f"dual_coef {coef.shape}, intercept, gamma)", (len(X_te),)).astype(np.float64)
    expected = svc.decision_function(X_te)
    hint = ("f(x) = Σ_j dual_coef[j]·exp(−gamma·‖x − sv_j‖²) + intercept, with your rbf_kernel "
            "(dual_coef already holds α_j·y_j)")
    diff = got - expected
    if np.allclose(diff, -b, rtol=1e-9, atol=1e-9):
        hint = "the intercept is missing: add + intercept"
    elif np.allclose(got, _rbf_kernel_np(X_te, sv, gamma) @ np.abs(coef) + b, rtol=1e-9):
        hint = "dual_coef holds α_j·y_j, signs included: do not take its absolute value"
    assert_close(got, expected, name="rbf_decision_function vs SVC.decision_function "
                 f"({len(sv)} support vectors, 100 moons rows)", rtol=1e-9, atol=1e-9, hint=hint)
    assert_same(np.where(got > 0, 1, -1), svc.predict(X_te),
                name="sign of rbf_decision_function vs SVC.predict")


def _rbf_kernel_np(A, B, gamma):
    sq = ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=-1)
    return np.exp(-gamma * sq)


# ----------------------------------------------------------------------------- scikit-learn


def _svc_info(model):
    """Runs in the sandbox: what kind of estimator the learner returned."""
    params = model.get_params() if hasattr(model, "get_params") else {}
    return {"type": type(model).__name__,
            "params": {k: v for k, v in params.items()
                       if v is None or isinstance(v, (bool, int, float, str))},
            "fitted": hasattr(model, "support_") or hasattr(model, "coef_")}


def _check_svc(info, func, kernel):
    if info["type"] == "LinearSVC":
        _fail(f"{func} returned a LinearSVC: it minimises the SQUARED hinge and "
                    "regularises the intercept, a different problem. Use "
                    f"sklearn.svm.SVC(kernel='{kernel}', C=C)")
    assert info["type"] == "SVC", (
        f"{func} returned a {info['type']}, expected a fitted sklearn.svm.SVC")
    assert info["fitted"], f"{func} returned an unfitted SVC: call .fit(X, y) and return it"
    assert info["params"].get("kernel") == kernel, (
        f"{func}: SVC(kernel={info['params'].get('kernel')!r}), expected kernel={kernel!r}")


@pytest.mark.points(2)
def test_library_linear_svc(learner):
    """fit_linear_svc is SVC(kernel="linear", C=C) fitted (coef_, intercept_, support_)"""
    from sklearn.svm import SVC

    X, y = _overlapping(seed=12, n=100)
    for C in (1.0, 0.1):
        model = learner.svm_sklearn.fit_linear_svc(X, y, C=C)
        info = learner.probe(_svc_info, model)
        _check_svc(info, "fit_linear_svc", "linear")
        assert info["params"].get("C") == C, (
            f"fit_linear_svc(X, y, C={C}) built SVC(C={info['params'].get('C')!r}): pass C through")
        expected = SVC(kernel="linear", C=C).fit(X, y)
        assert_close(model.coef_, expected.coef_, rtol=1e-10, atol=1e-12,
                     name=f"coef_ of your linear SVC (C = {C})",
                     hint="SVC(kernel='linear', C=C) with its other defaults, fitted on (X, y)")
        assert_close(model.intercept_, expected.intercept_, rtol=1e-10, atol=1e-12,
                     name=f"intercept_ of your linear SVC (C = {C})")
        assert_same(np.asarray(model.support_), expected.support_,
                    name=f"support_ of your linear SVC (C = {C})")


@pytest.mark.points(2)
def test_library_rbf_svc(learner):
    """fit_rbf_svc is SVC(kernel="rbf", C=C, gamma=gamma) fitted"""
    from sklearn.svm import SVC

    X_tr, y_tr, X_te, _ = _moons(seed=2, n_train=200, n_test=50)
    for C, gamma in [(1.0, "scale"), (3.0, 0.5)]:
        model = learner.svm_sklearn.fit_rbf_svc(X_tr, y_tr, C=C, gamma=gamma)
        info = learner.probe(_svc_info, model)
        _check_svc(info, "fit_rbf_svc", "rbf")
        for key, want in (("C", C), ("gamma", gamma)):
            assert info["params"].get(key) == want, (
                f"fit_rbf_svc(X, y, C={C}, gamma={gamma!r}) built SVC({key}="
                f"{info['params'].get(key)!r}): pass {key} through")
        expected = SVC(kernel="rbf", C=C, gamma=gamma).fit(X_tr, y_tr)
        assert_close(model.decision_function(X_te), expected.decision_function(X_te),
                     rtol=1e-10, atol=1e-12,
                     name=f"decision_function of your RBF SVC (C = {C}, gamma = {gamma!r})")


@pytest.mark.points(2)
def test_hyperplane_and_scratch_agree(learner):
    """hyperplane(model) reads w, b from SVC, and your scratch SVM agrees with your SVC"""
    X, y = _separable(seed=13, n=120)
    X_tr, y_tr, X_te = X[:80], y[:80], X[80:]
    model = learner.svm_sklearn.fit_linear_svc(X_tr, y_tr, C=1.0)
    info = learner.probe(_svc_info, model)
    if info["type"] != "SVC" or info["params"].get("kernel") != "linear":
        what = (f"an SVC with kernel={info['params'].get('kernel')!r}" if info["type"] == "SVC"
                else f"a {info['type']}")
        _fail(f"fit_linear_svc returned {what}, so its hyperplane is not SVC's: make "
              "fit_linear_svc return SVC(kernel='linear', C=C) fitted (see its own check)")
    result = learner.svm_sklearn.hyperplane(model)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        _fail(f"hyperplane(model) should return a pair (w, b), got {_describe(result)}")
    w_lib, b_lib = result
    if isinstance(w_lib, np.ndarray) and w_lib.shape == (1, 2):
        _fail("w returned by hyperplane has shape (1, 2): coef_ is (1, n_features) for a "
                    "binary SVC, take its row coef_[0] to get w of shape (d,)")
    w_lib = _array(w_lib, "w returned by hyperplane(model)", (2,))
    b_lib = _scalar(b_lib, "b returned by hyperplane(model)")
    from sklearn.svm import SVC

    expected = SVC(kernel="linear", C=1.0).fit(X_tr, y_tr)
    assert_close(w_lib, expected.coef_[0], rtol=1e-10, atol=1e-12,
                 name="w from hyperplane(model) vs coef_[0]",
                 hint="w = model.coef_[0] (not dual_coef_, which holds α_i·y_i per support vector)")
    assert_close(b_lib, float(expected.intercept_[0]), rtol=1e-10, atol=1e-12,
                 name="b from hyperplane(model) vs intercept_[0]")
    w, b, _ = _fit(learner, X_tr, y_tr, 1.0, lr=0.001, epochs=2000)
    assert_same(np.asarray(learner.svm_numpy.predict(X_te, w, b)),
                np.where(X_te @ w_lib + b_lib > 0, 1, -1),
                name="labels of your scratch SVM vs your SVC's hyperplane on 40 held-out rows",
                hint="both minimise ½‖w‖² + C·Σ hinge on the same data: on separable data with "
                     "a clear gap they must agree on every row")


@pytest.mark.points(2)
def test_rbf_beats_linear_on_moons(learner):
    """compare_kernels: the RBF SVC beats the linear SVC on held-out moons"""
    from sklearn.svm import SVC

    X_tr, y_tr, X_te, y_te = _moons(seed=0)
    scores = learner.svm_sklearn.compare_kernels(X_tr, y_tr, X_te, y_te, C=1.0)
    assert isinstance(scores, dict) and {"linear", "rbf"} <= set(scores), (
        f"compare_kernels should return a dict with keys 'linear' and 'rbf', got "
        f"{_describe(scores)}" + (f" with keys {sorted(scores)}" if isinstance(scores, dict) else ""))
    lin = _scalar(scores["linear"], "compare_kernels(...)['linear']")
    rbf = _scalar(scores["rbf"], "compare_kernels(...)['rbf']")
    lin_exp = float(SVC(kernel="linear", C=1.0).fit(X_tr, y_tr).score(X_te, y_te))
    rbf_exp = float(SVC(kernel="rbf", C=1.0).fit(X_tr, y_tr).score(X_te, y_te))
    for got, want, name in ((lin, lin_exp, "linear"), (rbf, rbf_exp, "rbf")):
        hint = ("the held-out accuracy, model.score(X_test, y_test), of the model fitted on "
                "the training rows")
        if np.isclose(got, 100 * want):
            hint = "an accuracy between 0 and 1, not a percentage"
        assert_close(got, want, rtol=0, atol=1e-12, hint=hint,
                     name=f"'{name}' held-out accuracy on 200 moons rows (C = 1, gamma='scale')")
    assert rbf >= lin + 0.05, (
        f"held-out accuracy: RBF {rbf:.3f}, linear {lin:.3f}; on moons the RBF kernel should win "
        "by at least 0.05 (a line cannot follow the two arcs)")
