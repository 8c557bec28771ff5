"""Hidden checks for 10_gradient_boosting: regression trees, boosting by hand, and the libraries.

Three-way comparison on fixed-seed data:
1. learner from-scratch vs the reference (whole models on other settings, Newton leaves);
2. learner from-scratch vs scikit-learn (DecisionTreeRegressor, GradientBoostingRegressor /
   GradientBoostingClassifier with the same settings: predictions, staged predictions,
   train_score_, feature_importances_);
3. learner library code vs scikit-learn used correctly;
plus the lesson: every stage lowers the training loss, F₀ is the mean / the log-odds, the
classifier's leaves are Newton steps. XGBoost / LightGBM checks are optional: skipped where
the package is missing, and never counted (their outcome is reported as a skip reason).

Conventions pinned here (all stated in exercises/10_gradient_boosting/README.md):
- trees split on the squared error of r; gain = MSE(parent) − (n_l/n)·MSE(l) − (n_r/n)·MSE(r);
  thresholds are midpoints between consecutive distinct values; x <= threshold goes left;
  a cut is a candidate only if both sides keep >= min_samples_leaf samples; root depth 0.
- a node's value is Σr/Σh (h = 1 by default); the tree is a nested dict with "leaf", "value",
  "n_samples", "impurity" (MSE of r), and "feature", "threshold", "left", "right" on splits.
- regressor F₀ = mean(y), r = y − F; classifier F₀ = log(p/(1−p)), r = y − σ(F), h = σ(1−σ).
- F = init + learning_rate · Σ tree(x); train_loss[m] is the loss after stage m (MSE / mean
  log loss; sklearn's classifier train_score_ is twice the mean log loss).

Data: features on a 1/64 grid (exact in float32, which sklearn's trees use; duplicates
included), smooth targets with noise. Every data set and setting below was checked offline
to have no near-tie between candidate splits in any node of any stage (the best gain beats
the next one by a relative margin >= 1e-4; see _grid), so the tie rule never decides a split and any
correct implementation reproduces sklearn's trees exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.testing import LearnerProblem, assert_close, assert_same

N_TEST = 80
REG_MAIN = {"seed": 0, "n": 240, "n_estimators": 50, "learning_rate": 0.1, "max_depth": 3,
            "min_samples_leaf": 5}
REG_ALT = {"seed": 3, "n": 160, "n_estimators": 25, "learning_rate": 0.3, "max_depth": 2,
           "min_samples_leaf": 4}
CLF_MAIN = {"seed": 7, "n": 240, "n_estimators": 50, "learning_rate": 0.1, "max_depth": 3,
            "min_samples_leaf": 5}
CLF_ALT = {"seed": 2, "n": 160, "n_estimators": 20, "learning_rate": 0.5, "max_depth": 2,
           "min_samples_leaf": 4}
SETTINGS = ("n_estimators", "learning_rate", "max_depth", "min_samples_leaf")


# ----------------------------------------------------------------------------- data
def _grid(a):
    """Round to multiples of 1/64: exact in float32 and float64, with some repeated values."""
    return np.round(np.asarray(a, dtype=np.float64) * 64.0) / 64.0


def _regression_data(seed, n, d=5):
    rng = np.random.default_rng(seed)
    X = _grid(rng.normal(size=(n, d)))
    y = (np.sin(2 * X[:, 0]) + 0.8 * X[:, 1] ** 2 - 0.6 * X[:, 2] + 0.4 * X[:, 0] * X[:, 3]
         + 0.3 * rng.normal(size=n))
    return X, y


def _classification_data(seed, n, d=5):
    rng = np.random.default_rng(seed)
    X = _grid(rng.normal(size=(n, d)))
    z = 1.5 * X[:, 0] - X[:, 1] ** 2 + 0.8 * X[:, 2] * X[:, 3] + 0.5 + 0.7 * rng.normal(size=n)
    return X, (z > 0).astype(np.int64)


def _data(kind, cfg):
    """(X_train, y_train, X_test, y_test) for a configuration."""
    gen = _regression_data if kind == "reg" else _classification_data
    X, y = gen(cfg["seed"], cfg["n"] + N_TEST)
    n = cfg["n"]
    return X[:n], y[:n], X[n:], y[n:]


def _settings(cfg, **override):
    out = {k: cfg[k] for k in SETTINGS}
    out.update(override)
    return out


def _describe_settings(cfg):
    return ", ".join(f"{k}={cfg[k]}" for k in SETTINGS)


_SK_CACHE: dict = {}


def _sk_model(kind, cfg):
    """scikit-learn's boosting model for a configuration (cached)."""
    key = (kind, tuple(sorted(cfg.items())))
    if key not in _SK_CACHE:
        from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor

        X, y, _, _ = _data(kind, cfg)
        cls = GradientBoostingRegressor if kind == "reg" else GradientBoostingClassifier
        _SK_CACHE[key] = cls(**_settings(cfg), random_state=0).fit(X, y)
    return _SK_CACHE[key]


def _sk_stage_outputs(sk, X):
    """(n_estimators, n): the value each stage's tree gives every row (unscaled)."""
    return np.array([stage[0].predict(X) for stage in sk.estimators_])


_LEARNER_CACHE: dict = {}


def _learner_model(learner, kind, cfg):
    """The learner's fitted model (plain data) for a configuration, fitted once per run."""
    key = (id(learner), kind, tuple(sorted(cfg.items())))
    if key not in _LEARNER_CACHE:
        X, y, _, _ = _data(kind, cfg)
        fit = (learner.gradient_boosting_numpy.fit_gb_regressor if kind == "reg"
               else learner.gradient_boosting_numpy.fit_gb_classifier)
        _LEARNER_CACHE[key] = fit(X, y, **_settings(cfg))
    return _LEARNER_CACHE[key]


# ----------------------------------------------------------------------------- small helpers
def _fail(message):
    """Fail the check with this message (an AssertionError: pytest.fail's exception is not
    one, and the engine would wrap its text as "could not use your result")."""
    raise AssertionError(message)


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    name = getattr(value, "type_name", None) if not isinstance(value, (list, tuple, dict)) else None
    return f"a {name or type(value).__name__}"


def _is_number(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu"


def _number(value, what) -> float:
    if not _is_number(value):
        _fail(f"{what} should be a single number, got {_describe(value)}")
    out = float(value)
    assert np.isfinite(out), f"{what} is {out}"
    return out


def _array(value, what, shape) -> np.ndarray:
    if not isinstance(value, (np.ndarray, list, tuple)):
        _fail(f"{what} should be a numpy array of shape {shape}, got {_describe(value)}")
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != shape:
        extra = ""
        if arr.shape == shape[::-1] and len(shape) == 2:
            extra = ": transposed? rows are the stages, columns the samples"
        _fail(f"{what} has shape {arr.shape}, expected {shape}{extra}")
    if not np.all(np.isfinite(arr)):
        _fail(f"{what} contains NaN or Inf: did F diverge (residuals with the wrong sign, or "
              "probabilities and log-odds mixed up)?")
    return arr


# ----------------------------------------------------------------------------- trees as dicts
def _sk_tree(est, i=0):
    """A fitted sklearn tree as a nested dict in the README's layout.

    A node sklearn split although its r are all equal (impurity ≈ 1e-16, children with the
    same value) is shown as a leaf: the README makes such a node a leaf, predictions agree.
    """
    t = est.tree_
    left, right = int(t.children_left[i]), int(t.children_right[i])
    node = {"leaf": True, "value": float(t.value[i, 0, 0]),
            "n_samples": int(t.n_node_samples[i]), "impurity": float(t.impurity[i])}
    if left == -1:
        return node
    if t.impurity[i] < 1e-12:
        while t.children_left[left] != -1:
            left = int(t.children_left[left])
        node["value"] = float(t.value[left, 0, 0])
        return node
    node.update(leaf=False, feature=int(t.feature[i]), threshold=float(t.threshold[i]),
                left=_sk_tree(est, left), right=_sk_tree(est, right))
    return node


def _node_kind(node, where):
    if not isinstance(node, dict):
        _fail(f"{where} should be a dict (a tree node), got {_describe(node)}")
    if "leaf" not in node:
        _fail(f"{where} has no key 'leaf' (keys: {sorted(node)}): every node needs "
                    "'leaf' (bool), 'value', 'n_samples' and 'impurity'")
    if node["leaf"]:
        if "value" not in node:
            _fail(f"{where} is a leaf without a 'value'")
        return True
    missing = [k for k in ("feature", "threshold", "left", "right") if k not in node]
    if missing:
        _fail(f"{where} is a split node (leaf False) without {missing}")
    return False


def _walk(tree, X, where="tree", strict=False):
    """Evaluate a learner tree (nested dict) on X in the grading process: (n,) values.

    strict=True sends x == threshold right (the bug the diagnoses look for)."""
    out = np.empty(len(X), dtype=np.float64)

    def fill(node, rows, path, depth):
        if depth > 40:
            _fail(f"{where}: deeper than 40 levels at {path}: is a node its own child?")
        if _node_kind(node, f"{where}, node {path}"):
            out[rows] = _number(node["value"], f"{where}, value of leaf {path}")
            return
        f = int(node["feature"])
        if not 0 <= f < X.shape[1]:
            _fail(f"{where}, node {path}: feature {f} is not a column index "
                        f"(0..{X.shape[1] - 1})")
        threshold = _number(node["threshold"], f"{where}, threshold at {path}")
        go_left = X[rows, f] < threshold if strict else X[rows, f] <= threshold
        fill(node["left"], rows[go_left], path + ".left", depth + 1)
        fill(node["right"], rows[~go_left], path + ".right", depth + 1)

    fill(tree, np.arange(len(X)), "root", 0)
    return out


def _depth(node):
    if node.get("leaf", True):
        return 0
    return 1 + max(_depth(node["left"]), _depth(node["right"]))


def _leaves(node):
    if node.get("leaf", True):
        return [node]
    return _leaves(node["left"]) + _leaves(node["right"])


def _first_difference(mine, theirs, path="root", other="sklearn's"):
    """The first node (pre-order) where two trees differ, described; None if the same."""
    if bool(mine["leaf"]) != bool(theirs["leaf"]):
        if theirs["leaf"]:
            return (f"node {path}: you split it (feature {mine.get('feature')} <= "
                    f"{mine.get('threshold')}), {other} tree has a leaf there "
                    f"({theirs['n_samples']} samples)")
        return (f"node {path}: yours is a leaf, {other} tree splits it on feature "
                f"{theirs['feature']} <= {theirs['threshold']:.6g} "
                f"({theirs['n_samples']} samples)")
    if "n_samples" in mine and int(mine["n_samples"]) != theirs["n_samples"]:
        return (f"node {path}: n_samples {mine['n_samples']}, {other} node holds "
                f"{theirs['n_samples']}")
    if theirs["leaf"]:
        return None
    if int(mine["feature"]) != theirs["feature"] or not np.isclose(
            float(mine["threshold"]), theirs["threshold"], rtol=0, atol=1e-12):
        return (f"node {path}: your split is feature {int(mine['feature'])} <= "
                f"{float(mine['threshold']):.9g}, {other} is feature {theirs['feature']} <= "
                f"{theirs['threshold']:.9g}")
    return (_first_difference(mine["left"], theirs["left"], path + ".left", other)
            or _first_difference(mine["right"], theirs["right"], path + ".right", other))


def _model_parts(model, what, n_estimators):
    """Validate the model dict; return (init, learning_rate, trees, train_loss)."""
    if not isinstance(model, dict):
        _fail(f"{what} should return a dict with keys init, learning_rate, trees, "
                    f"train_loss; got {_describe(model)}")
    missing = [k for k in ("init", "learning_rate", "trees", "train_loss") if k not in model]
    if missing:
        _fail(f"{what}: the model dict has no key(s) {missing} (it has {sorted(model)})")
    init = _number(model["init"], f"{what}: model['init']")
    lr = _number(model["learning_rate"], f"{what}: model['learning_rate']")
    trees = model["trees"]
    if not isinstance(trees, (list, tuple)):
        _fail(f"{what}: model['trees'] should be a list of trees, got {_describe(trees)}")
    if len(trees) != n_estimators:
        _fail(f"{what}: model['trees'] holds {len(trees)} trees, expected one per stage "
                    f"(n_estimators = {n_estimators})")
    loss = _array(model["train_loss"], f"{what}: model['train_loss']", (n_estimators,))
    return init, lr, list(trees), loss


def _stage_outputs(trees, X, what):
    return np.array([_walk(t, X, f"{what}, tree {m}") for m, t in enumerate(trees)])


def _first_bad_stage(mine, theirs, rtol=1e-9, atol=1e-10):
    for m in range(min(len(mine), len(theirs))):
        if not np.allclose(mine[m], theirs[m], rtol=rtol, atol=atol):
            return m
    return None


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _small_leaf(tree, msl):
    """The n_samples of a leaf holding fewer than min_samples_leaf samples, or None."""
    for leaf in _leaves(tree):
        n = leaf.get("n_samples")
        if _is_number(n) and n < msl:
            return int(n)
    return None


def _own_tree_hint(trees, m, X, r, cfg, reference, hessian=None, what="r = y − F"):
    """Trees 0..m-1 are right, tree m is not: is tree m the regression tree of the learner's
    own residuals r? If not, fit_tree is at fault (a hint saying where); None if it is."""
    depth, msl = cfg["max_depth"], cfg["min_samples_leaf"]
    small = _small_leaf(trees[m], msl)
    if small is not None:
        return (f"tree {m} has a leaf with {small} samples < min_samples_leaf={msl}: only cuts "
                "that leave min_samples_leaf samples on BOTH sides are candidates (fix fit_tree "
                "/ best_split first, see the tree checks)")
    expected = reference.gradient_boosting_numpy.fit_tree(X, r, depth, msl, hessian=hessian)
    if np.allclose(_walk(trees[m], X), _walk(expected, X), rtol=1e-9, atol=1e-10):
        return None
    diff = _first_difference(trees[m], expected, other="the regression tree's")
    return (f"trees 0..{m - 1} are right, but tree {m} is not the regression tree of your own "
            f"residuals {what} (max_depth={depth}, min_samples_leaf={msl})"
            + (f": {diff}" if diff else "") + ". Your fit_tree differs on this target although "
            "it got the first trees right: fix fit_tree / best_split first (see the tree checks)")


def _heldout_hint(trees, init, lr, X_test, got_raw, expected_raw, other_trees, other="sklearn's"):
    """The learner's trees agree with other_trees on the training rows, yet F on held-out rows
    differs: say whether predict_tree / predict_raw or the trees' thresholds are at fault."""
    walked = init + lr * _stage_outputs(trees, X_test, "your model").sum(axis=0)
    if np.allclose(walked, expected_raw, rtol=1e-9, atol=1e-9):
        strict = init + lr * np.array([_walk(t, X_test, strict=True) for t in trees]).sum(axis=0)
        if got_raw is not None and np.allclose(got_raw, strict, rtol=1e-9, atol=1e-9):
            return ("your trees are right, but predict_tree sends the held-out rows whose "
                    "x[feature] equals a threshold RIGHT: equality goes LEFT (x <= threshold), "
                    "as in sklearn")
        return ("your trees are right (walked with x <= threshold → left they give the expected "
                "F), so predict_raw / predict_tree differ: F(x) = init + learning_rate · "
                "Σ_m tree_m(x), each tree walked from the root to a leaf")
    for j, (mine, theirs) in enumerate(zip(trees, other_trees)):
        diff = _first_difference(mine, theirs, other=other)
        if diff and "your split is" in diff:
            return (f"tree {j}, {diff}. The trees agree on every training row, so the threshold "
                    "lies in the right gap but not at the right place: held-out rows between the "
                    "two neighbouring training values go the other way. The threshold is the "
                    "MIDPOINT between consecutive distinct values")
        if diff:
            return f"tree {j}, {diff}"
    return ("every tree equals " + other + " tree, so the way they are added up differs: "
            "F(x) = init + learning_rate · Σ_m tree_m(x), with the trees' own (unscaled) values")


# ----------------------------------------------------------------------------- diagnoses
def _regressor_hint(model, cfg, reference, X_test=None, got=None):
    """Why a learner regressor differs from sklearn's: the first stage that differs, and how.
    With X_test (and the learner's F on it, got), also explains held-out-only differences."""
    X, y, _, _ = _data("reg", cfg)
    sk = _sk_model("reg", cfg)
    init, lr, trees, _ = _model_parts(model, "fit_gb_regressor", cfg["n_estimators"])
    if not np.isclose(init, y.mean(), rtol=1e-10, atol=1e-12):
        if init == 0.0:
            return "F₀ (model['init']) is 0: boosting starts from the mean of y, F₀ = mean(y)"
        return f"F₀ (model['init']) = {init:.6g}, expected the mean of y = {y.mean():.6g}"
    if not np.isclose(lr, cfg["learning_rate"]):
        return (f"model['learning_rate'] is {lr:g}, but fit_gb_regressor was called with "
                f"learning_rate={cfg['learning_rate']}")
    mine = _stage_outputs(trees, X, "fit_gb_regressor")
    theirs = _sk_stage_outputs(sk, X)
    m = _first_bad_stage(mine, theirs)
    if m is None:
        if X_test is not None:
            return _heldout_hint(trees, init, lr, X_test, got, sk.predict(X_test),
                                 [_sk_tree(stage[0]) for stage in sk.estimators_])
        return ("every tree equals sklearn's, so the way they are added up differs: "
                "F(x) = init + learning_rate · Σ_m tree_m(x), with the trees' own (unscaled) values")
    if m == 0:
        if np.allclose(mine[0], theirs[0] + y.mean(), rtol=1e-9, atol=1e-10):
            return ("your first tree is fitted to y itself: fit every tree to the residuals "
                    "r = y − F (for the first tree r = y − mean(y))")
        if np.allclose(mine[0], -theirs[0], rtol=1e-9, atol=1e-10):
            return ("your first tree is the negative of sklearn's: the trees fit the NEGATIVE "
                    "gradient r = y − F (not F − y) and F grows by + learning_rate · tree(x)")
        return ("your first tree already differs from a regression tree fitted to r = y − mean(y) "
                f"(max_depth={cfg['max_depth']}, min_samples_leaf={cfg['min_samples_leaf']}): "
                "fix fit_tree first (see the tree checks)")
    if np.allclose(mine[m], mine[m - 1], rtol=1e-9, atol=1e-10):
        return (f"tree {m} repeats tree {m - 1}: the residuals are not recomputed. After each "
                "stage F ← F + learning_rate · tree(x), then the next tree fits r = y − F")
    ref1 = reference.gradient_boosting_numpy.fit_gb_regressor(
        X, y, **_settings(cfg, n_estimators=m + 1, learning_rate=1.0))
    if np.allclose(mine[m], _walk(ref1["trees"][m], X), rtol=1e-9, atol=1e-10):
        return (f"tree {m} was fitted to residuals computed as if learning_rate were 1: add "
                "learning_rate · tree(x) to F (not tree(x)) before computing the next residuals")
    own = _own_tree_hint(trees, m, X, y - init - lr * mine[:m].sum(axis=0), cfg, reference)
    if own:
        return own
    return (f"trees 0..{m - 1} equal sklearn's but tree {m} differs: after every stage "
            "F ← F + learning_rate · tree(x), and the next tree fits r = y − F on ALL samples")


def _classifier_hint(model, cfg, reference, X_test=None, got=None):
    """Why a learner classifier differs from sklearn's (X_test, got: as in _regressor_hint)."""
    X, y, _, _ = _data("clf", cfg)
    sk = _sk_model("clf", cfg)
    init, lr, trees, _ = _model_parts(model, "fit_gb_classifier", cfg["n_estimators"])
    p = y.mean()
    log_odds = np.log(p / (1 - p))
    if not np.isclose(init, log_odds, rtol=1e-10, atol=1e-12):
        if np.isclose(init, p):
            return (f"F₀ (model['init']) is the prior probability p = {p:.4g}; F is a log-odds, "
                    f"so F₀ = log(p / (1 − p)) = {log_odds:.6g}")
        if init == 0.0:
            return f"F₀ (model['init']) is 0: start from the log-odds of the prior, {log_odds:.6g}"
        return f"F₀ (model['init']) = {init:.6g}, expected log(p/(1−p)) = {log_odds:.6g}"
    mine = _stage_outputs(trees, X, "fit_gb_classifier")
    theirs = _sk_stage_outputs(sk, X)
    m = _first_bad_stage(mine, theirs)
    if m is None:
        if X_test is not None:
            return _heldout_hint(trees, init, lr, X_test, got, sk.decision_function(X_test),
                                 [_sk_tree(stage[0]) for stage in sk.estimators_])
        return ("every tree equals sklearn's, so the way they are added up differs: "
                "F(x) = init + learning_rate · Σ_m tree_m(x), and P(y=1|x) = σ(F(x))")
    fit_tree = reference.gradient_boosting_numpy.fit_tree
    F = np.full(len(y), init) + lr * mine[:m].sum(axis=0)
    prob = _sigmoid(F)
    depth, msl = cfg["max_depth"], cfg["min_samples_leaf"]
    mean_leaves = _walk(fit_tree(X, y - prob, depth, msl), X)
    if np.allclose(mine[m], mean_leaves, rtol=1e-9, atol=1e-10):
        return (f"the leaves of tree {m} hold the mean of r: for the log loss every leaf takes "
                "one Newton step Σr / Σp(1−p) over its samples (pass hessian = p·(1 − p))")
    on_log_odds = _walk(fit_tree(X, y - F, depth, msl, hessian=prob * (1 - prob)), X)
    if np.allclose(mine[m], on_log_odds, rtol=1e-9, atol=1e-10):
        return ("the residuals are y − F (F is a log-odds): they must be y − σ(F), "
                "labels minus probabilities")
    if m == 0:
        return ("your first tree already differs from sklearn's; with r = y − σ(F₀) and the "
                "Newton leaves Σr/Σp(1−p) it should not: check fit_tree first (tree checks)")
    if np.allclose(mine[m], mine[m - 1], rtol=1e-9, atol=1e-10):
        return (f"tree {m} repeats tree {m - 1}: recompute p = σ(F) and r = y − p after every "
                "stage")
    own = _own_tree_hint(trees, m, X, y - prob, cfg, reference, hessian=prob * (1 - prob),
                         what="r = y − σ(F) with the Newton leaves Σr/Σp(1−p)")
    if own:
        return own
    return (f"trees 0..{m - 1} equal sklearn's but tree {m} differs: after every stage "
            "F ← F + learning_rate · tree(x), then p = σ(F), r = y − p, h = p(1 − p)")


# ============================================================================= trees
@pytest.mark.points(2)
def test_best_split_matches_sklearn_stump(learner):
    """best_split finds sklearn's root split: same feature, midpoint threshold, same gain"""
    from sklearn.tree import DecisionTreeRegressor

    for seed, msl in ((101, 1), (103, 1), (109, 7)):
        X, r = _regression_data(seed, 200)
        got = learner.gradient_boosting_numpy.best_split(X, r, min_samples_leaf=msl)
        label = f"best_split on 200 rows × 5 features (min_samples_leaf={msl})"
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            _fail(f"{label} should return a tuple (feature, threshold, gain), got "
                        f"{_describe(got)}")
        sk = DecisionTreeRegressor(max_depth=1, min_samples_leaf=msl, random_state=0).fit(X, r)
        t = sk.tree_
        feature, threshold = int(t.feature[0]), float(t.threshold[0])
        n, n_l, n_r = t.n_node_samples[:3]
        gain = float(t.impurity[0] - n_l / n * t.impurity[1] - n_r / n * t.impurity[2])
        f_got = int(_number(got[0], f"{label}: feature"))
        th_got = _number(got[1], f"{label}: threshold")
        g_got = _number(got[2], f"{label}: gain")
        hint = ("the best split maximises MSE(parent) − (n_l/n)·MSE(left) − (n_r/n)·MSE(right) "
                "over every feature and every midpoint between consecutive distinct values")
        msl_hint = None
        if msl > 1:
            free = DecisionTreeRegressor(max_depth=1, random_state=0).fit(X, r).tree_
            if f_got == free.feature[0] and np.isclose(th_got, free.threshold[0]):
                msl_hint = (f"this is the best split WITHOUT min_samples_leaf (it leaves "
                            f"{min(free.n_node_samples[1:3])} samples on one side): only cuts "
                            f"that leave at least {msl} samples on each side are candidates")
                hint = msl_hint
        assert_same(f_got, feature, name=f"{label}: the split feature", hint=hint)
        values = np.unique(X[:, feature])
        below = values[values <= threshold].max()
        above = values[values > threshold].min()
        th_hint = (f"the threshold is the midpoint between the two consecutive distinct values "
                   f"around the cut: ({below} + {above}) / 2 = {threshold}")
        if np.isclose(th_got, below) or np.isclose(th_got, above):
            th_hint = (f"your threshold {th_got} is a data value; sklearn (and the README) put "
                       f"it halfway between the neighbours {below} and {above}: {threshold}")
        assert_close(th_got, threshold, name=f"{label}: the threshold", rtol=0, atol=1e-12,
                     hint=msl_hint or th_hint)
        g_hint = "gain = MSE(parent) − (n_l/n)·MSE(left) − (n_r/n)·MSE(right), MSE = np.var"
        if np.isclose(g_got, n * gain, rtol=1e-6):
            g_hint = ("your gain is n times too large: that is the drop in the SUM of squared "
                      "errors; divide by n (weight the children's MSE by n_l/n and n_r/n)")
        elif np.isclose(g_got, t.impurity[0] - gain, rtol=1e-6):
            g_hint = ("that is the children's weighted MSE; the gain is the parent's MSE minus it")
        assert_close(g_got, gain, name=f"{label}: the gain (impurity decrease)", rtol=1e-9,
                     atol=1e-12, hint=g_hint)


def test_best_split_keeps_equal_values_together(learner):
    """best_split never cuts between equal values, and returns None when nothing can be split"""
    X = np.array([[0.0, 0.50], [1.0, 1.75], [1.0, 0.25], [1.0, 1.00], [1.0, 1.25],
                  [2.0, 1.50], [3.0, 0.75], [3.0, 2.00]])
    r = np.array([0.0, 0.1, 0.0, 5.0, 5.2, 4.9, 5.1, 5.0])
    got = learner.gradient_boosting_numpy.best_split(X, r)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        _fail(f"best_split should return a tuple (feature, threshold, gain), got "
                    f"{_describe(got)}")
    hint = ("only cut between consecutive DISTINCT sorted values: rows with the same x[feature] "
            "always go to the same side (x <= threshold), so a cut between two equal values "
            "is not a split at all")
    if int(got[0]) == 0 and np.isclose(float(got[1]), 1.0):
        hint = ("you cut between two equal values of feature 0 (x = 1.0, threshold 1.0): "
                "x <= 1.0 sends all four rows with x = 1.0 left, so the gain you computed "
                "belongs to no real split. " + hint)
    assert_same((int(got[0]), float(got[1])), (1, 0.625),
                name="(feature, threshold) on 8 rows where feature 0 repeats the value 1.0",
                hint=hint)
    constant = np.column_stack([np.full(6, 2.0), np.full(6, -1.0)])
    got = learner.gradient_boosting_numpy.best_split(constant, np.arange(6.0))
    assert got is None, (
        f"best_split on features that are constant (no two distinct values) should return "
        f"None, got {got!r:.100}")
    got = learner.gradient_boosting_numpy.best_split(X[:6], r[:6], min_samples_leaf=4)
    assert got is None, (
        f"best_split on 6 rows with min_samples_leaf=4 should return None (no cut leaves 4 "
        f"samples on both sides), got {got!r:.100}")


@pytest.mark.points(2)
def test_fit_tree_matches_sklearn(learner):
    """fit_tree grows sklearn's DecisionTreeRegressor (max_depth, min_samples_leaf)"""
    from sklearn.tree import DecisionTreeRegressor

    for seed, depth, msl in ((103, 3, 1), (104, 4, 7)):
        X, r = _regression_data(seed, 200)
        X_new, _ = _regression_data(200 + seed, 60)
        label = f"fit_tree(max_depth={depth}, min_samples_leaf={msl}) on 200 rows"
        tree = learner.gradient_boosting_numpy.fit_tree(X, r, max_depth=depth,
                                                        min_samples_leaf=msl)
        sk = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=msl,
                                   random_state=0).fit(X, r)
        expected_tree = _sk_tree(sk)
        values = _walk(tree, X_new, label)          # the tree itself, evaluated by the check
        hint = _first_difference(tree, expected_tree) or "compare the leaf values (mean of r)"
        got_depth = _depth(tree)
        if got_depth != _depth(expected_tree):
            hint = (f"your tree has depth {got_depth}, sklearn's {_depth(expected_tree)} with "
                    f"max_depth={depth}: the root has depth 0 and a node at depth max_depth is "
                    f"a leaf. " + hint)
        small = [leaf.get("n_samples") for leaf in _leaves(tree)
                 if _is_number(leaf.get("n_samples")) and leaf["n_samples"] < msl]
        if small:
            hint = (f"a leaf holds {small[0]} samples < min_samples_leaf={msl}: only cuts that "
                    "leave min_samples_leaf samples on BOTH sides are candidates. " + hint)
        assert_close(values, sk.predict(X_new), name=f"{label}: its values on 60 new rows",
                     rtol=1e-10, atol=1e-12, hint=hint)
        for node, ref, path in _paired_nodes(tree, expected_tree):
            for key in ("n_samples", "impurity"):
                if key not in node:
                    _fail(f"{label}: node {path} has no '{key}' (every node stores "
                                "n_samples and impurity, the MSE of r in the node)")
            assert_same(int(node["n_samples"]), ref["n_samples"],
                        name=f"{label}: n_samples of node {path}")
            assert_close(_number(node["impurity"], f"impurity of node {path}"), ref["impurity"],
                         name=f"{label}: impurity of node {path}", rtol=1e-9, atol=1e-12,
                         hint="impurity = the MSE of r in the node, np.var(r_node) (ddof=0)")


def _paired_nodes(mine, theirs, path="root"):
    """Nodes of two trees of the same shape, paired in pre-order."""
    yield mine, theirs, path
    if not mine["leaf"] and not theirs["leaf"]:
        yield from _paired_nodes(mine["left"], theirs["left"], path + ".left")
        yield from _paired_nodes(mine["right"], theirs["right"], path + ".right")


def test_predict_tree_follows_given_tree(learner):
    """predict_tree walks a given tree: x <= threshold goes left, leaves give their value"""
    from sklearn.tree import DecisionTreeRegressor

    X, r = _regression_data(106, 200)
    sk = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, r)
    tree = _sk_tree(sk)
    X_new, _ = _regression_data(306, 40)
    t = sk.tree_
    inner = np.flatnonzero(t.children_left != -1)
    X_at = X[:len(inner)].copy()
    for row, node in enumerate(inner):        # rows sitting exactly on a threshold
        X_at[row, t.feature[node]] = t.threshold[node]
    X_q = np.vstack([X_new, X_at])
    got = learner.gradient_boosting_numpy.predict_tree(tree, X_q)
    expected = sk.predict(X_q)
    hint = "follow the tree from the root: x[feature] <= threshold → left, else right"
    got_arr = np.asarray(got, dtype=np.float64) if isinstance(got, (np.ndarray, list)) else None
    if got_arr is not None and got_arr.shape == expected.shape:
        bad = ~np.isclose(got_arr, expected, rtol=0, atol=1e-15)
        if bad.any() and bad[:len(X_new)].sum() == 0:
            hint = ("only the rows with x[feature] exactly equal to a threshold differ: equality "
                    "goes LEFT (x <= threshold), as in sklearn")
    assert_close(got, expected, name=f"predict_tree on {len(X_q)} rows ({len(X_at)} of them "
                 "exactly on a threshold), for a depth-3 tree built from sklearn's",
                 rtol=0, atol=1e-15, hint=hint)


def test_fit_tree_leaf_values_with_hessian(learner, reference):
    """fit_tree with a hessian gives every leaf the value Σr / Σh of its samples"""
    X, y, _, _ = _data("clf", CLF_ALT)
    F = 0.8 * X[:, 0] - 0.5 * X[:, 1] + 0.2
    p = _sigmoid(F)
    r, h = y - p, p * (1 - p)
    X_new = _data("clf", CLF_ALT)[2]
    tree = learner.gradient_boosting_numpy.fit_tree(X, r, max_depth=2, min_samples_leaf=4,
                                                    hessian=h)
    ref_tree = reference.gradient_boosting_numpy.fit_tree(X, r, max_depth=2, min_samples_leaf=4,
                                                          hessian=h)
    values = _walk(tree, X_new, "fit_tree(..., hessian=h)")
    expected = _walk(ref_tree, X_new)
    hint = _first_difference(tree, ref_tree) or (
        "a leaf's value is Σ r / Σ h over the samples in the leaf (the mean of r when h = 1)")
    no_hess = _walk(reference.gradient_boosting_numpy.fit_tree(X, r, 2, 4), X_new)
    if np.allclose(values, no_hess, rtol=1e-9):
        hint = ("these are the means of r: with a hessian the leaf value is Σr / Σh (the splits "
                "stay those of the squared error of r)")
    assert_close(values, expected, name="leaf values of fit_tree(X, r, 2, 4, hessian=p(1−p)) "
                 f"on {len(X_new)} rows", rtol=1e-10, atol=1e-12, hint=hint)


# ============================================================================= regressor
def test_regressor_init_is_mean(learner):
    """fit_gb_regressor starts from F₀ = mean(y) and returns the documented model dict"""
    X, y, _, _ = _data("reg", REG_ALT)
    model = learner.gradient_boosting_numpy.fit_gb_regressor(
        X, y, **_settings(REG_ALT, n_estimators=2))
    init, lr, _, _ = _model_parts(model, "fit_gb_regressor(..., n_estimators=2)", 2)
    sk = _sk_model("reg", REG_ALT)
    hint = "F₀ = mean(y): the constant that minimises the squared error"
    if init == 0.0:
        hint = "F₀ is 0: boosting starts from the mean of y (sklearn's DummyRegressor('mean'))"
    elif np.isclose(init, np.median(y)):
        hint = "that is the median of y (the start for the absolute error); here F₀ = mean(y)"
    assert_close(init, float(sk.init_.constant_.ravel()[0]), name="model['init'] (F₀)",
                 rtol=1e-12, atol=1e-12, hint=hint)
    assert_close(lr, REG_ALT["learning_rate"], name="model['learning_rate']", rtol=1e-12,
                 hint="store the learning_rate you were called with")


@pytest.mark.points(3)
def test_regressor_predictions_equal_sklearn(learner, reference):
    """Your boosted regressor predicts exactly what GradientBoostingRegressor predicts"""
    X, y, X_test, _ = _data("reg", REG_MAIN)
    model = _learner_model(learner, "reg", REG_MAIN)
    _model_parts(model, "fit_gb_regressor", REG_MAIN["n_estimators"])
    got = learner.gradient_boosting_numpy.predict_raw(model, X_test)
    expected = _sk_model("reg", REG_MAIN).predict(X_test)
    got = _array(got, "predict_raw(model, X_test)", expected.shape)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-9):
        return
    hint = _regressor_hint(model, REG_MAIN, reference, X_test, got)
    assert_close(got, expected, name=f"predictions on {len(X_test)} held-out rows "
                 f"({_describe_settings(REG_MAIN)})", rtol=1e-9, atol=1e-9, hint=hint)


@pytest.mark.points(2)
def test_regressor_matches_reference(learner, reference):
    """On other settings your regressor builds the reference's trees, stage by stage"""
    cfg = REG_ALT
    X, y, X_test, _ = _data("reg", cfg)
    model = learner.gradient_boosting_numpy.fit_gb_regressor(X, y, **_settings(cfg))
    init, lr, trees, loss = _model_parts(model, "fit_gb_regressor", cfg["n_estimators"])
    ref = reference.gradient_boosting_numpy.fit_gb_regressor(X, y, **_settings(cfg))
    mine = _stage_outputs(trees, X, "your model")
    theirs = _stage_outputs(ref["trees"], X, "reference")
    m = _first_bad_stage(mine, theirs)
    if m is not None or not np.isclose(init, ref["init"]):
        hint = _regressor_hint_vs(model, ref, X, y, cfg, reference)
        assert_close(mine, theirs, name=f"tree outputs on the training rows, stage by stage "
                     f"({_describe_settings(cfg)}), first differing stage {m}", rtol=1e-9,
                     atol=1e-10, hint=hint)
    assert_close(loss, ref["train_loss"], name="model['train_loss']", rtol=1e-9, atol=1e-12,
                 hint=_loss_hint(loss, ref["train_loss"], float(np.mean((y - y.mean()) ** 2)),
                                 "MSE"))
    got = learner.gradient_boosting_numpy.predict_raw(model, X_test)
    expected = reference.gradient_boosting_numpy.predict_raw(ref, X_test)
    got = _array(got, "predict_raw(model, X_test)", expected.shape)
    hint = "F(x) = model['init'] + model['learning_rate'] · Σ tree(x)"
    if not np.allclose(got, expected, rtol=1e-9, atol=1e-9):
        hint = _heldout_hint(trees, init, lr, X_test, got, expected, ref["trees"],
                             other="the reference's")
    assert_close(got, expected, name="predict_raw on held-out rows", rtol=1e-9, atol=1e-9,
                 hint=hint)


def _regressor_hint_vs(model, ref, X, y, cfg, reference):
    """Like _regressor_hint, against the reference model (other settings)."""
    init = float(model["init"])
    if not np.isclose(init, y.mean()):
        return f"F₀ (model['init']) = {init:.6g}, expected the mean of y = {y.mean():.6g}"
    mine = _stage_outputs(model["trees"], X, "your model")
    theirs = _stage_outputs(ref["trees"], X, "reference")
    m = _first_bad_stage(mine, theirs)
    if m == 0 and np.allclose(mine[0], -theirs[0], rtol=1e-9, atol=1e-10):
        return ("your trees fit F − y: model['trees'] must hold trees fitted to the negative "
                "gradient r = y − F, so that F = init + learning_rate · Σ tree(x)")
    if m == 0 and np.allclose(mine[0], cfg["learning_rate"] * theirs[0], rtol=1e-9, atol=1e-10):
        return ("your trees' values already include the learning rate: store the unscaled "
                "values Σr/Σh and apply learning_rate when adding the trees up")
    if m == 0:
        return ("your first tree differs from the reference's (fitted to r = y − mean(y)): "
                "fix fit_tree first (see the tree checks)")
    if np.allclose(mine[m], mine[m - 1], rtol=1e-9, atol=1e-10):
        return (f"tree {m} repeats tree {m - 1}: recompute r = y − F after every stage")
    ref1 = reference.gradient_boosting_numpy.fit_gb_regressor(
        X, y, **_settings(cfg, n_estimators=m + 1, learning_rate=1.0))
    if np.allclose(mine[m], _walk(ref1["trees"][m], X), rtol=1e-9, atol=1e-10):
        return (f"tree {m} was fitted to residuals computed as if learning_rate were 1: add "
                "learning_rate · tree(x) to F before computing the next residuals")
    lr = float(model["learning_rate"])
    own = _own_tree_hint(model["trees"], m, X, y - init - lr * mine[:m].sum(axis=0), cfg,
                         reference)
    if own:
        return own
    return (f"trees 0..{m - 1} agree, tree {m} differs: F ← F + learning_rate · tree(x), "
            "then the next tree fits r = y − F")


def _loss_hint(got, expected, initial, what):
    """Why train_loss differs; the generic sentence when got is None (or nothing matches)."""
    if got is None:
        return f"train_loss[m] = the training {what} of F after stage m"
    if got.shape == expected.shape and np.allclose(got[1:], expected[:-1], rtol=1e-9):
        return (f"your losses are one stage late: train_loss[m] is the training {what} AFTER "
                f"stage m (train_loss[0] already includes the first tree), like train_score_")
    if got.shape == expected.shape and np.isclose(got[0], initial, rtol=1e-9):
        return (f"train_loss[0] is the {what} of F₀ alone: record the loss after adding each "
                "tree")
    if got.shape == expected.shape and np.allclose(got, 2 * expected, rtol=1e-9):
        return (f"your values are twice the mean {what}: sklearn's classifier train_score_ is "
                "the deviance 2·log loss; train_loss is the mean log loss itself")
    return f"train_loss[m] = the training {what} of F after stage m"


@pytest.mark.points(2)
def test_staged_predictions_match_sklearn(learner, reference):
    """staged_predict_raw gives sklearn's staged_predict after every stage"""
    _, _, X_test, _ = _data("reg", REG_MAIN)
    model = _learner_model(learner, "reg", REG_MAIN)
    M = REG_MAIN["n_estimators"]
    sk = _sk_model("reg", REG_MAIN)
    expected = np.array(list(sk.staged_predict(X_test)))
    got = learner.gradient_boosting_numpy.staged_predict_raw(model, X_test)
    if isinstance(got, np.ndarray) and got.shape == (M + 1, len(X_test)):
        _fail(f"staged_predict_raw returned {M + 1} rows: row m is F after stage m "
                    f"(m = 0..{M - 1}), F₀ alone is not a row (like sklearn's staged_predict)")
    got = _array(got, "staged_predict_raw(model, X_test)", expected.shape)
    hint = "row m = init + learning_rate · (tree_0(x) + … + tree_m(x))"
    steps = np.diff(np.vstack([np.full(len(X_test), _sk_init(sk)), expected]), axis=0)
    if np.allclose(got[:-1], expected[1:], rtol=1e-9, atol=1e-9):
        hint = "your rows are shifted by one stage: row 0 is F after the first tree"
    elif (np.allclose(got, steps, rtol=1e-9, atol=1e-9)
          or np.allclose(got, steps + _sk_init(sk), rtol=1e-9, atol=1e-9)):
        hint = ("each row holds one stage's contribution only: row m is F after stage m, "
                "the sum of F₀ and every tree up to m")
    elif not np.allclose(got, expected, rtol=1e-9, atol=1e-9):
        raw = np.asarray(learner.gradient_boosting_numpy.predict_raw(model, X_test), dtype=float)
        if (raw.shape == got[-1].shape and np.allclose(got[-1], raw, rtol=1e-9, atol=1e-9)
                and not np.allclose(raw, expected[-1], rtol=1e-9, atol=1e-9)):
            hint = ("your last row equals your predict_raw, and your model differs from "
                    "sklearn's: " + _regressor_hint(model, REG_MAIN, reference, X_test, raw))
    assert_close(got, expected, name=f"staged predictions ({M} stages × {len(X_test)} rows)",
                 rtol=1e-9, atol=1e-9, hint=hint)


def _sk_init(sk):
    return float(np.ravel(sk.init_.constant_)[0])


def test_regressor_training_loss_falls_every_stage(learner, reference):
    """Every stage lowers the training MSE, and train_loss equals sklearn's train_score_"""
    X, y, _, _ = _data("reg", REG_MAIN)
    model = _learner_model(learner, "reg", REG_MAIN)
    init, _, _, loss = _model_parts(model, "fit_gb_regressor", REG_MAIN["n_estimators"])
    rises = np.flatnonzero(np.diff(loss) >= 0)
    first = float(np.mean((y - y.mean()) ** 2))
    start = ("" if np.isclose(init, y.mean(), rtol=1e-10, atol=1e-12) else
             f" Your F₀ = model['init'] = {init:.6g} is not the mean of y ({y.mean():.6g}): "
             "boosting starts from F₀ = mean(y).")
    assert loss[0] < first, (
        f"after the first stage the training MSE is {loss[0]:.6g}, not below the MSE of F₀ = "
        f"mean(y) ({first:.6g}): each tree must fit r = y − F and be ADDED (× learning_rate)."
        + start)
    assert rises.size == 0, (
        f"the training MSE did not fall at {rises.size} of {len(loss) - 1} stages, first from "
        f"stage {rises[0]} to {rises[0] + 1} ({loss[rises[0]]:.6g} → {loss[rises[0] + 1]:.6g}). "
        "A tree fitted to the residuals with leaf means always lowers the MSE for 0 < lr < 2: "
        "check r = y − F and F ← F + learning_rate · tree(x)")
    expected = _sk_model("reg", REG_MAIN).train_score_
    hint = _loss_hint(loss, expected, first, "MSE")
    if hint == _loss_hint(None, None, first, "MSE") and not np.allclose(loss, expected,
                                                                       rtol=1e-9, atol=1e-12):
        hint = "your model differs from sklearn's: " + _regressor_hint(model, REG_MAIN, reference)
    assert_close(loss, expected, name="model['train_loss'] vs GradientBoostingRegressor."
                 "train_score_", rtol=1e-9, atol=1e-12, hint=hint)


# ============================================================================= classifier
def test_classifier_init_is_log_odds(learner):
    """fit_gb_classifier starts from the log-odds of the prior, F₀ = log(p / (1 − p))"""
    X, y, _, _ = _data("clf", CLF_ALT)
    model = learner.gradient_boosting_numpy.fit_gb_classifier(
        X, y, **_settings(CLF_ALT, n_estimators=2))
    init, _, _, _ = _model_parts(model, "fit_gb_classifier(..., n_estimators=2)", 2)
    sk = _sk_model("clf", CLF_ALT)
    p = float(y.mean())
    prior = float(sk.init_.class_prior_[1])
    expected = float(np.log(prior / (1 - prior)))
    hint = f"p = mean(y) = {p:.4g} is the share of label 1; F₀ = log(p / (1 − p))"
    if np.isclose(init, p):
        hint = f"F₀ is the probability p = {p:.4g} itself; F is a log-odds: log(p / (1 − p))"
    elif init == 0.0:
        hint = f"F₀ is 0 (p = 0.5): start from the prior, p = mean(y) = {p:.4g}"
    elif np.isclose(init, np.log(p)):
        hint = "that is log(p); the log-odds is log(p / (1 − p))"
    assert_close(init, expected, name="model['init'] (F₀, a log-odds)", rtol=1e-12, atol=1e-12,
                 hint=hint)


@pytest.mark.points(2)
def test_classifier_leaves_are_newton_steps(learner, reference):
    """The classifier's first tree has sklearn's leaves: Newton steps Σr / Σp(1−p)"""
    X, y, _, _ = _data("clf", CLF_MAIN)
    model = learner.gradient_boosting_numpy.fit_gb_classifier(
        X, y, **_settings(CLF_MAIN, n_estimators=1))
    init, _, trees, _ = _model_parts(model, "fit_gb_classifier(..., n_estimators=1)", 1)
    sk_tree = _sk_model("clf", CLF_MAIN).estimators_[0, 0]
    got = _walk(trees[0], X, "your first tree")
    expected = sk_tree.predict(X)
    if np.allclose(got, expected, rtol=1e-9, atol=1e-10):
        return
    p = y.mean()
    prob = np.full(len(y), p)
    fit_tree = reference.gradient_boosting_numpy.fit_tree
    depth, msl = CLF_MAIN["max_depth"], CLF_MAIN["min_samples_leaf"]
    hint = ("tree 0 fits r = y − p (p = σ(F₀) = mean(y)) with squared-error splits; each leaf's "
            "value is Σr / Σp(1−p) over its samples")
    if not np.isclose(init, np.log(p / (1 - p))):
        hint = "F₀ is wrong (see the F₀ check): p = σ(F₀) must be mean(y)"
    elif np.allclose(got, _walk(fit_tree(X, y - prob, depth, msl), X), rtol=1e-9):
        hint = ("your leaves hold the mean of r = y − p. For the log loss each leaf takes one "
                "Newton step: value = Σ r / Σ p(1 − p) over the leaf's samples (the hessian "
                "argument of fit_tree)")
    elif np.allclose(got, _walk(fit_tree(X, y - init, depth, msl, hessian=prob * (1 - prob)), X),
                     rtol=1e-9):
        hint = ("your first tree fits y − F₀, labels minus a log-odds: the residuals are "
                "labels minus probabilities, r = y − σ(F)")
    else:
        diff = _first_difference(trees[0], _sk_tree(sk_tree))
        if diff:
            hint = f"{diff}; the tree splits on the squared error of r = y − p. " + hint
    assert_close(got, expected, name=f"values of your first tree on the {len(y)} training rows",
                 rtol=1e-9, atol=1e-10, hint=hint)


@pytest.mark.points(3)
def test_classifier_proba_equal_sklearn(learner, reference):
    """Your boosted classifier gives GradientBoostingClassifier's probabilities and labels"""
    _, _, X_test, _ = _data("clf", CLF_MAIN)
    model = _learner_model(learner, "clf", CLF_MAIN)
    _model_parts(model, "fit_gb_classifier", CLF_MAIN["n_estimators"])
    sk = _sk_model("clf", CLF_MAIN)
    raw = learner.gradient_boosting_numpy.predict_raw(model, X_test)
    proba = learner.gradient_boosting_numpy.predict_proba(model, X_test)
    n = len(X_test)
    if isinstance(proba, np.ndarray) and proba.shape == (n, 2):
        _fail(f"predict_proba returned shape (n, 2) = {proba.shape}: return P(y = 1 | x) "
                    f"only, shape ({n},)")
    raw = _array(raw, "predict_raw(model, X_test)", (n,))
    proba = _array(proba, "predict_proba(model, X_test)", (n,))
    expected_raw = sk.decision_function(X_test)
    if not np.allclose(raw, expected_raw, rtol=1e-9, atol=1e-9):
        assert_close(raw, expected_raw, name=f"log-odds F(x) from predict_raw on {n} held-out "
                     f"rows ({_describe_settings(CLF_MAIN)}) vs decision_function", rtol=1e-9,
                     atol=1e-9, hint=_classifier_hint(model, CLF_MAIN, reference, X_test, raw))
    hint = "P(y = 1 | x) = σ(F(x)) = 1 / (1 + exp(−F(x)))"
    if np.allclose(proba, raw):
        hint = "these are the log-odds F(x); apply the sigmoid σ(F) = 1 / (1 + exp(−F))"
    assert_close(proba, sk.predict_proba(X_test)[:, 1], name="predict_proba vs "
                 "GradientBoostingClassifier.predict_proba[:, 1]", rtol=1e-9, atol=1e-12,
                 hint=hint)
    assert_same((proba > 0.5).astype(np.int64), sk.predict(X_test),
                name="labels (P(y=1) > 0.5) vs GradientBoostingClassifier.predict")


@pytest.mark.points(2)
def test_classifier_matches_reference(learner, reference):
    """On other settings your classifier builds the reference's trees, stage by stage"""
    cfg = CLF_ALT
    X, y, X_test, _ = _data("clf", cfg)
    model = learner.gradient_boosting_numpy.fit_gb_classifier(X, y, **_settings(cfg))
    init, lr, trees, loss = _model_parts(model, "fit_gb_classifier", cfg["n_estimators"])
    ref = reference.gradient_boosting_numpy.fit_gb_classifier(X, y, **_settings(cfg))
    mine = _stage_outputs(trees, X, "your model")
    theirs = _stage_outputs(ref["trees"], X, "reference")
    m = _first_bad_stage(mine, theirs)
    if m is not None or not np.isclose(init, ref["init"]):
        hint = _classifier_hint(model, cfg, reference)
        assert_close(mine, theirs, name=f"tree outputs on the training rows, stage by stage "
                     f"({_describe_settings(cfg)}), first differing stage {m}", rtol=1e-9,
                     atol=1e-10, hint=hint)
    p = y.mean()
    initial = float(np.mean(np.logaddexp(0, ref["init"]) - y * ref["init"]))
    assert_close(loss, ref["train_loss"], name="model['train_loss'] (mean log loss)", rtol=1e-9,
                 atol=1e-12, hint=_loss_hint(loss, ref["train_loss"], initial, "log loss"))
    got = learner.gradient_boosting_numpy.predict_proba(model, X_test)
    expected = reference.gradient_boosting_numpy.predict_proba(ref, X_test)
    hint = f"σ(F(x)) with F = init + learning_rate · Σ tree(x); prior p = {p:.3g}"
    got_arr = np.asarray(got, dtype=np.float64) if isinstance(got, (np.ndarray, list)) else None
    if (got_arr is not None and got_arr.shape == expected.shape
            and not np.allclose(got_arr, expected, rtol=1e-9, atol=1e-12)):
        raw = np.asarray(learner.gradient_boosting_numpy.predict_raw(model, X_test), dtype=float)
        raw_ref = reference.gradient_boosting_numpy.predict_raw(ref, X_test)
        if raw.shape == raw_ref.shape and not np.allclose(raw, raw_ref, rtol=1e-9, atol=1e-9):
            hint = _heldout_hint(trees, init, lr, X_test, raw, raw_ref, ref["trees"],
                                 other="the reference's")
    assert_close(got, expected, name="predict_proba on held-out rows", rtol=1e-9, atol=1e-12,
                 hint=hint)


def test_classifier_log_loss_falls_every_stage(learner, reference):
    """Every stage lowers the training log loss; train_loss = sklearn's train_score_ / 2"""
    X, y, _, _ = _data("clf", CLF_MAIN)
    model = _learner_model(learner, "clf", CLF_MAIN)
    init, _, _, loss = _model_parts(model, "fit_gb_classifier", CLF_MAIN["n_estimators"])
    p = y.mean()
    F0 = np.log(p / (1 - p))
    first = float(np.mean(np.logaddexp(0, F0) - y * F0))
    rises = np.flatnonzero(np.diff(loss) >= 0)
    start = ""
    if not np.isclose(init, F0, rtol=1e-10, atol=1e-12):
        start = (f" Your F₀ = model['init'] = {init:.6g} is not the log-odds of the prior "
                 f"log(p/(1−p)) = {F0:.6g}" + (" (it is the probability p itself)"
                                               if np.isclose(init, p) else "") + ".")
    assert loss[0] < first, (
        f"after the first stage the training log loss is {loss[0]:.6g}, not below the loss of "
        f"F₀ = log(p/(1−p)) alone ({first:.6g}): fit r = y − σ(F) and ADD learning_rate · "
        "tree(x) to F." + start)
    assert rises.size == 0, (
        f"the training log loss did not fall at {rises.size} of {len(loss) - 1} stages, first "
        f"from stage {rises[0]} to {rises[0] + 1} ({loss[rises[0]]:.6g} → "
        f"{loss[rises[0] + 1]:.6g}): check r = y − σ(F) and the Newton leaf values")
    expected = _sk_model("clf", CLF_MAIN).train_score_ / 2.0
    hint = _loss_hint(loss, expected, first, "log loss")
    if hint == _loss_hint(None, None, first, "log loss") and not np.allclose(
            loss, expected, rtol=1e-9, atol=1e-12):
        hint = ("your model differs from sklearn's: "
                + _classifier_hint(model, CLF_MAIN, reference))
    assert_close(loss, expected, name="model['train_loss'] vs GradientBoostingClassifier."
                 "train_score_ / 2 (sklearn reports the deviance, twice the mean log loss)",
                 rtol=1e-9, atol=1e-12, hint=hint)


# ============================================================================= importances
@pytest.mark.points(2)
def test_feature_importances_match_sklearn(learner):
    """feature_importances equals sklearn's feature_importances_ (regressor and classifier)"""
    for kind, cfg, name in (("reg", REG_MAIN, "regressor"), ("clf", CLF_MAIN, "classifier")):
        model = _learner_model(learner, kind, cfg)
        _, _, trees, _ = _model_parts(model, f"fit_gb_{name}", cfg["n_estimators"])
        got = learner.gradient_boosting_numpy.feature_importances(model, 5)
        got = _array(got, f"feature_importances(model, 5) of your {name}", (5,))
        sk = _sk_model(kind, cfg)
        expected = sk.feature_importances_
        X_train = _data(kind, cfg)[0]
        m = _first_bad_stage(_stage_outputs(trees, X_train, f"your {name}"),
                             _sk_stage_outputs(sk, X_train))
        if m is not None and not np.allclose(got, expected, rtol=1e-8, atol=1e-12):
            _fail(f"feature importances of your {name}: its tree {m} already differs from "
                  f"sklearn's (see the {name} checks), so the importances cannot agree yet; "
                  "fix the boosting first")
        hint = ("every split node adds n·impurity − n_left·impurity_left − n_right·impurity_right "
                "(its squared-error reduction) to its feature; sum over all trees, then divide "
                "by the total so the importances sum to 1")
        if not np.isclose(got.sum(), 1.0, rtol=1e-9):
            hint = f"your importances sum to {got.sum():.6g}: normalise them to sum to 1. " + hint
        else:
            counts = np.zeros(5)
            for t in trees:
                stack = [t]
                while stack:
                    node = stack.pop()
                    if not node["leaf"]:
                        counts[int(node["feature"])] += 1
                        stack += [node["left"], node["right"]]
            if np.allclose(got, counts / counts.sum(), rtol=1e-9):
                hint = ("these are split counts; the importance of a split is its squared-error "
                        "reduction n·impurity − n_left·impurity_left − n_right·impurity_right")
        assert_close(got, expected, name=f"feature importances of your {name} vs "
                     "feature_importances_", rtol=1e-8, atol=1e-12, hint=hint)


# ============================================================================= library
def _check_gb_estimator(model, kind_name, cfg, loss):
    kind = getattr(model, "type_name", None)
    if kind is None:
        _fail(f"the function should return the fitted {kind_name} itself, got "
                    f"{_describe(model)}")
    assert kind == kind_name, f"expected a fitted sklearn.ensemble.{kind_name}, got a {kind}"
    params = model.get_params()
    for key in SETTINGS:
        assert np.isclose(params[key], cfg[key]), (
            f"your {kind_name} has {key}={params[key]!r}, but the function was called with "
            f"{key}={cfg[key]!r}: pass the arguments through")
    assert params["subsample"] == 1.0, (
        f"subsample={params['subsample']}: keep 1.0 (every tree sees every sample), or the "
        "stages are random and do not match the from-scratch boosting")
    assert params["max_features"] is None, (
        f"max_features={params['max_features']!r}: keep None (every feature is tried at "
        "every split)")
    assert params["loss"] == loss, f"loss={params['loss']!r}: use the default {loss!r}"


def test_library_regressor(learner):
    """fit_sklearn_regressor returns GradientBoostingRegressor with the given settings, fitted"""
    X, y, X_test, _ = _data("reg", REG_MAIN)
    model = learner.gradient_boosting_sklearn.fit_sklearn_regressor(X, y, **_settings(REG_MAIN))
    _check_gb_estimator(model, "GradientBoostingRegressor", REG_MAIN, "squared_error")
    assert_close(model.predict(X_test), _sk_model("reg", REG_MAIN).predict(X_test),
                 name="predictions of your GradientBoostingRegressor", rtol=1e-12, atol=1e-12,
                 hint="GradientBoostingRegressor(n_estimators=..., learning_rate=..., "
                      "max_depth=..., min_samples_leaf=..., random_state=0).fit(X, y)")


def test_library_classifier(learner):
    """fit_sklearn_classifier returns GradientBoostingClassifier with the given settings, fitted"""
    X, y, X_test, _ = _data("clf", CLF_MAIN)
    model = learner.gradient_boosting_sklearn.fit_sklearn_classifier(X, y, **_settings(CLF_MAIN))
    _check_gb_estimator(model, "GradientBoostingClassifier", CLF_MAIN, "log_loss")
    assert_close(model.predict_proba(X_test), _sk_model("clf", CLF_MAIN).predict_proba(X_test),
                 name="predict_proba of your GradientBoostingClassifier", rtol=1e-12, atol=1e-12,
                 hint="GradientBoostingClassifier(n_estimators=..., learning_rate=..., "
                      "max_depth=..., min_samples_leaf=..., random_state=0).fit(X, y)")


def test_library_staged_mse(learner):
    """staged_mse gives the held-out MSE after every stage (staged_predict + mean_squared_error)"""
    from sklearn.metrics import mean_squared_error

    X, y, X_test, y_test = _data("reg", REG_MAIN)
    model = learner.gradient_boosting_sklearn.fit_sklearn_regressor(X, y, **_settings(REG_MAIN))
    got = learner.gradient_boosting_sklearn.staged_mse(model, X_test, y_test)
    sk = _sk_model("reg", REG_MAIN)
    expected = np.array([mean_squared_error(y_test, p) for p in sk.staged_predict(X_test)])
    got = _array(got, "staged_mse(model, X_test, y_test)", expected.shape)
    hint = "[mean_squared_error(y, y_pred) for y_pred in model.staged_predict(X)]"
    if np.allclose(got, sk.train_score_, rtol=1e-9):
        hint = ("this is model.train_score_, the TRAINING loss; staged_mse evaluates the data "
                "it is given: " + hint)
    elif np.allclose(got, np.sqrt(expected), rtol=1e-9):
        hint = "these are RMSEs: report the MSE (no square root)"
    assert_close(got, expected, name=f"held-out MSE after each of the {len(expected)} stages",
                 rtol=1e-10, atol=1e-12, hint=hint)


def test_scratch_and_library_agree(learner):
    """Your from-scratch regressor and your GradientBoostingRegressor predict the same"""
    X, y, X_test, _ = _data("reg", REG_MAIN)
    model = _learner_model(learner, "reg", REG_MAIN)
    mine = learner.gradient_boosting_numpy.predict_raw(model, X_test)
    lib = learner.gradient_boosting_sklearn.fit_sklearn_regressor(X, y, **_settings(REG_MAIN))
    assert_close(mine, lib.predict(X_test), name="predict_raw (from scratch) vs your "
                 f"GradientBoostingRegressor.predict on {len(X_test)} held-out rows", rtol=1e-9,
                 atol=1e-9, hint="same data, same settings: the two must agree to ~1e-12; the "
                 "checks against sklearn above say which side differs")


# ============================================================================= optional
def _optional(run):
    """Run an optional comparison: its outcome never blocks passing (failures become skips)."""
    try:
        run()
    except LearnerProblem as exc:
        if getattr(exc, "exc_type", "") == "NotImplementedError":
            pytest.skip("optional, not counted: not implemented")
        pytest.skip(f"optional, not counted — it did not pass: {exc.describe()[:600]}")
    except AssertionError as exc:
        pytest.skip(f"optional, not counted — it did not pass: {str(exc)[:600]}")


def test_xgboost_optional(learner):
    """Optional (needs xgboost): fit_xgboost_regressor matches XGBRegressor with the stated settings"""
    xgb = pytest.importorskip("xgboost", reason="xgboost is not installed (optional check)")
    X, y, X_test, _ = _data("reg", REG_MAIN)
    s = _settings(REG_MAIN)

    def run():
        model = learner.gradient_boosting_sklearn.fit_xgboost_regressor(X, y, **s)
        assert model.type_name == "XGBRegressor", f"expected an XGBRegressor, got {model.type_name}"
        expected = xgb.XGBRegressor(n_estimators=s["n_estimators"],
                                    learning_rate=s["learning_rate"], max_depth=s["max_depth"],
                                    min_child_weight=s["min_samples_leaf"], reg_lambda=0.0,
                                    tree_method="exact", random_state=0).fit(X, y)
        assert_close(model.predict(X_test), expected.predict(X_test),
                     name="predictions of your XGBRegressor", rtol=1e-5, atol=1e-5,
                     hint="XGBRegressor(n_estimators, learning_rate, max_depth, "
                          "min_child_weight=min_samples_leaf, reg_lambda=0.0, "
                          "tree_method='exact', random_state=0)")

    _optional(run)


def test_lightgbm_optional(learner):
    """Optional (needs lightgbm): fit_lightgbm_regressor matches LGBMRegressor with the stated settings"""
    lgb = pytest.importorskip("lightgbm", reason="lightgbm is not installed (optional check)")
    X, y, X_test, _ = _data("reg", REG_MAIN)
    s = _settings(REG_MAIN)

    def run():
        model = learner.gradient_boosting_sklearn.fit_lightgbm_regressor(X, y, **s)
        assert model.type_name == "LGBMRegressor", f"expected an LGBMRegressor, got {model.type_name}"
        expected = lgb.LGBMRegressor(n_estimators=s["n_estimators"],
                                     learning_rate=s["learning_rate"], max_depth=s["max_depth"],
                                     num_leaves=2 ** s["max_depth"],
                                     min_child_samples=s["min_samples_leaf"],
                                     min_child_weight=0.0, reg_lambda=0.0, random_state=0,
                                     verbose=-1).fit(X, y)
        assert_close(model.predict(X_test), expected.predict(X_test),
                     name="predictions of your LGBMRegressor", rtol=1e-5, atol=1e-5,
                     hint="LGBMRegressor(n_estimators, learning_rate, max_depth, "
                          "num_leaves=2**max_depth, min_child_samples=min_samples_leaf, "
                          "min_child_weight=0.0, reg_lambda=0.0, random_state=0, verbose=-1)")

    _optional(run)
