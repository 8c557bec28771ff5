"""Hidden checks for 04_perceptron (from scratch only; no library file).

Three-way comparison where it applies:
1. learner vs the reference (the same path of updates, epoch by epoch);
2. learner vs scikit-learn's Perceptron, run in this process with the conventions matched
   (labels ±1 there, eta0 = lr, shuffle=False, tol=None, the same initial weights, data
   on which z = 0 never happens: then both make exactly the same updates);
plus the lesson: AND and OR are learnt, XOR is reported as a failure within the budget, the
boundary separates separable data, and the number of updates obeys Novikoff's bound.

Conventions pinned here (all stated in exercises/04_perceptron/README.md):
- labels y ∈ {0, 1} (int); step(z) = 1 if z > 0 else 0, so step(0) = 0; outputs int.
- update: ŷ = step(x·w + b); w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ).
- fit: w = 0 (or a copy of w_init), b = b_init (0.0); samples visited in order 0..n−1 every
  epoch (no shuffling), online (each sample sees the weights updated by the previous one);
  errors[e] = number of samples misclassified when visited during epoch e; stop after the
  first epoch with errors == 0, else after max_epochs; converged = (errors[-1] == 0).
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.testing import assert_close, assert_same, datasets


def _fail(message: str):
    """Fail the check with exactly this message.

    An AssertionError reaches the learner unchanged; pytest.fail's exception is reported by
    the engine as "the check could not use your result (Failed: …)" and cut to 300 chars.
    """
    raise AssertionError(message)

# ----------------------------------------------------------------------------- data


def _noisy_linear(seed: int, n: int = 20, d: int = 3):
    """Continuous data, labels from a noisy linear rule: usually not separable."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = (X @ w_true + 0.2 + 0.8 * rng.normal(size=n) > 0).astype(np.int64)
    return X, y


def _separable(seed: int, n: int = 80, margin: float = 0.3):
    """2-D data separated by the line x·w_true + b_true = 0 with a margin (classes 0/1)."""
    rng = np.random.default_rng(seed)
    w_true = np.array([2.0, -1.0])
    b_true = 0.5
    X = np.empty((0, 2))
    while len(X) < n:
        cand = rng.uniform(-3.0, 3.0, size=(4 * n, 2))
        dist = (cand @ w_true + b_true) / np.linalg.norm(w_true)
        X = np.vstack([X, cand[np.abs(dist) > margin]])
    X = X[:n]
    y = (X @ w_true + b_true > 0).astype(np.int64)
    return X, y, w_true, b_true


def _sklearn_perceptron(X, y, lr, epochs, w_init, b_init):
    """sklearn's Perceptron with the README's conventions: no shuffling, constant step eta0 =
    lr, no penalty, no early stopping, the same initial weights, exactly `epochs` epochs."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Perceptron

    model = Perceptron(eta0=lr, shuffle=False, tol=None, max_iter=epochs, penalty=None,
                       fit_intercept=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y, coef_init=np.asarray(w_init, dtype=np.float64).reshape(1, -1),
                  intercept_init=np.array([float(b_init)]))
    return model.coef_[0], float(model.intercept_[0])


# ----------------------------------------------------------------------------- helpers


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    return f"a {getattr(value, 'type_name', None) or type(value).__name__}"


def _is_real_scalar(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu"


def _labels(value, name: str, n: int) -> np.ndarray:
    """An integer 0/1 array of shape (n,), with messages for the usual mistakes."""
    if not isinstance(value, np.ndarray):
        _fail(f"{name} should be a numpy array of {n} labels 0/1, got {_describe(value)}")
    if value.shape != (n,):
        _fail(f"{name} should have shape ({n},), got {value.shape}")
    if value.dtype == bool:
        _fail(f"{name} has dtype bool: return integers 0/1, e.g. (z > 0).astype(np.int64)")
    if value.dtype.kind not in "iu":
        hint = ""
        if value.dtype.kind == "f" and np.all(np.isin(value, [0.0, 1.0])):
            hint = ": the values are right, convert them with .astype(np.int64)"
        _fail(f"{name} should be integers (int64), got dtype {value.dtype}{hint}")
    if np.any(value == -1):
        _fail(f"{name} contains −1: the labels here are 0 and 1 (not −1/+1), "
                    "step(z) = 1 if z > 0 else 0")
    return value


def _fit(learner, X, y, **kw):
    """Call the learner's fit and check the structure of what comes back."""
    result = learner.perceptron_numpy.fit(X, y, **kw)
    if not (isinstance(result, (tuple, list)) and len(result) == 4):
        extra = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        _fail(f"fit should return a tuple (w, b, errors, converged), got "
                    f"{_describe(result)}{extra}")
    w, b, errors, converged = result
    d = X.shape[1]
    if not isinstance(w, np.ndarray) or w.shape != (d,):
        _fail(f"w returned by fit should be a float64 array of shape ({d},), got "
                    f"{_describe(w)}")
    if not _is_real_scalar(b):
        _fail(f"b returned by fit should be a single float, got {_describe(b)}"
                    + (": keep b a plain number (b = 0.0), not an array" if
                       isinstance(b, np.ndarray) else ""))
    if not isinstance(errors, np.ndarray) or errors.ndim != 1:
        _fail(f"errors returned by fit should be a 1-D numpy array (one count per epoch "
                    f"run), got {_describe(errors)}: build it with np.array(list_of_counts)")
    if errors.dtype.kind not in "iu":
        _fail(f"errors should hold integer counts (int64), got dtype {errors.dtype}")
    if not isinstance(converged, (bool, np.bool_)):
        _fail(f"converged returned by fit should be a bool (True/False), got "
                    f"{_describe(converged)}")
    return w.astype(np.float64), float(b), errors, bool(converged)


# ----------------------------------------------------------------------------- the neuron


def test_step_convention(learner):
    """step(z) is 1 where z > 0 and 0 where z ≤ 0 (step(0) = 0), integers, same shape"""
    z = np.array([[-3.0, -1e-9, 0.0], [1e-9, 2.5, -0.0]])
    out = learner.perceptron_numpy.step(z)
    expected = np.array([[0, 0, 0], [1, 1, 0]], dtype=np.int64)
    if not isinstance(out, np.ndarray):
        _fail(f"step(z) for z of shape (2, 3) should return a numpy array, got "
                    f"{_describe(out)}: work elementwise, e.g. (z > 0).astype(np.int64)")
    assert out.shape == z.shape, (
        f"step(z) returned shape {out.shape} for z of shape {z.shape}: work elementwise, "
        "keep the shape")
    if out.dtype == bool or out.dtype.kind not in "iu":
        _fail(f"step(z) returned dtype {out.dtype}: return integers 0/1 (int64), "
                    "e.g. (z > 0).astype(np.int64)")
    hint = "step(z) = 1 if z > 0 else 0, elementwise"
    if out[0, 2] == 1 or out[1, 2] == 1:
        hint = ("step(0) gave 1: the convention here is step(0) = 0 (use z > 0, not z >= 0), "
                "as scikit-learn's predict does")
    elif np.any(out == -1):
        hint = "step returned −1: the outputs are 0 and 1 (not the sign −1/+1)"
    assert_same(out, expected, name="step(z) at z = [[-3, -1e-9, 0], [1e-9, 2.5, -0.0]]",
                hint=hint)


def test_predict(learner):
    """predict returns step(X·w + b): int labels 0/1 of shape (n,)"""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(25, 3))
    X[7] = [1.0, 2.0, 0.5]          # this row lies exactly on the boundary: z = 0
    w = np.array([2.0, -1.0, 0.0])
    b = 0.0
    out = _labels(learner.perceptron_numpy.predict(X, w, b), "predict(X, w, b)", 25)
    expected = (X @ w + b > 0).astype(np.int64)
    hint = "predict(X, w, b) = step(X @ w + b), one label per row"
    if out[7] == 1 and np.array_equal(np.delete(out, 7), np.delete(expected, 7)):
        hint = "row 7 has z = 0 exactly and must be predicted 0 (step(0) = 0: use z > 0)"
    assert_same(out, expected, name="predict(X, w, b) on 25 rows (row 7 has z = 0)", hint=hint)


def _update_hint(w_new, b_new, w, b, x, y, y_hat, lr):
    """Name the usual bug in one perceptron update from what the learner returned."""
    err = y - y_hat
    if not isinstance(w_new, np.ndarray) or w_new.shape != w.shape:
        return f"return the new w with the shape of w ({w.shape}) and the new b as a float"
    guesses = [
        (w - lr * err * x, b - lr * err, "the update has the wrong sign: w ← w + lr·(y − ŷ)·x "
                                         "(move towards x when y = 1 was missed)"),
        (w + err * x, b + err, "lr is ignored: w ← w + lr·(y − ŷ)·x"),
        (w + lr * err * x, b, "b is not updated: b ← b + lr·(y − ŷ)"),
        (w + lr * y * x, b + lr * y, "you update with y instead of (y − ŷ): a correctly "
                                     "classified sample must change nothing"),
    ]
    if float(x @ w + b) == 0.0:
        guesses.append((w + lr * (y - 1) * x, b + lr * (y - 1),
                        "at z = 0 you predicted ŷ = 1: the convention is step(0) = 0 "
                        "(z > 0 → 1, z ≤ 0 → 0)"))
    else:
        guesses.append((w + lr * (y - (1 - y_hat)) * x, b + lr * (y - (1 - y_hat)),
                        "ŷ is inverted: ŷ = 1 where z = x·w + b > 0, else 0"))
    for w_g, b_g, why in guesses:
        if np.allclose(w_new, w_g, rtol=1e-12, atol=1e-12) and np.isclose(b_new, b_g,
                                                                          rtol=1e-12, atol=1e-12):
            return why
    return "ŷ = step(x·w + b); w ← w + lr·(y − ŷ)·x; b ← b + lr·(y − ŷ)"


@pytest.mark.points(2)
def test_update_matches_formula(learner):
    """One update step is w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ) (six cases, incl. z = 0)"""
    rng = np.random.default_rng(2)
    lr = 0.25
    x = rng.normal(size=3)
    w = rng.normal(size=3)
    z0 = float(x @ w)
    # b chosen so that z = x·w + b is negative, positive or exactly 0
    cases = [("a missed positive (y = 1, z < 0)", 1, -z0 - 0.7),
             ("a false positive (y = 0, z > 0)", 0, -z0 + 0.9),
             ("a correct positive (y = 1, z > 0)", 1, -z0 + 0.4),
             ("a correct negative (y = 0, z < 0)", 0, -z0 - 1.1),
             ("z = 0 with y = 0 (ŷ = 0: correct)", 0, 0.0),
             ("z = 0 with y = 1 (ŷ = 0: a miss)", 1, 0.0)]
    for label, y, b in cases:
        x_case = x.copy()
        if b == 0.0:          # exactly on the boundary: z = x·w + 0 = 0
            x_case = np.array([w[1], -w[0], 0.0])
        y_hat = int(x_case @ w + b > 0)
        result = learner.perceptron_numpy.update(w.copy(), b, x_case, y, lr)
        assert isinstance(result, (tuple, list)) and len(result) == 2, (
            f"update(w, b, x, y, lr) should return the pair (new w, new b), got "
            f"{_describe(result)}")
        w_new, b_new = result
        assert _is_real_scalar(b_new), (
            f"the new b returned by update should be a single float, got {_describe(b_new)}")
        err = y - y_hat
        w_exp, b_exp = w + lr * err * x_case, b + lr * err
        hint = _update_hint(w_new, float(b_new), w, b, x_case, y, y_hat, lr)
        assert_close(w_new, w_exp, name=f"new w after {label}, lr = {lr}", rtol=1e-12,
                     atol=1e-12, hint=hint)
        assert_close(float(b_new), b_exp, name=f"new b after {label}, lr = {lr}", rtol=1e-12,
                     atol=1e-12, hint=hint)


# ----------------------------------------------------------------------------- training


def _path_hint(w, b, errors, converged, ref, lr):
    w_ref, b_ref, errors_ref, converged_ref = ref
    same_w = w.shape == w_ref.shape and np.allclose(w, w_ref, rtol=1e-9, atol=1e-12)
    if same_w and np.isclose(b, b_ref, rtol=1e-9, atol=1e-12):
        if errors.shape == errors_ref.shape and not np.array_equal(errors, errors_ref):
            return ("your weights are right but errors differs: errors[e] counts the samples "
                    "misclassified at the moment they are visited during epoch e (= the updates "
                    "made), not the mistakes of the weights at the end of the epoch")
        if len(errors) > len(errors_ref):
            return ("your weights are right but you kept training: stop right after the first "
                    "epoch that made no mistake")
    if w.shape == w_ref.shape and lr != 1.0 and np.allclose(w * lr, w_ref, rtol=1e-9,
                                                            atol=1e-12):
        return f"your w is 1/lr = {1 / lr:g} times the reference: use lr in the update"
    return ("w = 0 and b = 0 to start (or w_init, b_init); each epoch visit the samples in "
            "order 0, 1, …, n−1 (no shuffling), and for each one compute ŷ with the CURRENT "
            "weights, count a mistake if ŷ ≠ y and apply the update at once; append the "
            "count to errors; stop after an epoch without mistakes. If the check of one "
            "update step fails too, fix that first")


@pytest.mark.points(2)
def test_fit_matches_reference(learner, reference):
    """fit makes exactly the reference updates, epoch by epoch (w, b, errors, converged)"""
    cases = [("20 noisy points, lr = 0.5, 4 epochs", *_noisy_linear(seed=3),
              dict(lr=0.5, max_epochs=4)),
             ("30 noisy points, lr = 0.3, 7 epochs", *_noisy_linear(seed=10, n=30, d=4),
              dict(lr=0.3, max_epochs=7)),
             ("80 separable points, lr = 0.1", *_separable(seed=9, margin=0.05)[:2],
              dict(lr=0.1, max_epochs=100)),
             ("AND, lr = 0.5", *datasets.logic_gate("and"), dict(lr=0.5, max_epochs=20))]
    for label, X, y, kw in cases:
        w, b, errors, converged = _fit(learner, X, y, **kw)
        ref = reference.perceptron_numpy.fit(X, y, **kw)
        hint = _path_hint(w, b, errors, converged, ref, kw["lr"])
        assert_same(errors, ref[2], name=f"errors per epoch ({label})", hint=hint)
        assert_close(w, ref[0], name=f"w after training ({label})", rtol=1e-9, atol=1e-12,
                     hint=hint)
        assert_close(b, ref[1], name=f"b after training ({label})", rtol=1e-9, atol=1e-12,
                     hint=hint)
        assert converged == ref[3], (
            f"converged is {converged} on {label}, expected {ref[3]} (errors = "
            f"{errors.tolist()}): converged is True exactly when the last epoch run made no "
            "mistake")


@pytest.mark.points(2)
def test_learns_and_or(learner):
    """The perceptron learns AND, OR and NAND: 100 % correct, converged well within budget"""
    for gate in ("and", "or", "nand"):
        X, y = datasets.logic_gate(gate)
        w, b, errors, converged = _fit(learner, X, y, lr=1.0, max_epochs=100)
        pred = _labels(learner.perceptron_numpy.predict(X, w, b),
                       f"predict on the {gate.upper()} truth table", 4)
        wrong = [tuple(int(v) for v in X[i]) for i in np.flatnonzero(pred != y)]
        assert not wrong, (
            f"{gate.upper()}: after training (w = {np.round(w, 4).tolist()}, b = {b:.4g}) "
            f"the inputs {wrong} are still misclassified ({len(wrong)} of 4). {gate.upper()} "
            "is linearly separable, so the perceptron rule must reach 100 %: check the sign "
            "of the update and that b is updated too")
        assert converged, (
            f"{gate.upper()}: 100 % correct, but converged is False (errors per epoch "
            f"{errors.tolist()}): converged must be True when the last epoch made no mistake")
        assert len(errors) < 20, (
            f"{gate.upper()}: training ran {len(errors)} epochs (errors {errors.tolist()[:12]}"
            f"…); from zeros with lr = 1 it converges in at most 6: stop after the first epoch "
            "without a mistake")


@pytest.mark.points(2)
def test_xor_reports_failure(learner):
    """On XOR the perceptron uses its whole epoch budget and reports converged = False"""
    X, y = datasets.logic_gate("xor")
    budget = 50
    w, b, errors, converged = _fit(learner, X, y, lr=1.0, max_epochs=budget)
    pred = _labels(learner.perceptron_numpy.predict(X, w, b), "predict on the XOR truth table", 4)
    assert converged is False, (
        f"XOR: fit reported converged = True (errors per epoch {errors.tolist()[:12]}…). XOR is "
        "not linearly separable: no line puts (0,1), (1,0) on one side and (0,0), (1,1) on the "
        "other, so some sample is misclassified in every epoch and converged must be False")
    assert len(errors) == budget, (
        f"XOR: fit ran {len(errors)} epochs with max_epochs = {budget}: without convergence it "
        f"must use the whole budget (one count in errors per epoch run)")
    assert np.all(errors > 0), (
        f"XOR: errors per epoch has a 0 at epoch {int(np.argmin(errors))}, impossible on XOR: "
        "errors[e] counts the samples misclassified when visited during epoch e")
    assert np.any(pred != y), (
        "XOR: the final weights classify all 4 inputs correctly, which no line can do: "
        "predict must be step(X·w + b)")


def test_early_stop_and_converged_flag(learner, reference):
    """fit stops right after the first epoch without a mistake; converged = (errors[-1] == 0)"""
    X, y = datasets.logic_gate("and")
    w, b, errors, converged = _fit(learner, X, y, lr=1.0, max_epochs=100)
    ref_errors = reference.perceptron_numpy.fit(X, y, lr=1.0, max_epochs=100)[2]
    zeros = np.flatnonzero(errors == 0)
    assert zeros.size >= 1, (
        f"AND, lr = 1: {len(errors)} epochs without a single error-free one (errors "
        f"{errors.tolist()[:12]}{'…' if len(errors) > 12 else ''}): the perceptron never "
        "learnt AND, so early stopping cannot be checked; fix the update rule first (the "
        "check of one update step says what is wrong)")
    assert zeros[0] == len(errors) - 1, (
        f"AND, lr = 1: errors per epoch {errors.tolist()[:12]}"
        f"{'…' if len(errors) > 12 else ''}: training must stop right after the first epoch "
        "that made no mistake, so errors ends with its only 0")
    assert_same(errors, ref_errors, name="errors per epoch on AND (lr = 1, max_epochs = 100)",
                hint="from w = 0, b = 0, samples in order, AND takes 6 epochs: 1, 3, 3, 2, 1, 0")
    n_epochs = len(ref_errors)
    for budget, expect in ((n_epochs, True), (n_epochs - 1, False)):
        _w, _b, errs, conv = _fit(learner, X, y, lr=1.0, max_epochs=budget)
        assert len(errs) == budget and conv is expect, (
            f"AND with max_epochs = {budget}: got {len(errs)} epochs, errors {errs.tolist()}, "
            f"converged = {conv}; expected {budget} epochs and converged = {expect}. converged "
            "is True exactly when the last epoch run made no mistake (even if it was the last "
            "one allowed)")


@pytest.mark.points(2)
def test_separable_data_boundary(learner):
    """On separable 2-D data: converges, 100 % correct, w·x + b separates, Novikoff's bound"""
    X, y, w_true, b_true = _separable(seed=8, margin=0.02)
    w, b, errors, converged = _fit(learner, X, y, lr=0.1, max_epochs=200)
    assert converged, (
        f"80 linearly separable points: not converged after {len(errors)} epochs "
        f"(last errors {errors.tolist()[-5:]}). The perceptron rule must converge on separable "
        "data: check the update's sign and that b is updated")
    z = X @ w + b
    wrong = int(np.sum((z > 0) != (y == 1)))
    assert wrong == 0, (
        f"the boundary x·w + b = 0 (w = {np.round(w, 4).tolist()}, b = {b:.4g}) leaves "
        f"{wrong} of 80 points on the wrong side (class 1 needs z > 0, class 0 z ≤ 0)")
    pred = _labels(learner.perceptron_numpy.predict(X, w, b), "predict on 80 separable points",
                   80)
    assert_same(pred, y, name="predict on the 80 training points", hint="predict = step(X·w + b)")
    # Novikoff: with augmented vectors (x, 1), R = max ‖(x, 1)‖ and γ the margin of any unit
    # separator, the perceptron makes at most (R/γ)² updates, whatever lr (from zero init).
    R = float(np.max(np.linalg.norm(np.column_stack([X, np.ones(len(X))]), axis=1)))
    u = np.append(w_true, b_true)
    gamma = float(np.min((2 * y - 1) * (X @ w_true + b_true)) / np.linalg.norm(u))
    bound = (R / gamma) ** 2
    assert errors.sum() <= bound, (
        f"{int(errors.sum())} updates in total, more than Novikoff's bound (R/γ)² = "
        f"{bound:.0f} for this data: errors should count the updates made (the samples "
        "misclassified when visited)")


@pytest.mark.points(2)
def test_matches_sklearn_perceptron(learner, reference):
    """fit equals sklearn's Perceptron (shuffle=False, eta0 = lr, tol=None) from the same start"""
    rng = np.random.default_rng(6)
    cases = [("40 noisy points (not separable), 6 epochs", *_noisy_linear(seed=7, n=40), 0.5, 6),
             ("60 separable points, up to 50 epochs", *_separable(seed=8, n=60, margin=0.02)[:2],
              0.2, 50)]
    for label, X, y, lr, epochs in cases:
        w_init = rng.normal(size=X.shape[1])
        b_init = float(rng.normal())
        w, b, errors, _conv = _fit(learner, X, y, lr=lr, max_epochs=epochs, w_init=w_init,
                                   b_init=b_init)
        w_sk, b_sk = _sklearn_perceptron(X, y, lr, epochs, w_init, b_init)
        hint = ("sklearn's Perceptron visits the samples in order (shuffle=False) and, for a "
                "mistake, adds eta0·y±·x with y± = ±1: the same as lr·(y − ŷ)·x. Start from "
                "a COPY of w_init and from b_init, and run online, one sample at a time")
        for start, why in [(dict(w_init=None, b_init=b_init), "w_init is ignored"),
                           (dict(w_init=w_init, b_init=0.0), "b_init is ignored"),
                           (dict(w_init=None, b_init=0.0), "w_init and b_init are ignored")]:
            w_ref, b_ref = reference.perceptron_numpy.fit(X, y, lr=lr, max_epochs=epochs,
                                                          **start)[:2]
            if np.allclose(w, w_ref, rtol=1e-9, atol=1e-12) and np.isclose(b, b_ref):
                hint = f"{why}: start from w = a copy of w_init, b = b_init when they are given"
                break
        assert_close(w, w_sk, name=f"w vs sklearn Perceptron().coef_ on {label}", rtol=1e-9,
                     atol=1e-12, hint=hint)
        assert_close(b, b_sk, name=f"b vs sklearn Perceptron().intercept_ on {label}",
                     rtol=1e-9, atol=1e-12, hint=hint)
