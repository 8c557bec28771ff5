import math

from sklearn.linear_model import LogisticRegression


def c_from_lambda(lam, n_samples):
    return math.inf if lam == 0 else 1.0 / lam / n_samples


def fit_sklearn(X, y, lam=0.0):
    model = LogisticRegression(C=c_from_lambda(lam, len(y)), tol=1e-12, max_iter=20_000)
    model.fit(X, y)
    return model
