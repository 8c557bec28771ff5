"""Autoencoder / VAE / GAN maths, another correct way of writing it."""

import numpy as np


def reparameterize(mu, logvar, eps):
    sigma = np.sqrt(np.exp(logvar))
    return np.asarray(mu, float) + sigma * np.asarray(eps, float)


def kl_divergence(mu, logvar):
    mu = np.asarray(mu, float)
    logvar = np.asarray(logvar, float)
    total = np.zeros(mu.shape[0])
    for j in range(mu.shape[1]):                       # one latent dimension at a time
        var = np.exp(logvar[:, j])
        total += 0.5 * (var + mu[:, j] ** 2 - 1.0 - logvar[:, j])
    return float(total.mean())


def bce_with_logits(logits, targets):
    z = np.asarray(logits, float)
    return np.logaddexp(0.0, z) - np.asarray(targets, float) * z      # softplus(z) − t·z


def vae_loss(x, x_logits, mu, logvar):
    recon = bce_with_logits(x_logits, x).sum() / len(x)
    kl = kl_divergence(mu, logvar)
    return float(recon + kl), float(recon), kl


def _log_sigmoid(z):
    return -np.logaddexp(0.0, -np.asarray(z, float))


def discriminator_loss(real_logits, fake_logits):
    # −log σ(r) and −log(1 − σ(f)) = −log σ(−f)
    return float(-_log_sigmoid(real_logits).mean() - _log_sigmoid(-np.asarray(fake_logits)).mean())


def generator_loss(fake_logits):
    return float(-_log_sigmoid(fake_logits).mean())


def generator_loss_minimax(fake_logits):
    return float(_log_sigmoid(-np.asarray(fake_logits, float)).mean())


def train_linear_autoencoder(X, k, lr=0.3, epochs=1500, seed=0):
    X = np.asarray(X, float)
    n, d = X.shape
    rng = np.random.default_rng(seed)
    W_enc = rng.standard_normal((k, d)) * 0.1
    W_dec = rng.standard_normal((d, k)) * 0.1
    losses = []
    for _ in range(epochs):
        Z = np.einsum("nd,kd->nk", X, W_enc)
        E = np.einsum("nk,dk->nd", Z, W_dec) - X
        losses.append(np.mean(E * E))
        grad_out = E * (2.0 / E.size)
        g_dec = np.einsum("nd,nk->dk", grad_out, Z)
        g_enc = np.einsum("nd,dk,ne->ke", grad_out, W_dec, X)
        W_enc, W_dec = W_enc - lr * g_enc, W_dec - lr * g_dec
    return W_enc, W_dec, np.array(losses)


def _basis(M):
    U, s, _ = np.linalg.svd(np.asarray(M, float), full_matrices=False)
    return U[:, s > s[0] * 1e-12]


def principal_angles(A, B):
    Qa, Qb = _basis(A), _basis(B)
    if Qa.shape[1] < Qb.shape[1]:
        Qa, Qb = Qb, Qa
    # sines of the angles: the part of Q_b outside span(Q_a) (accurate for small angles)
    residual = Qb - Qa @ (Qa.T @ Qb)
    sines = np.linalg.svd(residual, compute_uv=False)          # descending sines
    return np.sort(np.arcsin(np.clip(sines, 0.0, 1.0)))
