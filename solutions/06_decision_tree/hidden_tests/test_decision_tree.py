"""Hidden checks for 06_decision_tree: a CART tree by hand, then with scikit-learn.

Three-way comparison on fixed-seed data:
1. learner from-scratch vs the reference (impurities, thresholds, best split, tie rule);
2. learner from-scratch vs scikit-learn (root split, node-by-node tree, held-out predictions);
3. learner library code vs scikit-learn used correctly (fitted tree, DOT export, curve);
plus the lessons: a zero-gain split still helps (XOR), the stopping rules, x <= t goes left.

Conventions pinned here (all stated in exercises/06_decision_tree/README.md):
- labels are 0 … K−1; a node predicts argmax of its class counts (ties: smallest label);
- gini = 1 − Σp², entropy = −Σ p log2 p (bits, 0·log 0 = 0);
- gain = I(parent) − n_L/n·I(left) − n_R/n·I(right);
- candidate thresholds: midpoints between consecutive DISTINCT sorted values;
- x[feature] <= threshold goes LEFT;
- best split: largest gain, ties to the lowest feature, then the lowest threshold;
- a node is a leaf when pure, at depth max_depth (root depth 0), n < min_samples_split, or
  no feature has two distinct values; otherwise it splits, even at gain 0 (like sklearn).

sklearn breaks ties between features at random (random_state): every comparison with sklearn
uses data on which its tree is the same for every random_state (the best split of every
node is unique by a margin ≥ 4e-5), except the iris root, a documented tie. sklearn stores X
as float32: the synthetic data are float32-representable, so thresholds agree exactly there
and to ~1e-8 on iris / wine / breast_cancer (checked with rtol 1e-6).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest

from grader.testing import assert_close, assert_same, datasets

GAIN_RTOL = 1e-9
THR_RTOL_SK = 1e-6


# ----------------------------------------------------------------------------- data
def _tree_data(seed=1, n=400, d=5):
    """3 classes from a noisy non-linear score; X float32-representable (like sklearn's).

    Seed 1: sklearn grows the same tree for every random_state up to depth 5 (no ties).
    The first 300 rows train, the last 100 are held out.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32).astype(np.float64)
    score = X[:, 0] + 0.8 * X[:, 1] ** 2 - 0.6 * X[:, 2] * X[:, 3] + 0.7 * rng.normal(size=n)
    y = np.digitize(score, np.quantile(score, [1 / 3, 2 / 3])).astype(np.int64)
    return X[:300], y[:300], X[300:], y[300:]


def _small(seed, n=40, d=4, k=3, decimals=None):
    """Random small problems; decimals rounds X so that values repeat."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if decimals is not None:
        X = np.round(X, decimals)
    return X, rng.integers(0, k, size=n).astype(np.int64)


def _iris_named():
    from sklearn.datasets import load_iris

    bunch = load_iris()
    return (bunch.data.astype(np.float64), bunch.target.astype(np.int64),
            list(bunch.feature_names), [str(c) for c in bunch.target_names])


def _sk_fit(X, y, **kw):
    from sklearn.tree import DecisionTreeClassifier

    kw.setdefault("random_state", 0)
    return DecisionTreeClassifier(**kw).fit(X, y)


def _arrays(model):
    """The plain-data arrays of a fitted sklearn tree (runs in the sandbox too)."""
    t = model.tree_
    return {"feature": t.feature.copy(), "threshold": t.threshold.copy(),
            "left": t.children_left.copy(), "right": t.children_right.copy(),
            "n": t.n_node_samples.copy(), "impurity": t.impurity.copy(),
            "node_count": int(t.node_count), "max_depth": int(t.max_depth)}


def _root_gain(a):
    l, r = a["left"][0], a["right"][0]
    n = a["n"]
    return float(a["impurity"][0] - n[l] / n[0] * a["impurity"][l]
                 - n[r] / n[0] * a["impurity"][r])


# ----------------------------------------------------------------------------- helpers
def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {getattr(value, 'type_name', None) or type(value).__name__}"


def _scalar(value, what):
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf")
    assert ok, f"{what} should be a single float, got {_describe(value)}"
    out = float(value)
    assert not math.isnan(out), (
        f"{what} is NaN: 0·log 0 counts as 0 (skip classes with p = 0), and an empty "
        "node has no impurity to compute")
    return out


def _exact_gini(y):
    y = list(y)
    n = len(y)
    return float(1 - sum(Fraction(y.count(c), n) ** 2 for c in set(y)))


def _exact_entropy(y):
    y = list(y)
    n = len(y)
    return -math.fsum(y.count(c) / n * math.log2(y.count(c) / n) for c in set(y))


def _impurity(y, criterion):
    return _exact_gini(y) if criterion == "gini" else _exact_entropy(y)


def _split_tuple(result, what):
    assert isinstance(result, (tuple, list)) and len(result) == 3, (
        f"{what} should return a tuple (feature, threshold, gain) or None, got "
        f"{_describe(result)}")
    feature, threshold, gain = result
    assert isinstance(feature, (int, np.integer)) or (
        isinstance(feature, np.ndarray) and feature.ndim == 0 and feature.dtype.kind in "iu"), (
        f"{what}: the feature should be an int (a column index), got {_describe(feature)}")
    return int(feature), _scalar(threshold, f"{what}: threshold"), _scalar(gain, f"{what}: gain")


NODE_KEYS = ("leaf", "prediction", "n_samples", "impurity")
SPLIT_KEYS = ("feature", "threshold", "left", "right")


def _check_tree(node, what, path="root", depth=0):
    """The nested-dict format of README.md, with a message that names the node."""
    assert depth <= 40, f"{what}: deeper than 40 levels at {path}: does the recursion stop?"
    assert isinstance(node, dict), (
        f"{what}: the node at {path} should be a dict, got {_describe(node)} "
        "(fit_tree returns nested dicts, see README.md)")
    missing = [k for k in NODE_KEYS if k not in node]
    assert not missing, f"{what}: the node at {path} has no key(s) {missing}; every node has " \
                        f"{list(NODE_KEYS)}"
    if node["leaf"]:
        return
    missing = [k for k in SPLIT_KEYS if k not in node]
    assert not missing, (f"{what}: the split node at {path} (leaf=False) has no key(s) "
                         f"{missing}; a split node also has {list(SPLIT_KEYS)}")
    _check_tree(node["left"], what, path + " → left", depth + 1)
    _check_tree(node["right"], what, path + " → right", depth + 1)


def _nodes(node, path="root", depth=0):
    """Pre-order list of (path, depth, node)."""
    out = [(path, depth, node)]
    if not node["leaf"]:
        out += _nodes(node["left"], path + " → left", depth + 1)
        out += _nodes(node["right"], path + " → right", depth + 1)
    return out


def _depth(node):
    return 0 if node["leaf"] else 1 + max(_depth(node["left"]), _depth(node["right"]))


def _route(tree, X):
    """Pre-order (path, depth, node, rows): the training rows that reach every node."""
    out = []

    def walk(node, rows, path, depth):
        out.append((path, depth, node, rows))
        if not node["leaf"]:
            left = X[rows, int(node["feature"])] <= float(node["threshold"])
            walk(node["left"], rows[left], path + " → left", depth + 1)
            walk(node["right"], rows[~left], path + " → right", depth + 1)

    walk(tree, np.arange(len(X)), "root", 0)
    return out


def _diagnose_tree(tree, X, y, max_depth=None, min_samples_split=2):
    """The first thing wrong in a learner's tree, routed with its own training data."""
    k = int(y.max()) + 1
    for path, depth, node, rows in _route(tree, X):
        counts = np.bincount(y[rows], minlength=k)
        if max_depth is not None and depth > max_depth:
            return (f"the node at {path} is at depth {depth} > max_depth = {max_depth} (the "
                    "root has depth 0): stop splitting when depth >= max_depth")
        if int(node["n_samples"]) != len(rows):
            return (f"the node at {path} says n_samples = {int(node['n_samples'])}, but "
                    f"{len(rows)} training rows reach it (x[feature] <= threshold goes left)")
        if len(rows) and int(node["prediction"]) != int(np.argmax(counts)):
            tied = np.flatnonzero(counts == counts.max())
            if len(tied) > 1 and int(node["prediction"]) in tied:
                return (f"the node at {path} has class counts {counts.tolist()} and predicts "
                        f"{int(node['prediction'])}: a tied majority goes to the SMALLEST label, "
                        f"{int(tied[0])} (np.argmax of the counts)")
            return (f"the node at {path} has class counts {counts.tolist()} but predicts "
                    f"{int(node['prediction'])}: a node predicts its majority label")
        if not node["leaf"]:
            x = X[rows, int(node["feature"])]
            if np.any(x == float(node["threshold"])):
                return (f"the node at {path} splits at {float(node['threshold']):.6g}, a value "
                        "of its training data: thresholds are MIDPOINTS between consecutive "
                        "distinct values")
            if counts.max() == len(rows):
                return f"the node at {path} is pure but split: a pure node is a leaf"
        elif (counts.max() < len(rows) and len(rows) >= min_samples_split
              and (max_depth is None or depth < max_depth)
              and any(np.ptp(X[rows, j]) > 0 for j in range(X.shape[1]))):
            return (f"the leaf at {path} (depth {depth}) holds {len(rows)} samples with class "
                    f"counts {counts.tolist()} and some feature still varies there: it should "
                    "be split (a threshold exists between every two distinct values), even if "
                    "the best gain is 0")
    return None


def _why_sklearn_stops(a, i, max_depth, depth, min_samples_split):
    if a["impurity"][i] <= 1e-12:
        return "the node is pure (impurity 0): a pure node becomes a leaf"
    if max_depth is not None and depth >= max_depth:
        return (f"the node is at depth {depth} = max_depth (the root has depth 0): stop when "
                "depth >= max_depth")
    if a["n"][i] < min_samples_split:
        return (f"the node has {a['n'][i]} < min_samples_split = {min_samples_split} samples")
    return "no feature has two distinct values in this node"


def _compare_with_sklearn(tree, a, what, max_depth, min_samples_split):
    """Walk the learner's tree and sklearn's arrays together; fail at the first difference."""
    def walk(node, i, path, depth):
        n_sk = int(a["n"][i])
        assert int(node["n_samples"]) == n_sk, (
            f"{what}: the node at {path} holds {int(node['n_samples'])} training samples, "
            f"sklearn's holds {n_sk}: the split above it differs (x[feature] <= threshold goes "
            "left)")
        assert_close(_scalar(node["impurity"], f"{what}: impurity at {path}"), a["impurity"][i],
                     name=f"{what}: impurity of the node at {path} ({n_sk} samples)",
                     rtol=1e-9, atol=1e-12)
        sk_leaf = a["left"][i] == -1
        if sk_leaf and not node["leaf"]:
            raise AssertionError(
                f"{what}: the node at {path} is split by your tree, but sklearn makes it a "
                f"leaf: {_why_sklearn_stops(a, i, max_depth, depth, min_samples_split)}")
        if not sk_leaf and node["leaf"]:
            raise AssertionError(
                f"{what}: the node at {path} (depth {depth}, {n_sk} samples, impurity "
                f"{a['impurity'][i]:.4g}) is a leaf in your tree, but sklearn splits it on "
                f"feature {a['feature'][i]} at {a['threshold'][i]:.6g}. Split unless the node "
                "is pure, depth >= max_depth, n < min_samples_split or no feature varies — "
                "even when the best gain is 0")
        if sk_leaf:
            return
        f_sk, t_sk = int(a["feature"][i]), float(a["threshold"][i])
        f, t = int(node["feature"]), _scalar(node["threshold"], f"{what}: threshold at {path}")
        assert f == f_sk and abs(t - t_sk) <= THR_RTOL_SK * abs(t_sk) + 1e-12, (
            f"{what}: the node at {path} (depth {depth}, {n_sk} samples) splits on feature "
            f"{f} at {t:.6g}, sklearn on feature {f_sk} at {t_sk:.6g}: the best split is the "
            "largest impurity decrease over every feature and every midpoint threshold")
        walk(node["left"], a["left"][i], path + " → left", depth + 1)
        walk(node["right"], a["right"][i], path + " → right", depth + 1)

    walk(tree, 0, "root", 0)


# ----------------------------------------------------------------------------- impurities
IMPURITY_CASES = [
    [0, 0, 1, 1],
    [0, 1, 2, 2, 2, 2],
    [2, 2, 2],                       # pure, and classes 0 and 1 absent
    [0, 0, 0, 1, 2, 3, 3, 3, 3, 3],
    [1],
]


def _impurity_hint(kind, got, exact, y):
    if kind == "entropy" and exact > 0:
        if np.isclose(got, exact * math.log(2), rtol=1e-9):
            return "your entropy is in nats: use log base 2 (np.log2), as sklearn does"
        if np.isclose(got, exact * math.log10(2), rtol=1e-9):
            return "your entropy uses log10: use log base 2 (np.log2)"
        if np.isclose(got, -exact, rtol=1e-9):
            return "wrong sign: entropy = −Σ p log2 p (positive)"
    if kind == "gini":
        if np.isclose(got, 1 - exact, rtol=1e-9, atol=1e-12):
            return "you returned Σp²: the Gini impurity is 1 − Σ p_k²"
        counts = np.unique(y, return_counts=True)[1]
        if np.isclose(got, 1 - np.sum(counts ** 2), rtol=1e-9):
            return "use proportions p_k = count_k / n, not the raw counts"
    return ("gini = 1 − Σ p_k², entropy = −Σ p_k log2 p_k over the classes present, with "
            "p_k = count_k / n")


@pytest.mark.points(2)
def test_impurities_exact(learner):
    """gini and entropy are exact and equal sklearn's node impurities"""
    m = learner.decision_tree_numpy
    for y in IMPURITY_CASES:
        y_arr = np.array(y, dtype=np.int64)
        for kind, exact in (("gini", _exact_gini(y)), ("entropy", _exact_entropy(y))):
            got = _scalar(getattr(m, kind)(y_arr), f"{kind}({y})")
            assert_close(got, exact, name=f"{kind}({y})", rtol=1e-12, atol=1e-15,
                         hint=_impurity_hint(kind, got, exact, y_arr))
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 2))
    y = rng.choice(5, size=500, p=[0.4, 0.25, 0.2, 0.1, 0.05]).astype(np.int64)
    for kind in ("gini", "entropy"):
        sk = _arrays(_sk_fit(X, y, max_depth=1, criterion=kind))["impurity"]
        got = _scalar(getattr(m, kind)(y), f"{kind}(y) on 500 labels")
        assert_close(got, sk[0], name=f"{kind}(y), 500 labels in 5 classes, vs sklearn's "
                     f"DecisionTreeClassifier(criterion={kind!r}).tree_.impurity[0]",
                     rtol=1e-12, hint=_impurity_hint(kind, got, _impurity(y.tolist(), kind), y))


def _decrease_hint(got, y, yl, yr, criterion):
    n, nl, nr = len(y), len(yl), len(yr)
    ip, il, ir = (_impurity(v, criterion) for v in (y, yl, yr))
    right = ip - nl / n * il - nr / n * ir
    cands = {
        "the children are averaged with equal weights ½: weight each by its share n_child / n":
            ip - (il + ir) / 2,
        "the children are weighted by their counts n_child, not by their shares n_child / n "
        "(the 1/n is missing)": ip - nl * il - nr * ir,
        "the sign is flipped: gain = I(parent) − weighted children (positive when the split "
        "helps)": -right,
        "the parent's impurity is missing: gain = I(parent) − n_L/n·I(left) − n_R/n·I(right)":
            -(nl / n * il + nr / n * ir),
        "the weights are swapped: the LEFT child's impurity gets n_left / n":
            ip - nr / n * il - nl / n * ir,
    }
    if criterion == "entropy":
        cands["your entropy is in nats: use log base 2 (np.log2), as sklearn does"] = \
            right * math.log(2)
    for hint, value in cands.items():
        if not np.isclose(value, right, rtol=1e-6) and np.isclose(got, value, rtol=1e-9,
                                                                   atol=1e-12):
            return hint
    return "gain = I(parent) − (n_left/n)·I(left) − (n_right/n)·I(right)"


def test_impurity_decrease(learner):
    """impurity_decrease weights each child by its share of the samples"""
    m = learner.decision_tree_numpy
    cases = [([0, 0, 0, 1, 1, 2], [0, 0, 0], [1, 1, 2]),
             ([0, 1, 1, 1, 2, 2, 2, 2], [0, 1], [1, 1, 2, 2, 2, 2]),
             ([0, 0, 1, 1, 1, 1, 1, 0, 2], [0], [0, 1, 1, 1, 1, 1, 0, 2])]
    for criterion in ("gini", "entropy"):
        for y, yl, yr in cases:
            got = _scalar(m.impurity_decrease(np.array(y), np.array(yl), np.array(yr), criterion),
                          f"impurity_decrease(..., {criterion!r})")
            expected = (_impurity(y, criterion) - len(yl) / len(y) * _impurity(yl, criterion)
                        - len(yr) / len(y) * _impurity(yr, criterion))
            assert_close(got, expected,
                         name=f"impurity_decrease(parent {y}, left {yl}, right {yr}, "
                              f"{criterion!r})", rtol=1e-12, atol=1e-15,
                         hint=_decrease_hint(got, y, yl, yr, criterion))
    # the decrease sklearn's root split achieves, from its tree_ arrays
    X, y, _, _ = _tree_data()
    for criterion in ("gini", "entropy"):
        a = _arrays(_sk_fit(X, y, max_depth=1, criterion=criterion))
        left = X[:, a["feature"][0]] <= a["threshold"][0]
        got = _scalar(m.impurity_decrease(y, y[left], y[~left], criterion),
                      "impurity_decrease at sklearn's root split")
        assert_close(got, _root_gain(a), name=f"impurity_decrease of sklearn's root split "
                     f"(300 samples, {criterion})", rtol=1e-10,
                     hint=_decrease_hint(got, y.tolist(), y[left].tolist(), y[~left].tolist(),
                                         criterion))


# ----------------------------------------------------------------------------- thresholds
def _threshold_hint(got, x):
    v = np.unique(x)
    mids = (v[:-1] + v[1:]) / 2
    srt = np.sort(x)
    if got.shape == (len(x) - 1,) and np.allclose(got, (srt[:-1] + srt[1:]) / 2):
        return ("duplicates were not removed: take the midpoints between consecutive DISTINCT "
                "values (np.unique sorts and de-duplicates)")
    if got.shape == (len(x) - 1,) and np.allclose(got, (x[:-1] + x[1:]) / 2):
        return "the values were not sorted: sort (and de-duplicate) before taking midpoints"
    if got.shape == v.shape and np.allclose(got, v):
        return "these are the data values: a threshold is the MIDPOINT (v[i] + v[i+1]) / 2"
    if got.shape == (len(v) - 1,) and (np.allclose(got, v[:-1]) or np.allclose(got, v[1:])):
        return ("these are data values, one short: a threshold is the MIDPOINT between two "
                "consecutive distinct values, (v[i] + v[i+1]) / 2")
    if got.shape == (len(v) - 2,) and (np.allclose(got, mids[1:]) or np.allclose(got, mids[:-1])):
        return ("one midpoint is missing (off by one): there is a threshold between EVERY pair "
                "of consecutive distinct values, n_distinct − 1 of them")
    return "v = sorted distinct values; thresholds = (v[:-1] + v[1:]) / 2"


def test_candidate_thresholds(learner):
    """candidate_thresholds are the midpoints between consecutive distinct sorted values"""
    m = learner.decision_tree_numpy
    rng = np.random.default_rng(4)
    cases = [np.array([3.0, 1.0, 2.0, 2.0, 5.0, 1.0, 3.0]),
             np.round(rng.normal(size=30), 1),
             rng.normal(size=12),
             np.array([4.0, 4.0, 4.0])]
    for x in cases:
        got = np.asarray(m.candidate_thresholds(x), dtype=np.float64)
        v = np.unique(x)
        expected = (v[:-1] + v[1:]) / 2
        assert_close(got.ravel() if got.ndim != 1 and got.size == expected.size else got,
                     expected, name=f"candidate_thresholds(x) for x with {len(x)} values, "
                     f"{len(v)} distinct", rtol=1e-12, atol=1e-15,
                     hint=_threshold_hint(got, x) if len(v) > 1 else
                     "a constant feature has no threshold: return an empty array")


# ----------------------------------------------------------------------------- best split
def _best_split_hint(got, ref, X, y, criterion, reference):
    f, t, g = got
    rf, rt, rg = ref
    if (f, t) == (rf, rt) or (f == rf and np.isclose(t, rt, rtol=1e-12)):
        return ("the split is right but its gain differs: gain = I(parent) − n_L/n·I(left) − "
                "n_R/n·I(right) (see the impurity_decrease check)")
    v = np.unique(X[:, f])
    if np.any(np.isclose(v, t, rtol=0, atol=1e-12)):
        return ("your threshold is a data value: thresholds are midpoints between consecutive "
                "distinct values (a value between two data points, not on one)")
    left = X[:, f] <= t
    if 0 < left.sum() < len(y):
        real = reference.decision_tree_numpy.impurity_decrease(y, y[left], y[~left], criterion)
        if not np.isclose(real, g, rtol=1e-9):
            return (f"your gain {g:.6g} for feature {f} at {t:.6g} is not the impurity decrease "
                    f"of that split ({real:.6g}): do the samples with x <= threshold go left, "
                    "and are the impurities weighted by n_child / n?")
    return (f"the best split is feature {rf} at {rt:.6g} (gain {rg:.6g}): search every feature "
            "and every midpoint threshold, keep the largest gain")


@pytest.mark.points(2)
def test_best_split_matches_reference(learner, reference):
    """best_split finds the split with the largest impurity decrease (gini and entropy)"""
    m = learner.decision_tree_numpy
    for seed, decimals in ((0, None), (7, None), (0, 1), (9, 1), (2, 1)):
        X, y = _small(seed, decimals=decimals)
        for criterion in ("gini", "entropy"):
            what = (f"best_split(X, y, {criterion!r}) on 40 × 4 random data (seed {seed}"
                    + (", values rounded to 1 decimal: many repeats)" if decimals else ")"))
            got = _split_tuple(m.best_split(X, y, criterion), what)
            ref = reference.decision_tree_numpy.best_split(X, y, criterion)
            hint = _best_split_hint(got, ref, X, y, criterion, reference)
            assert_same(got[0], ref[0], name=f"{what}: feature", hint=hint)
            assert_close(got[1], ref[1], name=f"{what}: threshold", rtol=1e-12, atol=1e-15,
                         hint=hint)
            assert_close(got[2], ref[2], name=f"{what}: gain", rtol=GAIN_RTOL, hint=hint)


def test_best_split_tie_rule(learner):
    """Equal gains go to the lowest feature, then the lowest threshold; constant data: None"""
    m = learner.decision_tree_numpy
    # one feature, two equally good thresholds (1.5 and 3.5)
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    y = np.array([0, 1, 1, 0])
    f, t, g = _split_tuple(m.best_split(X, y), "best_split on x = [1, 2, 3, 4], y = [0, 1, 1, 0]")
    assert (f, round(t, 9)) == (0, 1.5), (
        f"best_split on x = [1, 2, 3, 4], y = [0, 1, 1, 0] returned threshold {t:g}: the "
        "thresholds 1.5 and 3.5 give the same gain (1/6), and the tie goes to the LOWEST "
        "threshold (keep the first best: replace it only on a strictly larger gain)")
    # feature 0 is useless, features 1 and 2 are copies: the tie goes to feature 1
    rng = np.random.default_rng(5)
    informative = rng.normal(size=30)
    yy = (informative > 0.2).astype(np.int64)
    yy[[3, 17]] = 1 - yy[[3, 17]]
    XX = np.column_stack([rng.normal(size=30) * 0.01 + np.arange(30) % 2, informative,
                          informative])
    f, t, g = _split_tuple(m.best_split(XX, yy), "best_split with two identical best features")
    assert f == 1, (
        f"features 1 and 2 are identical copies (so are their best gains) and best_split "
        f"chose feature {f}: the tie goes to the LOWEST feature index. Replace the best split "
        "only on a strictly larger gain (>, not >=)")
    # nothing to split
    const = m.best_split(np.ones((5, 3)), np.array([0, 1, 0, 1, 1]))
    assert const is None, (
        f"best_split on data where every feature is constant returned {const!r}: there is no "
        "threshold, return None")
    Xc = np.column_stack([np.full(8, 2.0), np.arange(8.0)])
    f, t, g = _split_tuple(m.best_split(Xc, np.array([0, 0, 0, 1, 1, 1, 1, 1])),
                           "best_split with a constant feature 0")
    assert (f, round(t, 9)) == (1, 2.5), (
        f"with feature 0 constant and feature 1 = 0..7 (labels switch after 2) best_split "
        f"returned feature {f} at {t:g}, expected feature 1 at 2.5: a constant feature has no "
        "threshold and must be skipped")


@pytest.mark.points(2)
def test_root_split_matches_sklearn(learner):
    """The root split (feature, threshold, gain) equals sklearn's on iris, wine and breast_cancer"""
    m = learner.decision_tree_numpy
    X, y, names, _ = _iris_named()
    two = y > 0
    cases = [("iris, versicolor vs virginica (100 × 4)", X[two], y[two] - 1),
             ("iris without petal width (150 × 3)", X[:, :3], y),
             ("wine (178 × 13)", *datasets.wine(standardize=False)),
             ("breast_cancer (569 × 30)", *datasets.breast_cancer(standardize=False))]
    for label, Xc, yc in cases:
        for criterion in ("gini", "entropy"):
            a = _arrays(_sk_fit(Xc, yc, max_depth=1, criterion=criterion))
            f, t, g = _split_tuple(m.best_split(Xc, yc, criterion),
                                   f"best_split on {label}, {criterion}")
            f_sk, t_sk = int(a["feature"][0]), float(a["threshold"][0])
            assert f == f_sk and abs(t - t_sk) <= THR_RTOL_SK * abs(t_sk), (
                f"root split on {label} ({criterion}): yours is feature {f} at {t:.6g}, "
                f"sklearn's feature {f_sk} at {t_sk:.6g} (gain {_root_gain(a):.6g}; yours "
                f"claims {g:.6g}). Thresholds are midpoints; the best split maximises "
                "I(parent) − n_L/n·I(left) − n_R/n·I(right) over all features")
            assert_close(g, _root_gain(a), name=f"gain of the root split on {label} "
                         f"({criterion}) vs sklearn's impurity decrease", rtol=GAIN_RTOL)
    # full iris: petal length <= 2.45 and petal width <= 0.8 both isolate setosa (a tie)
    for criterion in ("gini", "entropy"):
        a = _arrays(_sk_fit(X, y, max_depth=1, criterion=criterion))
        f, t, g = _split_tuple(m.best_split(X, y, criterion), f"best_split on iris, {criterion}")
        assert_close(g, _root_gain(a), name=f"gain of the root split on iris ({criterion})",
                     rtol=GAIN_RTOL)
        assert f == 2 and abs(t - 2.45) < 1e-9, (
            f"iris root ({criterion}): you split on feature {f} ({names[f]}) at {t:.6g}. "
            "'petal length <= 2.45' (feature 2) and 'petal width <= 0.8' (feature 3) separate "
            "setosa equally well: sklearn picks one at random (random_state; with "
            "random_state=0 it is feature 3), the README's tie rule picks the LOWEST feature, 2")


# ----------------------------------------------------------------------------- the tree
@pytest.mark.points(2)
def test_tree_matches_sklearn_node_by_node(learner):
    """fit_tree grows sklearn's tree: same splits, sample counts and impurities at every node"""
    X, y, _, _ = _tree_data()
    m = learner.decision_tree_numpy
    for kw in ({"max_depth": 4, "criterion": "gini"}, {"max_depth": 3, "criterion": "entropy"},
               {"max_depth": None, "criterion": "gini", "min_samples_split": 60}):
        mss = kw.get("min_samples_split", 2)
        what = ("fit_tree(X, y, " + ", ".join(f"{k}={v!r}" for k, v in kw.items())
                + ") on 300 × 5 synthetic data")
        tree = m.fit_tree(X, y, **kw)
        _check_tree(tree, what)
        a = _arrays(_sk_fit(X, y, **kw))
        _compare_with_sklearn(tree, a, what, kw["max_depth"], mss)


@pytest.mark.points(2)
def test_predictions_match_sklearn_held_out(learner):
    """Predictions on held-out data equal sklearn's at the same depth"""
    m = learner.decision_tree_numpy
    X, y, X_test, _ = _tree_data()
    Xi, yi = datasets.iris()
    Xw, yw = datasets.wine(standardize=False)
    Xb, yb = datasets.breast_cancer(standardize=False)
    sets = {"synthetic": (X, X_test, y)}
    for name, (Xa, ya) in (("iris", (Xi, yi)), ("wine", (Xw, yw)), ("breast_cancer", (Xb, yb))):
        Xtr, Xte, ytr, _ = datasets.split(Xa, ya, test_size=0.3, seed=0)
        sets[name] = (Xtr, Xte, ytr)
    runs = [("synthetic", "gini", d) for d in (1, 2, 3, 4, 5)]
    runs += [("synthetic", "entropy", 5), ("iris", "gini", 3), ("iris", "entropy", 2),
             ("wine", "gini", 2), ("wine", "entropy", 2), ("breast_cancer", "gini", 1),
             ("breast_cancer", "entropy", 2)]
    for name, criterion, depth in runs:
        Xtr, Xte, ytr = sets[name]
        tree = m.fit_tree(Xtr, ytr, max_depth=depth, criterion=criterion)
        _check_tree(tree, f"fit_tree on {name}")
        pred = np.asarray(m.predict(tree, Xte))
        assert pred.shape == (len(Xte),), (
            f"predict(tree, X) with X of shape {Xte.shape} returned shape {pred.shape}, "
            f"expected ({len(Xte)},): one label per row")
        sk_model = _sk_fit(Xtr, ytr, max_depth=depth, criterion=criterion)
        sk = sk_model.predict(Xte)
        sk_depth = int(sk_model.get_depth())
        hint = ("each row walks from the root: x[feature] <= threshold → left, else right, "
                "until a leaf; the leaf predicts its majority label")
        diagnosis = _diagnose_tree(tree, Xtr, ytr, max_depth=depth)
        if diagnosis:
            hint = diagnosis
        elif _depth(tree) < sk_depth:
            hint = (f"your tree has depth {_depth(tree)}, sklearn's {sk_depth}: keep splitting "
                    "impure nodes until depth = max_depth")
        assert_same(pred.astype(np.int64), sk,
                    name=f"predictions on {len(Xte)} held-out {name} rows, max_depth={depth}, "
                         f"{criterion}", hint=hint)


def test_predict_threshold_goes_left(learner):
    """predict sends x[feature] <= threshold to the left (x equal to the threshold too)"""
    def leaf(label, n):
        return {"leaf": True, "prediction": label, "n_samples": n, "impurity": 0.0}

    tree = {"leaf": False, "prediction": 0, "n_samples": 6, "impurity": 0.6,
            "feature": 1, "threshold": 0.5,
            "left": leaf(2, 2),
            "right": {"leaf": False, "prediction": 0, "n_samples": 4, "impurity": 0.5,
                      "feature": 0, "threshold": -1.0, "left": leaf(0, 2), "right": leaf(1, 2)}}
    X = np.array([[9.0, 0.5],      # exactly on the root threshold → left → 2
                  [9.0, 0.4999],   # left → 2
                  [-1.0, 0.7],     # right, then exactly on -1.0 → left → 0
                  [-0.9, 0.7],     # right, right → 1
                  [-5.0, 3.0]])    # right, left → 0
    expected = np.array([2, 2, 0, 1, 0])
    pred = np.asarray(learner.decision_tree_numpy.predict(tree, X))
    hint = "x[feature] <= threshold goes LEFT (the sklearn convention), > goes right"
    if pred.shape == (5,) and pred[0] == 1 and pred[2] == 1:
        hint = ("a value EQUAL to the threshold went right: use x[feature] <= threshold for "
                "the left branch, not <")
    assert_same(pred.astype(np.int64) if pred.dtype.kind in "iuf" else pred, expected,
                name="predict(hand-made tree, 5 rows, two exactly on a threshold)", hint=hint)


def test_stopping_rules(learner):
    """Leaves: pure nodes, depth = max_depth, n < min_samples_split; majority ties → smallest label"""
    m = learner.decision_tree_numpy
    X, y, _, _ = _tree_data()
    # max_depth = 0: a single leaf predicting the majority (a tie goes to the smallest label)
    Xs = np.arange(10.0).reshape(-1, 1)
    ys = np.array([2, 1, 1, 2, 0, 2, 1, 0, 3, 3])            # 1 and 2 tied with 3 votes
    root = m.fit_tree(Xs, ys, max_depth=0)
    _check_tree(root, "fit_tree(..., max_depth=0)")
    assert root["leaf"], ("fit_tree(..., max_depth=0) should be a single leaf: the root has "
                          "depth 0, and a node at depth >= max_depth is not split")
    assert int(root["prediction"]) == 1, (
        f"a leaf with counts [2, 3, 3, 2] for labels 0..3 predicts {root['prediction']}: the "
        "majority label, ties to the SMALLEST label (np.argmax of the counts gives 1)")
    # pure data: a single leaf
    pure = m.fit_tree(X[:20], np.full(20, 2, dtype=np.int64), max_depth=5)
    _check_tree(pure, "fit_tree on pure labels")
    assert pure["leaf"], ("fit_tree on 20 samples that all have label 2 should return a single "
                          "leaf: a pure node (impurity 0) is never split")
    assert int(pure["prediction"]) == 2, "the leaf of a pure node predicts its label"
    # the rules inside a grown tree
    for kw in ({"max_depth": 3}, {"max_depth": 30, "min_samples_split": 40}):
        tree = m.fit_tree(X, y, **kw)
        what = "fit_tree(X, y, " + ", ".join(f"{k}={v}" for k, v in kw.items()) + ")"
        _check_tree(tree, what)
        assert int(tree["n_samples"]) == len(y), (
            f"{what}: the root holds {tree['n_samples']} samples, expected all {len(y)}")
        for path, depth, node in _nodes(tree):
            if kw["max_depth"] is not None:
                assert depth <= kw["max_depth"], (
                    f"{what}: the node at {path} is at depth {depth} > max_depth = "
                    f"{kw['max_depth']} (the root has depth 0): stop when depth >= max_depth")
            if node["leaf"]:
                continue
            assert float(node["impurity"]) > 0, (
                f"{what}: the node at {path} is pure (impurity 0) but split: a pure node is "
                "a leaf")
            mss = kw.get("min_samples_split", 2)
            assert int(node["n_samples"]) >= mss, (
                f"{what}: the node at {path} has {node['n_samples']} samples but was split: a "
                f"node with fewer than min_samples_split = {mss} samples is a leaf")
            n_children = int(node["left"]["n_samples"]) + int(node["right"]["n_samples"])
            assert n_children == int(node["n_samples"]), (
                f"{what}: the node at {path} has {node['n_samples']} samples but its children "
                f"{node['left']['n_samples']} + {node['right']['n_samples']}: every sample goes "
                "to exactly one side")
    # a depth limit the tree never reaches, data without duplicate rows: every leaf is pure
    tree = m.fit_tree(X, y, max_depth=30)
    _check_tree(tree, "fit_tree(X, y, max_depth=30)")
    impure = [p for p, _, node in _nodes(tree) if node["leaf"] and float(node["impurity"]) > 0]
    assert not impure, (
        f"fit_tree(X, y, max_depth=30) left {len(impure)} impure leaf/leaves (first at "
        f"{impure[0]}): the correct tree is 17 levels deep, so every leaf should be "
        "pure. "
        + (_diagnose_tree(tree, X, y) or ""))
    acc = float(np.mean(np.asarray(m.predict(tree, X)) == y))
    assert acc == 1.0, f"a fully grown tree should fit its 300 training rows exactly, got {acc:.3f}"


def test_xor_needs_a_zero_gain_split(learner):
    """A zero-gain split is still made: the tree learns XOR at depth 2 (sklearn does too)"""
    X, y = datasets.logic_gate("xor")
    m = learner.decision_tree_numpy
    tree = m.fit_tree(X, y, max_depth=2)
    _check_tree(tree, "fit_tree(XOR, max_depth=2)")
    sk = _sk_fit(X, y, max_depth=2).predict(X)
    assert_same(sk, y, name="sklearn on XOR")      # the premise: sklearn learns it
    pred = np.asarray(m.predict(tree, X))
    hint = ("at the root of XOR every split has gain 0 (each half still holds one 0 and one "
            "1), yet the two-level tree is perfect. Split every impure node that has a "
            "threshold, even when the best gain is 0 — do not stop on gain <= 0")
    root_split = m.best_split(X, y)
    if root_split is None:
        hint = ("best_split(XOR) returned None, but both features take two distinct values "
                "(0 and 1), so the threshold 0.5 exists: there is a candidate between EVERY "
                "pair of consecutive distinct values")
    elif not tree["leaf"]:
        hint = _diagnose_tree(tree, X, y, max_depth=2) or (
            "the root is split; each child should split on the other feature")
    assert_same(pred.astype(np.int64), y, name="XOR predictions of fit_tree(max_depth=2)",
                hint=hint)


# ----------------------------------------------------------------------------- scikit-learn
def _check_model(model, what):
    kind = getattr(model, "type_name", None)
    assert kind == "DecisionTreeClassifier", (
        f"{what} should return the fitted sklearn.tree.DecisionTreeClassifier, got "
        f"{_describe(model)}")


@pytest.mark.points(2)
def test_sklearn_model_fitted_correctly(learner):
    """fit_sklearn returns a DecisionTreeClassifier fitted with the given settings"""
    X, y, X_test, _ = _tree_data()
    lib = learner.decision_tree_sklearn
    for kw in ({"max_depth": 3, "criterion": "entropy"},
               {"max_depth": None, "criterion": "gini", "min_samples_split": 30},
               {"max_depth": 2, "criterion": "gini", "random_state": 4}):
        model = lib.fit_sklearn(X, y, **kw)
        what = "fit_sklearn(X, y, " + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ")"
        _check_model(model, what)
        params = model.get_params()
        full = {"criterion": "gini", "max_depth": None, "min_samples_split": 2,
                "random_state": 0, **kw}
        for key, value in full.items():
            assert params[key] == value, (
                f"{what}: your tree has {key}={params[key]!r}, expected {value!r}: pass "
                f"{key} to DecisionTreeClassifier")
        got = learner.probe(_arrays, model)
        expected = _arrays(_sk_fit(X, y, **kw))
        assert_same(got["node_count"], expected["node_count"], name=f"{what}: node_count",
                    hint="fit on the X and y you are given, with these settings")
        assert_same(model.predict(X_test), _sk_fit(X, y, **kw).predict(X_test),
                    name=f"{what}: predictions on 100 held-out rows")


def _parse_dot(dot):
    nodes = {int(i): label for i, label in re.findall(r'^(\d+) \[label="([^"]*)"', dot, re.M)}
    edges = re.findall(r"^(\d+) -> (\d+)", dot, re.M)
    return nodes, edges


def test_export_graphviz(learner):
    """export_dot writes the tree as Graphviz DOT text with feature and class names"""
    X, y, names, classes = _iris_named()
    lib = learner.decision_tree_sklearn
    model = lib.fit_sklearn(X, y, max_depth=3)
    _check_model(model, "fit_sklearn(iris, max_depth=3)")
    path = f"{learner.workdir}/iris_tree.dot"
    dot = lib.export_dot(model, path, names, classes)
    assert isinstance(dot, str), (
        f"export_dot should return the DOT text (a str), got {_describe(dot)}: "
        "export_graphviz(model, out_file=None, ...) returns it")
    assert dot.lstrip().startswith("digraph"), (
        f"export_dot returned {dot[:60]!r}…, which is not Graphviz DOT (it starts with "
        "'digraph Tree {'): use sklearn.tree.export_graphviz(model, out_file=None, ...)")
    try:
        with open(path, encoding="utf-8") as fh:
            saved = fh.read()
    except FileNotFoundError:
        raise AssertionError(f"export_dot did not write the file {path!r}: save the DOT text "
                             "there (Path(path).write_text(dot))") from None
    assert saved == dot, "the file written by export_dot differs from the DOT text it returned"
    a = learner.probe(_arrays, model)
    nodes, edges = _parse_dot(dot)
    assert len(nodes) == a["node_count"] and len(edges) == a["node_count"] - 1, (
        f"the DOT text has {len(nodes)} nodes and {len(edges)} edges, the tree "
        f"{a['node_count']} nodes: export the fitted model itself")
    for i in range(a["node_count"]):
        label = nodes.get(i, "")
        if a["left"][i] != -1:
            want = f"{names[a['feature'][i]]} <= "
            assert label.startswith(want), (
                f"node {i} of the DOT text is labelled {label.split(chr(92))[0]!r}, expected "
                f"it to start with {want!r}: pass feature_names=feature_names to "
                "export_graphviz (without it the labels read x[2] <= …)")
        assert re.search(r"class = (" + "|".join(map(re.escape, classes)) + r")\b", label), (
            f"node {i} of the DOT text has no 'class = <name>' line ({label[:80]!r}): pass "
            "class_names=class_names to export_graphviz")


def test_depth_accuracy_curve(learner):
    """depth_accuracy_curve gives sklearn's train and test accuracy at every depth"""
    from sklearn.metrics import accuracy_score

    X, y = datasets.wine(standardize=False)
    Xtr, Xte, ytr, yte = datasets.split(X, y, test_size=0.3, seed=0)
    depths = [1, 2, 3, 4, None]
    out = learner.decision_tree_sklearn.depth_accuracy_curve(Xtr, ytr, Xte, yte, depths)
    assert isinstance(out, dict) and {"train", "test"} <= set(out), (
        f"depth_accuracy_curve should return a dict with keys 'train' and 'test', got "
        f"{_describe(out)}" + (f" with keys {sorted(out)}" if isinstance(out, dict) else ""))
    exp = {"train": [], "test": []}
    for d in depths:
        model = _sk_fit(Xtr, ytr, max_depth=d)
        exp["train"].append(accuracy_score(ytr, model.predict(Xtr)))
        exp["test"].append(accuracy_score(yte, model.predict(Xte)))
    for key in ("train", "test"):
        got = np.asarray(out[key], dtype=np.float64)
        other = "test" if key == "train" else "train"
        hint = (f"for each depth: fit_sklearn(X_train, y_train, max_depth=depth, "
                f"random_state=0), then accuracy_score on the {key} data")
        if got.shape == (len(depths),) and np.allclose(got, exp[other]):
            hint = f"these are the {other} accuracies: '{key}' is measured on the {key} data"
        elif got.shape == (len(depths),) and np.allclose(got, exp[key][-1]):
            hint = "every depth gives the same accuracy: pass max_depth=depth to the tree"
        assert_close(got, exp[key], name=f"'{key}' accuracies at max_depth {depths} (wine, "
                     "124 train / 54 test rows)", rtol=1e-12, hint=hint)


def test_scratch_and_library_agree(learner):
    """Your from-scratch tree and your sklearn tree predict the same held-out labels"""
    X, y, X_test, _ = _tree_data()
    tree = learner.decision_tree_numpy.fit_tree(X, y, max_depth=4, criterion="entropy")
    _check_tree(tree, "fit_tree(X, y, max_depth=4, criterion='entropy')")
    model = learner.decision_tree_sklearn.fit_sklearn(X, y, max_depth=4, criterion="entropy")
    _check_model(model, "fit_sklearn")
    assert_same(np.asarray(learner.decision_tree_numpy.predict(tree, X_test)).astype(np.int64),
                np.asarray(model.predict(X_test)).astype(np.int64),
                name="your predict(tree, X_test) vs your sklearn model.predict(X_test) "
                     "(100 held-out rows, max_depth=4, entropy)",
                hint="on data without ties the two trees are the same tree: if the node-by-node "
                     "check passes, look at fit_sklearn's settings")
