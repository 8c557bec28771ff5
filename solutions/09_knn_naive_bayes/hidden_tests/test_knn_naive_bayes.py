"""Hidden checks for 09_knn_naive_bayes: KNN and Gaussian naive Bayes, by hand and with sklearn.

Conventions pinned here (all stated in the topic README):
- KNN: Euclidean distance; neighbours sorted nearest first, equal distances keep the
  training order (stable sort); majority vote, a tied vote goes to the smallest label
  (what KNeighborsClassifier does). Data compared with sklearn is jittered so that no two
  training rows are at the same distance around the k-th neighbour: sklearn's own order
  for equal distances depends on its search algorithm.
- GaussianNB: per-class mean, per-class variance with ddof=0 plus
  var_smoothing * max(np.var(X, axis=0)), var_smoothing=1e-9; priors n_c / n; classes sorted.
"""
import numpy as np
import pytest
from grader.testing import assert_close, assert_same, datasets

from sklearn.metrics.pairwise import euclidean_distances as sk_euclidean
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


# ---------------------------------------------------------------- data for this topic
def _jittered(name, seed):
    """Standardised iris / wine + 1e-3 noise (no exact distance ties), split 70/30."""
    X, y = getattr(datasets, name)(standardize=True)
    rng = np.random.default_rng(seed)
    X = X + 1e-3 * rng.normal(size=X.shape)
    return datasets.split(X, y, test_size=0.3, seed=seed)


def _assert_no_distance_ties(X_train, X_query, k, what):
    """The test's own guard: the k-th and (k+1)-th neighbours are never at equal distance."""
    D = np.sort(sk_euclidean(X_query, X_train), axis=1)
    gap = (D[:, k] - D[:, k - 1]).min()
    assert gap > 1e-9, f"test data problem ({what}, k={k}): distance tie, gap {gap:g}"


def _grid_with_ties():
    """Integer grid points in a fixed shuffled order: many exactly equal distances."""
    g = np.arange(7, dtype=np.float64)
    X_train = np.array([(a, b) for a in g for b in g])
    X_train = X_train[np.random.default_rng(3).permutation(len(X_train))]
    y_train = (np.arange(len(X_train)) % 4) * 3          # labels 0, 3, 6, 9
    X_query = np.array([[3.0, 3.0], [0.0, 0.0], [3.5, 3.5], [1.0, 5.0], [6.0, 2.5],
                        [2.5, 2.5], [5.0, 5.0], [0.5, 6.0]])
    return X_train, y_train, X_query


def _nb_data():
    """Unbalanced 3-class data, labels 2/5/9, feature 3 constant inside class 9."""
    rng = np.random.default_rng(7)
    counts = {2: 60, 5: 25, 9: 15}
    means = {2: [0.0, 1.0, -1.0, 2.0], 5: [1.5, -0.5, 0.5, 0.0], 9: [-1.0, 0.0, 1.5, 1.5]}
    scales = {2: [1.0, 0.5, 2.0, 1.0], 5: [0.7, 1.5, 1.0, 0.3], 9: [1.2, 0.8, 0.6, 0.0]}
    X = np.vstack([means[c] + scales[c] * rng.normal(size=(n, 4)) for c, n in counts.items()])
    y = np.concatenate([np.full(n, c, dtype=np.int64) for c, n in counts.items()])
    order = rng.permutation(len(y))
    return X[order], y[order]


def _sk_params(gnb):
    return {"classes": gnb.classes_, "means": gnb.theta_, "variances": gnb.var_,
            "priors": gnb.class_prior_}


def _get(model, key, what):
    assert isinstance(model, dict), (
        f"{what} must return a dict with keys classes, means, variances, priors; got "
        f"{type(model).__name__}")
    assert key in model, f"{what}: the returned dict has no key '{key}' (has {sorted(model)})"
    return model[key]


# ---------------------------------------------------------------- KNN: distances
def test_distances_exact(learner):
    """euclidean_distances gives the exact Euclidean distance matrix (n_query, n_train)"""
    rng = np.random.default_rng(0)
    X_train = rng.normal(size=(13, 4))
    X_query = rng.normal(size=(7, 4))
    D = learner.knn_numpy.euclidean_distances(X_query, X_train)
    expected = np.sqrt(((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=2))
    manhattan = np.abs(X_query[:, None, :] - X_train[None, :, :]).sum(axis=2)
    hint = "D[i, j] = sqrt(sum_f (X_query[i, f] - X_train[j, f])**2); rows are queries"
    if np.shape(D) == expected.T.shape:
        hint = "rows must be the queries: shape (n_query, n_train), not (n_train, n_query)"
    elif np.shape(D) == expected.shape and np.allclose(D, manhattan):
        hint = "these are Manhattan (L1) distances: KNN here uses the Euclidean (L2) distance"
    elif np.shape(D) == expected.shape and np.allclose(D, expected ** 2):
        hint = "these are squared distances: take the square root"
    assert_close(D, expected, name="distance matrix", rtol=1e-9, atol=1e-12, hint=hint)


def test_distance_to_itself_is_zero(learner):
    """The distance from a point to itself is 0 (never NaN), also away from the origin"""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 3)) * 3.0 + 10.0
    D = learner.knn_numpy.euclidean_distances(X, X)
    hint = ("with the ||a||^2 - 2 a.b + ||b||^2 trick the squared distance can come out "
            "slightly negative: clip it at 0 before the square root")
    assert_close(np.diag(np.asarray(D, dtype=np.float64)), np.zeros(20),
                 name="diagonal of euclidean_distances(X, X)", atol=1e-6, hint=hint)
    assert_close(D, sk_euclidean(X, X), name="distance matrix of X with itself",
                 rtol=1e-7, atol=1e-6, hint=hint)


def test_kneighbors_match_sklearn(learner):
    """kneighbors returns the same neighbours, nearest first, as KNeighborsClassifier"""
    for name, k in (("iris", 1), ("iris", 5), ("wine", 4), ("wine", 8)):
        X_train, X_test, y_train, _ = _jittered(name, seed=0)
        _assert_no_distance_ties(X_train, X_test, k, name)
        dist, idx = learner.knn_numpy.kneighbors(X_train, X_test, k)
        sk_dist, sk_idx = KNeighborsClassifier(n_neighbors=k).fit(
            X_train, y_train).kneighbors(X_test)
        assert_same(np.shape(idx), sk_idx.shape,
                    name=f"shape of the indices ({name}, k={k})",
                    hint="one row per query, k columns")
        assert_same(idx, sk_idx, name=f"neighbour indices ({name}, k={k})",
                    hint="sort each query's distances ascending and keep the first k "
                         "(indices into X_train, nearest first); Euclidean distance")
        assert_close(dist, sk_dist, name=f"neighbour distances ({name}, k={k})",
                     rtol=1e-9, atol=1e-12)


def test_kneighbors_distance_ties_keep_training_order(learner, reference):
    """Equal distances keep the training order (stable sort by distance)"""
    X_train, _, X_query = _grid_with_ties()
    k = 9
    _, idx = learner.knn_numpy.kneighbors(X_train, X_query, k)
    _, ref_idx = reference.knn_numpy.kneighbors(X_train, X_query, k)
    assert_same(idx, ref_idx, name="neighbour indices on a grid with many equal distances",
                hint="np.argsort's default (quicksort) and np.argpartition do not keep equal "
                     "distances in training order: use np.argsort(D, axis=1, kind='stable')")


# ---------------------------------------------------------------- KNN: vote
def test_majority_vote_tie_rule(learner):
    """majority_vote returns the most frequent label; a tie goes to the smallest label"""
    cases = [([7], 7), ([2, 0], 0), ([0, 2], 0), ([1, 2, 2], 2), ([9, 9, 4, 4, 6], 4),
             ([6, 3, 6, 3], 3), ([5, 1, 5, 8, 8, 1], 1), ([3, 8, 8], 8)]
    for labels, expected in cases:
        got = learner.knn_numpy.majority_vote(np.array(labels, dtype=np.int64))
        hint = "count each label; among the labels with the highest count take the smallest"
        if len(set(labels)) > 1 and got == labels[0]:
            hint = ("a tie must go to the smallest label, not to the first (nearest) one: "
                    "collections.Counter.most_common breaks ties by first appearance")
        elif got == max(labels):
            hint = "a tie goes to the SMALLEST label (like KNeighborsClassifier), not the largest"
        assert_same(int(got), expected, name=f"majority_vote({labels})", hint=hint)


def test_knn_predictions_identical_to_sklearn(learner):
    """knn_predict gives exactly KNeighborsClassifier's predictions (iris, wine, many k)"""
    for name in ("iris", "wine"):
        X_train, X_test, y_train, _ = _jittered(name, seed=0)
        for k in (1, 2, 3, 4, 6, 7, 10):
            _assert_no_distance_ties(X_train, X_test, k, name)
            pred = learner.knn_numpy.knn_predict(X_train, y_train, X_test, k)
            sk = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).predict(X_test)
            assert_same(pred, sk, name=f"predictions ({name}, k={k}, {len(X_test)} queries)",
                        hint="majority vote of the k nearest (Euclidean) training labels; "
                             "with even k a tied vote goes to the smallest label")


def test_knn_vote_tie_goes_to_smallest_label_in_predict(learner):
    """A tied vote in knn_predict goes to the smallest label, even if the nearest is larger"""
    X_train = np.array([[0.0], [1.1], [-2.3], [2.9], [-4.2], [5.3]])
    y_train = np.array([8, 3, 5, 8, 3, 5], dtype=np.int64)
    X_query = np.array([[0.1], [0.8], [-1.0], [2.5], [-3.5]])
    for k in (2, 4):
        pred = learner.knn_numpy.knn_predict(X_train, y_train, X_query, k)
        sk = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).predict(X_query)
        assert_same(pred, sk, name=f"predictions with tied votes (k={k}, labels 3/5/8)",
                    hint="a tied vote goes to the smallest label among the tied ones, "
                         "not to the nearest neighbour's label nor to the largest")


# ---------------------------------------------------------------- Gaussian naive Bayes
def test_nb_parameters_match_gaussiannb(learner):
    """fit_gaussian_nb: classes, means, variances (ddof=0 + smoothing) and priors equal GaussianNB's"""
    X, y = _nb_data()
    model = learner.naive_bayes_numpy.fit_gaussian_nb(X, y)
    gnb = GaussianNB().fit(X, y)
    what = "fit_gaussian_nb"
    assert_same(np.asarray(_get(model, "classes", what)), gnb.classes_,
                name="classes (sorted distinct labels)",
                hint="np.unique(y): the labels themselves (2, 5, 9 here), sorted")
    assert_close(_get(model, "means", what), gnb.theta_, name="per-class means (C, d)",
                 rtol=1e-10, atol=1e-12, hint="row c = X[y == classes[c]].mean(axis=0)")
    var = np.asarray(_get(model, "variances", what), dtype=np.float64)
    eps = gnb.epsilon_
    groups = [X[y == c] for c in gnb.classes_]
    candidates = {
        "ddof=1 (unbiased) variances: GaussianNB uses ddof=0 (np.var's default)":
            np.array([g.var(axis=0, ddof=1) for g in groups]) + eps,
        "the variances without var_smoothing: add var_smoothing * max(np.var(X, axis=0)) "
        "(var_smoothing=1e-9) to every variance": np.array([g.var(axis=0) for g in groups]),
        "standard deviations, not variances": np.sqrt(gnb.var_),
        "smoothed with var_smoothing * np.var(X), the variance of ALL entries of X: epsilon is "
        "var_smoothing * np.var(X, axis=0).max(), the largest PER-FEATURE variance":
            np.array([g.var(axis=0) for g in groups]) + 1e-9 * np.var(X),
        "smoothed with the largest per-CLASS variance: epsilon is var_smoothing * "
        "np.var(X, axis=0).max(), computed on the whole training set":
            np.array([g.var(axis=0) for g in groups])
            + 1e-9 * np.array([g.var(axis=0) for g in groups]).max(),
    }
    hint = ("variances[c] = X[y == classes[c]].var(axis=0) (ddof=0) + "
            "1e-9 * np.var(X, axis=0).max()")
    for text, cand in candidates.items():
        if var.shape == cand.shape and np.allclose(var, cand, rtol=1e-12, atol=0):
            hint = "your variances are " + text
    assert_close(var, gnb.var_, name="per-class variances (C, d), smoothing included",
                 rtol=1e-10, atol=0, hint=hint)
    priors = np.asarray(_get(model, "priors", what), dtype=np.float64)
    hint = "priors[c] = (number of rows of class c) / n"
    if priors.shape == (3,) and np.allclose(priors, 1 / 3):
        hint = "the classes are unbalanced (60/25/15): priors are class frequencies n_c / n"
    assert_close(priors, gnb.class_prior_, name="class priors", rtol=1e-12, hint=hint)


def test_nb_zero_variance_feature_is_smoothed(learner):
    """A feature constant inside one class gets variance epsilon, and probabilities stay finite"""
    X, y = _nb_data()
    gnb = GaussianNB().fit(X, y)
    model = learner.naive_bayes_numpy.fit_gaussian_nb(X, y)
    var = np.asarray(_get(model, "variances", "fit_gaussian_nb"), dtype=np.float64)
    assert var.shape == gnb.var_.shape, (
        f"variances: shape {var.shape}, expected {gnb.var_.shape} (n_classes, n_features)")
    assert_close(var[2, 3], gnb.var_[2, 3],
                 name="variance of feature 3 in class 9 (constant there: 0 + epsilon)",
                 rtol=1e-9, hint="epsilon = 1e-9 * np.var(X, axis=0).max() is added to every "
                                 "variance so a constant feature never divides by zero")
    X_query = X[:12] + 0.01
    proba = np.asarray(learner.naive_bayes_numpy.predict_proba(model, X_query), dtype=float)
    assert np.all(np.isfinite(proba)), (
        "predict_proba with your fitted model gives NaN/Inf: a variance of 0 divides by "
        "zero; every variance needs the var_smoothing epsilon")
    assert_close(proba, gnb.predict_proba(X_query),
                 name="predict_proba with your fitted model", atol=1e-6,
                 hint="the probabilities are finite but differ: see the checks of the fitted "
                      "parameters and of predict_proba")


def test_nb_joint_log_likelihood_matches_sklearn(learner):
    """joint_log_likelihood = log prior + sum of Gaussian log-densities, like GaussianNB"""
    X_train, X_test, y_train, _ = datasets.split(*datasets.wine(standardize=True),
                                                 test_size=0.3, seed=1)
    gnb = GaussianNB().fit(X_train, y_train)
    params = _sk_params(gnb)
    jll = learner.naive_bayes_numpy.joint_log_likelihood(params, X_test)
    expected = gnb.predict_joint_log_proba(X_test)
    hint = ("jll[i, c] = log(priors[c]) - 0.5 * sum_f log(2*pi*var[c, f]) "
            "- 0.5 * sum_f (x[i, f] - mean[c, f])**2 / var[c, f]")
    jll_arr = np.asarray(jll, dtype=np.float64)
    if jll_arr.shape == expected.shape:
        if np.allclose(jll_arr, expected - np.log(gnb.class_prior_), rtol=1e-9):
            hint = "the log prior log(priors[c]) is missing"
        elif np.allclose(jll_arr, expected + 0.5 * np.log(2 * np.pi * gnb.var_).sum(axis=1),
                         rtol=1e-9):
            hint = "the normalising term -0.5 * sum log(2*pi*var) is missing"
    assert_close(jll, expected, name="joint log-likelihood (n, C)", rtol=1e-9, atol=1e-9,
                 hint=hint)


def test_nb_predict_proba_matches_sklearn(learner):
    """predict_proba is within 1e-6 of GaussianNB.predict_proba, rows sum to 1"""
    X_train, X_test, y_train, _ = datasets.split(*datasets.wine(standardize=True),
                                                 test_size=0.3, seed=1)
    gnb = GaussianNB().fit(X_train, y_train)
    proba = learner.naive_bayes_numpy.predict_proba(_sk_params(gnb), X_test)
    assert_close(np.sum(proba, axis=1), np.ones(len(X_test)), name="row sums of predict_proba",
                 atol=1e-9, hint="normalise: p = exp(jll - logsumexp(jll)) per row")
    assert_close(proba, gnb.predict_proba(X_test), name="predict_proba (n, C)", atol=1e-6,
                 hint="posterior = exp(jll - logsumexp(jll, axis=1)), log prior included")


def test_nb_far_points_no_underflow(learner):
    """Points far from all the data still get finite probabilities that sum to 1 (log space)"""
    X_train, _, y_train, _ = datasets.split(*datasets.wine(standardize=True),
                                            test_size=0.3, seed=1)
    gnb = GaussianNB().fit(X_train, y_train)
    rng = np.random.default_rng(5)
    X_far = 40.0 * rng.normal(size=(6, X_train.shape[1]))  # joint log-likelihoods ~ -1e4
    proba = learner.naive_bayes_numpy.predict_proba(_sk_params(gnb), X_far)
    hint = ("exp(jll) underflows to 0 here (jll is around -1e4), so 0/0 gives NaN: subtract "
            "the row maximum first (log-sum-exp): p = exp(jll - max) / sum(exp(jll - max))")
    assert_close(proba, gnb.predict_proba(X_far), name="predict_proba of far-away points",
                 atol=1e-6, hint=hint)
    assert_close(np.sum(proba, axis=1), np.ones(6), name="row sums for far-away points",
                 atol=1e-9, hint=hint)


def test_nb_predictions_identical_to_sklearn(learner):
    """Your fit + predict give exactly GaussianNB's labels on held-out data"""
    X, y = _nb_data()
    X_train, X_test, y_train, _ = datasets.split(X, y, test_size=0.3, seed=2)
    model = learner.naive_bayes_numpy.fit_gaussian_nb(X_train, y_train)
    pred = learner.naive_bayes_numpy.predict(model, X_test)
    sk = GaussianNB().fit(X_train, y_train).predict(X_test)
    assert_same(pred, sk, name=f"predicted labels ({len(X_test)} rows, labels 2/5/9)",
                hint="predict = classes[argmax of the joint log-likelihood] (labels, not class "
                     "indices); if the fitted-parameter check fails, fix that first")


# ---------------------------------------------------------------- library implementation
def test_library_knn(learner):
    """fit_knn returns a fitted KNeighborsClassifier(k) that predicts like sklearn's"""
    X_train, X_test, y_train, _ = _jittered("wine", seed=0)
    model = learner.knn_nb_sklearn.fit_knn(X_train, y_train, 6)
    assert model.type_name == "KNeighborsClassifier", (
        f"fit_knn should return a fitted KNeighborsClassifier, got {model.type_name}")
    params = model.get_params()
    assert params["n_neighbors"] == 6, f"n_neighbors is {params['n_neighbors']}, expected k=6"
    assert params["weights"] == "uniform", (
        f"weights is {params['weights']!r}: the plain majority vote is weights='uniform'")
    sk = KNeighborsClassifier(n_neighbors=6).fit(X_train, y_train).predict(X_test)
    assert_same(model.predict(X_test), sk, name="predictions of your fitted KNN",
                hint="KNeighborsClassifier(n_neighbors=k) with the Euclidean metric "
                     "(the default minkowski p=2), fitted on X_train, y_train")


def test_library_scaled_knn_pipeline(learner):
    """fit_scaled_knn standardises inside a pipeline fitted on the training data only"""
    X, y = datasets.wine(standardize=False)            # raw features: scales 0.1 .. 1000
    X_train, X_test, y_train, _ = datasets.split(X, y, test_size=0.3, seed=0)
    model = learner.knn_nb_sklearn.fit_scaled_knn(X_train, y_train, 5)
    expected_pipe = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5))
    expected = expected_pipe.fit(X_train, y_train).predict(X_test)
    unscaled = KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train).predict(X_test)
    assert model.type_name == "Pipeline", (
        f"fit_scaled_knn should return a fitted Pipeline (StandardScaler, then "
        f"KNeighborsClassifier), got {model.type_name}")
    steps = [step for _, step in model.steps]
    kinds = [step.type_name for step in steps]
    assert "StandardScaler" in kinds and kinds[-1] == "KNeighborsClassifier", (
        f"your pipeline's steps are {kinds}: expected StandardScaler, then "
        f"KNeighborsClassifier (the distances need standardised features)")
    scaler = steps[kinds.index("StandardScaler")]
    assert_close(scaler.mean_, X_train.mean(axis=0), name="StandardScaler mean_ in your pipeline",
                 rtol=1e-12, hint="fit the pipeline on X_train only (the test data must not "
                                  "leak into the scaler)")
    pred = model.predict(X_test)
    hint = "make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k)).fit(...)"
    if np.array_equal(np.asarray(pred), unscaled) and not np.array_equal(unscaled, expected):
        hint = ("these are the predictions of KNN on unscaled features: the distances are "
                "dominated by the largest-scale feature; standardise first")
    assert_same(pred, expected, name="predictions of your scaled KNN pipeline (raw wine)",
                hint=hint)


def test_library_gaussian_nb(learner):
    """fit_gaussian_nb (library) returns a fitted GaussianNB with default smoothing"""
    X, y = _nb_data()
    model = learner.knn_nb_sklearn.fit_gaussian_nb(X, y)
    assert model.type_name == "GaussianNB", (
        f"fit_gaussian_nb should return a fitted GaussianNB, got {model.type_name}")
    gnb = GaussianNB().fit(X, y)
    assert_close(model.var_smoothing, 1e-9, name="var_smoothing", rtol=0,
                 hint="keep GaussianNB's default var_smoothing=1e-9")
    assert_close(model.theta_, gnb.theta_, name="theta_ (per-class means)", rtol=1e-12)
    assert_close(model.var_, gnb.var_, name="var_ (per-class variances)", rtol=1e-12)
    assert_close(model.predict_proba(X[:20]), gnb.predict_proba(X[:20]),
                 name="predict_proba of your GaussianNB", atol=1e-12)
