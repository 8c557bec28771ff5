"""Hidden checks for 16_generative.

Three-way comparison on fixed-seed data generated here:
1. learner from-scratch vs the reference (the linear autoencoder's gradient-descent path);
2. learner from-scratch vs the library: KL vs torch.distributions.kl_divergence, BCE and the
   GAN losses vs F.binary_cross_entropy_with_logits, the linear autoencoder vs two bias-free
   nn.Linear trained by plain SGD steps on nn.MSELoss (float64, same initial weights),
   principal angles vs scipy.linalg.subspace_angles;
3. learner library code vs the library used correctly: the VAE / Generator / Discriminator
   with copied weights, vae_loss, d_loss / g_loss, one discriminator step and one generator
   step (torch.optim.SGD supplied by the check) vs the same step done right;
plus the lessons: a linear autoencoder spans the PCA subspace (principal angles ≈ 0), the VAE
reconstructs held-out digits and keeps its codes near the prior, each GAN step moves its
player the right way, a seeded GAN learns a ring of points.

Conventions pinned here (all stated in exercises/16_generative/README.md):
- logvar = log σ² (variance); z = mu + exp(½·logvar)·eps with eps given by the caller;
- KL summed over latent dims, averaged over the batch; reconstruction = BCE with logits
  summed over pixels, averaged over the batch; loss = recon + kl;
- decoders and discriminators return logits; labels real = 1, fake = 0; discriminator loss =
  mean BCE(real, 1) + mean BCE(fake, 0) (a sum of two means); generator loss non-saturating
  −log D(G(z)); the minimax form is mean log(1 − D(G(z)));
- linear autoencoder: W_enc (k, d) then W_dec (d, k), 0.1·standard normal from
  default_rng(seed), loss = mean over all n·d entries, full-batch GD, loss recorded before
  each update;
- principal angles in radians, ascending;
- both GAN steps zero their optimizer's gradients first; the discriminator step gives the
  generator no gradient (fakes detached).

When a value differs, the message names the likely bug by recomputing the usual mistakes
and checking which one the learner's numbers match.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.testing import assert_close, assert_same

# float64 NumPy vs float64 torch: the same arithmetic, errors ~1e-15.
EXACT = dict(rtol=1e-9, atol=1e-12)
# float32 torch modules with the same weights (a different but correct idiom may round
# differently in the last bits).
F32 = dict(rtol=1e-5, atol=1e-6)


# ======================================================================================
# data
# ======================================================================================
def _vae_batch(seed, N=6, D=10, k=3, big=False):
    """x in [0, 1] (soft pixels), decoder logits, mu, logvar, eps — float64."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, (N, D))
    x[0, :3] = [0.0, 1.0, 1.0]
    x_logits = 2.0 * rng.standard_normal((N, D))
    if big:  # saturated logits: BCE computed through sigmoid + log breaks down here
        x_logits[0, :3] = [150.0, -150.0, 800.0]
    mu = rng.standard_normal((N, k))
    logvar = rng.uniform(-2.5, 1.5, (N, k))
    eps = rng.standard_normal((N, k))
    return x, x_logits, mu, logvar, eps


def _gan_logits(seed, big=False):
    """Discriminator logits on 7 real and 5 fake samples (different sizes on purpose)."""
    rng = np.random.default_rng(seed)
    real = 2.0 * rng.standard_normal(7)
    fake = 2.0 * rng.standard_normal(5)
    if big:
        real[:3] = [1000.0, -1000.0, 40.0]
        fake[:3] = [-1000.0, 1000.0, -40.0]
    return real, fake


def _lae_data(seed, n=200, d=8):
    """Centred data with a clear spectrum: variances 9, 4, 2.25 then ≤ 0.25."""
    rng = np.random.default_rng(seed)
    scales = np.array([3.0, 2.0, 1.5, 0.5, 0.4, 0.3, 0.2, 0.1])[:d]
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = (rng.standard_normal((n, d)) * scales) @ Q.T
    return X - X.mean(axis=0)


def _digits_split():
    """sklearn digits scaled to [0, 1], float32; 1500 training rows, 297 held out."""
    from grader.testing import datasets

    X, y = datasets.digits()
    perm = np.random.default_rng(0).permutation(len(X))
    X = X.astype(np.float32)
    return X[perm[:1500]], X[perm[1500:]], y[perm[:1500]], y[perm[1500:]]


def _ring(n, seed, radius=2.0, noise=0.1):
    """Points on a circle of radius 2 with a little Gaussian noise, float32 (n, 2)."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, 2.0 * np.pi, n)
    pts = np.stack([radius * np.cos(t), radius * np.sin(t)], axis=1)
    return (pts + noise * rng.standard_normal((n, 2))).astype(np.float32)


def _mmd(a, b, sigma=1.0):
    """Squared maximum mean discrepancy with an RBF kernel (0 = same distribution)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)

    def k(x, y):
        d2 = np.sum(x**2, 1)[:, None] + np.sum(y**2, 1)[None, :] - 2.0 * x @ y.T
        return np.exp(-np.maximum(d2, 0.0) / (2.0 * sigma**2))

    return float(k(a, a).mean() + k(b, b).mean() - 2.0 * k(a, b).mean())


# ======================================================================================
# small helpers
# ======================================================================================
def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    name = getattr(value, "type_name", None) if not isinstance(value, (list, tuple, dict)) \
        else None
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {name or type(value).__name__}"


def _scalar(value, name: str) -> float:
    """A real number: Python/NumPy scalar, 0-d array or 0-d tensor."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            pytest.fail(f"{name} should be a single number, got {_describe(value)}: "
                        "reduce it (mean / sum as the README says)")
        value = value.detach().reshape(()).item()
    if isinstance(value, np.ndarray):
        if value.size != 1:
            pytest.fail(f"{name} should be a single number, got {_describe(value)}: "
                        "reduce it (mean / sum as the README says)")
        value = value.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        pytest.fail(f"{name} should be a float, got {_describe(value)}")
    return float(value)


def _tuple_of(result, n, name):
    assert isinstance(result, (tuple, list)) and len(result) == n, (
        f"{name} must return a tuple of {n} values, got {_describe(result)}")
    return result


def _np(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _matches(actual, candidate, rtol=1e-7, atol=1e-9) -> bool:
    try:
        a = np.asarray(_np(actual), dtype=np.float64)
    except (TypeError, ValueError):
        return False
    c = np.asarray(_np(candidate), dtype=np.float64)
    return a.shape == c.shape and bool(np.allclose(a, c, rtol=rtol, atol=atol, equal_nan=False))


def _first_match(actual, candidates, default):
    for cand, hint in candidates:
        if _matches(actual, cand):
            return hint
    return default


def _t(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


# ======================================================================================
# what torch says (the library used correctly) and the usual mistakes
# ======================================================================================
def _torch_kl(mu, logvar):
    """KL(N(mu, σ²) ‖ N(0, 1)) from torch.distributions, summed over dims, batch mean."""
    from torch.distributions import Normal, kl_divergence

    mu, logvar = _t(mu), _t(logvar)
    post = Normal(mu, torch.exp(0.5 * logvar))
    prior = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    return float(kl_divergence(post, prior).sum(dim=1).mean())


def _torch_bce(logits, targets):
    return F.binary_cross_entropy_with_logits(_t(logits), _t(targets), reduction="none").numpy()


def _torch_recon(x, x_logits):
    return float(F.binary_cross_entropy_with_logits(_t(x_logits), _t(x), reduction="sum")
                 / len(x))


def _torch_gan(real, fake):
    r, f = _t(real), _t(fake)
    bce = F.binary_cross_entropy_with_logits
    d = float(bce(r, torch.ones_like(r)) + bce(f, torch.zeros_like(f)))
    g = float(bce(f, torch.ones_like(f)))
    minimax = float(-bce(f, torch.zeros_like(f)))
    return d, g, minimax


KL_FORMULA = "KL = −½·Σ_j (1 + logvar_j − mu_j² − exp(logvar_j)), summed over j, mean over the batch"


def _kl_hint(value, mu, logvar):
    mu, logvar = np.asarray(mu), np.asarray(logvar)
    N, k = mu.shape
    terms = -0.5 * (1.0 + logvar - mu**2 - np.exp(logvar))
    kl = float(terms.sum(axis=1).mean())
    log_sigma = -0.5 * (1.0 + 2.0 * logvar - mu**2 - np.exp(2.0 * logvar))
    cands = [
        (-kl, "the sign is flipped: KL is −½·Σ(1 + logvar − mu² − exp(logvar)), which is ≥ 0 "
              "(a KL divergence is never negative)"),
        (float(terms.mean()), f"you averaged over the latent dimensions too (a mean over all "
                              f"N·k entries, {k} times too small): SUM over the k latent "
                              "dims, then average over the batch"),
        (float(terms.sum()), f"you summed over the batch too ({N} times too large): sum over "
                             "the latent dims, then AVERAGE over the batch"),
        (2.0 * kl, "the factor ½ is missing: KL = −½·Σ(…)"),
        (float(log_sigma.sum(axis=1).mean()),
         "this treats logvar as log σ (log of the standard deviation): here logvar = log σ², "
         "so σ² = exp(logvar), not exp(2·logvar)"),
        (float((-0.5 * (1.0 + logvar - mu**2 - logvar)).sum(axis=1).mean()),
         "the last term must be exp(logvar) (= σ²), not logvar"),
        (float((-0.5 * (logvar - mu**2 - np.exp(logvar))).sum(axis=1).mean()),
         "the constant 1 inside the sum is missing: −½·Σ(1 + logvar − mu² − exp(logvar))"),
    ]
    return _first_match(value, cands, KL_FORMULA)


def _recon_hint(value, x, x_logits):
    x, x_logits = np.asarray(x), np.asarray(x_logits)
    N, D = x.shape
    bce = _torch_bce(x_logits, x)
    p = 1.0 / (1.0 + np.exp(-x_logits))
    cands = [
        (float(bce.mean()), f"this is the mean over all N·D entries ({D} times too small): "
                            "SUM the BCE over the pixels of each sample, then average over "
                            "the batch"),
        (float(bce.sum()), f"you summed over the batch too ({N} times too large): sum over "
                           "pixels, then AVERAGE over the batch"),
        (float(np.sum((p - x) ** 2) / N), "this is a squared error on sigmoid(logits): the "
                                          "reconstruction term here is the BCE with logits"),
        (float(np.sum((x_logits - x) ** 2) / N), "this is a squared error on the logits: the "
                                                 "reconstruction term is the BCE with logits"),
        (float(_torch_bce(x, x_logits).sum() / N), "the arguments are swapped: BCE of the "
                                                   "TARGET x under the logits x_logits"),
        (float(np.minimum(bce, 100.0).sum() / N), "the BCE is clamped at 100: that is what "
                                                  "nn.BCELoss / F.binary_cross_entropy do to "
                                                  "sigmoid(logits) (log clamped at −100). "
                                                  "Compute it from the logits: "
                                                  "binary_cross_entropy_with_logits"),
    ]
    return _first_match(value, cands, "recon = Σ over pixels of BCE(x_logits, x), averaged "
                                      "over the batch; BCE from logits: "
                                      "max(z, 0) − z·x + log(1 + exp(−|z|))")


def _gan_hints(real, fake):
    """(value, hint) candidates for the discriminator and generator losses."""
    bce = _torch_bce
    r1, r0 = bce(real, np.ones_like(real)), bce(real, np.zeros_like(real))
    f1, f0 = bce(fake, np.ones_like(fake)), bce(fake, np.zeros_like(fake))
    d_true = r1.mean() + f0.mean()
    d = [
        (d_true / 2, "this is the AVERAGE of the two terms: the discriminator loss here is "
                     "their sum, mean BCE(real, 1) + mean BCE(fake, 0)"),
        (r0.mean() + f1.mean(), "the labels are swapped: real samples are labelled 1, "
                                "fakes 0"),
        (np.concatenate([r1, f0]).mean(), "this is one mean over the concatenated batch; "
                                          "the two batches differ in size (7 real, 5 fake): "
                                          "take the mean of each term, then add them"),
        (-d_true, "the sign is flipped: BCE = −[t·log p + (1 − t)·log(1 − p)] is positive"),
        (np.minimum(r1, 100).mean() + np.minimum(f0, 100).mean(),
         "the per-sample losses are clamped at 100: that is nn.BCELoss on sigmoid(logits) "
         "(log clamped at −100). Work from the logits: binary_cross_entropy_with_logits "
         "(or max(z, 0) − z·t + log(1 + exp(−|z|)))"),
    ]
    g = [
        (-f0.mean(), "this is the MINIMAX objective mean log(1 − D(G(z))): the generator loss "
                     "asked for is the NON-SATURATING −log D(G(z)) = mean BCE(fake, 1)"),
        (f0.mean(), "this is the discriminator's loss on the fakes (label 0): the generator "
                    "wants its fakes called real, so its target is 1: mean BCE(fake, 1)"),
        (-f1.mean(), "the sign is flipped: −log D(G(z)) is positive"),
        (np.minimum(f1, 100).mean(), "the per-sample losses are clamped at 100: nn.BCELoss on "
                                     "sigmoid(logits). Work from the logits"),
    ]
    m = [
        (f1.mean(), "this is the non-saturating loss −log D(G(z)): generator_loss_minimax is "
                    "the original objective mean log(1 − D(G(z))) (≤ 0, to minimise)"),
        (f0.mean(), "the sign is flipped: log(1 − D(G(z))) is ≤ 0; the minimax generator "
                    "MINIMISES mean log(1 − D(G(z))) = −mean BCE(fake, 0)"),
        (-np.minimum(f0, 100).mean(), "the logs are clamped at −100: nn.BCELoss-style. Work "
                                      "from the logits: log(1 − sigmoid(z)) = −softplus(z)"),
    ]
    return d, g, m


def _check_gan_losses(d_val, g_val, m_val, real, fake, where):
    """Compare three GAN loss values with torch (m_val may be None)."""
    d_exp, g_exp, m_exp = _torch_gan(real, fake)
    d_c, g_c, m_c = _gan_hints(real, fake)
    naive = ("NaN or Inf on large logits (|z| = 1000): log(sigmoid(z)) underflows to log(0). "
             "Use the stable form max(z, 0) − z·t + log(1 + exp(−|z|))")
    for val, exp, cands, label, default in [
            (d_val, d_exp, d_c, "discriminator loss", "mean BCE(real, 1) + mean BCE(fake, 0) "
                                                      "from logits"),
            (g_val, g_exp, g_c, "generator loss (non-saturating)", "mean BCE(fake, 1) = "
                                                                   "mean(−log D(G(z)))"),
            (m_val, m_exp, m_c, "minimax generator objective", "mean log(1 − D(G(z))) = "
                                                               "−mean BCE(fake, 0)")]:
        if val is None:
            continue
        hint = naive if not np.isfinite(val) else _first_match(val, cands, default)
        assert_close(val, exp, name=f"{label} {where}", **EXACT, hint=hint)


# ======================================================================================
# from scratch: the VAE pieces
# ======================================================================================
@pytest.mark.points(1)
def test_reparameterize(learner):
    """reparameterize returns mu + exp(½·logvar)·eps with the eps it is given"""
    x, _, mu, logvar, eps = _vae_batch(1, N=5, k=3)
    f = learner.vae_math_numpy.reparameterize
    z = f(mu, logvar, eps)
    expected = mu + np.exp(0.5 * logvar) * eps
    if _matches(z, expected):
        z2 = f(mu, logvar, eps)
        assert_close(z2, expected, name="reparameterize called a second time with the same "
                     "arguments", **EXACT)
        return
    z2 = f(mu, logvar, eps)
    if isinstance(z, np.ndarray) and isinstance(z2, np.ndarray) and z.shape == z2.shape \
            and not np.array_equal(z, z2):
        pytest.fail("reparameterize(mu, logvar, eps) returned different z for the same "
                    "arguments: you draw the noise yourself. Use the eps you are given "
                    "(the caller draws it: that is what makes z differentiable in mu and "
                    "logvar and the result reproducible)")
    hint = _first_match(z, [
        (mu + np.exp(logvar) * eps, "you scaled eps by exp(logvar) = σ²: logvar is the log of "
                                    "the VARIANCE, so σ = exp(½·logvar)"),
        (mu + logvar * eps, "you scaled eps by logvar itself: σ = exp(½·logvar)"),
        (mu + np.exp(-0.5 * logvar) * eps, "you scaled eps by 1/σ: σ = exp(+½·logvar)"),
        (mu, "z equals mu: the noise term exp(½·logvar)·eps is missing"),
        (mu + np.exp(0.5 * logvar), "eps is missing: z = mu + exp(½·logvar)·eps"),
        (logvar + np.exp(0.5 * mu) * eps, "mu and logvar are swapped"),
    ], "z = mu + exp(0.5 * logvar) * eps, elementwise, shape (N, k)")
    assert_close(z, expected, name="z from reparameterize(mu, logvar, eps), (5, 3)", **EXACT,
                 hint=hint)


@pytest.mark.points(2)
def test_kl_matches_torch_distributions(learner):
    """kl_divergence equals torch.distributions.kl_divergence(Normal(mu, σ), Normal(0, 1))"""
    f = learner.vae_math_numpy.kl_divergence
    zero = _scalar(f(np.zeros((4, 3)), np.zeros((4, 3))), "kl_divergence(zeros, zeros)")
    assert abs(zero) <= 1e-12, (
        f"kl_divergence(mu=0, logvar=0) = {zero:.6g}: a posterior equal to the prior N(0, I) "
        f"has KL exactly 0. {KL_FORMULA}")
    for seed, N, k in [(2, 8, 4), (3, 1, 2), (4, 30, 1)]:
        _, _, mu, logvar, _ = _vae_batch(seed, N=N, k=k)
        got = _scalar(f(mu, logvar), f"kl_divergence(mu, logvar) for N={N}, k={k}")
        expected = _torch_kl(mu, logvar)
        assert_close(got, expected, name=f"KL for mu, logvar of shape ({N}, {k}) vs "
                     "torch.distributions.kl_divergence (summed over dims, batch mean)",
                     **EXACT, hint=_kl_hint(got, mu, logvar))


@pytest.mark.points(2)
def test_bce_with_logits_stable(learner):
    """bce_with_logits equals F.binary_cross_entropy_with_logits, exact at |z| = 1000"""
    z = np.array([[-1000.0, -40.0, -3.0, -0.5, 0.0, 0.7, 5.0, 40.0, 1000.0]] * 3)
    t = np.stack([np.zeros(9), np.ones(9), np.full(9, 0.3)])
    got = learner.vae_math_numpy.bce_with_logits(z, t)
    expected = _torch_bce(z, t)
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        pytest.fail(f"bce_with_logits(logits, targets) with inputs of shape {z.shape} returned "
                    f"shape {got.shape}: return the ELEMENTWISE losses (same shape as the "
                    "inputs), no mean or sum")
    hint = "BCE from logits: max(z, 0) − z·t + log(1 + exp(−|z|))"
    g = np.asarray(got, dtype=np.float64) if isinstance(got, np.ndarray) else None
    if g is not None and not np.all(np.isfinite(g)):
        hint = ("NaN or Inf where |z| is large: log(sigmoid(z)) and log(1 − sigmoid(z)) hit "
                "log(0) (sigmoid(−1000) underflows to 0, 1 − sigmoid(40) rounds to 0). Use "
                "the stable form max(z, 0) − z·t + log(1 + exp(−|z|)) (np.log1p)")
    elif g is not None and _matches(g, np.minimum(expected, 100.0)):
        hint = ("the losses are clamped at 100 (log clamped at −100, like nn.BCELoss): the "
                "exact BCE at z = ±1000 is 1000·|…|. Use max(z, 0) − z·t + log(1 + exp(−|z|))")
    elif g is not None and _matches(g, _torch_bce(t, z)):
        hint = "the arguments are swapped: bce_with_logits(logits, targets)"
    assert_close(got, expected, name="bce_with_logits on logits from −1000 to 1000 and "
                 "targets 0, 1, 0.3 (3, 9)", rtol=1e-10, atol=1e-12, hint=hint)


@pytest.mark.points(2)
def test_vae_loss_scratch(learner):
    """vae_loss gives (recon + kl, recon, kl): BCE summed over pixels and KL, batch means"""
    for seed, big in [(5, False), (6, True)]:
        x, x_logits, mu, logvar, _ = _vae_batch(seed, N=6, D=10, k=3, big=big)
        res = _tuple_of(learner.vae_math_numpy.vae_loss(x, x_logits, mu, logvar), 3,
                        "vae_loss")
        loss, recon, kl = (_scalar(v, f"vae_loss(...)[{i}]") for i, v in enumerate(res))
        where = "(x (6, 10), mu (6, 3))" + (" with logits up to ±800" if big else "")
        recon_exp, kl_exp = _torch_recon(x, x_logits), _torch_kl(mu, logvar)
        hint = _recon_hint(recon, x, x_logits)
        if not np.isfinite(recon):
            hint = ("NaN or Inf with saturated logits: compute the BCE from logits, "
                    "max(z, 0) − z·x + log(1 + exp(−|z|))")
        assert_close(recon, recon_exp, name=f"recon {where} vs "
                     "F.binary_cross_entropy_with_logits(reduction='sum') / N", **EXACT,
                     hint=hint)
        assert_close(kl, kl_exp, name=f"kl {where} vs torch.distributions", **EXACT,
                     hint=_kl_hint(kl, mu, logvar))
        hint = "loss = recon + kl (the negative ELBO, averaged over the batch)"
        if np.isclose(loss, recon - kl):
            hint = ("loss = recon − kl: the ELBO is E[log p(x|z)] − KL, so the loss to "
                    "minimise (−ELBO) is recon + kl")
        assert_close(loss, recon_exp + kl_exp, name=f"loss {where}", **EXACT, hint=hint)


# ======================================================================================
# from scratch: the GAN losses
# ======================================================================================
@pytest.mark.points(2)
def test_gan_losses_scratch(learner):
    """The three GAN losses equal the BCE-with-logits formulas, also at |logit| = 1000"""
    m = learner.vae_math_numpy
    for seed, big in [(7, False), (8, True)]:
        real, fake = _gan_logits(seed, big=big)
        where = "on logits of 7 real and 5 fake samples" + (" (some ±1000)" if big else "")
        d = _scalar(m.discriminator_loss(real, fake), "discriminator_loss(real, fake)")
        g = _scalar(m.generator_loss(fake), "generator_loss(fake)")
        mm = _scalar(m.generator_loss_minimax(fake), "generator_loss_minimax(fake)")
        _check_gan_losses(d, g, mm, real, fake, where)


# ======================================================================================
# from scratch: linear autoencoder and PCA
# ======================================================================================
@pytest.mark.points(1)
def test_principal_angles(learner):
    """principal_angles equals scipy.linalg.subspace_angles (radians, ascending)"""
    from scipy.linalg import subspace_angles

    f = learner.vae_math_numpy.principal_angles
    rng = np.random.default_rng(9)
    # 1. known angles: span{e1, e2} vs span{cos a·e1 + sin a·e3, cos b·e2 + sin b·e4}
    a, b = 0.3, 1.1
    E = np.eye(6)
    A = np.column_stack([E[0], E[1]]) @ np.array([[2.0, 1.0], [0.0, 3.0]])   # not orthonormal
    B = np.column_stack([np.cos(b) * E[1] + np.sin(b) * E[3],
                         np.cos(a) * E[0] + np.sin(a) * E[2]])
    got = f(A, B)
    hint = "orthonormalise A and B (np.linalg.qr), θ = arccos of the singular values of Q_AᵀQ_B"
    g = np.asarray(got, dtype=np.float64) if isinstance(got, np.ndarray) else None
    if g is not None and g.shape == (2,):
        if _matches(g, [np.cos(a), np.cos(b)]) or _matches(g, [np.cos(b), np.cos(a)]):
            hint = "these are the cosines (the singular values): return θ = arccos(cosines)"
        elif _matches(np.sort(g), np.degrees([a, b])):
            hint = "these are degrees: return radians"
        elif _matches(g, [b, a]):
            hint = "sort the angles in ascending order (smallest first)"
    assert_close(got, np.array([a, b]), name="principal angles between span{e1, e2} and a "
                 "plane tilted by 0.3 and 1.1 rad (6-D)", rtol=1e-8, atol=1e-8, hint=hint)
    # 2. random subspaces of different dimensions
    A = rng.standard_normal((7, 3))
    B = rng.standard_normal((7, 2))
    expected = np.sort(subspace_angles(A, B))
    got = f(A, B)
    hint = ("the bases are not orthonormal here: orthonormalise both (np.linalg.qr) before "
            "the SVD; return min(p, q) angles, ascending")
    assert_close(got, expected, name="principal angles between random subspaces of R⁷ "
                 "(dims 3 and 2) vs scipy.linalg.subspace_angles", rtol=1e-7, atol=1e-8,
                 hint=hint)
    # 3. the same subspace in another basis: all angles 0 (up to rounding)
    M = rng.standard_normal((3, 3)) + 3.0 * np.eye(3)
    got = f(A, A @ M)
    g = np.asarray(got, dtype=np.float64) if isinstance(got, np.ndarray) else None
    hint = ("A and A·M span the same subspace, whatever the basis: every angle is 0. "
            "Orthonormalise both bases before comparing them")
    if g is not None and np.any(np.isnan(g)):
        hint = ("NaN: rounding can make a cosine 1.0000000000000002 and arccos of it is NaN; "
                "np.clip the cosines to [−1, 1] first")
    assert_close(got, np.zeros(3), name="principal angles between span(A) and span(A·M) "
                 "(the same 3-D subspace)", rtol=0, atol=1e-6, hint=hint)


def _lae_reference(X, k, lr, epochs, seed, *, grad_scale=1.0, sequential=False,
                   dec_first=False, record_after=False):
    """The GD path of the linear autoencoder, with optional known mistakes (diagnosis)."""
    n, d = X.shape
    rng = np.random.default_rng(seed)
    if dec_first:
        W_dec = 0.1 * rng.standard_normal((d, k))
        W_enc = 0.1 * rng.standard_normal((k, d))
    else:
        W_enc = 0.1 * rng.standard_normal((k, d))
        W_dec = 0.1 * rng.standard_normal((d, k))
    losses = np.empty(epochs)
    for t in range(epochs):
        Z = X @ W_enc.T
        R = Z @ W_dec.T - X
        if not record_after:
            losses[t] = np.mean(R**2)
        G = grad_scale * (2.0 / (n * d)) * R
        dW_dec = G.T @ Z
        W_dec_new = W_dec - lr * dW_dec
        dW_enc = (W_dec_new if sequential else W_dec).T @ G.T @ X
        W_enc, W_dec = W_enc - lr * dW_enc, W_dec_new
        if record_after:
            losses[t] = np.mean((X @ W_enc.T @ W_dec.T - X) ** 2)
    return W_enc, W_dec, losses


def _sgd_update(params, lr):
    """What torch.optim.SGD(lr) does without momentum: p ← p − lr·p.grad.

    Written out to spare the grading process the first-optimizer start-up cost."""
    with torch.no_grad():
        for p in params:
            p.add_(p.grad, alpha=-lr)


def _torch_lae(X, k, lr, epochs, seed):
    """Two bias-free nn.Linear layers (float64), SGD on nn.MSELoss, same initial weights."""
    n, d = X.shape
    rng = np.random.default_rng(seed)
    W_enc0 = 0.1 * rng.standard_normal((k, d))
    W_dec0 = 0.1 * rng.standard_normal((d, k))
    enc = nn.Linear(d, k, bias=False).double()
    dec = nn.Linear(k, d, bias=False).double()
    with torch.no_grad():
        enc.weight.copy_(torch.from_numpy(W_enc0))
        dec.weight.copy_(torch.from_numpy(W_dec0))
    loss_fn = nn.MSELoss()
    Xt = torch.from_numpy(X)
    losses = []
    for _ in range(epochs):
        enc.zero_grad()
        dec.zero_grad()
        loss = loss_fn(dec(enc(Xt)), Xt)
        losses.append(loss.item())
        loss.backward()
        _sgd_update([enc.weight, dec.weight], lr)
    return enc.weight.detach().numpy(), dec.weight.detach().numpy(), np.array(losses)


def _lae_hint(X, k, lr, epochs, seed, losses, which, value):
    """Name the mistake whose path reproduces the learner's losses (or weights)."""
    n, d = X.shape
    options = [
        (dict(grad_scale=0.5), "your steps are half as large: the factor 2 of the squared "
                               "error is missing from the gradients"),
        (dict(grad_scale=float(d)), f"your gradients are d = {d} times too large: the loss is "
                                    "the mean over all n·d entries, so dL/dX̂ = 2·(X̂ − X)/(n·d)"),
        (dict(grad_scale=float(n * d)), "your gradients are n·d times too large: the 1/(n·d) "
                                        "of the mean is missing"),
        (dict(grad_scale=d / 2.0), "your gradients lack the 1/d and the factor 2 (the loss "
                                   "is a mean over all n·d entries)"),
        (dict(sequential=True), "W_enc's gradient used the already-updated W_dec: compute "
                                "both gradients at the current weights, then update both"),
        (dict(dec_first=True), "the initial weights were drawn in the wrong order: W_enc "
                               "first, then W_dec, from the same default_rng(seed)"),
        (dict(record_after=True), "losses[t] must be recorded BEFORE update t (losses[0] is "
                                  "the loss of the initial weights)"),
    ]
    for kw, hint in options:
        cand = _lae_reference(X, k, lr, epochs, seed, **kw)
        if _matches(value, cand[which]):
            return hint
    if which == 2 and isinstance(value, np.ndarray) and value.shape == (epochs,):
        ref_losses = _lae_reference(X, k, lr, epochs, seed)[2]
        if _matches(value, ref_losses * d):
            return ("your loss is d times too large: the loss is the mean over all n·d "
                    "entries (like nn.MSELoss()), not a sum over features")
        if not np.isclose(value[0], ref_losses[0], rtol=1e-9):
            return (f"losses[0] should be the MSE of the initial weights ({ref_losses[0]:.6g}): "
                    "W_enc = 0.1·rng.standard_normal((k, d)), then W_dec = "
                    "0.1·rng.standard_normal((d, k)), rng = np.random.default_rng(seed)")
    return ("Z = X W_encᵀ, X̂ = Z W_decᵀ, R = X̂ − X, G = 2R/(n·d); dW_dec = GᵀZ, "
            "dW_enc = W_decᵀGᵀX; update both with lr")


@pytest.mark.points(2)
def test_linear_ae_matches_torch(learner, reference):
    """Linear autoencoder GD equals torch SGD steps on nn.MSELoss from the same initial weights"""
    X = _lae_data(seed=10, n=120, d=6)
    k, lr, epochs, seed = 2, 0.3, 60, 3
    res = _tuple_of(learner.vae_math_numpy.train_linear_autoencoder(
        X, k, lr=lr, epochs=epochs, seed=seed), 3, "train_linear_autoencoder")
    W_enc, W_dec, losses = res
    for name, v, shape in [("W_enc", W_enc, (k, 6)), ("W_dec", W_dec, (6, k)),
                           ("losses", losses, (epochs,))]:
        assert isinstance(v, np.ndarray), (
            f"{name} returned by train_linear_autoencoder should be a numpy array of shape "
            f"{shape}, got {_describe(v)}")
        if v.shape != shape:
            extra = " (transposed: W_enc is (k, d), W_dec is (d, k))" \
                if v.shape == shape[::-1] else ""
            pytest.fail(f"{name} has shape {v.shape}, expected {shape}{extra}")
    t_enc, t_dec, t_losses = _torch_lae(X, k, lr, epochs, seed)
    ref = reference.vae_math_numpy.train_linear_autoencoder(X, k, lr=lr, epochs=epochs,
                                                            seed=seed)
    assert_close(ref[2], t_losses, name="(sanity) reference vs torch", **EXACT)
    assert_close(losses, t_losses, name=f"losses ({epochs} epochs, lr {lr}) vs torch SGD on "
                 "nn.MSELoss", **EXACT, hint=_lae_hint(X, k, lr, epochs, seed, losses, 2,
                                                       losses))
    assert_close(W_enc, t_enc, name="W_enc after training vs the torch encoder's weight",
                 **EXACT, hint=_lae_hint(X, k, lr, epochs, seed, losses, 0, W_enc))
    assert_close(W_dec, t_dec, name="W_dec after training vs the torch decoder's weight",
                 **EXACT, hint=_lae_hint(X, k, lr, epochs, seed, losses, 1, W_dec))


@pytest.mark.points(2)
def test_linear_ae_spans_pca(learner):
    """The trained linear autoencoder spans PCA's top-k subspace and reaches PCA's error"""
    from scipy.linalg import subspace_angles

    X = _lae_data(seed=11, n=200, d=8)
    k = 3
    res = _tuple_of(learner.vae_math_numpy.train_linear_autoencoder(X, k, lr=0.3,
                                                                    epochs=1500, seed=0), 3,
                    "train_linear_autoencoder")
    W_enc, W_dec, losses = res
    assert isinstance(W_dec, np.ndarray) and W_dec.shape == (8, k), (
        f"W_dec should be a numpy array of shape (d, k) = (8, {k}), got {_describe(W_dec)}")
    assert np.all(np.isfinite(W_dec)), (
        "W_dec contains NaN or Inf after 1500 epochs at lr 0.3: the updates diverged (is the "
        "gradient of the MEAN over all n·d entries, with 2/(n·d)?)")
    _, S, Vt = np.linalg.svd(X, full_matrices=False)
    V_k = Vt[:k].T                                           # PCA's top-k directions (d, k)
    pca_mse = float(np.mean((X - X @ V_k @ V_k.T) ** 2))
    angles = subspace_angles(W_dec, V_k)
    assert float(np.max(angles)) < 1e-3, (
        f"the largest principal angle between the column space of W_dec and PCA's top-{k} "
        f"components is {np.max(angles):.3g} rad (must be < 1e-3 after 1500 epochs at "
        f"lr 0.3; the reference reaches ~1e-4). A linear autoencoder trained on the MSE "
        f"learns the same subspace as PCA. Final loss {float(np.asarray(losses)[-1]):.6g} vs "
        f"PCA's reconstruction MSE {pca_mse:.6g}. If test_linear_ae_matches_torch passes "
        "this one does too")
    assert_close(float(np.asarray(losses)[-1]), pca_mse,
                 name=f"final training loss vs PCA's reconstruction MSE with {k} components",
                 rtol=1e-3, hint="at the optimum the linear autoencoder reconstructs exactly "
                                 "as well as PCA with k components")


# ======================================================================================
# library: VAE
# ======================================================================================
def _load_state(model, sd):
    import torch

    try:
        model.load_state_dict({k: torch.as_tensor(v) for k, v in sd.items()})
    except Exception as exc:  # reported, the check turns it into a message
        return f"{type(exc).__name__}: {exc}"[:700]
    return None


def _is_module(model):
    import torch.nn as nn

    return isinstance(model, nn.Module)


def _sd_numpy(module):
    return {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


def _learner_with_weights(learner, factory, ref_module, label, expected_layout):
    model = factory()
    assert learner.probe(_is_module, model), f"{label} must subclass torch.nn.Module"
    err = learner.probe(_load_state, model, _sd_numpy(ref_module))
    assert err is None, (f"could not load the reference weights into your {label} "
                         f"(keys {sorted(ref_module.state_dict())}): {err}\n"
                         f"  expected layout: {expected_layout}")
    return model


VAE_LAYOUT = ("self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU()); "
              "self.fc_mu, self.fc_logvar = nn.Linear(hidden, latent) each; "
              "self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), "
              "nn.Linear(hidden, in_dim))")


@pytest.mark.points(2)
def test_vae_forward_matches_torch(learner, reference):
    """VAE.encode / decode / forward(x, eps) equal the same layers used correctly"""
    torch.manual_seed(11)
    ref = reference.generative_torch.VAE(in_dim=12, hidden=16, latent=3).eval()
    model = _learner_with_weights(
        learner, lambda: learner.generative_torch.VAE(in_dim=12, hidden=16, latent=3), ref,
        "VAE", VAE_LAYOUT)
    rng = np.random.default_rng(12)
    x = torch.from_numpy(rng.uniform(0, 1, (5, 12)).astype(np.float32))
    eps = torch.from_numpy(rng.standard_normal((5, 3)).astype(np.float32))
    with torch.no_grad():
        mu_e, lv_e = ref.encode(x)
        logits_e = ref.decode(mu_e + torch.exp(0.5 * lv_e) * eps)

    enc = _tuple_of(model.encode(x), 2, "VAE.encode")
    hint = "encode(x): h = self.encoder(x); return self.fc_mu(h), self.fc_logvar(h)"
    if _matches(enc[0], lv_e, **F32) and _matches(enc[1], mu_e, **F32):
        hint = "mu and logvar are swapped: return (mu, logvar), mu from fc_mu"
    assert_close(enc[0], mu_e, name="mu from VAE.encode(x), x (5, 12)", **F32, hint=hint)
    assert_close(enc[1], lv_e, name="logvar from VAE.encode(x)", **F32, hint=hint)

    z = mu_e + torch.exp(0.5 * lv_e) * eps
    got = model.decode(z)
    with torch.no_grad():
        dec_e = ref.decode(z)
    hint = "decode(z) = self.decoder(z): the logits of the pixels, shape (N, in_dim)"
    if _matches(got, torch.sigmoid(dec_e), **F32):
        hint = ("decode returns probabilities (a sigmoid at the end): return LOGITS — "
                "vae_loss uses BCE with logits, apply torch.sigmoid only to show images")
    assert_close(got, dec_e, name="VAE.decode(z), z (5, 3)", **F32, hint=hint)

    out = _tuple_of(model(x, eps), 3, "VAE.forward(x, eps)")
    out2 = model(x, eps)
    logits = out[0]
    with torch.no_grad():
        cands = [
            (ref.decode(mu_e + torch.exp(lv_e) * eps),
             "z uses exp(logvar)·eps = σ²·eps: logvar is log σ², so σ = exp(½·logvar)"),
            (ref.decode(mu_e + lv_e * eps), "z uses logvar·eps: σ = exp(½·logvar)"),
            (ref.decode(mu_e), "z = mu: forward ignored eps (z = mu + exp(½·logvar)·eps)"),
            (torch.sigmoid(logits_e), "forward returns probabilities: return the decoder's "
                                      "LOGITS"),
        ]
    hint = "forward(x, eps): mu, logvar = encode(x); z = mu + exp(½·logvar)·eps; " \
           "return (decode(z), mu, logvar)"
    if isinstance(out2, (tuple, list)) and len(out2) == 3 and \
            not _matches(out2[0], logits, rtol=0, atol=0):
        hint = ("two calls with the same eps gave different outputs: when eps is given, use "
                "it (draw torch.randn_like(mu) only when eps is None)")
    else:
        for cand, h in cands:
            if _matches(logits, cand, **F32):
                hint = h
                break
    assert_close(logits, logits_e, name="x_logits from VAE.forward(x, eps)", **F32,
                 hint=hint)
    assert_close(out[1], mu_e, name="mu from VAE.forward(x, eps)", **F32,
                 hint="forward returns (x_logits, mu, logvar) in that order")
    assert_close(out[2], lv_e, name="logvar from VAE.forward(x, eps)", **F32,
                 hint="forward returns (x_logits, mu, logvar) in that order")


@pytest.mark.points(1)
def test_vae_loss_torch(learner):
    """generative_torch.vae_loss equals BCE-with-logits (sum / N) + torch.distributions KL"""
    for seed, big in [(13, False), (14, True)]:
        x, x_logits, mu, logvar, _ = _vae_batch(seed, N=6, D=10, k=3, big=big)
        res = _tuple_of(learner.generative_torch.vae_loss(_t(x), _t(x_logits), _t(mu),
                                                          _t(logvar)), 3, "vae_loss")
        for i, v in enumerate(res):
            assert isinstance(v, torch.Tensor), (
                f"vae_loss(...)[{i}] should be a 0-d tensor, got {_describe(v)}: return the "
                "tensors themselves (train_vae calls loss.backward()), not .item()")
        loss, recon, kl = (_scalar(v, f"vae_loss(...)[{i}]") for i, v in enumerate(res))
        where = "(float64 tensors, x (6, 10), mu (6, 3))" + \
                (" with logits up to ±800" if big else "")
        recon_exp, kl_exp = _torch_recon(x, x_logits), _torch_kl(mu, logvar)
        hint = _recon_hint(recon, x, x_logits) if np.isfinite(recon) else (
            "NaN or Inf with saturated logits: use F.binary_cross_entropy_with_logits")
        assert_close(recon, recon_exp, name=f"recon {where}", **EXACT, hint=hint)
        assert_close(kl, kl_exp, name=f"kl {where} vs torch.distributions.kl_divergence",
                     **EXACT, hint=_kl_hint(kl, mu, logvar))
        assert_close(loss, recon_exp + kl_exp, name=f"loss {where}", **EXACT,
                     hint="loss = recon + kl (the negative ELBO)")


@pytest.mark.points(1)
def test_vae_training_deterministic(learner):
    """train_vae is deterministic for a seed, and the seed matters"""
    X_train, X_test, _, _ = _digits_split()
    X_small = X_train[:300]
    kw = dict(latent=2, hidden=32, epochs=2, lr=1e-3, batch_size=64)
    runs = []
    for seed in (3, 3, 4):
        model, losses = _tuple_of(learner.generative_torch.train_vae(X_small, seed=seed, **kw),
                                  2, "train_vae")
        mu, _ = _tuple_of(model.encode(torch.from_numpy(X_test[:20])), 2, "VAE.encode")
        runs.append((np.asarray(losses, dtype=np.float64), _np(mu)))
    assert_same(runs[0][0].shape, (2,), name="shape of the losses returned by train_vae "
                "(epochs=2)", hint="one float per epoch")
    hint = ("call torch.manual_seed(seed) first in train_vae, BEFORE building the model; draw "
            "the shuffling (torch.randperm) and the noise (torch.randn_like) from torch's "
            "seeded generator, not from NumPy or Python's random")
    assert_close(runs[1][0], runs[0][0], name="losses of two runs with seed=3", rtol=0,
                 atol=0, hint=hint)
    assert_close(runs[1][1], runs[0][1], name="mu of 20 held-out digits from two models "
                 "trained with seed=3", rtol=0, atol=0, hint=hint)
    assert not np.array_equal(runs[2][1], runs[0][1]), (
        "seed=3 and seed=4 gave identical models: the seed argument is not used (seed torch "
        "with torch.manual_seed(seed), not a fixed number)")


@pytest.mark.points(2)
def test_vae_reconstructs_digits(learner):
    """The trained VAE reconstructs held-out digits and keeps their codes near the prior"""
    X_train, X_test, _, _ = _digits_split()
    with learner.time_limit(60):
        model, losses = _tuple_of(learner.generative_torch.train_vae(
            X_train, latent=2, hidden=128, epochs=30, lr=1e-3, batch_size=64, seed=0), 2,
            "train_vae")
    losses = np.asarray(losses, dtype=np.float64)
    assert_same(losses.shape, (30,), name="shape of the losses (epochs=30)",
                hint="append one float per epoch")
    assert np.all(np.isfinite(losses)), (
        "the training loss became NaN or Inf: is the KL term added with the right sign "
        "(loss = recon + kl, kl ≥ 0)? Is the BCE computed from logits?")
    assert losses[-1] < 0.8 * losses[0], (
        f"the loss went from {losses[0]:.4g} to {losses[-1]:.4g} in 30 epochs: it should fall "
        "by at least 20% (the reference: about 40 → 25). Check zero_grad / backward / step")
    mu, logvar = (_np(v).astype(np.float64) for v in
                  _tuple_of(model.encode(torch.from_numpy(X_test)), 2, "VAE.encode"))
    logits = _np(model.decode(torch.from_numpy(mu.astype(np.float32)))).astype(np.float64)
    recon = 1.0 / (1.0 + np.exp(-logits))
    mse = float(np.mean((recon - X_test) ** 2))
    baseline = float(np.mean((X_test - X_train.mean(axis=0)) ** 2))
    assert mse <= 0.055, (
        f"held-out reconstruction MSE per pixel {mse:.4f} (sigmoid(decode(mu)) vs the 297 "
        f"held-out digits) must be ≤ 0.055; the mean image scores {baseline:.4f}, PCA with 2 "
        "components about 0.054, the reference ≈ 0.046. Check that decode returns logits, "
        "that recon is the BCE SUMMED over pixels (a mean over pixels makes the KL term 64 "
        "times too strong) and that z = mu + exp(½·logvar)·eps")
    kl = float(np.mean(-0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar), axis=1)))
    assert kl <= 5.0, (
        f"the held-out codes are far from the prior: mean KL(q(z|x) ‖ N(0, I)) = {kl:.3g} "
        "nats (the reference ≈ 1.8, without a KL term ≈ 28). Samples drawn from N(0, I) then "
        "decode to nothing like digits: is the KL term in the training loss, summed over the "
        "latent dims, with logvar = log σ²?")


# ======================================================================================
# library: GAN
# ======================================================================================
G_LAYOUT = ("self.net = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, "
            "hidden), nn.ReLU(), nn.Linear(hidden, data_dim))")
D_LAYOUT = ("self.net = nn.Sequential(nn.Linear(data_dim, hidden), nn.LeakyReLU(0.2), "
            "nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))")


def _gan_pair(learner, reference, seed, hidden=8, latent=2):
    torch.manual_seed(seed)
    G_ref = reference.generative_torch.Generator(latent=latent, hidden=hidden, data_dim=2)
    D_ref = reference.generative_torch.Discriminator(data_dim=2, hidden=hidden)
    G = _learner_with_weights(learner, lambda: learner.generative_torch.Generator(
        latent=latent, hidden=hidden, data_dim=2), G_ref, "Generator", G_LAYOUT)
    D = _learner_with_weights(learner, lambda: learner.generative_torch.Discriminator(
        data_dim=2, hidden=hidden), D_ref, "Discriminator", D_LAYOUT)
    return G, D, G_ref, D_ref


@pytest.mark.points(1)
def test_gan_modules_forward(learner, reference):
    """Generator and Discriminator equal the same layers; D returns one logit per sample"""
    G, D, G_ref, D_ref = _gan_pair(learner, reference, seed=15, latent=3)
    rng = np.random.default_rng(16)
    z = torch.from_numpy(rng.standard_normal((6, 3)).astype(np.float32))
    x = torch.from_numpy((2.0 * rng.standard_normal((6, 2))).astype(np.float32))
    with torch.no_grad():
        g_exp, d_exp = G_ref(z), D_ref(x)
    assert_close(G(z), g_exp, name="Generator(z), z (6, 3) -> (6, 2)", **F32,
                 hint="forward(z) = self.net(z): no activation after the last layer (the "
                      "points live anywhere in the plane)")
    got = D(x)
    hint = "forward(x) = self.net(x).squeeze(-1): one LOGIT per sample, shape (N,)"
    g = _np(got)
    if g.shape == (6, 1):
        hint = "D returns shape (N, 1): squeeze the last axis so the logits are (N,)"
    elif _matches(g.reshape(-1), torch.sigmoid(d_exp), **F32):
        hint = ("D returns probabilities (a sigmoid at the end): return LOGITS and compute "
                "the losses with binary_cross_entropy_with_logits (stable; sigmoid + BCELoss "
                "saturates and clamps)")
    assert_close(got, d_exp, name="Discriminator(x), x (6, 2) -> logits (6,)", **F32,
                 hint=hint)


@pytest.mark.points(1)
def test_gan_losses_torch(learner):
    """d_loss and g_loss equal binary_cross_entropy_with_logits, also at |logit| = 1000"""
    for seed, big in [(17, False), (18, True)]:
        real, fake = _gan_logits(seed, big=big)
        where = "(torch, 7 real and 5 fake logits" + (", some ±1000)" if big else ")")
        d = learner.generative_torch.d_loss(_t(real), _t(fake))
        g = learner.generative_torch.g_loss(_t(fake))
        for name, v in [("d_loss", d), ("g_loss", g)]:
            assert isinstance(v, torch.Tensor), (
                f"{name} should return a 0-d tensor, got {_describe(v)}: return the tensor "
                "(the training steps call backward on it), not .item()")
        _check_gan_losses(_scalar(d, "d_loss(real, fake)"), _scalar(g, "g_loss(fake)"), None,
                          real, fake, where)


def _sgd(model, lr):
    import torch

    return torch.optim.SGD(model.parameters(), lr=lr)


def _set_grads(model, grads):
    import torch

    for name, p in model.named_parameters():
        g = grads.get(name)
        p.grad = None if g is None else torch.as_tensor(g, dtype=p.dtype).clone()


def _snapshot(model):
    return {"params": {n: p.detach().numpy().copy() for n, p in model.named_parameters()},
            "grads": {n: (None if p.grad is None else p.grad.detach().numpy().copy())
                      for n, p in model.named_parameters()}}


def _stale(module, seed, scale=0.5):
    rng = np.random.default_rng(seed)
    return {n: (scale * rng.standard_normal(tuple(p.shape))).astype(np.float32)
            for n, p in module.named_parameters()}


def _copy_module(ref, sd):
    import copy

    m = copy.deepcopy(ref)
    m.load_state_dict({k: torch.as_tensor(v) for k, v in sd.items()})
    return m


def _ref_step(kind, G_ref, D_ref, sd_G, sd_D, stale_G, stale_D, real, z, lr, variant="ok"):
    """One SGD step done right (variant 'ok') or with a known mistake; returns new params."""
    G, D = _copy_module(G_ref, sd_G), _copy_module(D_ref, sd_D)
    for module, stale in ((G, stale_G), (D, stale_D)):
        for n, p in module.named_parameters():
            p.grad = torch.as_tensor(stale[n]).clone() if stale is not None else None
    player = D if kind == "D" else G
    if variant != "stale":
        player.zero_grad()
    bce = F.binary_cross_entropy_with_logits
    if kind == "D":
        r, f = D(real), D(G(z).detach())
        one_r, zero_f = torch.ones_like(r), torch.zeros_like(f)
        loss = {"ok": bce(r, one_r) + bce(f, zero_f),
                "stale": bce(r, one_r) + bce(f, zero_f),
                "swapped": bce(r, 1 - one_r) + bce(f, 1 - zero_f),
                "half": 0.5 * (bce(r, one_r) + bce(f, zero_f))}[variant]
    else:
        f = D(G(z))
        loss = {"ok": bce(f, torch.ones_like(f)),
                "stale": bce(f, torch.ones_like(f)),
                "minimax": -bce(f, torch.zeros_like(f)),
                "labels0": bce(f, torch.zeros_like(f))}[variant]
    loss.backward()
    _sgd_update(list(player.parameters()), lr)
    return {n: p.detach().numpy().copy() for n, p in player.named_parameters()}


def _params_match(got, expected, atol=1e-6, rtol=1e-5):
    return all(_matches(got[n], expected[n], rtol=rtol, atol=atol) for n in expected)


def _assert_params(got, expected, label, hint):
    for n in expected:
        assert_close(got[n], expected[n], name=f"{label} {n} after the step", **F32, hint=hint)


@pytest.mark.points(2)
def test_discriminator_step(learner, reference):
    """discriminator_step: one SGD step of D equals the reference; D's loss falls; G untouched"""
    G, D, G_ref, D_ref = _gan_pair(learner, reference, seed=19)
    sd_G, sd_D = _sd_numpy(G_ref), _sd_numpy(D_ref)
    rng = np.random.default_rng(20)
    real = torch.from_numpy(_ring(16, seed=21))
    z = torch.from_numpy(rng.standard_normal((16, 2)).astype(np.float32))
    lr = 0.05
    zeros_G = {n: np.zeros(v.shape, np.float32) for n, v in sd_G.items()}
    stale_D = _stale(D_ref, 22)          # what the last generator step left in D's .grad
    learner.probe(_set_grads, G, zeros_G)
    learner.probe(_set_grads, D, stale_D)
    opt_D = learner.probe(_sgd, D, lr)
    loss = _scalar(learner.generative_torch.discriminator_step(G, D, opt_D, real, z),
                   "discriminator_step(G, D, opt_D, real, z)")
    after_G, after_D = learner.probe(_snapshot, G), learner.probe(_snapshot, D)

    with torch.no_grad():
        fake = G_ref(z)
        r0, f0 = D_ref(real), D_ref(fake)
    bce = F.binary_cross_entropy_with_logits
    loss_before = float(bce(r0, torch.ones_like(r0)) + bce(f0, torch.zeros_like(f0)))
    for n, v in sd_G.items():
        assert_close(after_G["params"][n], v, name=f"generator weight {n} after the "
                     "discriminator step", rtol=0, atol=0,
                     hint="the discriminator step updates D only (opt_D)")
    touched = [n for n, g in after_G["grads"].items() if g is not None and np.any(g != 0)]
    assert not touched, (
        f"after discriminator_step the generator's parameters {touched} hold gradients: the "
        "discriminator's loss was backpropagated into G. Detach the fakes, "
        "D(G(z).detach()) (or make them under torch.no_grad()): the discriminator step must "
        "not compute gradients for the generator")

    expected = _ref_step("D", G_ref, D_ref, sd_G, sd_D, zeros_G, stale_D, real, z, lr)
    got = after_D["params"]
    hint = "opt_D.zero_grad(); loss = d_loss(D(real), D(G(z).detach())); loss.backward(); " \
           "opt_D.step()"
    if _params_match(got, sd_D, atol=0, rtol=0):
        hint = "D did not change: call loss.backward() and opt_D.step()"
    else:
        for variant, h in [
                ("stale", "the update included the gradients already in D's .grad before the "
                          "step (left there by the generator's backward pass, which runs "
                          "through D): call opt_D.zero_grad() at the START of the step"),
                ("swapped", "the labels are swapped: real samples are labelled 1, fakes 0"),
                ("half", "the step is half as large: the loss is the SUM of the two means, "
                         "not their average")]:
            if _params_match(got, _ref_step("D", G_ref, D_ref, sd_G, sd_D, zeros_G, stale_D,
                                            real, z, lr, variant)):
                hint = h
                break
    D_new = _copy_module(D_ref, got)
    with torch.no_grad():
        r1, f1 = D_new(real), D_new(fake)
    loss_after = float(bce(r1, torch.ones_like(r1)) + bce(f1, torch.zeros_like(f1)))
    assert loss_after < loss_before, (
        f"the discriminator's loss on this batch rose on its own step ({loss_before:.5g} → "
        f"{loss_after:.5g}, SGD lr {lr}): the D step must descend mean BCE(D(real), 1) + "
        f"mean BCE(D(fake), 0).\n  hint: {hint}")
    _assert_params(got, expected, "discriminator weight", hint)
    # the returned value last: a wrong loss usually shows first as a wrong step (above)
    loss_hint = ("return d_loss(D(real), D(G(z))) computed in this step, before the update, "
                 "as a float (loss.item())")
    if np.isclose(loss, 0.5 * loss_before, rtol=1e-5):
        loss_hint = ("this is half the expected loss, the AVERAGE of the two terms: the "
                     "discriminator loss is their SUM, mean BCE(real, 1) + mean BCE(fake, 0)")
    elif np.isclose(loss, loss_after, rtol=1e-5):
        loss_hint = ("this is the loss AFTER the update: return the loss computed in the step, "
                     "before opt_D.step()")
    assert_close(loss, loss_before, name="the loss returned by discriminator_step", **F32,
                 hint=loss_hint)


@pytest.mark.points(2)
def test_generator_step(learner, reference):
    """generator_step: one SGD step of G equals the reference and raises D's score on fakes"""
    G, D, G_ref, D_ref = _gan_pair(learner, reference, seed=23)
    sd_G, sd_D = _sd_numpy(G_ref), _sd_numpy(D_ref)
    rng = np.random.default_rng(24)
    z = torch.from_numpy(rng.standard_normal((16, 2)).astype(np.float32))
    lr = 0.05
    stale_G = _stale(G_ref, 25)          # left over from an earlier generator step
    zeros_D = {n: np.zeros(v.shape, np.float32) for n, v in sd_D.items()}
    learner.probe(_set_grads, G, stale_G)
    learner.probe(_set_grads, D, zeros_D)
    opt_G = learner.probe(_sgd, G, lr)
    loss = _scalar(learner.generative_torch.generator_step(G, D, opt_G, z),
                   "generator_step(G, D, opt_G, z)")
    after_G, after_D = learner.probe(_snapshot, G), learner.probe(_snapshot, D)

    with torch.no_grad():
        score_before = D_ref(G_ref(z))
    loss_before = float(F.binary_cross_entropy_with_logits(score_before,
                                                           torch.ones_like(score_before)))
    for n, v in sd_D.items():
        assert_close(after_D["params"][n], v, name=f"discriminator weight {n} after the "
                     "generator step", rtol=0, atol=0,
                     hint="the generator step updates G only (opt_G)")

    got = after_G["params"]
    assert not _params_match(got, sd_G, atol=0, rtol=0), (
        "G's weights did not change in generator_step: the loss must reach G through D(G(z)) "
        "(no .detach() and no torch.no_grad() here), then loss.backward() and opt_G.step()")
    expected = _ref_step("G", G_ref, D_ref, sd_G, sd_D, stale_G, zeros_D, None, z, lr)
    hint = "opt_G.zero_grad(); loss = g_loss(D(G(z))); loss.backward(); opt_G.step()"
    for variant, h in [
            ("stale", "the update included gradients already in G's .grad before the step: "
                      "call opt_G.zero_grad() at the START of the step"),
            ("minimax", "G follows the minimax objective log(1 − D(G(z))): train it with the "
                        "non-saturating −log D(G(z)) = BCE(D(G(z)), 1), whose gradient does "
                        "not vanish when D rejects the fakes"),
            ("labels0", "G was trained with the discriminator's label for fakes (0): the "
                        "generator wants D to call its samples REAL, target 1")]:
        if _params_match(got, _ref_step("G", G_ref, D_ref, sd_G, sd_D, stale_G, zeros_D,
                                        None, z, lr, variant)):
            hint = h
            break
    G_new = _copy_module(G_ref, got)
    with torch.no_grad():
        score_after = D_ref(G_new(z))
    s0, s1 = float(score_before.mean()), float(score_after.mean())
    assert s1 > s0, (
        f"the generator step did not raise D's score on the fakes: mean logit D(G(z)) went "
        f"{s0:.5g} → {s1:.5g} on the same z (SGD lr {lr}). The generator's job is to make D "
        f"call its samples real.\n  hint: {hint}")
    _assert_params(got, expected, "generator weight", hint)
    # the returned value last: a wrong loss usually shows first as a wrong step (above)
    fake_0 = float(F.binary_cross_entropy_with_logits(score_before,
                                                      torch.zeros_like(score_before)))
    hint = "return g_loss(D(G(z))) computed in this step (before the update), as a float"
    if np.isclose(loss, -fake_0, rtol=1e-5):
        hint = ("this is the minimax objective mean log(1 − D(G(z))): the generator is trained "
                "with the NON-SATURATING loss −log D(G(z)) = mean BCE(D(G(z)), 1)")
    elif np.isclose(loss, fake_0, rtol=1e-5):
        hint = ("this is mean BCE(D(G(z)), 0), the discriminator's label for fakes: the "
                "generator wants its samples called REAL, target 1")
    assert_close(loss, loss_before, name="the loss returned by generator_step", **F32,
                 hint=hint)


@pytest.mark.points(1)
def test_gan_training_deterministic(learner):
    """train_gan is deterministic for a seed, and the seed matters"""
    X = _ring(500, seed=26)
    z = torch.from_numpy(np.random.default_rng(27).standard_normal((50, 2)).astype(np.float32))
    runs = []
    for seed in (3, 3, 4):
        res = _tuple_of(learner.generative_torch.train_gan(X, steps=20, batch_size=32,
                                                           seed=seed), 4, "train_gan")
        G, _, d_losses, g_losses = res
        runs.append((np.asarray(d_losses, np.float64), np.asarray(g_losses, np.float64),
                     _np(G(z))))
    assert_same(runs[0][0].shape, (20,), name="shape of d_losses (steps=20)",
                hint="one float per step")
    assert_same(runs[0][1].shape, (20,), name="shape of g_losses (steps=20)",
                hint="one float per step")
    hint = ("call torch.manual_seed(seed) first in train_gan, then build G, then D; draw the "
            "real batches (torch.randint) and z (torch.randn) from torch's seeded generator")
    assert_close(runs[1][0], runs[0][0], name="d_losses of two runs with seed=3", rtol=0,
                 atol=0, hint=hint)
    assert_close(runs[1][1], runs[0][1], name="g_losses of two runs with seed=3", rtol=0,
                 atol=0, hint=hint)
    assert_close(runs[1][2], runs[0][2], name="G(z) of two generators trained with seed=3",
                 rtol=0, atol=0, hint=hint)
    assert not np.array_equal(runs[2][2], runs[0][2]), (
        "seed=3 and seed=4 gave identical generators: the seed argument is not used")


@pytest.mark.points(2)
def test_gan_learns_ring(learner):
    """A GAN trained 500 steps on a ring of points generates points on the ring"""
    X = _ring(1000, seed=0)
    with learner.time_limit(60):
        G, _, d_losses, g_losses = _tuple_of(learner.generative_torch.train_gan(
            X, steps=500, batch_size=64, latent=2, hidden=32, lr=2e-3, seed=0), 4, "train_gan")
    d_losses, g_losses = np.asarray(d_losses, np.float64), np.asarray(g_losses, np.float64)
    assert np.all(np.isfinite(d_losses)) and np.all(np.isfinite(g_losses)), (
        "the GAN losses became NaN or Inf: use binary_cross_entropy_with_logits on logits")
    z = torch.from_numpy(np.random.default_rng(28).standard_normal((600, 2)).astype(np.float32))
    fake = _np(G(z)).astype(np.float64)
    assert_same(fake.shape, (600, 2), name="shape of G(z) for z (600, 2)")
    assert np.all(np.isfinite(fake)), "the generator outputs NaN or Inf"
    real = _ring(600, seed=29)
    mmd = _mmd(fake, real)
    radius = np.linalg.norm(fake, axis=1)
    assert mmd <= 0.15, (
        f"the generated points are far from the ring: MMD² to held-out ring points = "
        f"{mmd:.3g} (must be ≤ 0.15; an untrained generator ≈ 0.9, the reference ≈ 0.02); "
        f"their distance to the origin is {radius.mean():.2f} ± {radius.std():.2f} (the ring: "
        f"2.00 ± 0.10). Check the generator's target (1: 'real'), the labels of the "
        "discriminator step (real 1, fake 0), zero_grad in both steps and Adam(lr, "
        "betas=(0.5, 0.999))")
