# %% [markdown]
# # 13 · Recurrent networks: your code next to PyTorch
# Your LSTM forecaster against the "next = last" baseline on series it never saw, its
# training curve next to the same recipe written with plain `nn.LSTM`, and the hidden
# states of your NumPy LSTM next to `nn.LSTM`'s, on your trained weights.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn


def series_set(n_series, length, seed, noise=0.1):
    """Noisy sines with random period (15–35 steps), phase and amplitude (as in the checks)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    out = []
    for _ in range(n_series):
        period, phase, amp = rng.uniform(15, 35), rng.uniform(0, 2 * np.pi), rng.uniform(0.6, 1.2)
        out.append(amp * np.sin(2 * np.pi * t / period + phase) + noise * rng.standard_normal(length))
    return out


def windows(series_list, window=12):
    X, y = [], []
    for s in series_list:
        for k in range(len(s) - window):
            X.append(s[k:k + window])
            y.append(s[k + window])
    return np.asarray(X, dtype=np.float32)[..., None], np.asarray(y, dtype=np.float32)


WINDOW = 12
train_series, test_series = series_set(8, 60, seed=0), series_set(4, 60, seed=1)
X_train, y_train = windows(train_series, WINDOW)
X_test, y_test = windows(test_series, WINDOW)

# %% [markdown]
# ## Your forecaster, the same recipe in plain PyTorch, and the last-value baseline

# %%
model, losses = learner.lstm_forecaster_torch.train_forecaster(
    X_train, y_train, hidden_size=16, epochs=100, lr=0.02, seed=0)
pred = np.asarray(learner.lstm_forecaster_torch.predict(model, X_test), dtype=np.float64)

torch.manual_seed(0)
lstm, head = nn.LSTM(1, 16, batch_first=True), nn.Linear(16, 1)
opt = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=0.02)
Xt, yt = torch.from_numpy(X_train), torch.from_numpy(y_train)
torch_losses = []
for _ in range(100):
    opt.zero_grad()
    loss = nn.functional.mse_loss(head(lstm(Xt)[0][:, -1]).squeeze(-1), yt)
    loss.backward()
    opt.step()
    torch_losses.append(loss.item())
with torch.no_grad():
    torch_pred = head(lstm(torch.from_numpy(X_test))[0][:, -1]).squeeze(-1).double().numpy()
last_value = X_test[:, -1, 0].astype(np.float64)

mse = {name: float(np.mean((p - y_test) ** 2))
       for name, p in (("your forecaster", pred), ("plain torch", torch_pred),
                       ("last value", last_value))}
side_by_side("held-out MSE (4 series, 192 windows)", {
    "MSE": list(mse.values()),
    "÷ last-value MSE": [v / mse["last value"] for v in mse.values()],
}, index=list(mse))

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(losses, lw=2.5, label="your train_forecaster")
ax.plot(torch_losses, "k--", label="plain nn.LSTM, same recipe")
ax.axhline(mse["last value"], color="tab:red", ls=":", label="last-value MSE (held out)")
ax.set(xlabel="epoch", ylabel="training MSE", yscale="log", title="Training loss")
ax.legend()
save(fig, "loss_curve")

# %%
n_per = len(test_series[0]) - WINDOW
fig, ax = plt.subplots(figsize=(7, 3.5))
steps = np.arange(WINDOW, len(test_series[0]))
ax.plot(np.arange(len(test_series[0])), test_series[0], "k.", ms=4, label="held-out series")
ax.plot(steps, pred[:n_per], lw=2, label=f"your forecast (MSE {mse['your forecaster']:.3f})")
ax.plot(steps, last_value[:n_per], lw=1, alpha=0.8,
        label=f"last value (MSE {mse['last value']:.3f})")
ax.set(xlabel="t", ylabel="value", title="One-step-ahead forecasts on a held-out series")
ax.legend(fontsize=8)
save(fig, "forecasts")

# %% [markdown]
# ## Your NumPy LSTM on your trained weights, next to `nn.LSTM`
# The hidden state of the 4 most active units while reading a whole held-out series, sequence-first
# (T, 1, 1), computed by your `lstm_forward` and by `nn.LSTM` in float64 with the same weights.

# %%
sd = {k: v.detach().double().numpy() for k, v in model.state_dict().items()}
keys = ["lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0"]
params = [sd[k] for k in keys]
x_seq = np.asarray(test_series[0], dtype=np.float64)[:, None, None]            # (T, 1, 1)
out, h_T, c_T = learner.rnn_lstm_numpy.lstm_forward(x_seq, None, None, *params)
out = np.asarray(out)

ref = nn.LSTM(1, params[1].shape[1]).double()
with torch.no_grad():
    for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), params):
        getattr(ref, name).copy_(torch.from_numpy(value))
    ref_out, (ref_h, ref_c) = ref(torch.from_numpy(x_seq))
ref_out = ref_out.numpy()

fig, ax = plt.subplots(figsize=(7, 3.5))
busiest = np.argsort(out[:, 0].std(axis=0))[::-1][:4]            # the 4 most active units
for unit, color in zip(busiest, plt.rcParams["axes.prop_cycle"].by_key()["color"]):
    ax.plot(out[:, 0, unit], color=color, lw=3, alpha=0.5, label=f"yours, unit {unit}")
    ax.plot(ref_out[:, 0, unit], "--", color=color, lw=1, label=f"nn.LSTM, unit {unit}")
ax.set(xlabel="t", ylabel="h_t", title="Hidden-state traces: your lstm_forward vs nn.LSTM")
ax.legend(fontsize=7, ncol=2)
save(fig, "hidden_states")

side_by_side("your lstm_forward vs nn.LSTM (float64, your trained weights)", {
    "max |yours − torch|": [np.max(np.abs(out - ref_out)),
                            np.max(np.abs(np.asarray(h_T) - ref_h[0].numpy())),
                            np.max(np.abs(np.asarray(c_T) - ref_c[0].numpy()))],
}, index=["out (all t)", "h_T", "c_T"])
