# %% [markdown]
# # 14 · Attention: your code next to PyTorch
# Attention maps from your NumPy attention next to torch's, without and with a causal mask;
# your multi-head attention next to `nn.MultiheadAttention` head by head; what the 1/√d_k
# does to the softmax; and your Transformer block next to `nn.TransformerEncoderLayer`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

L, D = 12, 16
rng = np.random.default_rng(0)
# Tokens that know their position (sinusoidal features) plus a little noise: queries and keys
# built from them attend mostly to nearby positions, which makes readable maps.
pos = np.arange(L)[:, None] / 10000 ** (np.arange(0, D, 2)[None, :] / D)
P = np.concatenate([np.sin(pos), np.cos(pos)], axis=1)                  # (L, D)
X = 2.0 * P + 0.3 * rng.standard_normal((L, D))
Q, K, V = X @ rng.standard_normal((D, D)) * 0.3 + X, X, rng.standard_normal((L, 4))
causal = np.tril(np.ones((L, L), dtype=bool))                            # True = may attend

# %% [markdown]
# ## Attention maps: yours and torch's, without and with a causal mask

# %%
maps, errors = {}, {}
for label, mask in (("no mask", None), ("causal mask", causal)):
    out, w = learner.attention_numpy.scaled_dot_product_attention(Q, K, V, mask=mask)
    Qt, Kt, Vt = (torch.from_numpy(a) for a in (Q, K, V))
    m = None if mask is None else torch.from_numpy(mask)
    with torch.no_grad():
        out_t = F.scaled_dot_product_attention(Qt, Kt, Vt, attn_mask=m).numpy()
        s = Qt @ Kt.T / np.sqrt(D)
        w_t = torch.softmax(s if m is None else s.masked_fill(~m, float("-inf")), dim=-1).numpy()
    maps[label] = (np.asarray(w), w_t)
    errors[label] = [np.max(np.abs(np.asarray(out) - out_t)), np.max(np.abs(np.asarray(w) - w_t)),
                     np.max(np.abs(np.asarray(w).sum(axis=-1) - 1))]

fig, axes = plt.subplots(2, 2, figsize=(8, 7), constrained_layout=True)
for row, (label, (mine, theirs)) in enumerate(maps.items()):
    for col, (who, W) in enumerate((("yours", mine), ("torch", theirs))):
        ax = axes[row, col]
        im = ax.imshow(W, cmap="viridis", vmin=0, vmax=1)
        ax.set(title=f"{who}, {label}", xlabel="key j", xticks=range(0, L, 2),
               yticks=range(0, L, 2))
        if col == 0:
            ax.set_ylabel("query i")
fig.colorbar(im, ax=axes, shrink=0.6, label="attention weight")
save(fig, "attention_maps")

side_by_side("scaled_dot_product_attention vs torch", {
    label: vals for label, vals in errors.items()
}, index=["max |out − F.sdpa|", "max |weights − torch|", "max |row sum − 1|"])

# %% [markdown]
# ## Multi-head attention, head by head, next to `nn.MultiheadAttention`
# `nn.MultiheadAttention` returns the head average by default; `average_attn_weights=False`
# gives each head. Same weights on both sides (in_proj_weight = [W_q; W_k; W_v]).

# %%
E, H = D, 4
params = {k: 0.5 * rng.standard_normal((E, E)) for k in ("W_q", "W_k", "W_v", "W_o")}
params.update({k: 0.1 * rng.standard_normal(E) for k in ("b_q", "b_k", "b_v", "b_o")})
x = X[None]                                                              # (1, L, E)
out_h, w_heads = learner.attention_numpy.multi_head_attention(
    x, x, x, params, H, mask=causal, average_weights=False)
w_heads = np.asarray(w_heads)

mha = nn.MultiheadAttention(E, H, batch_first=True, dtype=torch.float64)
with torch.no_grad():
    mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate([params["W_q"], params["W_k"], params["W_v"]])))
    mha.in_proj_bias.copy_(torch.from_numpy(np.concatenate([params["b_q"], params["b_k"], params["b_v"]])))
    mha.out_proj.weight.copy_(torch.from_numpy(params["W_o"]))
    mha.out_proj.bias.copy_(torch.from_numpy(params["b_o"]))
    xt = torch.from_numpy(x)
    out_t, w_t = mha(xt, xt, xt, attn_mask=~torch.from_numpy(causal), average_attn_weights=False)

fig, axes = plt.subplots(2, H + 1, figsize=(13, 5.5))
for col in range(H + 1):
    for row, W in enumerate((w_heads[0], w_t[0].numpy())):
        img = W[col] if col < H else W.mean(axis=0)
        axes[row, col].imshow(img, cmap="viridis", vmin=0, vmax=1)
        axes[row, col].set_title(f"{'yours' if row == 0 else 'nn.MHA'}: "
                                 f"{'head ' + str(col) if col < H else 'average'}", fontsize=9)
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
fig.suptitle("Causal multi-head attention, 4 heads (top: yours, bottom: nn.MultiheadAttention)")
save(fig, "heads")

side_by_side("multi_head_attention vs nn.MultiheadAttention (causal, 4 heads)", {
    "max |yours − torch|": [np.max(np.abs(np.asarray(out_h) - out_t.numpy())),
                            np.max(np.abs(w_heads - w_t.numpy()))],
}, index=["output", "per-head weights"])

# %% [markdown]
# ## Why 1/√d_k: the largest weight of a softmax over 16 keys as d_k grows
# q·k of random vectors has variance d_k: unscaled, the softmax saturates to one-hot
# (and its gradient vanishes); scaled, it keeps the same spread at every size.

# %%
dims = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
peak = {"scaled by 1/√d_k": [], "unscaled": []}
for d in dims:
    q = rng.standard_normal((200, 1, d))
    k = rng.standard_normal((200, 16, d))
    s = (q @ k.transpose(0, 2, 1))[:, 0]                                 # (200, 16)
    peak["scaled by 1/√d_k"].append(np.mean(np.max(learner.attention_numpy.softmax(s / np.sqrt(d)), axis=-1)))
    peak["unscaled"].append(np.mean(np.max(learner.attention_numpy.softmax(s), axis=-1)))
fig, ax = plt.subplots(figsize=(6, 3.5))
for label, values in peak.items():
    ax.plot(dims, values, "o-", label=label)
ax.axhline(1 / 16, color="k", ls=":", label="uniform (1/16)")
ax.set(xscale="log", xlabel="d_k", ylabel="mean of the largest weight", ylim=(0, 1.05),
       title="Softmax saturation without the 1/√d_k")
ax.legend()
save(fig, "scaling")

# %% [markdown]
# ## Your Transformer block next to `nn.TransformerEncoderLayer`
# Same weights, dropout 0.1 in eval mode, pre-norm and post-norm, with the causal mask.

# %%
xb = torch.from_numpy(rng.standard_normal((2, L, E)))
rows = []
for norm_first in (True, False):
    torch.manual_seed(1)
    layer = nn.TransformerEncoderLayer(E, H, 32, dropout=0.1, batch_first=True,
                                       norm_first=norm_first, dtype=torch.float64).eval()
    block = learner.transformer_block_torch.TransformerBlock(E, H, 32, dropout=0.1,
                                                             norm_first=norm_first)
    block = block.double()
    block.load_state_dict(layer.state_dict())
    block = block.eval()
    with torch.no_grad():
        ref = layer(xb, src_mask=~torch.from_numpy(causal)).numpy()
    mine = block(xb, torch.from_numpy(causal))
    mine = mine.detach().numpy() if hasattr(mine, "detach") else np.asarray(mine)
    rows.append(np.max(np.abs(mine - ref)))
side_by_side("TransformerBlock vs nn.TransformerEncoderLayer (causal, eval)", {
    "max |yours − torch|": rows,
}, index=["pre-norm (norm_first=True)", "post-norm (norm_first=False)"])
