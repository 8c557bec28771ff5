"""k-nearest neighbours and Gaussian naive Bayes with scikit-learn."""
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def fit_knn(X_train, y_train, k):
    """A KNeighborsClassifier with k neighbours (Euclidean, uniform vote), fitted."""
    return KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)


def fit_scaled_knn(X_train, y_train, k):
    """A pipeline StandardScaler -> KNeighborsClassifier(k), fitted on the training data."""
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k)).fit(
        X_train, y_train)


def fit_gaussian_nb(X_train, y_train):
    """A GaussianNB with its default var_smoothing=1e-9, fitted."""
    return GaussianNB().fit(X_train, y_train)
