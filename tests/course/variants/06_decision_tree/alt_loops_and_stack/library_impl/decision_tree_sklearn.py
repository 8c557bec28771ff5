"""Correct, another idiom: export_graphviz writes the file itself, the curve uses .score."""
from sklearn import tree as sktree


def fit_sklearn(X, y, max_depth=None, criterion="gini", min_samples_split=2, random_state=0):
    clf = sktree.DecisionTreeClassifier(random_state=random_state, criterion=criterion)
    clf.set_params(max_depth=max_depth, min_samples_split=min_samples_split)
    clf.fit(X, y)
    return clf


def export_dot(model, path, feature_names, class_names):
    sktree.export_graphviz(model, out_file=path, feature_names=feature_names,
                           class_names=class_names, impurity=False, proportion=True)
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def depth_accuracy_curve(X_train, y_train, X_test, y_test, depths, criterion="gini",
                         random_state=0):
    result = {"train": [], "test": []}
    for d in depths:
        m = fit_sklearn(X_train, y_train, max_depth=d, criterion=criterion,
                        random_state=random_state)
        result["train"].append(m.score(X_train, y_train))
        result["test"].append(m.score(X_test, y_test))
    return result
