"""2-D convolution by im2col, max-pooling by loops (a learner's alternative)."""
import math

import numpy as np


def conv_output_size(size, kernel, stride=1, padding=0):
    return int(math.floor((size + 2 * padding - kernel) / stride)) + 1


def pad2d(x, padding):
    n, c, h, w = x.shape
    out = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=np.float64)
    out[:, :, padding:padding + h, padding:padding + w] = x
    return out


def im2col(xpad, kh, kw, stride, ho, wo):
    """Rows: (n, i, j) output positions; columns: (c, di, dj) window entries."""
    n, c = xpad.shape[:2]
    cols = np.empty((n, ho, wo, c, kh, kw))
    for i in range(ho):
        for j in range(wo):
            cols[:, i, j] = xpad[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
    return cols.reshape(n * ho * wo, c * kh * kw)


def conv2d_forward(x, w, b=None, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho = conv_output_size(h, kh, stride, padding)
    wo = conv_output_size(wd, kw, stride, padding)
    cols = im2col(pad2d(x, padding), kh, kw, stride, ho, wo)      # (n*ho*wo, c*kh*kw)
    out = cols @ w.reshape(f, -1).T                                # (n*ho*wo, f)
    if b is not None:
        out = out + b
    return out.reshape(n, ho, wo, f).transpose(0, 3, 1, 2).copy()


def max_pool2d(x, kernel_size, stride=None):
    if stride is None:
        stride = kernel_size
    n, c, h, w = x.shape
    ho = (h - kernel_size) // stride + 1
    wo = (w - kernel_size) // stride + 1
    out = np.empty((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            win = x[:, :, i * stride:i * stride + kernel_size, j * stride:j * stride + kernel_size]
            out[:, :, i, j] = win.max(axis=(2, 3))
    return out


def feature_map_grid(maps, ncols=8, pad=1):
    c, h, w = maps.shape
    cols = min(c, ncols)
    rows = math.ceil(c / ncols)
    grid = np.full((rows * h + (rows - 1) * pad, cols * w + (cols - 1) * pad), 1.0)
    for k in range(c):
        m = maps[k]
        lo, hi = m.min(), m.max()
        scaled = np.zeros_like(m) if hi == lo else (m - lo) / (hi - lo)
        r, q = k // ncols, k % ncols
        grid[r * (h + pad):r * (h + pad) + h, q * (w + pad):q * (w + pad) + w] = scaled
    return grid


def show_feature_maps(maps, ncols=8, title=None):
    import matplotlib.pyplot as plt

    grid = feature_map_grid(maps, ncols=ncols)
    fig, ax = plt.subplots(figsize=(min(12, 1.5 * min(len(maps), ncols)), 3))
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig
