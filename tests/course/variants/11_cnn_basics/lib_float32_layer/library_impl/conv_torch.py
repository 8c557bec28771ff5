"""Convolution and pooling with PyTorch modules (reference solution)."""
from __future__ import annotations

import torch
from torch import nn


def make_conv2d(weight: torch.Tensor, bias: torch.Tensor | None = None,
                stride: int = 1, padding: int = 0) -> nn.Conv2d:
    """An nn.Conv2d shaped by `weight` (out, in, kH, kW), holding copies of weight and bias."""
    out_ch, in_ch, kh, kw = weight.shape
    conv = nn.Conv2d(in_ch, out_ch, kernel_size=(kh, kw), stride=stride, padding=padding,
                     bias=bias is not None)
    with torch.no_grad():
        conv.weight.copy_(weight)
        if bias is not None:
            conv.bias.copy_(bias)
    return conv


def make_maxpool2d(kernel_size: int, stride: int | None = None) -> nn.MaxPool2d:
    """nn.MaxPool2d with the given window; stride None means stride = kernel_size."""
    return nn.MaxPool2d(kernel_size=kernel_size, stride=stride)


def conv_pool_forward(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                      stride: int = 1, padding: int = 0, pool_kernel: int = 2,
                      pool_stride: int | None = None) -> torch.Tensor:
    """Conv2d (weights copied in) followed by MaxPool2d, without gradient tracking."""
    conv = make_conv2d(weight, bias, stride=stride, padding=padding)
    pool = make_maxpool2d(pool_kernel, pool_stride)
    with torch.no_grad():
        return pool(conv(x))
