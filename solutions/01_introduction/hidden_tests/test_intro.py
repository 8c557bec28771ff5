"""Hidden checks for 01_introduction: numeric derivative, a hand-written GD loop, a quiz.

Conventions pinned here (all stated in exercises/01_introduction/README.md):
- numeric_derivative uses the centred difference (f(x+h) − f(x−h)) / (2h) with the h given.
- mse is the MEAN of the squared residuals (no 1/2, no square root).
- fit_line starts at w = b = 0, computes both gradients at the same (old) parameters, and
  losses[t] is the loss *before* update t (losses[0] = loss at w = b = 0).
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


def _line_data(seed: int, n: int = 50):
    """Noisy points around y = 2.5·x − 1 with x in [−1, 3] (not centred on purpose)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 3.0, n)
    y = 2.5 * x - 1.0 + 0.3 * rng.standard_normal(n)
    return x, y


def _true_mse(w, b, x, y):
    return float(np.mean((w * x + b - y) ** 2))


# ----------------------------------------------------------------------------- helpers


def _is_real_scalar(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fi"


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _scalar(value, name: str) -> float:
    """A real number, or a size-1 array (the strict type check is test_fit_returns_types)."""
    arr = np.asarray(value) if not isinstance(value, (str, bytes, dict)) else None
    if arr is None or arr.size != 1 or arr.dtype.kind not in "fiu" or arr.dtype == bool:
        _fail(f"{name} should be a single real number (a float), got {_describe(value)}: "
                    f"{value!r:.80}")
    out = float(arr.reshape(-1)[0])
    assert np.isfinite(out), (f"{name} is {out}: not a finite number. The computation "
                              "overflowed or divided by zero; look for a step that explodes.")
    return out


def _numeric_derivatives_in_sandbox(cases):
    """Runs in the learner's sandbox: call numeric_derivative on functions defined here.

    Functions cannot cross the sandbox boundary as plain data, so the test functions are
    defined on the sandbox side and the results come back as plain floats.
    """
    import importlib
    import sys

    import numpy as np

    module = None
    for mod in list(sys.modules.values()):
        path = (getattr(mod, "__file__", None) or "").replace("\\", "/")
        if path.endswith("/intro_numpy.py") and hasattr(mod, "numeric_derivative"):
            module = mod
            break
    if module is None:
        module = importlib.import_module("intro_numpy")

    functions = {
        "sin": np.sin,
        "exp": np.exp,
        "cubic": lambda x: x**3 - 2.0 * x + 1.0,
        "runge": lambda x: 1.0 / (1.0 + x**2),
        "log": np.log,
        "square": lambda x: x**2,
        "cube": lambda x: x**3,
    }
    out = []
    for name, x, h in cases:
        value = module.numeric_derivative(functions[name], x, h)
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.reshape(-1)[0]
        if isinstance(value, np.generic):
            value = value.item()
        out.append(value if isinstance(value, (int, float)) and not isinstance(value, bool)
                   else f"<{type(value).__name__}>")
    return out


def _learner_derivatives(learner, cases):
    learner.has("intro_numpy.numeric_derivative")  # make sure the module is loaded
    return learner.probe(_numeric_derivatives_in_sandbox, cases)


# ----------------------------------------------------------------------------- derivative

ANALYTIC = {
    "sin": np.cos,
    "exp": np.exp,
    "cubic": lambda x: 3.0 * x**2 - 2.0,
    "runge": lambda x: -2.0 * x / (1.0 + x**2) ** 2,
    "log": lambda x: 1.0 / x,
}


@pytest.mark.points(2)
def test_derivative_matches_analytic(learner):
    """numeric_derivative agrees with the analytic derivative (h = 1e-5)"""
    cases = [(name, x, 1e-5) for name in ("sin", "exp", "cubic", "runge")
             for x in (-1.3, 0.0, 0.7, 2.0)]
    cases += [("log", 0.5, 1e-5), ("log", 2.0, 1e-5)]
    values = _learner_derivatives(learner, cases)
    for (name, x, _h), value in zip(cases, values):
        assert not isinstance(value, str), (
            f"numeric_derivative({name}, {x}) returned {value[1:-1]}, expected a float "
            "(the slope of f at x)")
        expected = float(ANALYTIC[name](x))
        assert_close(value, expected, name=f"numeric_derivative of {name}(x) at x = {x}",
                     rtol=1e-6, atol=1e-7,
                     hint="use the centred difference (f(x + h) − f(x − h)) / (2·h); a "
                          "one-sided difference (f(x + h) − f(x)) / h is only accurate to "
                          "O(h) and misses by about h·f''(x)/2")


@pytest.mark.points(2)
def test_derivative_is_centred(learner):
    """numeric_derivative is the centred difference with the h it is given"""
    # With a large h the differences are visible: for x³ at x = 1, h = 0.1
    # centred → 3.01, forward → 3.31, backward → 2.71, analytic (h ignored) → 3.
    cases = [("square", 3.0, 0.1), ("cube", 1.0, 0.1), ("cube", -2.0, 0.25),
             ("exp", 0.0, 0.5)]
    funcs = {"square": lambda x: x**2, "cube": lambda x: x**3, "exp": np.exp}
    analytic = {"square": lambda x: 2 * x, "cube": lambda x: 3 * x**2, "exp": np.exp}
    values = _learner_derivatives(learner, cases)
    for (name, x, h), value in zip(cases, values):
        assert not isinstance(value, str), (
            f"numeric_derivative({name}, {x}, h={h}) returned {value[1:-1]}, expected a float")
        f = funcs[name]
        centred = (f(x + h) - f(x - h)) / (2 * h)
        forward = (f(x + h) - f(x)) / h
        backward = (f(x) - f(x - h)) / h
        if np.isclose(value, forward, rtol=1e-9, atol=1e-12):
            hint = ("this is the forward difference (f(x + h) − f(x)) / h; use the centred "
                    "difference (f(x + h) − f(x − h)) / (2·h)")
        elif np.isclose(value, backward, rtol=1e-9, atol=1e-12):
            hint = ("this is the backward difference (f(x) − f(x − h)) / h; use the centred "
                    "difference (f(x + h) − f(x − h)) / (2·h)")
        elif np.isclose(value, analytic[name](x), rtol=1e-6, atol=1e-9):
            hint = ("your value is the exact derivative: the h argument seems to be ignored; "
                    "use the h you are given, not a fixed step")
        elif np.isclose(value, 2 * centred, rtol=1e-9, atol=1e-12):
            hint = "twice the centred difference: divide by 2·h, not by h"
        else:
            hint = "the centred difference is (f(x + h) − f(x − h)) / (2·h)"
        assert_close(value, float(centred), name=f"numeric_derivative of {name}(x) at "
                     f"x = {x} with h = {h}", rtol=1e-9, atol=1e-12, hint=hint)


# ----------------------------------------------------------------------------- loss and gradients


def test_mse_value(learner):
    """mse is the mean of the squared residuals"""
    x, y = _line_data(seed=1, n=40)
    for w, b in [(0.0, 0.0), (1.5, -0.5), (-2.0, 3.0)]:
        value = learner.intro_numpy.mse(w, b, x, y)
        assert _is_real_scalar(value), (
            f"mse(w={w}, b={b}, x, y) should return one float, got {_describe(value)}")
        value = float(value)
        expected = _true_mse(w, b, x, y)
        n = len(x)
        if np.isclose(value, n * expected, rtol=1e-9):
            hint = "your value is n times too large: take the mean of the squares, not the sum"
        elif np.isclose(value, expected / 2, rtol=1e-9):
            hint = "your value is half the MSE: no factor 1/2 here, just the mean of the squares"
        elif np.isclose(value, np.sqrt(expected), rtol=1e-9):
            hint = "your value is the root of the MSE (RMSE): do not take the square root"
        else:
            hint = "mse = mean over i of (w·x_i + b − y_i)²"
        assert_close(value, expected, name=f"mse(w={w}, b={b}) on 40 points", rtol=1e-10,
                     atol=1e-12, hint=hint)


@pytest.mark.points(2)
def test_gradients_match_numeric(learner):
    """mse_gradients agrees with a numeric gradient of the MSE"""
    x, y = _line_data(seed=2, n=40)
    n = len(x)
    for w, b in [(0.0, 0.0), (1.0, 2.0), (3.5, -1.5)]:
        result = learner.intro_numpy.mse_gradients(w, b, x, y)
        assert isinstance(result, (tuple, list)) and len(result) == 2, (
            f"mse_gradients(w, b, x, y) should return a pair (dL/dw, dL/db), got "
            f"{_describe(result)}")
        dw = _scalar(result[0], f"dL/dw returned by mse_gradients(w={w}, b={b})")
        db = _scalar(result[1], f"dL/db returned by mse_gradients(w={w}, b={b})")
        h = 1e-5
        num_dw = (_true_mse(w + h, b, x, y) - _true_mse(w - h, b, x, y)) / (2 * h)
        num_db = (_true_mse(w, b + h, x, y) - _true_mse(w, b - h, x, y)) / (2 * h)
        for got, num, which, factor in ((dw, num_dw, "dL/dw", "(ŷ − y)·x"),
                                        (db, num_db, "dL/db", "(ŷ − y)")):
            ratio = got / num if num != 0 else np.nan
            if np.isclose(ratio, 0.5, rtol=1e-3):
                hint = (f"{which} is half the true value: the factor 2 is missing "
                        f"(d/dŷ (ŷ − y)² = 2(ŷ − y)), so {which} = (2/n)·Σ {factor}")
            elif np.isclose(ratio, n, rtol=1e-3) or np.isclose(ratio, n / 2, rtol=1e-3):
                times = "n" if np.isclose(ratio, n, rtol=1e-3) else "n/2"
                hint = (f"{which} is {times} times too large (n = {n}): the loss is a mean, "
                        f"so its gradient keeps the 1/n: (2/n)·Σ {factor}")
            elif np.isclose(ratio, -1.0, rtol=1e-3):
                hint = (f"{which} has the wrong sign: the residual is ŷ − y = w·x + b − y, "
                        "not y − ŷ")
            else:
                hint = f"{which} = (2/n)·Σ {factor} with ŷ = w·x + b"
            assert_close(got, num, name=f"{which} at w = {w}, b = {b}", rtol=1e-6, atol=1e-8,
                         hint=hint)


# ----------------------------------------------------------------------------- the training loop


def test_fit_returns_types(learner):
    """fit_line returns (w, b, losses): two floats and a 1-D float array of length epochs"""
    x, y = _line_data(seed=3)
    result = learner.intro_numpy.fit_line(x, y, lr=0.1, epochs=25)
    assert isinstance(result, (tuple, list)) and len(result) == 3, (
        f"fit_line should return a tuple (w, b, losses), got {_describe(result)}"
        + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    w, b, losses = result
    for name, value in (("w", w), ("b", b)):
        assert _is_real_scalar(value), (
            f"{name} returned by fit_line should be a single float, got {_describe(value)}. "
            "Keep w and b as plain numbers (w = 0.0), not arrays of shape (1,)")
    assert isinstance(losses, np.ndarray), (
        f"losses should be a numpy array, got {_describe(losses)}: build it with "
        "np.empty(epochs) or np.array(list_of_losses)")
    assert losses.shape == (25,), (
        f"losses should have shape (epochs,) = (25,), got {losses.shape}: one loss value "
        "per epoch, recorded before each update")
    assert losses.dtype.kind == "f", f"losses should be float64, got dtype {losses.dtype}"
    assert np.all(np.isfinite(losses)), "losses contains NaN or Inf with lr = 0.1"


@pytest.mark.points(2)
def test_fit_matches_reference(learner, reference):
    """fit_line takes exactly the reference gradient-descent steps"""
    x, y = _line_data(seed=4)
    epochs = 60  # not converged yet: the path itself is compared, not only the end point
    w, b, losses = learner.intro_numpy.fit_line(x, y, lr=0.1, epochs=epochs)
    w_ref, b_ref, losses_ref = reference.intro_numpy.fit_line(x, y, lr=0.1, epochs=epochs)
    w, b = _scalar(w, "w returned by fit_line"), _scalar(b, "b returned by fit_line")
    losses = np.asarray(losses, dtype=float).reshape(-1)
    assert losses.shape == (epochs,), (
        f"losses should have one value per epoch: shape ({epochs},), got {losses.shape}")

    hint = ("start from w = b = 0; each epoch, record the loss, compute BOTH gradients at the "
            "current (w, b), then update both: w ← w − lr·dL/dw, b ← b − lr·dL/db")
    if b == 0.0:
        hint = "b is still 0 after training: the bias must be updated too (b ← b − lr·dL/db)"
    elif not np.isclose(losses[0], losses_ref[0], rtol=1e-10):
        if np.allclose(losses[:-1], losses_ref[1:], rtol=1e-8):
            hint = ("your losses are shifted by one epoch: record losses[t] BEFORE the update, "
                    "so losses[0] is the loss at w = b = 0")
        else:
            hint = (f"losses[0] should be the loss at w = b = 0 (= mean(y²) = "
                    f"{losses_ref[0]:.6g}): start from zeros and record before updating")
    elif not np.isclose(w, w_ref, rtol=1e-6):
        hint = ("the first loss is right but the path differs. If mse_gradients passes, look "
                "at the update: compute dL/dw and dL/db at the same old (w, b) before changing "
                "either (do not update w, then compute dL/db with the new w), and use lr as given")
    assert_close(losses, losses_ref, name=f"losses (lr = 0.1, {epochs} epochs)", rtol=1e-9,
                 atol=1e-12, hint=hint)
    assert_close(w, w_ref, name=f"w after {epochs} epochs", rtol=1e-9, atol=1e-12, hint=hint)
    assert_close(b, b_ref, name=f"b after {epochs} epochs", rtol=1e-9, atol=1e-12, hint=hint)


def test_loss_falls(learner):
    """The loss falls at every epoch and ends far below where it started"""
    x, y = _line_data(seed=5)
    _w, _b, losses = learner.intro_numpy.fit_line(x, y, lr=0.1, epochs=500)
    losses = np.asarray(losses, dtype=float).reshape(-1)
    assert losses.size == 500, f"losses should have 500 values (one per epoch), got {losses.size}"
    assert np.all(np.isfinite(losses)), (
        "the loss became NaN or Inf with lr = 0.1: the steps are far too large. Is the "
        "gradient a mean (1/n) rather than a sum?")
    rises = np.flatnonzero(np.diff(losses) > 1e-12 * losses[0])
    assert rises.size == 0, (
        f"the loss went UP at {rises.size} of 499 steps, first at epoch {rises[0] + 1} "
        f"({losses[rises[0]]:.6g} → {losses[rises[0] + 1]:.6g}). With a correct gradient "
        "and lr = 0.1 every step lowers the MSE: check the sign of the update (w ← w − lr·grad) "
        "and the size of the gradient")
    assert losses[-1] < 0.05 * losses[0], (
        f"final loss {losses[-1]:.6g} is not far below the initial {losses[0]:.6g} "
        "(expected under 5 % of it after 500 epochs): are both w and b updated?")
    p = np.polyfit(x, y, 1)
    best = _true_mse(p[0], p[1], x, y)
    assert_close(losses[-1], best, name="final loss vs the smallest possible MSE (np.polyfit)",
                 rtol=1e-6, hint="after 500 epochs the loss should have reached its minimum")


@pytest.mark.points(2)
def test_fit_matches_polyfit(learner):
    """The fitted line equals np.polyfit(x, y, 1) (within 1e-6)"""
    for seed in (6, 7):
        x, y = _line_data(seed=seed, n=80)
        w, b, _losses = learner.intro_numpy.fit_line(x, y, lr=0.1, epochs=500)
        w = _scalar(w, "w returned by fit_line")
        b = _scalar(b, "b returned by fit_line")
        slope, intercept = np.polyfit(x, y, 1)
        hint = ("gradient descent on the MSE must end at the least-squares line; if the loss "
                "falls but w, b stop short, check the gradient formula and that b is updated")
        assert_close(w, float(slope), name=f"slope w vs np.polyfit (data seed {seed})",
                     rtol=0, atol=1e-6, hint=hint)
        assert_close(b, float(intercept), name=f"intercept b vs np.polyfit (data seed {seed})",
                     rtol=0, atol=1e-6, hint=hint)


# ----------------------------------------------------------------------------- quiz

# The answer key (the same as solutions/01_introduction/quiz.yaml).
QUIZ_KEY = {
    "q1_loss": "c",
    "q2_update": "a",
    "q3_centred": "d",
    "q4_learning_rate": "b",
    "q5_hyperparameter": "c",
    "q6_polyfit": "b",
}


@pytest.mark.points(2)
def test_quiz(learner):
    """The concept quiz in quiz.yaml is answered correctly"""
    yaml = pytest.importorskip("yaml")
    text = learner.read_text("quiz.yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        _fail(f"quiz.yaml is not valid YAML any more: {exc}. Only replace `null` after "
                    "`answer:` with a letter, e.g. `answer: b`")
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
        f"another look. " + "; ".join(problems) + ". Each answer is one letter, e.g. `answer: b`")
