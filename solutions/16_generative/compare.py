# %% [markdown]
# # 16 · Autoencoders, VAEs and GANs: your models next to the library
# Your linear autoencoder next to scikit-learn's PCA, your VAE's reconstructions, latent space
# and samples on the 8×8 digits, your GAN's two losses over the steps and the points it
# draws, and your NumPy losses recomputed on your trained models next to PyTorch's.
# Data: scikit-learn's digits (pixels / 16, the checks' split: 1500 training and 297
# held-out images) and 1000 points on a ring of radius 2.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from scipy.linalg import subspace_angles
from scipy.stats import norm
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from torch.distributions import Normal, kl_divergence

torch.set_num_threads(1)        # small models: one thread is fastest (and fair on a busy CPU)


def as_np(value):
    """A tensor (with or without grad) or an array -> float64 NumPy array."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


digits = load_digits()
X_all = (digits.data / 16.0).astype(np.float32)
perm = np.random.default_rng(0).permutation(len(X_all))
X_train, X_test = X_all[perm[:1500]], X_all[perm[1500:]]
y_test = digits.target[perm[1500:]]
mean_img = X_train.mean(axis=0)
Xc_train = (X_train - mean_img).astype(np.float64)        # the linear autoencoder wants centred data
Xc_test = (X_test - mean_img).astype(np.float64)

# %% [markdown]
# ## 1. Your linear autoencoder (k = 2) and PCA
# Trained by your `train_linear_autoencoder` on the centred training digits (lr 3: the
# pixels vary little, so the default 0.3 would need many more epochs). PCA is
# `sklearn.decomposition.PCA(2)`. The principal angles between the two subspaces are computed
# by your `principal_angles` and by `scipy.linalg.subspace_angles`.

# %%
K = 2
W_enc, W_dec, lae_losses = learner.vae_math_numpy.train_linear_autoencoder(
    Xc_train, K, lr=3.0, epochs=1000, seed=0)
W_enc, W_dec, lae_losses = as_np(W_enc), as_np(W_dec), as_np(lae_losses)
pca = PCA(n_components=K).fit(Xc_train)

lae_test = Xc_test @ W_enc.T @ W_dec.T + mean_img
pca_test = pca.inverse_transform(pca.transform(Xc_test)) + mean_img
yours_angles = np.sort(as_np(learner.vae_math_numpy.principal_angles(W_dec,
                                                                     pca.components_.T)))
scipy_angles = np.sort(subspace_angles(W_dec, pca.components_.T))
pca_train_mse = float(np.mean((pca.inverse_transform(pca.transform(Xc_train)) - Xc_train) ** 2))

side_by_side("linear autoencoder vs PCA (k = 2)", {
    "your linear AE": [lae_losses[-1], np.mean((lae_test - X_test) ** 2)],
    "sklearn PCA": [pca_train_mse, np.mean((pca_test - X_test) ** 2)],
}, index=["training MSE", "held-out MSE"])
side_by_side("principal angles between span(W_dec) and PCA's 2 components (rad)", {
    "your principal_angles": yours_angles,
    "scipy subspace_angles": scipy_angles,
}, index=["θ1", "θ2"])

# %% [markdown]
# ## 2. Your VAE on the digits (latent 2)
# `train_vae` with the checks' settings (hidden 128, 30 epochs, Adam lr 1e-3, batches of 64,
# seed 0). Reconstructions are `sigmoid(decode(mu))` of held-out digits.

# %%
lib = learner.generative_torch
vae, vae_losses = lib.train_vae(X_train, latent=2, hidden=128, epochs=30, lr=1e-3,
                                batch_size=64, seed=0)
vae_losses = as_np(vae_losses)
Xt_test = torch.from_numpy(X_test)
mu, logvar = (as_np(v) for v in vae.encode(Xt_test))
vae_logits = as_np(vae.decode(torch.from_numpy(mu.astype(np.float32))))
vae_test = 1.0 / (1.0 + np.exp(-vae_logits))
held_kl = float(np.mean(-0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar), axis=1)))

side_by_side("held-out reconstruction MSE per pixel (297 digits, 2 numbers per image)", {
    "MSE": [np.mean((mean_img - X_test) ** 2), np.mean((pca_test - X_test) ** 2),
            np.mean((lae_test - X_test) ** 2), np.mean((vae_test - X_test) ** 2)],
}, index=["mean image", "PCA-2 (sklearn)", "your linear AE (k=2)", "your VAE (latent 2)"])

# %%
fig, (ax_l, ax_v) = plt.subplots(1, 2, figsize=(9, 3.2))
ax_l.plot(lae_losses, lw=2, label="your linear AE")
ax_l.axhline(pca_train_mse, color="k", ls="--", label="PCA-2 (the optimum)")
ax_l.set(xlabel="epoch", ylabel="training MSE", yscale="log",
         title="Linear autoencoder → PCA's error")
ax_l.legend(fontsize=8)
ax_v.plot(np.arange(1, len(vae_losses) + 1), vae_losses, "o-", ms=3)
ax_v.set(xlabel="epoch", ylabel="recon + KL (nats per image)",
         title="Your VAE: negative ELBO per epoch")
for ax in (ax_l, ax_v):
    ax.grid(alpha=0.3)
fig.tight_layout()
save(fig, "training_curves")

# %%
rows = [("held-out digit", X_test), ("linear AE, k=2", lae_test), ("PCA-2", pca_test),
        ("your VAE", vae_test)]
n_show = 10
fig, axes = plt.subplots(len(rows), n_show, figsize=(n_show * 0.8, len(rows) * 0.9))
for r, (label, images) in enumerate(rows):
    for c in range(n_show):
        ax = axes[r, c]
        ax.imshow(np.clip(images[c], 0, 1).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
fig.suptitle("Reconstructions of held-out digits (2 numbers per image)", fontsize=10)
fig.tight_layout()
save(fig, "reconstructions")

# %%
fig, (ax_z, ax_s) = plt.subplots(1, 2, figsize=(10, 4.5))
points = ax_z.scatter(mu[:, 0], mu[:, 1], c=y_test, cmap="tab10", s=12, vmin=-0.5, vmax=9.5)
fig.colorbar(points, ax=ax_z, ticks=range(10), label="digit")
circle = np.linspace(0, 2 * np.pi, 200)
ax_z.plot(2 * np.cos(circle), 2 * np.sin(circle), "k:", lw=1, label="2σ of the prior")
ax_z.set(xlabel="z₁", ylabel="z₂", title=f"Codes mu of held-out digits (mean KL {held_kl:.2f})",
         aspect="equal")
ax_z.legend(fontsize=8, loc="lower right")
# images decoded from a grid of the prior's quantiles
grid = norm.ppf(np.linspace(0.05, 0.95, 8))
zz = np.array([[a, b] for b in grid[::-1] for a in grid], dtype=np.float32)
samples = 1.0 / (1.0 + np.exp(-as_np(vae.decode(torch.from_numpy(zz)))))
canvas = np.ones((8 * 9, 8 * 9))
for i, img in enumerate(samples):
    r, c = divmod(i, 8)
    canvas[r * 9:r * 9 + 8, c * 9:c * 9 + 8] = 1.0 - img.reshape(8, 8)
ax_s.imshow(canvas, cmap="gray", vmin=0, vmax=1)
ax_s.set(xticks=[], yticks=[], title="decode(z) on a grid of the prior N(0, I)")
fig.tight_layout()
save(fig, "vae_latent_and_samples")

# %% [markdown]
# Your NumPy `vae_loss` on your VAE's own outputs (held-out digits, a fixed eps), next to your
# torch `vae_loss` and to the library used directly (`binary_cross_entropy_with_logits`,
# `torch.distributions.kl_divergence`).

# %%
eps = torch.from_numpy(np.random.default_rng(1).standard_normal((len(X_test), 2)).astype(np.float32))
x_logits, mu_t, logvar_t = (as_np(v) for v in vae(Xt_test, eps))
scratch = [float(v) for v in learner.vae_math_numpy.vae_loss(X_test.astype(np.float64), x_logits,
                                                             mu_t, logvar_t)]
x64, l64, m64, v64 = (torch.from_numpy(a) for a in (X_test.astype(np.float64), x_logits, mu_t,
                                                    logvar_t))
yours_torch = [float(as_np(v)) for v in lib.vae_loss(x64, l64, m64, v64)]
recon = float(F.binary_cross_entropy_with_logits(l64, x64, reduction="sum") / len(x64))
kl = float(kl_divergence(Normal(m64, torch.exp(0.5 * v64)), Normal(0.0, 1.0)).sum(1).mean())
side_by_side("negative ELBO on the 297 held-out digits (nats per image)", {
    "your NumPy vae_loss": scratch,
    "your torch vae_loss": yours_torch,
    "torch (BCE with logits + distributions)": [recon + kl, recon, kl],
}, index=["loss", "recon", "kl"])

# %% [markdown]
# ## 3. Your GAN on a ring of points
# `train_gan` with the checks' settings (500 steps, batches of 64, Adam lr 2e-3, betas
# (0.5, 0.999), seed 0). At the equilibrium D cannot tell real from fake: D(x) = ½, the
# discriminator loss is 2·ln 2 ≈ 1.386 and the generator loss ln 2 ≈ 0.693.

# %%
rng = np.random.default_rng(0)
t = rng.uniform(0.0, 2.0 * np.pi, 1000)
ring = (np.stack([2 * np.cos(t), 2 * np.sin(t)], 1)
        + 0.1 * rng.standard_normal((1000, 2))).astype(np.float32)
G, D, d_losses, g_losses = lib.train_gan(ring, steps=500, batch_size=64, latent=2, hidden=32,
                                         lr=2e-3, seed=0)
d_losses, g_losses = as_np(d_losses), as_np(g_losses)
z = torch.from_numpy(np.random.default_rng(28).standard_normal((600, 2)).astype(np.float32))
fake = as_np(G(z))


def mmd2(a, b, sigma=1.0):
    def k(x, y):
        d2 = np.sum(x**2, 1)[:, None] + np.sum(y**2, 1)[None, :] - 2.0 * x @ y.T
        return np.exp(-np.maximum(d2, 0.0) / (2.0 * sigma**2))
    return float(k(a, a).mean() + k(b, b).mean() - 2.0 * k(a, b).mean())


radius = np.linalg.norm(fake, axis=1)
real_600 = ring[:600].astype(np.float64)
side_by_side("600 generated points vs the ring", {
    "your GAN": [radius.mean(), radius.std(), mmd2(fake, real_600)],
    "the ring": [2.0, 0.1, 0.0],
}, index=["mean distance to 0", "its std", "MMD² to ring points (RBF σ=1)"])

# %%
fig, (ax_l, ax_p) = plt.subplots(1, 2, figsize=(10, 4))
window = 10
smooth = lambda v: np.convolve(v, np.ones(window) / window, mode="valid")
steps = np.arange(window, len(d_losses) + 1)
ax_l.plot(d_losses, color="tab:blue", alpha=0.25)
ax_l.plot(steps, smooth(d_losses), color="tab:blue", label="discriminator loss")
ax_l.plot(g_losses, color="tab:orange", alpha=0.25)
ax_l.plot(steps, smooth(g_losses), color="tab:orange", label="generator loss (non-saturating)")
ax_l.axhline(2 * np.log(2), color="tab:blue", ls=":", lw=1, label="2·ln 2 (D at equilibrium)")
ax_l.axhline(np.log(2), color="tab:orange", ls=":", lw=1, label="ln 2 (G at equilibrium)")
ax_l.set(xlabel="step", ylabel="loss", title="GAN losses over the steps")
ax_l.legend(fontsize=7)
ax_l.grid(alpha=0.3)
ax_p.scatter(ring[:, 0], ring[:, 1], s=4, c="k", alpha=0.3, label="real (ring)")
ax_p.scatter(fake[:, 0], fake[:, 1], s=6, c="tab:red", alpha=0.6, label="your G(z)")
ax_p.set(aspect="equal", title="Generated points", xlabel="x₁", ylabel="x₂")
ax_p.legend(fontsize=8, loc="upper right")
fig.tight_layout()
save(fig, "gan")

# %% [markdown]
# Your NumPy GAN losses on your trained discriminator's logits (600 ring points, 600 fakes),
# next to your torch `d_loss` / `g_loss` and to `binary_cross_entropy_with_logits`.

# %%
real_logits = as_np(D(torch.from_numpy(real_600.astype(np.float32))))
fake_logits = as_np(D(torch.from_numpy(fake.astype(np.float32))))
m = learner.vae_math_numpy
r64, f64 = torch.from_numpy(real_logits), torch.from_numpy(fake_logits)
bce = F.binary_cross_entropy_with_logits
side_by_side("GAN losses on your trained D's logits", {
    "your NumPy": [m.discriminator_loss(real_logits, fake_logits), m.generator_loss(fake_logits)],
    "your torch": [as_np(lib.d_loss(r64, f64)), as_np(lib.g_loss(f64))],
    "torch BCE with logits": [float(bce(r64, torch.ones_like(r64)) + bce(f64, torch.zeros_like(f64))),
                              float(bce(f64, torch.ones_like(f64)))],
}, index=["discriminator", "generator (non-saturating)"])
side_by_side("the minimax generator objective mean log(1 − D(G(z))) on the same fakes", {
    "your NumPy": [m.generator_loss_minimax(fake_logits)],
    "torch": [float(-bce(f64, torch.zeros_like(f64)))],
}, index=["minimax"])
