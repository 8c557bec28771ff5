"""Seeded, offline data for hidden checks (sklearn's bundled sets and generators).

Nothing here downloads. Every function takes a ``seed`` where randomness is involved and
returns float64 features; labels are int64.
"""

from __future__ import annotations

from functools import cache


def _np():
    import numpy as np

    return np


def linear(n: int = 100, d: int = 1, noise: float = 0.1, seed: int = 0,
           w=None, b: float = 0.5):
    """y = X·w + b + noise; returns (X (n, d), y (n,))."""
    np = _np()
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = np.arange(1, d + 1, dtype=np.float64) * (-1) ** np.arange(d) if w is None else np.asarray(w, float)
    y = X @ w + b + noise * rng.normal(size=n)
    return X, y


def logic_gate(name: str):
    """Truth table of AND, OR, XOR, NAND: X (4, 2) float64, y (4,) int64 in {0, 1}."""
    np = _np()
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    table = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0], "nand": [1, 1, 1, 0]}
    return X, np.array(table[name.lower()], dtype=np.int64)


def _standardize(X):
    np = _np()
    return (X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1.0)


@cache
def _bundled(name: str):
    from sklearn import datasets as skd

    loader = {"diabetes": skd.load_diabetes, "breast_cancer": skd.load_breast_cancer,
              "iris": skd.load_iris, "wine": skd.load_wine, "digits": skd.load_digits}[name]
    bunch = loader()
    return bunch.data.astype("float64"), bunch.target


def _load(name: str, standardize: bool):
    X, y = _bundled(name)
    X, y = X.copy(), y.copy()
    return (_standardize(X) if standardize else X), y


def diabetes(standardize: bool = False):
    return _load("diabetes", standardize)


def breast_cancer(standardize: bool = True):
    """Standardised with ddof=0 (like StandardScaler) unless standardize=False."""
    X, y = _load("breast_cancer", standardize)
    return X, y.astype("int64")


def iris(standardize: bool = False):
    X, y = _load("iris", standardize)
    return X, y.astype("int64")


def wine(standardize: bool = True):
    X, y = _load("wine", standardize)
    return X, y.astype("int64")


def digits(scale: bool = True):
    """8×8 digits, (1797, 64); pixel values scaled to [0, 1] unless scale=False."""
    X, y = _load("digits", False)
    return (X / 16.0 if scale else X), y.astype("int64")


def moons(n: int = 200, noise: float = 0.2, seed: int = 0):
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return X.astype("float64"), y.astype("int64")


def circles(n: int = 200, noise: float = 0.1, factor: float = 0.5, seed: int = 0):
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=n, noise=noise, factor=factor, random_state=seed)
    return X.astype("float64"), y.astype("int64")


def blobs(n: int = 200, centers: int = 3, d: int = 2, std: float = 1.0, seed: int = 0):
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=n, centers=centers, n_features=d, cluster_std=std,
                      random_state=seed)
    return X.astype("float64"), y.astype("int64")


def classification(n: int = 200, d: int = 5, informative: int = 3, classes: int = 2,
                   flip_y: float = 0.01, seed: int = 0):
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n, n_features=d, n_informative=informative,
                               n_redundant=0, n_classes=classes, flip_y=flip_y,
                               random_state=seed)
    return X.astype("float64"), y.astype("int64")


def sine_series(n_series: int = 8, length: int = 60, noise: float = 0.05, seed: int = 0):
    """(n_series, length) noisy sine waves with random phase and frequency."""
    np = _np()
    rng = np.random.default_rng(seed)
    t = np.arange(length, dtype=np.float64)
    freq = rng.uniform(0.05, 0.2, size=(n_series, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    return np.sin(2 * np.pi * freq * t + phase) + noise * rng.normal(size=(n_series, length))


def split(X, y, test_size: float = 0.25, seed: int = 0, stratify: bool = True):
    """Deterministic train/test split: (X_train, X_test, y_train, y_test)."""
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, test_size=test_size, random_state=seed,
                            stratify=y if stratify else None)
