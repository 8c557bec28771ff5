"""Conv and pooling with torch modules (a learner's alternative: load_state_dict, .double())."""
import torch
from torch import nn


def make_conv2d(weight, bias=None, stride=1, padding=0):
    conv = nn.Conv2d(weight.shape[1], weight.shape[0], tuple(weight.shape[2:]), stride=stride,
                     padding=padding, bias=bias is not None).double()
    state = {"weight": weight.clone()}
    if bias is not None:
        state["bias"] = bias.clone()
    conv.load_state_dict(state)
    return conv


def make_maxpool2d(kernel_size, stride=None):
    return nn.MaxPool2d(kernel_size) if stride is None else nn.MaxPool2d(kernel_size, stride)


def conv_pool_forward(x, weight, bias=None, stride=1, padding=0, pool_kernel=2,
                      pool_stride=None):
    net = nn.Sequential(make_conv2d(weight, bias, stride, padding),
                        make_maxpool2d(pool_kernel, pool_stride))
    with torch.no_grad():
        return net(x)
