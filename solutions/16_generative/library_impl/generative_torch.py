"""A VAE on 8×8 digits and a tiny GAN on 2-D points, in PyTorch (reference solution).

Attribute names are part of the contract (the checks copy weights in with load_state_dict):

    VAE:            encoder = Sequential(Linear(in_dim, hidden), ReLU())
                    fc_mu, fc_logvar = Linear(hidden, latent), Linear(hidden, latent)
                    decoder = Sequential(Linear(latent, hidden), ReLU(), Linear(hidden, in_dim))
    Generator:      net = Sequential(Linear(latent, hidden), ReLU(), Linear(hidden, hidden),
                                     ReLU(), Linear(hidden, data_dim))
    Discriminator:  net = Sequential(Linear(data_dim, hidden), LeakyReLU(0.2),
                                     Linear(hidden, hidden), LeakyReLU(0.2), Linear(hidden, 1))

The decoder and the discriminator output LOGITS; the losses use the stable
``binary_cross_entropy_with_logits``. GAN labels: real = 1, fake = 0.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.distributions import Normal, kl_divergence


# ============================================================================ VAE
class VAE(nn.Module):
    """x (N, in_dim) -> encoder -> (mu, logvar) (N, latent) -> z -> decoder -> logits."""

    def __init__(self, in_dim=64, hidden=128, latent=2):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU())
        self.fc_mu = nn.Linear(hidden, latent)
        self.fc_logvar = nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(),
                                     nn.Linear(hidden, in_dim))

    def encode(self, x):
        """(mu, logvar), each (N, latent); logvar = log σ²."""
        h = self.encoder(x)
        return self.fc_mu(h), self.fc_logvar(h)

    def decode(self, z):
        """Logits of the pixels, (N, in_dim): apply torch.sigmoid for an image."""
        return self.decoder(z)

    def forward(self, x, eps=None):
        """(x_logits, mu, logvar); z = mu + exp(½·logvar)·eps, eps ~ N(0, I) if not given."""
        mu, logvar = self.encode(x)
        if eps is None:
            eps = torch.randn_like(mu)
        z = mu + torch.exp(0.5 * logvar) * eps
        return self.decode(z), mu, logvar


def vae_loss(x, x_logits, mu, logvar):
    """(loss, recon, kl) as 0-d tensors, differentiable.

    recon: BCE with logits summed over pixels, averaged over the batch;
    kl: KL(N(mu, σ²) ‖ N(0, 1)) from torch.distributions, summed over latent dims,
    averaged over the batch; loss = recon + kl (the negative ELBO).
    """
    n = x.shape[0]
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="sum") / n
    posterior = Normal(mu, torch.exp(0.5 * logvar))
    prior = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    kl = kl_divergence(posterior, prior).sum(dim=1).mean()
    return recon + kl, recon, kl


def train_vae(X, latent=2, hidden=128, epochs=30, lr=1e-3, batch_size=64, seed=0):
    """Train a VAE on X (N, D) with pixel values in [0, 1].

    torch.manual_seed(seed) first, then build the model; Adam(lr); each epoch one shuffled
    pass (torch.randperm) in mini-batches of batch_size. Returns (model, losses): losses[e]
    is the mean of the mini-batch losses of epoch e (a list of floats); model in eval mode.
    """
    torch.manual_seed(seed)
    X_t = torch.as_tensor(np.asarray(X), dtype=torch.float32)
    model = VAE(in_dim=X_t.shape[1], hidden=hidden, latent=latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(X_t))
        total = []
        for start in range(0, len(X_t), batch_size):
            xb = X_t[order[start:start + batch_size]]
            optimizer.zero_grad()
            loss, _, _ = vae_loss(xb, *model(xb))
            loss.backward()
            optimizer.step()
            total.append(loss.item())
        losses.append(float(np.mean(total)))
    model.eval()
    return model, losses


# ============================================================================ GAN
class Generator(nn.Module):
    """z (N, latent) -> a point (N, data_dim)."""

    def __init__(self, latent=2, hidden=32, data_dim=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, data_dim))

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    """x (N, data_dim) -> one LOGIT per sample, shape (N,) (no sigmoid)."""

    def __init__(self, data_dim=2, hidden=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(data_dim, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def d_loss(real_logits, fake_logits):
    """Mean BCE(real, 1) + mean BCE(fake, 0), from logits (a 0-d tensor)."""
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def g_loss(fake_logits):
    """Non-saturating generator loss: mean BCE(fake, 1) = mean(−log D(G(z)))."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def discriminator_step(G, D, opt_D, real, z):
    """One update of D: zero its gradients, d_loss on real vs G(z) DETACHED, backward, step.

    The generator receives no gradient from this step. Returns the loss (a float) computed
    before the update.
    """
    opt_D.zero_grad()
    fake = G(z).detach()
    loss = d_loss(D(real), D(fake))
    loss.backward()
    opt_D.step()
    return loss.item()


def generator_step(G, D, opt_G, z):
    """One update of G: zero its gradients, non-saturating g_loss on D(G(z)), backward, step.

    Only G's parameters move (opt_G holds them alone); D's gradients are filled as a side
    effect, which is why discriminator_step zeroes them first. Returns the loss (a float).
    """
    opt_G.zero_grad()
    loss = g_loss(D(G(z)))
    loss.backward()
    opt_G.step()
    return loss.item()


def train_gan(X, steps=500, batch_size=64, latent=2, hidden=32, lr=2e-3, seed=0):
    """Train a Generator / Discriminator pair on points X (N, data_dim).

    torch.manual_seed(seed) first, then G, then D; Adam(lr, betas=(0.5, 0.999)) for each.
    Each step: a real batch X[torch.randint(N, (batch_size,))] and z = torch.randn(batch_size,
    latent) for discriminator_step, then a fresh z for generator_step.
    Returns (G, D, d_losses, g_losses), the losses as lists of `steps` floats.
    """
    torch.manual_seed(seed)
    X_t = torch.as_tensor(np.asarray(X), dtype=torch.float32)
    G = Generator(latent=latent, hidden=hidden, data_dim=X_t.shape[1])
    D = Discriminator(data_dim=X_t.shape[1], hidden=hidden)
    opt_G = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    d_losses, g_losses = [], []
    for _ in range(steps):
        real = X_t[torch.randint(len(X_t), (batch_size,))]
        d_losses.append(discriminator_step(G, D, opt_D, real, torch.randn(batch_size, latent)))
        g_losses.append(generator_step(G, D, opt_G, torch.randn(batch_size, latent)))
    G.eval()
    D.eval()
    return G, D, d_losses, g_losses
