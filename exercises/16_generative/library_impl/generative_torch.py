"""A VAE on 8×8 digits and a tiny GAN on 2-D points, in PyTorch. See README.md.

Attribute names are part of the contract (the checks copy weights in with load_state_dict).
The decoder and the discriminator output LOGITS. GAN labels: real = 1, fake = 0.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


# ============================================================================ VAE
class VAE(nn.Module):
    """x (N, in_dim) -> (mu, logvar) (N, latent) -> z -> logits (N, in_dim).

    __init__(in_dim=64, hidden=128, latent=2):
        self.encoder   = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU())
        self.fc_mu     = nn.Linear(hidden, latent)
        self.fc_logvar = nn.Linear(hidden, latent)
        self.decoder   = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(),
                                       nn.Linear(hidden, in_dim))
    """

    def __init__(self, in_dim=64, hidden=128, latent=2):
        super().__init__()
        raise NotImplementedError("VAE.__init__: see README.md")

    def encode(self, x):
        """(mu, logvar), each (N, latent)."""
        raise NotImplementedError("VAE.encode: see README.md")

    def decode(self, z):
        """Pixel logits (N, in_dim), no sigmoid."""
        raise NotImplementedError("VAE.decode: see README.md")

    def forward(self, x, eps=None):
        """(x_logits, mu, logvar) with z = mu + exp(½·logvar)·eps.

        Use eps when it is given; draw torch.randn_like(mu) only when eps is None.
        """
        raise NotImplementedError("VAE.forward: see README.md")


def vae_loss(x, x_logits, mu, logvar):
    """(loss, recon, kl) as 0-d tensors (differentiable).

    recon: BCE with logits summed over pixels, averaged over the batch;
    kl: KL(N(mu, σ²) ‖ N(0, 1)) summed over latent dims, averaged over the batch;
    loss = recon + kl.
    """
    raise NotImplementedError("vae_loss: see README.md")


def train_vae(X, latent=2, hidden=128, epochs=30, lr=1e-3, batch_size=64, seed=0):
    """Train a VAE on X (N, D) NumPy float32 in [0, 1].

    torch.manual_seed(seed) first, then build VAE(D, hidden, latent); Adam(lr); each epoch
    one pass over a torch.randperm shuffle in mini-batches of batch_size, loss = vae_loss.
    Returns (model, losses): losses[e] = mean of epoch e's mini-batch losses (floats).
    """
    raise NotImplementedError("train_vae: see README.md")


# ============================================================================ GAN
class Generator(nn.Module):
    """z (N, latent) -> points (N, data_dim).

    __init__(latent=2, hidden=32, data_dim=2):
        self.net = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, data_dim))
    """

    def __init__(self, latent=2, hidden=32, data_dim=2):
        super().__init__()
        raise NotImplementedError("Generator.__init__: see README.md")

    def forward(self, z):
        raise NotImplementedError("Generator.forward: see README.md")


class Discriminator(nn.Module):
    """x (N, data_dim) -> logits (N,) (one per sample, no sigmoid).

    __init__(data_dim=2, hidden=32):
        self.net = nn.Sequential(nn.Linear(data_dim, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, 1))
    """

    def __init__(self, data_dim=2, hidden=32):
        super().__init__()
        raise NotImplementedError("Discriminator.__init__: see README.md")

    def forward(self, x):
        raise NotImplementedError("Discriminator.forward: see README.md")


def d_loss(real_logits, fake_logits):
    """mean BCE(real_logits, 1) + mean BCE(fake_logits, 0), a 0-d tensor."""
    raise NotImplementedError("d_loss: see README.md")


def g_loss(fake_logits):
    """Non-saturating generator loss mean BCE(fake_logits, 1), a 0-d tensor."""
    raise NotImplementedError("g_loss: see README.md")


def discriminator_step(G, D, opt_D, real, z):
    """One update of D on a real batch (N, data_dim) and noise z (M, latent).

    Zero D's gradients first; the fakes G(z) are detached (G gets no gradient here).
    Returns the loss (a float) computed before the update.
    """
    raise NotImplementedError("discriminator_step: see README.md")


def generator_step(G, D, opt_G, z):
    """One update of G with the non-saturating loss on D(G(z)).

    Zero G's gradients first. Returns the loss (a float) computed before the update.
    """
    raise NotImplementedError("generator_step: see README.md")


def train_gan(X, steps=500, batch_size=64, latent=2, hidden=32, lr=2e-3, seed=0):
    """Train a Generator / Discriminator pair on points X (N, data_dim) NumPy float32.

    torch.manual_seed(seed) first, then G, then D; Adam(lr, betas=(0.5, 0.999)) for each.
    Each step: discriminator_step on a real batch X[torch.randint(N, (batch_size,))] and
    z = torch.randn(batch_size, latent), then generator_step on a fresh z.
    Returns (G, D, d_losses, g_losses): two lists of `steps` floats.
    """
    raise NotImplementedError("train_gan: see README.md")
