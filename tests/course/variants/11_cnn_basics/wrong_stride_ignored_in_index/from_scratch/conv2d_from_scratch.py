"""2-D convolution and max-pooling by hand, with loops (NumPy only)."""
import numpy as np


def conv_output_size(size, kernel, stride=1, padding=0):
    return (size + 2 * padding - kernel) // stride + 1


def pad2d(x, padding):
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def conv2d_forward(x, w, b=None, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    ho = conv_output_size(h, kh, stride, padding)
    wo = conv_output_size(wd, kw, stride, padding)
    xpad = pad2d(x, padding)
    out = np.zeros((n, f, ho, wo))
    for k in range(f):
        for i in range(ho):
            for j in range(wo):
                top, left = i, j
                for ch in range(c):
                    window = xpad[:, ch, top:top + kh, left:left + kw]
                    out[:, k, i, j] += np.sum(window * w[k, ch], axis=(1, 2))
                if b is not None:
                    out[:, k, i, j] += b[k]
    return out


def max_pool2d(x, kernel_size, stride=None):
    if stride is None:
        stride = kernel_size
    n, c, h, w = x.shape
    ho = conv_output_size(h, kernel_size, stride)
    wo = conv_output_size(w, kernel_size, stride)
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            top, left = i * stride, j * stride
            window = x[:, :, top:top + kernel_size, left:left + kernel_size]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def feature_map_grid(maps, ncols=8, pad=1):
    c, h, w = maps.shape
    cols = min(c, ncols)
    rows = -(-c // ncols)
    grid = np.ones((rows * h + (rows - 1) * pad, cols * w + (cols - 1) * pad))
    for i in range(c):
        m = maps[i]
        span = m.max() - m.min()
        scaled = (m - m.min()) / span if span > 0 else np.zeros_like(m)
        r, q = divmod(i, ncols)
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
