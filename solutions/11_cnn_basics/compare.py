# %% [markdown]
# # 11 · Convolution and pooling: your code next to PyTorch
# Four hand-made 3×3 filters run over a handwritten digit (scikit-learn's 8×8 `digits`),
# with your NumPy `conv2d_forward`, your `nn.Conv2d` from `make_conv2d`, and
# `torch.nn.functional.conv2d`, all in float64 with the same weights.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

digits = load_digits()
index = 2                                               # a "2"
x = (digits.images[index] / 16.0).reshape(1, 1, 8, 8).astype(np.float64)
filters = {
    "vertical edges": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "horizontal edges": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "diagonal \\": [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]],
    "blur": [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
}
names = list(filters)
w = np.array([filters[n] for n in names], dtype=np.float64)[:, None]   # (4, 1, 3, 3)
w[3] /= 16.0                                           # the blur averages
b = np.zeros(len(names))

# %% [markdown]
# ## The same feature maps three ways
# `padding=1` keeps the 8×8 size for a 3×3 kernel, `stride=1`.

# %%
yours = np.asarray(learner.conv2d_from_scratch.conv2d_forward(x, w, b, 1, 1), dtype=np.float64)
conv = learner.conv_torch.make_conv2d(torch.from_numpy(w), torch.from_numpy(b), 1, 1)
your_module = conv(torch.from_numpy(x)).detach().numpy()
library = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
                   stride=1, padding=1).numpy()
side_by_side("max |difference| per filter, vs F.conv2d", {
    "your NumPy conv2d_forward": np.abs(yours - library).max(axis=(0, 2, 3)),
    "your nn.Conv2d (make_conv2d)": np.abs(your_module - library).max(axis=(0, 2, 3)),
}, index=names)

# %%
fig, axes = plt.subplots(3, len(names) + 1, figsize=(11, 6.6))
axes[0, 0].imshow(x[0, 0], cmap="gray_r")
axes[0, 0].set_title(f"input: digit {digits.target[index]}")
for r in (1, 2):
    axes[r, 0].set_axis_off()
diff = yours[0] - library[0]
span = max(float(np.abs(diff).max()), 1e-16)
for j, name in enumerate(names):
    lim = float(np.abs(library[0, j]).max())
    axes[0, j + 1].imshow(yours[0, j], cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[0, j + 1].set_title(f"yours: {name}", fontsize=9)
    axes[1, j + 1].imshow(library[0, j], cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[1, j + 1].set_title("F.conv2d", fontsize=9)
    im = axes[2, j + 1].imshow(diff[j], cmap="PuOr", vmin=-span, vmax=span)
    axes[2, j + 1].set_title(f"yours − torch\nmax {np.abs(diff[j]).max():.1e}", fontsize=9)
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
fig.colorbar(im, ax=axes[2, 1:].tolist(), shrink=0.8, label="difference")
fig.suptitle("Cross-correlation of a digit with four filters (red > 0, blue < 0)")
save(fig, "feature_maps")

# %% [markdown]
# ## What a flipped kernel would have done
# A "true" convolution flips the kernel. For the symmetric blur nothing changes; an edge
# filter changes sign, the diagonal one does not (it is symmetric under a 180° turn).

# %%
flipped = F.conv2d(torch.from_numpy(x), torch.from_numpy(w[:, :, ::-1, ::-1].copy()),
                   stride=1, padding=1).numpy()
side_by_side("max |cross-correlation − true convolution| per filter", {
    "F.conv2d vs flipped kernel": np.abs(library - flipped).max(axis=(0, 2, 3)),
}, index=names)

# %% [markdown]
# ## Max-pooling the maps, and your feature-map grid
# `max_pool2d(maps, 2)` halves each map (floor). Left: your pooled maps tiled with your
# `feature_map_grid` (each map scaled to [0, 1] on its own); right: `nn.MaxPool2d(2)`.

# %%
pooled = np.asarray(learner.conv2d_from_scratch.max_pool2d(yours, 2), dtype=np.float64)
pool = learner.conv_torch.make_maxpool2d(2)
torch_pooled = F.max_pool2d(torch.from_numpy(library), 2).numpy()
your_pool_module = pool(torch.from_numpy(library)).detach().numpy()
grid_yours = np.asarray(learner.conv2d_from_scratch.feature_map_grid(pooled[0], 4, 1))
grid_torch = np.asarray(learner.conv2d_from_scratch.feature_map_grid(torch_pooled[0], 4, 1))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 2.6))
ax1.imshow(grid_yours, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
ax1.set_title(f"your max_pool2d → {pooled.shape}")
ax2.imshow(grid_torch, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
ax2.set_title(f"F.max_pool2d → {torch_pooled.shape}")
for ax in (ax1, ax2):
    ax.set_axis_off()
save(fig, "pooled_maps")
side_by_side("max |difference| of the pooled maps, vs F.max_pool2d", {
    "your max_pool2d": np.abs(pooled - torch_pooled).max(axis=(0, 2, 3)),
    "your nn.MaxPool2d": np.abs(your_pool_module - torch_pooled).max(axis=(0, 2, 3)),
}, index=names)

# %% [markdown]
# ## The output-size formula
# `floor((size + 2·padding − kernel) / stride) + 1`, against the size `nn.Conv2d` produces.

# %%
cases = [(8, 3, 1, 1), (8, 3, 2, 1), (8, 5, 1, 0), (28, 5, 2, 2), (7, 2, 2, 0), (9, 3, 3, 0)]
size_yours, size_torch = [], []
for size, k, s, p in cases:
    size_yours.append(learner.conv2d_from_scratch.conv_output_size(size, k, s, p))
    size_torch.append(F.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k),
                               stride=s, padding=p).shape[-1])
side_by_side("output size", {"conv_output_size (yours)": size_yours, "nn.Conv2d": size_torch},
             index=[f"size {n}, kernel {k}, stride {s}, padding {p}" for n, k, s, p in cases])

# %%
fig, ax = plt.subplots(figsize=(6, 3.2))
sizes = np.arange(3, 29)
for k, s, p in ((3, 1, 1), (3, 2, 1), (5, 2, 0)):
    ax.step(sizes, [learner.conv2d_from_scratch.conv_output_size(int(n), k, s, p)
                    for n in sizes], where="mid", label=f"kernel {k}, stride {s}, padding {p}")
ax.set(xlabel="input size", ylabel="output size",
       title="your conv_output_size: the floor makes stairs")
ax.legend()
ax.grid(alpha=0.3)
save(fig, "output_size")
