"""Alternative correct solution: additive float masks, in_proj filled block by block,
functional dropout that follows self.training."""

import torch
import torch.nn.functional as F
from torch import nn


def _additive(mask, dtype):
    """Course mask (True = may attend) -> float mask: 0 where allowed, -inf where blocked."""
    if mask is None:
        return None
    return torch.zeros(mask.shape, dtype=dtype).masked_fill(mask.logical_not(), float("-inf"))


def sdpa_torch(Q, K, V, mask=None):
    return F.scaled_dot_product_attention(Q, K, V, attn_mask=_additive(mask, Q.dtype))


def make_mha(params, num_heads):
    E = params["W_q"].shape[0]
    mha = nn.MultiheadAttention(embed_dim=E, num_heads=num_heads, batch_first=True,
                                dtype=params["W_q"].dtype)
    with torch.no_grad():
        for j, name in enumerate("qkv"):
            mha.in_proj_weight[j * E:(j + 1) * E] = params[f"W_{name}"]
            mha.in_proj_bias[j * E:(j + 1) * E] = params[f"b_{name}"]
        mha.out_proj.weight.copy_(params["W_o"])
        mha.out_proj.bias.copy_(params["b_o"])
    return mha


def mha_forward(mha, query, key, value, mask=None):
    mha.eval()
    with torch.inference_mode():
        return mha(query, key, value, attn_mask=_additive(mask, query.dtype))


class TransformerBlock(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, norm_first=True):
        super().__init__()
        self.p = dropout
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout,
                                               batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def _drop(self, x):
        return F.dropout(x, self.p, training=self.training)

    def _sa(self, x, mask):
        m = _additive(mask, x.dtype)
        return self._drop(self.self_attn(x, x, x, attn_mask=m, need_weights=False)[0])

    def _ff(self, x):
        return self._drop(self.linear2(self._drop(torch.relu(self.linear1(x)))))

    def forward(self, x, mask=None):
        if not self.norm_first:
            x = self.norm1(x + self._sa(x, mask))
            return self.norm2(x + self._ff(x))
        h = x + self._sa(self.norm1(x), mask)
        return h + self._ff(self.norm2(h))
