"""A correct alternative: np.heaviside, an if/elif update, a while loop over the epochs,
the mistakes found with one vectorised prediction per sample visit, and the augmented
vector trick (b is the weight of a constant input 1) inside fit."""

import numpy as np


def step(z):
    return np.heaviside(z, 0.0).astype(int)          # heaviside(0, 0.0) = 0


def predict(X, w, b):
    return step(np.dot(X, w) + b)


def update(w, b, x, y, lr=1.0):
    w_new = np.array(w, dtype=float)
    y_hat = 1 if np.dot(x, w) + b > 0 else 0
    if y == 1 and y_hat == 0:
        w_new += lr * x
        b = b + lr
    elif y == 0 and y_hat == 1:
        w_new -= lr * x
        b = b - lr
    return w_new, b


def fit(X, y, lr=1.0, max_epochs=100, w_init=None, b_init=0.0):
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])             # (x, 1): the bias is the last weight
    theta = np.zeros(d + 1)
    if w_init is not None:
        theta[:d] = w_init
    theta[d] = b_init
    errors = []
    epoch = 0
    done = False
    while epoch < max_epochs and not done:
        count = 0
        for i in range(n):
            y_hat = int(Xa[i] @ theta > 0)
            if y_hat != y[i]:
                theta = theta + lr * (y[i] - y_hat) * Xa[i]
                count += 1
        errors.append(count)
        done = count == 0
        epoch += 1
    return theta[:d], float(theta[d]), np.asarray(errors), done
