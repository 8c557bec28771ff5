"""06 · Decision trees with scikit-learn: DecisionTreeClassifier and export_graphviz.

Replace every `raise NotImplementedError(...)` with your implementation (see ../README.md).
"""

from __future__ import annotations


def fit_sklearn(X, y, max_depth=None, criterion="gini", min_samples_split=2, random_state=0):
    """Fit sklearn.tree.DecisionTreeClassifier with exactly these settings on X (n, d), y (n,).

    Returns:
        the fitted DecisionTreeClassifier itself.
    """
    raise NotImplementedError("fit_sklearn: see README.md")


def export_dot(model, path, feature_names, class_names):
    """The fitted tree as Graphviz DOT text, also written to the file `path`.

    Use sklearn.tree.export_graphviz(model, out_file=None, feature_names=...,
    class_names=..., ...): with out_file=None it returns the DOT text (no graphviz program
    is needed). Style options (filled, rounded, ...) are up to you.

    Args:
        model: a fitted DecisionTreeClassifier; path: str, where to save the text;
        feature_names: list of d str; class_names: list of K str.

    Returns:
        str: the DOT text (it starts with "digraph Tree {").
    """
    raise NotImplementedError("export_dot: see README.md")


def depth_accuracy_curve(X_train, y_train, X_test, y_test, depths, criterion="gini",
                         random_state=0):
    """Accuracy against depth: one tree per max_depth in depths (None = unlimited).

    Each tree: fit_sklearn(X_train, y_train, max_depth=depth, criterion=criterion,
    random_state=random_state); accuracy with sklearn.metrics.accuracy_score.

    Returns:
        dict {"train": list of floats, "test": list of floats}, one value per depth.
    """
    raise NotImplementedError("depth_accuracy_curve: see README.md")
