"""Hidden checks for 07_random_forest: bootstrap, bagging, soft vote, OOB, sklearn forest.

Three-way comparison on fixed-seed data:
1. learner from-scratch vs the reference (bootstrap draws, forest path, soft vote, OOB);
2. learner from-scratch vs scikit-learn (sklearn's own fitted trees and bootstrap samples fed
   to the learner's soft vote and OOB score: exact; the learner's forest vs sklearn's: in
   distribution);
3. learner library code vs RandomForestClassifier used correctly;
plus the lesson: OOB share ≈ 1/e, bagging beats one deep tree, importances sum to 1 and rank
the only informative feature first.

Conventions pinned here (all stated in exercises/07_random_forest/README.md):
- labels 0..K-1, n_classes = y.max() + 1; tree/forest dict formats; the given fit_tree.
- bootstrap_indices(n, rng) = np.random.default_rng(rng).integers(0, n, size=n).
- fit_forest: one rng = default_rng(seed); per tree, bootstrap_indices(n, rng) THEN
  fit_tree(X[idx], y[idx], n_classes, max_depth, max_features, rng).
- soft vote = mean of tree_predict_proba; argmax ties → smallest class.
- oob_score: rows in every bag are left out (not counted as errors).
"""

import math

import numpy as np
import pytest

from grader.testing import assert_close, assert_same

# ------------------------------------------------------------------ data (fixed seeds)


def _noisy_classification(seed=3):
    """Noisy binary problem (25 % flipped labels): 400 train rows, 200 held-out rows."""
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=600, n_features=10, n_informative=4,
                               n_redundant=2, flip_y=0.25, class_sep=1.0,
                               random_state=seed)
    return X[:400], y[:400].astype(np.int64), X[400:], y[400:].astype(np.int64)


def _three_classes(seed=0, n=150):
    """Small 3-class problem with overlapping blobs."""
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0, 0.0, 0.0], [1.5, 1.0, 0.0, -0.5], [0.0, 1.5, 1.0, 0.5]])
    y = rng.integers(0, 3, size=n)
    X = centers[y] + rng.normal(size=(n, 4))
    return X, y.astype(np.int64)


def _one_informative_feature(seed=0, informative=3):
    """Five features; the label depends only on feature `informative`."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 5))
    y = (X[:, informative] + 0.3 * rng.normal(size=300) > 0).astype(np.int64)
    return X, y


def _leaf(proba):
    """A one-node tree (a single leaf) with the given class distribution."""
    return {"feature": np.array([-1]), "threshold": np.array([0.0]),
            "left": np.array([-1]), "right": np.array([-1]),
            "value": np.array([proba], dtype=np.float64)}


# ------------------------------------------------------------------ bootstrap


def test_bootstrap_exact_draw(learner):
    """bootstrap_indices draws with np.random.default_rng(seed).integers(0, n, size=n)"""
    for n, seed in [(10, 0), (57, 1), (400, 12345)]:
        idx = learner.random_forest_numpy.bootstrap_indices(n, seed)
        expected = np.random.default_rng(seed).integers(0, n, size=n)
        idx = np.asarray(idx)
        assert idx.shape == (n,), (
            f"bootstrap_indices({n}, seed={seed}) returned shape {idx.shape}, expected ({n},): "
            "one index per row, as many draws as rows")
        assert np.issubdtype(idx.dtype, np.integer), (
            f"bootstrap_indices returned dtype {idx.dtype}: row indices must be integers")
        assert_same(idx, expected, name=f"bootstrap_indices({n}, seed={seed})",
                    hint="draw WITH replacement with exactly "
                         "np.random.default_rng(rng).integers(0, n_samples, size=n_samples) "
                         "(not a permutation, not rng.choice(..., replace=False), "
                         "not integers(0, n_samples - 1))")


def test_bootstrap_oob_share_is_one_over_e(learner):
    """Bootstrap draws with replacement: about 1/e of the rows are left out of bag"""
    n, draws = 1000, 20
    shares = []
    for seed in range(draws):
        idx = np.asarray(learner.random_forest_numpy.bootstrap_indices(n, seed))
        assert idx.shape == (n,), f"bootstrap_indices({n}, {seed}) returned shape {idx.shape}"
        assert idx.min() >= 0 and idx.max() < n, (
            f"bootstrap_indices({n}, {seed}) returned indices outside 0..{n - 1} "
            f"(min {idx.min()}, max {idx.max()})")
        shares.append(1.0 - len(np.unique(idx)) / n)
    share = float(np.mean(shares))
    # Expected out-of-bag share for n rows: p = (1 - 1/n)^n → 1/e. The share of one draw has
    # variance p(1-p)/n + (1-1/n)(q - p²), q = (1 - 2/n)^n (indicators are correlated);
    # allow 4 standard errors of the mean over `draws` draws plus the gap p − 1/e.
    p, q = (1 - 1 / n) ** n, (1 - 2 / n) ** n
    se = math.sqrt((p * (1 - p) / n + (1 - 1 / n) * (q - p * p)) / draws)
    tol = 4 * se + abs(p - 1 / math.e)
    assert abs(share - 1 / math.e) <= tol, (
        f"out-of-bag share over {draws} bootstrap samples of n={n} rows is {share:.4f}, "
        f"expected 1/e = {1 / math.e:.4f} ± {tol:.4f}. "
        + ("A share of 0 means every row is drawn exactly once: you drew WITHOUT "
           "replacement (a permutation). " if share < 0.05 else "")
        + "A bootstrap sample draws n indices uniformly WITH replacement, so each row is "
          "missed with probability (1 − 1/n)^n ≈ 1/e ≈ 0.368.")


def test_oob_mask(learner, reference):
    """oob_mask marks exactly the rows absent from the bootstrap sample"""
    n = 12
    idx = np.array([0, 3, 3, 5, 11, 0, 7, 7, 7, 2, 3, 5], dtype=np.int64)
    mask = np.asarray(learner.random_forest_numpy.oob_mask(idx, n))
    expected = reference.random_forest_numpy.oob_mask(idx, n)
    assert mask.shape == (n,), f"oob_mask(indices, {n}) returned shape {mask.shape}, expected ({n},)"
    assert mask.dtype == np.bool_, (
        f"oob_mask returned dtype {mask.dtype}, expected bool (True = out of bag)")
    assert_same(mask, expected, name=f"oob_mask for indices {idx.tolist()}",
                hint="True must mean 'out of bag' = the row index never occurs in the "
                     "bootstrap indices (rows 1, 4, 6, 8, 9, 10 here); is your mask inverted?")


# ------------------------------------------------------------------ bagging


@pytest.mark.points(2)
def test_fit_forest_matches_reference(learner, reference):
    """fit_forest draws bootstrap samples and grows trees in the stated order"""
    ref = reference.random_forest_numpy
    X, y = _three_classes(seed=1)
    forest = learner.random_forest_numpy.fit_forest(X, y, n_trees=6, max_depth=4,
                                                    max_features="sqrt", seed=11)
    expected = ref.fit_forest(X, y, n_trees=6, max_depth=4, max_features="sqrt", seed=11)
    assert isinstance(forest, dict) and {"trees", "bootstrap", "n_classes"} <= set(forest), (
        "fit_forest must return a dict with keys 'trees', 'bootstrap', 'n_classes'; got "
        + (f"keys {sorted(forest)}" if isinstance(forest, dict) else type(forest).__name__))
    assert len(forest["trees"]) == 6, f"fit_forest(n_trees=6) returned {len(forest['trees'])} trees"
    assert forest["n_classes"] == 3, f"n_classes is {forest['n_classes']}, expected y.max() + 1 = 3"
    boot = np.asarray(forest["bootstrap"])
    assert boot.shape == (6, len(y)), (
        f"forest['bootstrap'] has shape {boot.shape}, expected (n_trees, n_samples) = (6, {len(y)})")
    assert_same(boot[0], expected["bootstrap"][0],
                name="bootstrap indices of tree 0 (seed=11)",
                hint="create rng = np.random.default_rng(seed) once, and draw each tree's "
                     "sample WITH replacement with bootstrap_indices(n, rng) before fitting it")
    assert_same(boot, expected["bootstrap"], name="bootstrap indices of all 6 trees (seed=11)",
                hint="tree 0 is right but later trees are not: per tree, first "
                     "bootstrap_indices(n, rng), then fit_tree(X[idx], y[idx], n_classes, "
                     "max_depth, max_features, rng) with the SAME rng (the tree draws its "
                     "feature subsets from it); do not re-seed inside the loop")
    proba = ref.forest_predict_proba(forest, X)
    assert_close(proba, ref.forest_predict_proba(expected, X), rtol=1e-12, atol=1e-12,
                 name="soft-vote probabilities of your fitted trees on the training data",
                 hint="the bootstrap samples agree, so the trees differ: fit tree t on "
                      "X[idx], y[idx] of ITS sample, pass n_classes = y.max() + 1, max_depth, "
                      "max_features and the same rng to fit_tree")


def test_each_tree_gets_its_own_bootstrap(learner):
    """Every tree is fitted on its own bootstrap sample (rows repeat, samples differ)"""
    X, y = _three_classes(seed=2, n=120)
    forest = learner.random_forest_numpy.fit_forest(X, y, n_trees=10, max_depth=2, seed=5)
    boot = np.asarray(forest["bootstrap"])
    assert boot.shape == (10, 120), f"forest['bootstrap'] has shape {boot.shape}, expected (10, 120)"
    distinct = len({tuple(row) for row in boot.tolist()})
    assert distinct == 10, (
        f"only {distinct} distinct bootstrap samples among 10 trees: the SAME bootstrap sample "
        "is reused for several trees. Create the Generator once before the loop and keep "
        "drawing from it; do not re-seed per tree (bootstrap_indices(n, seed) in the loop)")
    unique = [len(np.unique(row)) for row in boot]
    assert max(unique) < 120, (
        "every bootstrap sample contains each row exactly once: that is a permutation, "
        "not a bootstrap; draw WITH replacement")


# ------------------------------------------------------------------ soft vote


@pytest.mark.points(2)
def test_soft_vote_is_mean_of_probabilities(learner, reference):
    """forest_predict_proba is the soft vote: the mean of the trees' class probabilities"""
    ref = reference.random_forest_numpy
    X, y = _three_classes(seed=3)
    forest = ref.fit_forest(X, y, n_trees=7, max_depth=2, seed=0)   # shallow: impure leaves
    X_new = _three_classes(seed=4, n=40)[0]
    proba = learner.random_forest_numpy.forest_predict_proba(forest, X_new)
    expected = np.mean([ref.tree_predict_proba(t, X_new) for t in forest["trees"]], axis=0)
    hint = ("soft vote = mean over trees of tree_predict_proba(tree, X), as sklearn's "
            "RandomForestClassifier does; not the share of trees voting for each class "
            "(hard/majority vote), not a sum")
    if isinstance(proba, np.ndarray) and proba.shape == expected.shape:
        votes = np.mean([np.eye(3)[np.argmax(ref.tree_predict_proba(t, X_new), axis=1)]
                         for t in forest["trees"]], axis=0)
        if np.allclose(proba, 7 * expected, rtol=1e-9):
            hint = ("your values are 7 = n_trees times too large: the soft vote is the MEAN "
                    "of the trees' probabilities, not their sum")
        elif np.allclose(proba, votes, rtol=1e-9):
            hint = ("you return the share of trees voting for each class (hard vote): the "
                    "soft vote averages the trees' probabilities, tree_predict_proba(tree, X)")
    elif isinstance(proba, np.ndarray) and proba.shape == expected.shape[::-1]:
        hint = "transposed: rows are samples, columns are classes, shape (m, n_classes)"
    assert_close(proba, expected, rtol=1e-10, atol=1e-12,
                 name="forest_predict_proba(forest, X) (7 trees of depth 2, 3 classes)",
                 hint=hint)
    assert_close(np.asarray(proba).sum(axis=1), np.ones(len(X_new)), rtol=0, atol=1e-12,
                 name="row sums of forest_predict_proba", hint="a mean of distributions sums to 1")


def test_predict_follows_soft_vote_not_majority(learner):
    """forest_predict takes the argmax of the soft vote, even against the majority"""
    # Three one-leaf trees: one is sure of class 0, two lean weakly to class 1.
    # Majority vote says 1; the mean probability [0.5667, 0.4333] says 0.
    forest = {"trees": [_leaf([0.9, 0.1]), _leaf([0.4, 0.6]), _leaf([0.4, 0.6])],
              "bootstrap": np.zeros((3, 1), dtype=np.int64), "n_classes": 2}
    tie = {"trees": [_leaf([0.75, 0.25]), _leaf([0.25, 0.75])],
           "bootstrap": np.zeros((2, 1), dtype=np.int64), "n_classes": 2}
    X = np.zeros((3, 2))
    pred = np.asarray(learner.random_forest_numpy.forest_predict(forest, X))
    assert_same(pred, np.zeros(3, dtype=np.int64),
                name="forest_predict with trees [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]",
                hint="two of three trees vote 1, but the mean probability of class 0 is "
                     "0.567: predict the argmax of the SOFT vote (mean probabilities), "
                     "not the majority of the trees' hard predictions")
    pred = np.asarray(learner.random_forest_numpy.forest_predict(tie, X))
    assert_same(pred, np.zeros(3, dtype=np.int64),
                name="forest_predict on an exact tie [0.5, 0.5]",
                hint="ties go to the smallest class index, as np.argmax does")


# ------------------------------------------------------------------ out of bag


@pytest.mark.points(2)
def test_oob_score_matches_reference(learner, reference):
    """oob_score predicts each row with only the trees that did not see it"""
    ref = reference.random_forest_numpy
    X, y = _three_classes(seed=5, n=160)
    # 4 trees: about 0.632^4 ≈ 16 % of the rows are in every bag and must be left out.
    for n_trees, depth in [(4, 3), (15, None)]:
        forest = ref.fit_forest(X, y, n_trees=n_trees, max_depth=depth, seed=21)
        score = learner.random_forest_numpy.oob_score(forest, X, y)
        expected = ref.oob_score(forest, X, y)
        boot = forest["bootstrap"]
        never = int(np.sum(~np.any([ref.oob_mask(b, len(y)) for b in boot], axis=0)))
        assert_close(score, expected, rtol=0, atol=1e-12,
                     name=f"oob_score of a {n_trees}-tree forest (max_depth={depth}) on 160 rows",
                     hint="for row i, average the probabilities of ONLY the trees that did "
                          "not see it (oob_mask of their bootstrap sample True at i), take the "
                          f"argmax, compare with y[i]; leave out the {never} rows that are in "
                          "every bag (do not count them as errors); a score near 1.0 means "
                          "you used in-bag trees (training accuracy), e.g. an inverted oob_mask")


# ------------------------------------------------------------------ sklearn's own trees


def _sklearn_forest_as_dict(model, n_samples):
    """sklearn's fitted trees and bootstrap samples, in the dict format of the exercise.

    RandomForestClassifier draws tree t's bootstrap sample with
    np.random.RandomState(estimators_[t].random_state).randint(0, n, n).
    """
    trees = []
    for est in model.estimators_:
        t = est.tree_
        leaf = t.children_left == -1
        value = t.value[:, 0, :]
        trees.append({"feature": np.where(leaf, -1, t.feature).astype(np.int64),
                      "threshold": np.where(leaf, 0.0, t.threshold).astype(np.float64),
                      "left": t.children_left.astype(np.int64),
                      "right": t.children_right.astype(np.int64),
                      "value": value / value.sum(axis=1, keepdims=True)})
    boot = np.array([np.random.RandomState(est.random_state).randint(0, n_samples, n_samples)
                     for est in model.estimators_], dtype=np.int64)
    return {"trees": trees, "bootstrap": boot, "n_classes": int(model.n_classes_)}


@pytest.mark.points(2)
def test_soft_vote_and_oob_reproduce_sklearn(learner):
    """With sklearn's own trees, your soft vote and OOB score equal predict_proba and oob_score_"""
    from sklearn.ensemble import RandomForestClassifier

    X, y = _three_classes(seed=9, n=200)
    X = X.astype(np.float32).astype(np.float64)   # sklearn's trees compare float32 values
    X_new = _three_classes(seed=10, n=60)[0].astype(np.float32).astype(np.float64)
    # max_depth=4: impure leaves, so a soft and a hard vote disagree on some rows
    sk = RandomForestClassifier(n_estimators=25, max_depth=4, oob_score=True,
                                random_state=3).fit(X, y)
    forest = _sklearn_forest_as_dict(sk, len(y))
    in_every_bag = ~np.any([np.bincount(b, minlength=len(y)) == 0 for b in forest["bootstrap"]],
                           axis=0)
    assert not in_every_bag.any(), "test data error: a row is in every bag"  # fixed seeds
    proba = learner.random_forest_numpy.forest_predict_proba(forest, X_new)
    expected = sk.predict_proba(X_new)
    hint = ("sklearn's RandomForestClassifier.predict_proba is the mean over its trees of "
            "their leaf class distributions (soft vote)")
    got = np.asarray(proba, dtype=np.float64) if isinstance(proba, np.ndarray) else proba
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        votes = np.mean([np.eye(3)[np.argmax(_tree_proba_np(t, X_new), axis=1)]
                         for t in forest["trees"]], axis=0)
        if np.allclose(got, 25 * expected, rtol=1e-9):
            hint = "your values are 25 times too large: average the trees' probabilities, do not sum them"
        elif np.allclose(got, votes, rtol=1e-9):
            hint = ("you return the share of trees voting for each class (hard vote); "
                    "sklearn averages the trees' probabilities (soft vote)")
    assert_close(proba, expected, rtol=1e-10, atol=1e-12,
                 name="forest_predict_proba on sklearn's 25 fitted trees (depth 4) vs "
                      "RandomForestClassifier.predict_proba (60 rows, 3 classes)", hint=hint)
    pred = learner.random_forest_numpy.forest_predict(forest, X_new)
    assert_same(np.asarray(pred), sk.predict(X_new),
                name="forest_predict on sklearn's trees vs RandomForestClassifier.predict",
                hint="the argmax of the soft vote, ties to the smaller class")
    oob = learner.random_forest_numpy.oob_score(forest, X, y)
    assert_close(oob, float(sk.oob_score_), rtol=0, atol=1e-12,
                 name="oob_score on sklearn's trees and bootstrap samples vs "
                      "RandomForestClassifier.oob_score_ (200 rows, 25 trees)",
                 hint="row i is predicted by the mean probabilities of ONLY the trees whose "
                      "bootstrap sample does not contain i (oob_mask True at i), then argmax "
                      "and compare with y[i]; a score close to 1 means the in-bag trees "
                      "were used")


def _tree_proba_np(tree, X):
    """The leaf distributions of a tree in the dict format (same as the given helper)."""
    node = np.zeros(len(X), dtype=np.int64)
    for _ in range(len(tree["feature"])):
        inner = tree["feature"][node] >= 0
        if not inner.any():
            break
        rows = np.nonzero(inner)[0]
        at = node[rows]
        go_left = X[rows, tree["feature"][at]] <= tree["threshold"][at]
        node[rows] = np.where(go_left, tree["left"][at], tree["right"][at])
    return tree["value"][node]


# ------------------------------------------------------------------ the point of bagging


@pytest.mark.points(2)
def test_forest_beats_single_deep_tree(learner, reference):
    """The bagged forest beats one deep tree on noisy held-out data"""
    X_tr, y_tr, X_te, y_te = _noisy_classification()
    tree = reference.random_forest_numpy.fit_tree(X_tr, y_tr, 2)   # fully grown, all features
    tree_acc = float(np.mean(np.argmax(
        reference.random_forest_numpy.tree_predict_proba(tree, X_te), axis=1) == y_te))
    forest = learner.random_forest_numpy.fit_forest(X_tr, y_tr, n_trees=30, seed=0)
    pred = np.asarray(learner.random_forest_numpy.forest_predict(forest, X_te))
    assert pred.shape == y_te.shape, f"forest_predict returned shape {pred.shape}, expected {y_te.shape}"
    acc = float(np.mean(pred == y_te))
    assert acc >= tree_acc + 0.04, (
        f"held-out accuracy: forest of 30 trees {acc:.3f}, single deep tree {tree_acc:.3f}; "
        "bagging should win by at least 0.04 on this noisy data (25 % flipped labels). "
        "Check that every tree sees its own bootstrap sample and max_features='sqrt' "
        "feature subsets, and that predictions average the trees (soft vote)")


def test_forest_close_to_sklearn(learner):
    """Your forest performs like sklearn's RandomForestClassifier with the same settings"""
    from sklearn.ensemble import RandomForestClassifier

    X_tr, y_tr, X_te, y_te = _noisy_classification(seed=8)
    forest = learner.random_forest_numpy.fit_forest(X_tr, y_tr, n_trees=30, seed=0)
    acc = float(np.mean(np.asarray(learner.random_forest_numpy.forest_predict(forest, X_te)) == y_te))
    oob = float(learner.random_forest_numpy.oob_score(forest, X_tr, y_tr))
    sk = RandomForestClassifier(n_estimators=30, max_features="sqrt", oob_score=True,
                                random_state=0).fit(X_tr, y_tr)
    sk_acc = float(sk.score(X_te, y_te))
    # Bootstrap forests agree only in distribution: on 200 held-out rows the accuracy of
    # two equally good 30-tree forests differs by ~0.02 (checked on 10 datasets: ≤ 0.025).
    assert abs(acc - sk_acc) <= 0.05, (
        f"held-out accuracy {acc:.3f} vs sklearn's RandomForestClassifier {sk_acc:.3f} "
        "(same data, 30 trees, max_features='sqrt'): more than 0.05 apart. Check the "
        "bootstrap (with replacement, one per tree) and the soft vote")
    assert math.isfinite(oob), (
        f"oob_score returned {oob}: no row was ever out of bag. With bootstrap samples drawn "
        "WITH replacement about 1/e of the rows are out of bag for every tree")
    assert abs(oob - sk.oob_score_) <= 0.05, (
        f"oob_score {oob:.3f} vs sklearn's oob_score_ {sk.oob_score_:.3f}: more than 0.05 "
        "apart. Each row must be scored only by trees that did not see it (a score near 1.0 "
        "means in-bag trees were used, e.g. an inverted oob_mask)")


# ------------------------------------------------------------------ library


def _rf_params(model):
    params = model.get_params()
    return {"type": type(model).__name__,
            "params": {k: v for k, v in params.items()
                       if v is None or isinstance(v, (bool, int, float, str))},
            "fitted": hasattr(model, "estimators_")}


@pytest.mark.points(2)
def test_library_forest_matches_sklearn(learner):
    """fit_random_forest is RandomForestClassifier used correctly (same params → same output)"""
    from sklearn.ensemble import RandomForestClassifier

    X, y = _three_classes(seed=6, n=200)
    kwargs = dict(n_estimators=20, max_depth=5, max_features=2, random_state=7)
    model = learner.random_forest_sklearn.fit_random_forest(X, y, **kwargs)
    info = learner.probe(_rf_params, model)
    assert info["type"] == "RandomForestClassifier", (
        f"fit_random_forest returned a {info['type']}, expected a fitted "
        "sklearn.ensemble.RandomForestClassifier")
    assert info["fitted"], "fit_random_forest returned an unfitted forest: call .fit(X, y)"
    expected = RandomForestClassifier(**kwargs, bootstrap=True, oob_score=True).fit(X, y)
    for key in ("n_estimators", "max_depth", "max_features", "random_state", "bootstrap",
                "oob_score"):
        got, want = info["params"].get(key), expected.get_params()[key]
        assert got == want, (
            f"RandomForestClassifier parameter {key}={got!r}, expected {want!r} "
            f"(fit_random_forest(X, y, {', '.join(f'{k}={v!r}' for k, v in kwargs.items())})): "
            "pass every argument through, with bootstrap=True and oob_score=True")
    X_new = _three_classes(seed=7, n=50)[0]
    assert_close(model.predict_proba(X_new), expected.predict_proba(X_new), rtol=0, atol=1e-12,
                 name="predict_proba of your fitted RandomForestClassifier",
                 hint="same parameters and random_state must give identical forests")
    assert_close(model.oob_score_, expected.oob_score_, rtol=0, atol=1e-12, name="oob_score_")


@pytest.mark.points(2)
def test_importances_sum_to_one_and_rank_informative_first(learner):
    """Feature importances sum to 1 and rank the only informative feature first"""
    from sklearn.ensemble import RandomForestClassifier

    X, y = _one_informative_feature(informative=3)
    imp, order = learner.random_forest_sklearn.feature_importances(X, y, n_estimators=50,
                                                                  random_state=0)
    imp, order = np.asarray(imp, dtype=np.float64), np.asarray(order)
    assert imp.shape == (5,) and order.shape == (5,), (
        f"feature_importances returned shapes {imp.shape} and {order.shape}, "
        "expected (n_features,) = (5,) for both")
    assert_close(imp.sum(), 1.0, rtol=0, atol=1e-9, name="sum of feature importances",
                 hint="feature_importances_ is normalised to sum to 1 (mean decrease in "
                      "impurity, averaged over trees); do not sum the trees' importances")
    expected = RandomForestClassifier(n_estimators=50, random_state=0, bootstrap=True,
                                      oob_score=True).fit(X, y).feature_importances_
    assert_close(imp, expected, rtol=1e-9, atol=1e-12,
                 name="feature importances vs RandomForestClassifier(n_estimators=50, "
                      "random_state=0).feature_importances_",
                 hint="return the fitted forest's feature_importances_")
    assert int(order[0]) == 3, (
        f"order[0] = {int(order[0])}, but only feature 3 decides the label here "
        f"(importances {np.round(imp, 3).tolist()}): order must list features from the MOST "
        "to the least important, e.g. np.argsort(-importances, kind='stable')")
    assert_same(order, np.argsort(-imp, kind="stable"), name="feature order",
                hint="sort by decreasing importance: np.argsort(-importances, kind='stable')")
