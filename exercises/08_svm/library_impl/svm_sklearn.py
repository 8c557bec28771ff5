"""08 · Support vector machines with scikit-learn: sklearn.svm.SVC, linear and RBF.

Replace every `raise NotImplementedError(...)` with your implementation (see ../README.md).
"""

from __future__ import annotations

import numpy as np


def fit_linear_svc(X, y, C=1.0):
    """Fit sklearn.svm.SVC(kernel="linear", C=C) on X (n, d), y (n,) and return it.

    Not LinearSVC: that one minimises the squared hinge and regularises the intercept.

    Returns:
        the fitted SVC itself.
    """
    raise NotImplementedError("fit_linear_svc: see README.md")


def fit_rbf_svc(X, y, C=1.0, gamma="scale"):
    """Fit sklearn.svm.SVC(kernel="rbf", C=C, gamma=gamma) on X, y and return it.

    Returns:
        the fitted SVC itself.
    """
    raise NotImplementedError("fit_rbf_svc: see README.md")


def hyperplane(model):
    """(w, b) of a fitted binary linear SVC.

    Returns:
        tuple (w, b): w float64 (d,) from coef_ (shape (1, d)), b a float from intercept_.
    """
    raise NotImplementedError("hyperplane: see README.md")


def compare_kernels(X_train, y_train, X_test, y_test, C=1.0):
    """Held-out accuracy of fit_linear_svc(X_train, y_train, C) and of
    fit_rbf_svc(X_train, y_train, C) (gamma="scale").

    Returns:
        dict {"linear": float, "rbf": float}: model.score(X_test, y_test) of each.
    """
    raise NotImplementedError("compare_kernels: see README.md")
