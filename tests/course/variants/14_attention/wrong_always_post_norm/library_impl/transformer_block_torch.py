"""Attention and a Transformer block with PyTorch (reference solution).

Masks follow the course convention: boolean, True = may attend (as
``F.scaled_dot_product_attention``). ``nn.MultiheadAttention`` reads a boolean
``attn_mask`` the other way round (True = blocked), so it gets ``~mask``.
Sequences are batch-first, (N, L, E).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def sdpa_torch(Q, K, V, mask=None):
    """``F.scaled_dot_product_attention`` with a course mask (True = may attend).

    That is already torch's convention for this function: the mask goes in as it is.
    Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v) -> (..., Lq, d_v).
    """
    return F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)


def make_mha(params, num_heads):
    """An ``nn.MultiheadAttention`` holding the given weights.

    params: dict of tensors W_q, W_k, W_v, W_o (E, E) and b_q, b_k, b_v, b_o (E,).
    batch_first=True, dropout 0, in the dtype of the weights. The three input projections
    are packed, in the order q, k, v, into ``in_proj_weight`` (3E, E) and ``in_proj_bias``.
    """
    E = params["W_q"].shape[0]
    mha = nn.MultiheadAttention(E, num_heads, batch_first=True, dtype=params["W_q"].dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([params["W_q"], params["W_k"], params["W_v"]]))
        mha.in_proj_bias.copy_(torch.cat([params["b_q"], params["b_k"], params["b_v"]]))
        mha.out_proj.weight.copy_(params["W_o"])
        mha.out_proj.bias.copy_(params["b_o"])
    return mha.eval()


def mha_forward(mha, query, key, value, mask=None):
    """Run ``mha`` on batch-first inputs with a course mask (True = may attend).

    Returns (out (N, Lq, E), weights (N, Lq, Lk)): the attention weights averaged over the
    heads, which is what ``nn.MultiheadAttention`` returns by default.
    """
    attn_mask = None if mask is None else ~mask      # torch's MHA: True = blocked
    with torch.no_grad():
        out, weights = mha(query, key, value, attn_mask=attn_mask, need_weights=True)
    return out, weights


class TransformerBlock(nn.Module):
    """A Transformer encoder block: self-attention and a feed-forward net, each wrapped in a
    residual connection with LayerNorm, before (pre-norm) or after (post-norm) the sublayer.

    The submodules carry the names of ``nn.TransformerEncoderLayer``'s, so both have the
    same ``state_dict`` keys.
    """

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, norm_first=True):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout,
                                               batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.norm_first = norm_first

    def _attention(self, x, mask):
        attn_mask = None if mask is None else ~mask  # course mask -> MHA's (True = blocked)
        out, _ = self.self_attn(x, x, x, attn_mask=attn_mask, need_weights=False)
        return self.dropout(out)

    def _feed_forward(self, x):
        return self.dropout(self.linear2(self.dropout(F.relu(self.linear1(x)))))

    def forward(self, x, mask=None):
        """x (N, L, d_model); mask (L, L) boolean, True = may attend. -> (N, L, d_model)."""
        x = self.norm1(x + self._attention(x, mask))
        x = self.norm2(x + self._feed_forward(x))
        return x
