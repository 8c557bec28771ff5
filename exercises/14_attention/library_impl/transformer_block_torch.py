"""Attention and a Transformer block with PyTorch.

Masks follow the course convention: boolean, True = may attend. Sequences are batch-first,
(N, L, E). See README.md.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def sdpa_torch(Q, K, V, mask=None):
    """F.scaled_dot_product_attention on tensors, with a course mask (True = may attend).

    Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v); mask None or bool (..., Lq, Lk).
    Returns a tensor (..., Lq, d_v).
    """
    raise NotImplementedError("sdpa_torch: see README.md")


def make_mha(params, num_heads):
    """An nn.MultiheadAttention holding the given weights.

    params: dict of tensors "W_q", "W_k", "W_v", "W_o" (E, E) and "b_q", "b_k", "b_v",
    "b_o" (E,). batch_first=True, dropout 0, in the dtype of the weights; the weights are
    copied in (in_proj_weight packs [W_q; W_k; W_v]). Returns the module.
    """
    raise NotImplementedError("make_mha: see README.md")


def mha_forward(mha, query, key, value, mask=None):
    """Run the nn.MultiheadAttention `mha` with a course mask (True = may attend).

    query (N, Lq, E), key and value (N, Lk, E); mask None or bool (Lq, Lk).
    Returns (out (N, Lq, E), weights (N, Lq, Lk)), weights averaged over the heads, without
    gradient tracking.
    """
    raise NotImplementedError("mha_forward: see README.md")


class TransformerBlock(nn.Module):
    """A Transformer encoder block: self-attention + feed-forward, each with a residual
    connection and LayerNorm, pre-norm (norm_first=True) or post-norm (norm_first=False).

    __init__(d_model, num_heads, d_ff, dropout=0.0, norm_first=True):
        self.self_attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout,
                                               batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff);  self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model);       self.norm2 = nn.LayerNorm(d_model)
        dropout p after the attention, inside and after the feed-forward.
    forward(x, mask=None): x (N, L, d_model) float; mask None or bool (L, L), True = may
        attend. Returns (N, L, d_model).
    """

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, norm_first=True):
        super().__init__()
        raise NotImplementedError("TransformerBlock.__init__: see README.md")

    def forward(self, x, mask=None):
        raise NotImplementedError("TransformerBlock.forward: see README.md")
