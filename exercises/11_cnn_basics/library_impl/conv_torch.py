"""Convolution and pooling with PyTorch modules (see README.md)."""
from __future__ import annotations

import torch
from torch import nn


def make_conv2d(weight: torch.Tensor, bias: torch.Tensor | None = None,
                stride: int = 1, padding: int = 0) -> nn.Conv2d:
    """An nn.Conv2d holding copies of the given parameters.

    weight: (out, in, kH, kW) tensor (float64 in the checks); bias: (out,) or None.
    The layer gets in_channels=in, out_channels=out, kernel_size=(kH, kW), the given stride
    and padding, the weight's dtype, and no bias at all when bias is None.
    """
    raise NotImplementedError("make_conv2d: see README.md")


def make_maxpool2d(kernel_size: int, stride: int | None = None) -> nn.MaxPool2d:
    """nn.MaxPool2d with a kernel_size x kernel_size window; stride None = kernel_size."""
    raise NotImplementedError("make_maxpool2d: see README.md")


def conv_pool_forward(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                      stride: int = 1, padding: int = 0, pool_kernel: int = 2,
                      pool_stride: int | None = None) -> torch.Tensor:
    """make_conv2d(weight, bias, stride, padding) then make_maxpool2d(pool_kernel, pool_stride).

    x: (N, C, H, W). No activation in between; computed under torch.no_grad().
    Returns the pooled tensor (N, out, Ho, Wo).
    """
    raise NotImplementedError("conv_pool_forward: see README.md")
