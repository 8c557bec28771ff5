"""The maths of autoencoders, VAEs and GANs, NumPy only.

Conventions (see README.md): float64 arrays, the batch on the first axis;
logvar = log σ² (the log of the VARIANCE); KL summed over latent dims, averaged over the
batch; decoders and discriminators give LOGITS; BCE from logits in the stable form
max(z, 0) − z·t + log(1 + exp(−|z|)); GAN labels real = 1, fake = 0.
Importing torch, sklearn, scipy... is refused in this file.
"""

from __future__ import annotations

import numpy as np


# ----------------------------------------------------------------------------- VAE pieces
def reparameterize(mu, logvar, eps):
    """z = mu + exp(½·logvar)·eps.

    mu, logvar, eps: (N, k) float64; eps ~ N(0, I) is drawn by the CALLER (do not draw
    your own). Returns z (N, k).
    """
    raise NotImplementedError("reparameterize: see README.md")


def kl_divergence(mu, logvar):
    """KL(N(mu, exp(logvar)) ‖ N(0, I)): summed over the k latent dims, mean over the batch.

    mu, logvar: (N, k). Returns a float (≥ 0).
    """
    raise NotImplementedError("kl_divergence: see README.md")


def bce_with_logits(logits, targets):
    """Elementwise binary cross-entropy of targets t ∈ [0, 1] under p = sigmoid(logits).

    Same shape as the inputs (no reduction). Finite and exact for |logits| ≥ 1000.
    """
    raise NotImplementedError("bce_with_logits: see README.md")


def vae_loss(x, x_logits, mu, logvar):
    """The negative ELBO of a Bernoulli-decoder VAE, averaged over the batch.

    x, x_logits: (N, D); mu, logvar: (N, k).
    recon = BCE(x_logits, x) summed over the D pixels, mean over the N samples;
    kl = kl_divergence(mu, logvar); loss = recon + kl.
    Returns (loss, recon, kl), three floats.
    """
    raise NotImplementedError("vae_loss: see README.md")


# ----------------------------------------------------------------------------- GAN losses
def discriminator_loss(real_logits, fake_logits):
    """mean BCE(real_logits, 1) + mean BCE(fake_logits, 0).

    real_logits (N,), fake_logits (M,): the discriminator's logits. Returns a float.
    """
    raise NotImplementedError("discriminator_loss: see README.md")


def generator_loss(fake_logits):
    """Non-saturating generator loss mean(−log D(G(z))) = mean BCE(fake_logits, 1). A float."""
    raise NotImplementedError("generator_loss: see README.md")


def generator_loss_minimax(fake_logits):
    """The original minimax generator objective mean(log(1 − D(G(z)))) (≤ 0). A float."""
    raise NotImplementedError("generator_loss_minimax: see README.md")


# ----------------------------------------------------------------------------- linear autoencoder
def train_linear_autoencoder(X, k, lr=0.3, epochs=1500, seed=0):
    """A linear autoencoder X̂ = X W_encᵀ W_decᵀ trained by full-batch gradient descent.

    X: (n, d), already centred. k: code size.
    Init: rng = np.random.default_rng(seed); W_enc = 0.1·rng.standard_normal((k, d)), THEN
    W_dec = 0.1·rng.standard_normal((d, k)).
    Loss: mean over all n·d entries of (X̂ − X)². Each epoch: record the loss, compute both
    gradients at the current weights, update both.
    Returns (W_enc (k, d), W_dec (d, k), losses (epochs,)).
    """
    raise NotImplementedError("train_linear_autoencoder: see README.md")


def principal_angles(A, B):
    """Principal angles between the column spaces of A (d, p) and B (d, q).

    Returns min(p, q) angles in radians, ascending.
    """
    raise NotImplementedError("principal_angles: see README.md")
