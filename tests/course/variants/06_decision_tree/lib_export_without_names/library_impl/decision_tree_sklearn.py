"""Decision trees with scikit-learn: DecisionTreeClassifier and export_graphviz."""

from __future__ import annotations

from pathlib import Path

from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier, export_graphviz


def fit_sklearn(X, y, max_depth=None, criterion="gini", min_samples_split=2, random_state=0):
    """A DecisionTreeClassifier with these settings, fitted on X (n, d), y (n,)."""
    model = DecisionTreeClassifier(criterion=criterion, max_depth=max_depth,
                                   min_samples_split=min_samples_split,
                                   random_state=random_state)
    return model.fit(X, y)


def export_dot(model, path, feature_names, class_names):
    """The tree as Graphviz DOT text (export_graphviz with out_file=None), also saved to path."""
    dot = export_graphviz(model, out_file=None, filled=True, rounded=True)
    Path(path).write_text(dot, encoding="utf-8")
    return dot


def depth_accuracy_curve(X_train, y_train, X_test, y_test, depths, criterion="gini",
                         random_state=0):
    """Train and test accuracy of a tree fitted at each max_depth in depths."""
    train, test = [], []
    for depth in depths:
        model = fit_sklearn(X_train, y_train, max_depth=depth, criterion=criterion,
                            random_state=random_state)
        train.append(float(accuracy_score(y_train, model.predict(X_train))))
        test.append(float(accuracy_score(y_test, model.predict(X_test))))
    return {"train": train, "test": test}
