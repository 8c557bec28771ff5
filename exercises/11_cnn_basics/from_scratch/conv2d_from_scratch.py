"""2-D convolution and max-pooling by hand, NumPy only.

Conventions (the same as torch.nn.Conv2d / nn.MaxPool2d; details in README.md):
- images are (N, C, H, W); a conv weight is (F, C, kH, kW) = (out, in, kH, kW); bias is (F,).
- "convolution" is cross-correlation: the kernel is NOT flipped.
- padding adds `padding` zeros on all four sides; stride is the step in both directions.
- output size = floor((size + 2*padding - kernel) / stride) + 1.
All arrays are float64.
"""
from __future__ import annotations

import numpy as np


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Number of output positions along one axis.

    Returns floor((size + 2*padding - kernel) / stride) + 1 as an int.
    """
    raise NotImplementedError("conv_output_size: see README.md")


def pad2d(x: np.ndarray, padding: int) -> np.ndarray:
    """Zero-pad the two spatial axes of x.

    x: (N, C, H, W) float64.
    Returns (N, C, H + 2*padding, W + 2*padding): `padding` zeros on top, bottom, left and
    right; N and C are not padded. padding=0 returns the values unchanged.
    """
    raise NotImplementedError("pad2d: see README.md")


def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None,
                   stride: int = 1, padding: int = 0) -> np.ndarray:
    """2-D cross-correlation with channels, stride, zero padding and bias.

    x: (N, C, H, W); w: (F, C, kH, kW) = (out, in, kH, kW); b: (F,) or None (no bias).
    Returns (N, F, Ho, Wo) float64 with Ho = conv_output_size(H, kH, stride, padding),
    Wo = conv_output_size(W, kW, stride, padding), and
        out[n, f, i, j] = b[f] + sum_{c, di, dj} xpad[n, c, i*stride + di, j*stride + dj]
                                                 * w[f, c, di, dj]
    (no kernel flip; summed over the input channels c).
    """
    raise NotImplementedError("conv2d_forward: see README.md")


def max_pool2d(x: np.ndarray, kernel_size: int, stride: int | None = None) -> np.ndarray:
    """Max-pooling over kernel_size x kernel_size windows of each channel, no padding.

    x: (N, C, H, W). stride=None means stride = kernel_size.
    Returns (N, C, Ho, Wo) float64, Ho = floor((H - kernel_size) / stride) + 1 (same for W).
    """
    raise NotImplementedError("max_pool2d: see README.md")


def feature_map_grid(maps: np.ndarray, ncols: int = 8, pad: int = 1) -> np.ndarray:
    """Tile feature maps (C, H, W) into one 2-D float64 image for display.

    - each map is min-max scaled on its own: (m - min) / (max - min); a constant map -> zeros;
    - cols = min(C, ncols), rows = ceil(C / ncols); map i at row i // ncols, column i % ncols;
    - maps are separated by `pad` pixels; separators and empty cells are 1.0;
    - shape (rows*H + (rows-1)*pad, cols*W + (cols-1)*pad).
    """
    raise NotImplementedError("feature_map_grid: see README.md")


def show_feature_maps(maps: np.ndarray, ncols: int = 8, title: str | None = None):
    """Given helper (complete): draw feature_map_grid(maps) with matplotlib, return the Figure."""
    import matplotlib.pyplot as plt

    grid = feature_map_grid(maps, ncols=ncols)
    fig, ax = plt.subplots(figsize=(min(12, 1.5 * min(len(maps), ncols)), 3))
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig
