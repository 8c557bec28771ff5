"""VAE and GAN in PyTorch, another correct way of writing it."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class VAE(nn.Module):
    def __init__(self, in_dim=64, hidden=128, latent=2):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU())
        self.fc_mu = nn.Linear(hidden, latent)
        self.fc_logvar = nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(),
                                     nn.Linear(hidden, in_dim))

    def encode(self, x):
        h = self.encoder(x)
        return self.fc_mu(h), self.fc_logvar(h)

    def decode(self, z):
        return self.decoder(z)

    def forward(self, x, eps=None):
        mu, logvar = self.encode(x)
        std = logvar.mul(0.5).exp()
        noise = torch.randn_like(std) if eps is None else eps
        return self.decode(torch.addcmul(mu, std, noise)), mu, logvar


def vae_loss(x, x_logits, mu, logvar):
    n = len(x)
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").sum(dim=1).mean()
    kl = 0.5 * (logvar.exp() + mu.pow(2) - 1.0 - logvar).sum() / n
    return recon + kl, recon, kl


def train_vae(X, latent=2, hidden=128, epochs=30, lr=1e-3, batch_size=64, seed=0):
    torch.manual_seed(seed)
    data = torch.tensor(np.asarray(X, dtype=np.float32))
    model = VAE(data.shape[1], hidden, latent)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(data), batch_size=batch_size, shuffle=True)
    history = []
    for _ in range(epochs):
        batch_losses = []
        for (xb,) in loader:
            loss = vae_loss(xb, *model(xb))[0]
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
            batch_losses.append(loss.item())
        history.append(sum(batch_losses) / len(batch_losses))
    return model.eval(), history


class Generator(nn.Module):
    def __init__(self, latent=2, hidden=32, data_dim=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, data_dim))

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, data_dim=2, hidden=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(data_dim, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x)[:, 0]


def d_loss(real_logits, fake_logits):
    # −log σ(r) = softplus(−r);  −log(1 − σ(f)) = softplus(f)
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss(fake_logits):
    return F.softplus(-fake_logits).mean()


def discriminator_step(G, D, opt_D, real, z):
    with torch.no_grad():
        fake = G(z)
    opt_D.zero_grad(set_to_none=False)
    loss = d_loss(D(real), D(fake))
    loss.backward()
    opt_D.step()
    return float(loss)


def generator_step(G, D, opt_G, z):
    opt_G.zero_grad(set_to_none=False)
    loss = g_loss(D(G(z)))
    loss.backward()
    opt_G.step()
    return float(loss)


def train_gan(X, steps=500, batch_size=64, latent=2, hidden=32, lr=2e-3, seed=0):
    torch.manual_seed(seed)
    data = torch.tensor(np.asarray(X, dtype=np.float32))
    G = Generator(latent, hidden, data.shape[1])
    D = Discriminator(data.shape[1], hidden)
    opt_G = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    d_hist, g_hist = [], []
    for _ in range(steps):
        idx = torch.randint(0, len(data), (batch_size,))
        d_hist.append(discriminator_step(G, D, opt_D, data[idx], torch.randn(batch_size, latent)))
        g_hist.append(generator_step(G, D, opt_G, torch.randn(batch_size, latent)))
    return G, D, d_hist, g_hist
