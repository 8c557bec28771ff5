"""2-D convolution and max-pooling by hand, NumPy only (reference solution).

Conventions (the same as torch.nn.Conv2d / nn.MaxPool2d):
- images are (N, C, H, W); a conv weight is (F, C, kH, kW) = (out, in, kH, kW); bias is (F,).
- "convolution" is cross-correlation: the kernel is NOT flipped.
- padding adds `padding` zeros on all four sides; stride is the step in both directions.
- output size = floor((size + 2*padding - kernel) / stride) + 1 (windows that would run past
  the edge are dropped).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Number of output positions along one axis: floor((size + 2p - k) / s) + 1."""
    return -(-(size + 2 * padding - kernel) // stride) + 1     # ceil division


def pad2d(x: np.ndarray, padding: int) -> np.ndarray:
    """Zero-pad the two spatial axes of (N, C, H, W) by `padding` on every side."""
    x = np.asarray(x, dtype=np.float64)
    p = int(padding)
    return np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant", constant_values=0.0)


def _windows(x: np.ndarray, kh: int, kw: int, stride: int, ho: int, wo: int) -> np.ndarray:
    """View of all (kh, kw) windows of (N, C, H, W), taken every `stride`: (N, C, ho, wo, kh, kw)."""
    win = sliding_window_view(x, (kh, kw), axis=(2, 3))
    return win[:, :, ::stride, ::stride][:, :, :ho, :wo]


def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None,
                   stride: int = 1, padding: int = 0) -> np.ndarray:
    """Cross-correlate x (N, C, H, W) with w (F, C, kH, kW), add b (F,): (N, F, Ho, Wo) float64."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    n, c, h, wd = x.shape
    f, cw, kh, kw = w.shape
    if c != cw:
        raise ValueError(f"x has {c} channels but w expects {cw} (w is (out, in, kH, kW))")
    ho = conv_output_size(h, kh, stride, padding)
    wo = conv_output_size(wd, kw, stride, padding)
    win = _windows(pad2d(x, padding), kh, kw, stride, ho, wo)
    out = np.einsum("nchwij,fcij->nfhw", win, w, optimize=True)
    if b is not None:
        out = out + np.asarray(b, dtype=np.float64)[None, :, None, None]
    return np.ascontiguousarray(out)


def max_pool2d(x: np.ndarray, kernel_size: int, stride: int | None = None) -> np.ndarray:
    """Max over (kernel_size x kernel_size) windows of each channel; stride defaults to kernel_size."""
    x = np.asarray(x, dtype=np.float64)
    k = int(kernel_size)
    s = k if stride is None else int(stride)
    _, _, h, wd = x.shape
    ho = conv_output_size(h, k, s)
    wo = conv_output_size(wd, k, s)
    return np.ascontiguousarray(_windows(x, k, k, s, ho, wo).max(axis=(-2, -1)))


def feature_map_grid(maps: np.ndarray, ncols: int = 8, pad: int = 1) -> np.ndarray:
    """Tile feature maps (C, H, W) into one 2-D image for display.

    Each map is min-max scaled to [0, 1] on its own ((m - min) / (max - min); a constant map
    becomes all zeros). Map i goes to row i // ncols, column i % ncols of a grid with
    cols = min(C, ncols) and rows = ceil(C / ncols), separated by `pad` pixels. Separators and
    empty cells are 1.0. Shape: (rows*H + (rows-1)*pad, cols*W + (cols-1)*pad).
    """
    maps = np.asarray(maps, dtype=np.float64)
    c, h, w = maps.shape
    cols = min(c, ncols)
    rows = -(-c // ncols)
    grid = np.ones((rows * h + (rows - 1) * pad, cols * w + (cols - 1) * pad))
    lo = maps.min(axis=(1, 2), keepdims=True)
    span = maps.max(axis=(1, 2), keepdims=True) - lo
    scaled = np.where(span > 0, (maps - lo) / np.where(span > 0, span, 1.0), 0.0)
    for i in range(c):
        r, q = divmod(i, ncols)
        top, left = r * (h + pad), q * (w + pad)
        grid[top:top + h, left:left + w] = scaled[i]
    return grid


def show_feature_maps(maps: np.ndarray, ncols: int = 8, title: str | None = None):
    """Given helper: draw feature_map_grid(maps) with matplotlib and return the Figure."""
    import matplotlib.pyplot as plt

    grid = feature_map_grid(maps, ncols=ncols)
    fig, ax = plt.subplots(figsize=(min(12, 1.5 * min(len(maps), ncols)), 3))
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig
