"""08 · Support vector machines with scikit-learn: sklearn.svm.SVC, linear and RBF."""

from __future__ import annotations

import numpy as np
from sklearn.svm import SVC, LinearSVC


def fit_linear_svc(X, y, C=1.0):
    """A fitted SVC(kernel="linear", C=C) (plain hinge loss, unregularised intercept)."""
    return LinearSVC(C=C).fit(X, y)


def fit_rbf_svc(X, y, C=1.0, gamma="scale"):
    """A fitted SVC(kernel="rbf", C=C, gamma=gamma)."""
    return SVC(kernel="rbf", C=C, gamma=gamma).fit(X, y)


def hyperplane(model):
    """(w, b) of a fitted linear SVC: w = coef_[0] float64 (d,), b = intercept_[0] a float."""
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def compare_kernels(X_train, y_train, X_test, y_test, C=1.0):
    """Held-out accuracy of a linear and an RBF SVC (gamma="scale"), both with this C.

    Returns {"linear": float, "rbf": float}: model.score(X_test, y_test) of
    fit_linear_svc(X_train, y_train, C) and fit_rbf_svc(X_train, y_train, C).
    """
    linear = fit_linear_svc(X_train, y_train, C)
    rbf = fit_rbf_svc(X_train, y_train, C)
    return {"linear": float(linear.score(X_test, y_test)),
            "rbf": float(rbf.score(X_test, y_test))}
