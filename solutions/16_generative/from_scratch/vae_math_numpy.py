"""The maths of autoencoders, VAEs and GANs, NumPy only (reference solution).

Conventions (all stated in README.md):

* float64 arrays; a batch is the first axis.
* A VAE encoder gives ``mu`` and ``logvar`` of shape (N, k): ``logvar = log σ²`` (the log of
  the VARIANCE, not of σ). The standard deviation is ``σ = exp(½·logvar)``.
* KL(N(mu, σ²) ‖ N(0, I)) is summed over the k latent dimensions, then averaged over the
  batch.
* Decoders and discriminators output LOGITS (no sigmoid). Binary cross-entropy is computed
  from logits in the stable form  max(z, 0) − z·t + log(1 + exp(−|z|)).
* VAE reconstruction term: BCE summed over the D pixels, averaged over the batch.
* GAN labels: real = 1, fake = 0. The discriminator loss is the SUM of the two batch means;
  the generator loss is the non-saturating −log D(G(z)); the minimax form log(1 − D(G(z)))
  is provided for comparison.
"""

from __future__ import annotations

import numpy as np


# ----------------------------------------------------------------------------- VAE pieces
def reparameterize(mu, logvar, eps):
    """z = mu + σ·eps with σ = exp(½·logvar). mu, logvar, eps: (N, k) -> z (N, k).

    eps ~ N(0, I) is drawn by the CALLER: z is a deterministic, differentiable function of
    (mu, logvar) once eps is fixed — that is the reparameterisation trick.
    """
    mu = np.asarray(mu, dtype=np.float64)
    logvar = np.asarray(logvar, dtype=np.float64)
    return mu + np.exp(0.5 * logvar) * np.asarray(eps, dtype=np.float64)


def kl_divergence(mu, logvar):
    """KL(N(mu, exp(logvar)) ‖ N(0, I)), summed over latent dims, averaged over the batch.

    Per sample:  −½ · Σ_j (1 + logvar_j − mu_j² − exp(logvar_j))   (always ≥ 0).
    mu, logvar: (N, k) -> a float.
    """
    mu = np.asarray(mu, dtype=np.float64)
    logvar = np.asarray(logvar, dtype=np.float64)
    per_sample = -0.5 * np.sum(1.0 + logvar - mu**2 - np.exp(logvar), axis=1)
    return float(np.mean(per_sample))


def bce_with_logits(logits, targets):
    """Elementwise binary cross-entropy of targets t ∈ [0, 1] under p = sigmoid(z).

    −[t·log p + (1 − t)·log(1 − p)] written in the stable form
    max(z, 0) − z·t + log(1 + exp(−|z|)), finite and exact for |z| ≥ 1000.
    Same shape as the inputs.
    """
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    return np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))


def vae_loss(x, x_logits, mu, logvar):
    """The negative ELBO of a Bernoulli-decoder VAE, per sample, averaged over the batch.

    recon = BCE(x_logits, x) summed over the D pixels, averaged over the N samples;
    kl    = kl_divergence(mu, logvar);   loss = recon + kl.
    x, x_logits: (N, D); mu, logvar: (N, k). Returns (loss, recon, kl), three floats.
    """
    x = np.asarray(x, dtype=np.float64)
    recon = float(np.mean(np.sum(bce_with_logits(x_logits, x), axis=1)))
    kl = kl_divergence(mu, logvar)
    return recon + kl, recon, kl


# ----------------------------------------------------------------------------- GAN losses
def discriminator_loss(real_logits, fake_logits):
    """Mean BCE(real, label 1) + mean BCE(fake, label 0), from the discriminator's logits.

    = mean(−log D(x)) + mean(−log(1 − D(G(z)))). real_logits (N,), fake_logits (M,) -> float.
    """
    real = bce_with_logits(real_logits, np.ones_like(np.asarray(real_logits, dtype=float)))
    fake = bce_with_logits(fake_logits, np.zeros_like(np.asarray(fake_logits, dtype=float)))
    return float(np.mean(real) + np.mean(fake))


def generator_loss(fake_logits):
    """Non-saturating generator loss: mean(−log D(G(z))) = mean BCE(fake, label 1)."""
    fake_logits = np.asarray(fake_logits, dtype=np.float64)
    return float(np.mean(bce_with_logits(fake_logits, np.ones_like(fake_logits))))


def generator_loss_minimax(fake_logits):
    """The original minimax generator objective, to MINIMISE: mean(log(1 − D(G(z)))).

    log(1 − sigmoid(z)) = −BCE(z, label 0): always ≤ 0. Its gradient vanishes when the
    discriminator confidently rejects the fakes (z ≪ 0), which is why GANs train the
    generator with the non-saturating loss instead.
    """
    fake_logits = np.asarray(fake_logits, dtype=np.float64)
    return float(-np.mean(bce_with_logits(fake_logits, np.zeros_like(fake_logits))))


# ----------------------------------------------------------------------------- linear autoencoder
def train_linear_autoencoder(X, k, lr=0.3, epochs=1500, seed=0):
    """A linear autoencoder x̂ = W_dec·W_enc·x trained by full-batch gradient descent.

    X: (n, d), already centred. Encoder W_enc (k, d), decoder W_dec (d, k), no biases.
    Init: rng = np.random.default_rng(seed); W_enc = 0.1·rng.standard_normal((k, d)), THEN
    W_dec = 0.1·rng.standard_normal((d, k)).
    Loss: mean over all n·d entries of (X̂ − X)² with X̂ = X W_encᵀ W_decᵀ (like nn.MSELoss()).
    Each epoch: record the loss, compute both gradients at the current weights, update both.
    Returns (W_enc, W_dec, losses) with losses of shape (epochs,).
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    rng = np.random.default_rng(seed)
    W_enc = 0.1 * rng.standard_normal((k, d))
    W_dec = 0.1 * rng.standard_normal((d, k))
    losses = np.empty(epochs)
    for t in range(epochs):
        Z = X @ W_enc.T                       # (n, k) codes
        R = Z @ W_dec.T - X                   # (n, d) residuals
        losses[t] = np.mean(R**2)
        G = (2.0 / (n * d)) * R               # dL/dX̂
        dW_dec = G.T @ Z                      # (d, k)
        dW_enc = W_dec.T @ G.T @ X            # (k, d)
        W_enc = W_enc - lr * dW_enc
        W_dec = W_dec - lr * dW_dec
    return W_enc, W_dec, losses


def principal_angles(A, B):
    """Principal angles (radians, ascending) between the column spaces of A (d, p), B (d, q).

    Orthonormalise both bases (QR), then the singular values of Q_Aᵀ Q_B are the cosines
    of the angles. Returns an array of shape (min(p, q),), values in [0, π/2].
    """
    Q_a, _ = np.linalg.qr(np.asarray(A, dtype=np.float64))
    Q_b, _ = np.linalg.qr(np.asarray(B, dtype=np.float64))
    cosines = np.linalg.svd(Q_a.T @ Q_b, compute_uv=False)     # descending
    return np.arccos(np.clip(cosines, -1.0, 1.0))               # ascending
