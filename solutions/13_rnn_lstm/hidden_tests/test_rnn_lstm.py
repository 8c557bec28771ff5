"""Hidden checks for 13_rnn_lstm.

From scratch (NumPy) vs PyTorch with copied float64 weights: nn.RNN (tanh), nn.LSTMCell,
nn.LSTM (gates packed i, f, g, o, two biases, sequence-first (T, N, I)). Library part: an
nn.LSTM(batch_first=True) + nn.Linear forecaster vs the same modules used correctly, its
seeded training, and a forecast that must beat the last-value baseline on held-out series.

When a value differs, the message names the most likely bug by recomputing the usual
mistakes (gate order, one bias, no forget gate, ...) and checking which one the learner's
numbers match.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch import nn

from grader.testing import assert_close, assert_same

# float64 NumPy vs float64 torch: both sides do the same arithmetic, errors ~1e-15.
EXACT = dict(rtol=1e-9, atol=1e-12)
# float32 torch module vs float32 torch module (or vs float64 NumPy) with the same weights.
F32 = dict(rtol=1e-4, atol=1e-5)


# --------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------
def _params(rng, gates, I, H, scale=0.5):
    """(W_ih, W_hh, b_ih, b_hh) in torch's layout, float64."""
    return (scale * rng.standard_normal((gates * H, I)),
            scale * rng.standard_normal((gates * H, H)),
            scale * rng.standard_normal(gates * H),
            scale * rng.standard_normal(gates * H))


def _series_set(n_series, length, seed, noise=0.1):
    """Noisy sines with random period (15–35 steps), phase and amplitude."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    out = []
    for _ in range(n_series):
        period = rng.uniform(15, 35)
        phase = rng.uniform(0, 2 * np.pi)
        amp = rng.uniform(0.6, 1.2)
        out.append(amp * np.sin(2 * np.pi * t / period + phase)
                   + noise * rng.standard_normal(length))
    return out


def _windows(series_list, window):
    """Batch-first windows X (N, window, 1) float32 and next values y (N,) float32."""
    X, y = [], []
    for s in series_list:
        for k in range(len(s) - window):
            X.append(s[k:k + window])
            y.append(s[k + window])
    return (np.asarray(X, dtype=np.float32)[..., None], np.asarray(y, dtype=np.float32))


def _forecast_data():
    X_train, y_train = _windows(_series_set(8, 60, seed=0), window=12)
    X_test, y_test = _windows(_series_set(4, 60, seed=1), window=12)
    return X_train, y_train, X_test, y_test


# --------------------------------------------------------------------------------------
# torch references (float64, weights copied in)
# --------------------------------------------------------------------------------------
def _set_params(module, W_ih, W_hh, b_ih, b_hh, suffix=""):
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(torch.from_numpy(W_ih))
        getattr(module, "weight_hh" + suffix).copy_(torch.from_numpy(W_hh))
        getattr(module, "bias_ih" + suffix).copy_(torch.from_numpy(b_ih))
        getattr(module, "bias_hh" + suffix).copy_(torch.from_numpy(b_hh))
    return module


def _torch_rnn(x, h0, p):
    I, H = x.shape[2], p[1].shape[1]
    rnn = _set_params(nn.RNN(I, H, nonlinearity="tanh").double(), *p, suffix="_l0")
    with torch.no_grad():
        args = (torch.from_numpy(x),) if h0 is None else (torch.from_numpy(x),
                                                           torch.from_numpy(h0)[None])
        out, h_n = rnn(*args)
    return out.numpy(), h_n[0].numpy()


def _torch_lstm(x, h0, c0, p):
    I, H = x.shape[2], p[1].shape[1]
    lstm = _set_params(nn.LSTM(I, H).double(), *p, suffix="_l0")
    with torch.no_grad():
        if h0 is None:
            out, (h_n, c_n) = lstm(torch.from_numpy(x))
        else:
            out, (h_n, c_n) = lstm(torch.from_numpy(x), (torch.from_numpy(h0)[None],
                                                         torch.from_numpy(c0)[None]))
    return out.numpy(), h_n[0].numpy(), c_n[0].numpy()


def _torch_lstm_cell(x_t, h, c, p):
    I, H = x_t.shape[1], p[1].shape[1]
    cell = _set_params(nn.LSTMCell(I, H).double(), *p)
    with torch.no_grad():
        h1, c1 = cell(torch.from_numpy(x_t), (torch.from_numpy(h), torch.from_numpy(c)))
    return h1.numpy(), c1.numpy()


# --------------------------------------------------------------------------------------
# diagnosis: recompute the usual mistakes, name the one the learner's numbers match
# --------------------------------------------------------------------------------------
def _sig(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # stable and exact enough for diagnosis


def _np_lstm(x, h0, c0, p, order="ifgo", bias="both", bug=None):
    W_ih, W_hh, b_ih, b_hh = p
    T, N, _ = x.shape
    H = W_hh.shape[1]
    h = np.zeros((N, H)) if h0 is None else h0.copy()
    c = np.zeros((N, H)) if c0 is None else c0.copy()
    if bug == "ignore_h0":
        h, c = np.zeros((N, H)), np.zeros((N, H))
    b = {"both": b_ih + b_hh, "ih": b_ih, "hh": b_hh, "none": 0.0}[bias]
    h_first, c_first = h, c
    outs = []
    for t in range(T):
        h_in, c_in = (h_first, c_first) if bug == "no_carry" else (h, c)
        z = x[t] @ W_ih.T + h_in @ W_hh.T + b
        chunks = dict(zip(order, np.split(z, 4, axis=1)))
        i, f, o = _sig(chunks["i"]), _sig(chunks["f"]), _sig(chunks["o"])
        g = _sig(chunks["g"]) if bug == "sigmoid_g" else np.tanh(chunks["g"])
        if bug == "no_forget":
            c_new = c_in + i * g
        elif bug == "cell_from_h":
            c_new = f * h_in + i * g
        elif bug == "one_minus_f":
            c_new = (1 - f) * c_in + i * g
        else:
            c_new = f * c_in + i * g
        h_new = o * c_new if bug == "no_tanh_c" else o * np.tanh(c_new)
        h, c = h_new, c_new
        outs.append(h)
    return np.stack(outs), h, c


_LSTM_BUGS = [
    (dict(bias="ih"), "only b_ih is added: torch adds BOTH biases, b_ih + b_hh"),
    (dict(bias="hh"), "only b_hh is added: torch adds BOTH biases, b_ih + b_hh"),
    (dict(bias="none"), "no bias is added: torch adds both biases, b_ih + b_hh"),
    (dict(bug="no_forget"), "the forget gate is not applied: the cell update is "
                            "c_t = f ⊙ c_{t-1} + i ⊙ g (you have c_{t-1} + i ⊙ g)"),
    (dict(bug="one_minus_f"), "the cell update is c_t = f ⊙ c_{t-1} + i ⊙ g, "
                              "not (1 − f) ⊙ c_{t-1} + i ⊙ g"),
    (dict(bug="cell_from_h"), "the new cell state is computed from h instead of c: "
                              "c_t = f ⊙ c_{t-1} + i ⊙ g uses the previous CELL state c"),
    (dict(bug="no_tanh_c"), "tanh is missing on the cell state in the output: "
                            "h_t = o ⊙ tanh(c_t), not o ⊙ c_t"),
    (dict(bug="sigmoid_g"), "the cell candidate g uses tanh, not the sigmoid "
                            "(i, f, o are sigmoids, g is tanh)"),
    (dict(bug="ignore_h0"), "the initial state (h0, c0) you were given is ignored "
                            "(you start from zeros)"),
    (dict(bug="no_carry"), "the state is not carried from step to step: every step "
                           "must use the h and c produced by the previous step"),
]


def _matches(actual, candidate):
    try:
        a = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    c = np.asarray(candidate, dtype=np.float64)
    return a.shape == c.shape and bool(np.allclose(a, c, rtol=1e-7, atol=1e-9))


def _lstm_hint(actual, which, x, h0, c0, p):
    """Which known mistake reproduces ``actual`` (0 = out, 1 = h_T, 2 = c_T)?"""
    for bug, hint in _LSTM_BUGS:
        if _matches(actual, _np_lstm(x, h0, c0, p, **bug)[which]):
            return hint
    for perm in itertools.permutations("ifgo"):
        order = "".join(perm)
        if order != "ifgo" and _matches(actual, _np_lstm(x, h0, c0, p, order=order)[which]):
            return (f"your numbers match the gate order ({', '.join(order)}): torch packs the "
                    "4·H rows of the weights and biases as (i, f, g, o) — input, forget, "
                    "cell candidate g, output")
    if which == 1 and _matches(actual, _np_lstm(x, h0, c0, p)[2]):
        return "this is the cell state c: return (h, c) in that order"
    if which == 2 and _matches(actual, _np_lstm(x, h0, c0, p)[1]):
        return "this is the hidden state h: return (h, c) in that order"
    return ("check, in order: gates z = x_t W_ihᵀ + b_ih + h W_hhᵀ + b_hh split into 4 blocks "
            "of H in the order (i, f, g, o); i, f, o sigmoid and g tanh; "
            "c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t)")


def _np_rnn(x, h0, p, bias="both", bug=None):
    W_ih, W_hh, b_ih, b_hh = p
    T, N, _ = x.shape
    H = W_hh.shape[0]
    h = np.zeros((N, H)) if (h0 is None or bug == "ignore_h0") else h0.copy()
    b = {"both": b_ih + b_hh, "ih": b_ih, "hh": b_hh}[bias]
    h_first = h
    outs = []
    for t in range(T):
        h_in = h_first if bug == "no_carry" else h
        z = x[t] @ W_ih.T + h_in @ W_hh.T + b
        h = {"relu": np.maximum(z, 0), "none": z, "sigmoid": _sig(z)}.get(bug, np.tanh(z))
        outs.append(h)
    return np.stack(outs), h


_RNN_BUGS = [
    (dict(bias="ih"), "only b_ih is added: torch's RNN adds BOTH biases, b_ih + b_hh"),
    (dict(bias="hh"), "only b_hh is added: torch's RNN adds BOTH biases, b_ih + b_hh"),
    (dict(bug="none"), "tanh is missing: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)"),
    (dict(bug="relu"), "this is a ReLU RNN: the nonlinearity is tanh"),
    (dict(bug="sigmoid"), "this is a sigmoid RNN: the nonlinearity is tanh"),
    (dict(bug="ignore_h0"), "the initial state h0 you were given is ignored"),
    (dict(bug="no_carry"), "the hidden state is not carried from step to step: every step "
                           "must use the h produced by the previous step"),
]


def _rnn_hint(actual, which, x, h0, p):
    for bug, hint in _RNN_BUGS:
        if _matches(actual, _np_rnn(x, h0, p, **bug)[which]):
            return hint
    W_ih, W_hh, b_ih, b_hh = p
    if W_hh.shape[0] == W_hh.shape[1] and _matches(
            actual, _np_rnn(x, h0, (W_ih, W_hh.T, b_ih, b_hh))[which]):
        return "W_hh is used transposed: the recurrent term is h_{t-1} W_hhᵀ (weights are (out, in))"
    return ("h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh), with h_0 = h0 (zeros if "
            "None); out[t] stores h_t for t = 0..T-1 (not h_0)")


def _tuple_of(result, n, name):
    assert isinstance(result, (tuple, list)) and len(result) == n, (
        f"{name} must return a tuple of {n} arrays, got "
        f"{type(result).__name__}{'' if not hasattr(result, '__len__') else f' of length {len(result)}'}")
    return result


# ======================================================================================
# from scratch
# ======================================================================================
@pytest.mark.points(1)
def test_make_windows(learner):
    """make_windows cuts a series into (window, next value) pairs"""
    rng = np.random.default_rng(10)
    series = rng.standard_normal(23)
    for window in (5, 1, 22):
        res = _tuple_of(learner.rnn_lstm_numpy.make_windows(series, window), 2, "make_windows")
        X, y = res
        n = len(series) - window
        X_exp = np.stack([series[k:k + window] for k in range(n)])
        y_exp = series[window:]
        hint = ("X[k] = series[k : k + window] and y[k] = series[k + window] for "
                f"k = 0 .. L − window − 1, so there are L − window = {n} pairs (off by one?)")
        assert_close(X, X_exp, name=f"X from make_windows(series of length 23, window={window})",
                     rtol=0, atol=0, hint=hint)
        assert_close(y, y_exp, name=f"y from make_windows(series of length 23, window={window})",
                     rtol=0, atol=0, hint="y[k] is the value right AFTER the window X[k]: "
                                          "series[k + window]")


@pytest.mark.points(2)
def test_rnn_matches_torch(learner):
    """Hand RNN equals nn.RNN (tanh) with copied weights: every output and the final h"""
    rng = np.random.default_rng(1)
    T, N, I, H = 7, 3, 4, 5
    x = rng.standard_normal((T, N, I))
    h0 = 0.5 * rng.standard_normal((N, H))
    p = _params(rng, 1, I, H)
    out_ref, h_ref = _torch_rnn(x, h0, p)
    out, h_T = _tuple_of(learner.rnn_lstm_numpy.rnn_forward(x, h0, *p), 2, "rnn_forward")
    assert_close(out, out_ref, name="RNN outputs out (T, N, H) vs nn.RNN", **EXACT,
                 hint=_rnn_hint(out, 0, x, h0, p))
    assert_close(h_T, h_ref, name="RNN final hidden state h_T (N, H) vs nn.RNN h_n[0]",
                 **EXACT, hint=_rnn_hint(h_T, 1, x, h0, p))


@pytest.mark.points(1)
def test_rnn_shapes_and_zero_state(learner):
    """Hand RNN handles T=1, N=1, I=1 and h0=None (a zero initial state)"""
    rng = np.random.default_rng(2)
    for T, N, I, H in [(1, 2, 3, 4), (5, 1, 1, 3), (4, 6, 2, 1), (9, 2, 3, 3)]:
        x = rng.standard_normal((T, N, I))
        p = _params(rng, 1, I, H)
        out_ref, h_ref = _torch_rnn(x, None, p)
        out, h_T = _tuple_of(learner.rnn_lstm_numpy.rnn_forward(x, None, *p), 2,
                             "rnn_forward")
        shape = f"T={T}, N={N}, I={I}, H={H}, h0=None"
        assert_close(out, out_ref, name=f"RNN outputs ({shape})", **EXACT,
                     hint="h0=None means a zero initial state of shape (N, H); out has shape "
                          "(T, N, H). " + _rnn_hint(out, 0, x, None, p))
        assert_close(h_T, h_ref, name=f"RNN final h ({shape})", **EXACT,
                     hint="h_T is the last hidden state, shape (N, H)")


@pytest.mark.points(2)
def test_lstm_cell_matches_torch(learner):
    """One hand LSTM step equals nn.LSTMCell with copied weights (gates i, f, g, o)"""
    rng = np.random.default_rng(3)
    N, I, H = 4, 3, 5
    x_t = rng.standard_normal((N, I))
    h = 0.5 * rng.standard_normal((N, H))
    c = rng.standard_normal((N, H))
    p = _params(rng, 4, I, H)
    h_ref, c_ref = _torch_lstm_cell(x_t, h, c, p)
    h1, c1 = _tuple_of(learner.rnn_lstm_numpy.lstm_cell(x_t, h, c, *p), 2, "lstm_cell")
    x = x_t[None]
    assert_close(h1, h_ref, name="h_new from lstm_cell vs nn.LSTMCell", **EXACT,
                 hint=_lstm_hint(h1, 1, x, h, c, p))
    assert_close(c1, c_ref, name="c_new from lstm_cell vs nn.LSTMCell", **EXACT,
                 hint=_lstm_hint(c1, 2, x, h, c, p))


@pytest.mark.points(2)
def test_lstm_forward_matches_torch(learner):
    """Hand LSTM equals nn.LSTM with copied weights: outputs, final h and final c"""
    rng = np.random.default_rng(4)
    T, N, I, H = 8, 3, 2, 4
    x = rng.standard_normal((T, N, I))
    h0 = 0.5 * rng.standard_normal((N, H))
    c0 = rng.standard_normal((N, H))
    p = _params(rng, 4, I, H)
    out_ref, h_ref, c_ref = _torch_lstm(x, h0, c0, p)
    res = _tuple_of(learner.rnn_lstm_numpy.lstm_forward(x, h0, c0, *p), 3, "lstm_forward")
    for k, (val, ref, label) in enumerate(zip(res, (out_ref, h_ref, c_ref),
                                              ("outputs out (T, N, H)", "final h_T (N, H)",
                                               "final c_T (N, H)"))):
        assert_close(val, ref, name=f"LSTM {label} vs nn.LSTM", **EXACT,
                     hint=_lstm_hint(val, k, x, h0, c0, p))


@pytest.mark.points(1)
def test_lstm_shapes_and_zero_state(learner):
    """Hand LSTM handles T=1, N=1, I=1 and h0=c0=None (zero initial states)"""
    rng = np.random.default_rng(5)
    for T, N, I, H in [(1, 2, 3, 4), (6, 1, 1, 3), (3, 5, 2, 1), (10, 2, 1, 6)]:
        x = rng.standard_normal((T, N, I))
        p = _params(rng, 4, I, H)
        ref = _torch_lstm(x, None, None, p)
        res = _tuple_of(learner.rnn_lstm_numpy.lstm_forward(x, None, None, *p), 3,
                        "lstm_forward")
        shape = f"T={T}, N={N}, I={I}, H={H}, h0=c0=None"
        for k, label in enumerate(("outputs", "final h", "final c")):
            assert_close(res[k], ref[k], name=f"LSTM {label} ({shape})", **EXACT,
                         hint="h0=None / c0=None mean zero states of shape (N, H); out is "
                              "(T, N, H) — sequence first. "
                              + _lstm_hint(res[k], k, x, None, None, p))


@pytest.mark.points(1)
def test_lstm_saturated_long_sequence(learner):
    """Hand LSTM stays finite and exact over 60 steps with saturated gates (|z| > 700)"""
    rng = np.random.default_rng(6)
    T, N, I, H = 60, 2, 3, 4
    x = 40.0 * rng.standard_normal((T, N, I))
    p = _params(rng, 4, I, H, scale=10.0)
    ref = _torch_lstm(x, None, None, p)
    res = _tuple_of(learner.rnn_lstm_numpy.lstm_forward(x, None, None, *p), 3, "lstm_forward")
    stable = ("gate pre-activations here reach about ±1000: a sigmoid written "
              "exp(z) / (1 + exp(z)) gives inf/inf = NaN for z > 709. Use 1 / (1 + exp(−z)) "
              "for z ≥ 0 and exp(z) / (1 + exp(z)) for z < 0 (or 0.5·(1 + tanh(z/2)))")
    for k, label in enumerate(("outputs", "final h", "final c")):
        val = np.asarray(res[k], dtype=np.float64)
        hint = stable if not np.all(np.isfinite(val)) else _lstm_hint(val, k, x, None, None, p)
        assert_close(val, ref[k], name=f"LSTM {label} with saturated gates (T=60)",
                     rtol=1e-9, atol=1e-10, hint=hint)


@pytest.mark.points(2)
def test_numpy_lstm_reproduces_trained_forecaster(learner):
    """Your NumPy LSTM + head, given your trained forecaster's weights, reproduces its forecasts"""
    X_train, y_train, X_test, _ = _forecast_data()
    model, _ = learner.lstm_forecaster_torch.train_forecaster(
        X_train, y_train, hidden_size=8, epochs=30, lr=0.02, seed=0)
    sd = learner.probe(_state_dict_numpy, model)
    assert isinstance(sd, dict), f"could not read the forecaster's weights: {sd}"
    keys = ["lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0"]
    missing = [k for k in keys + ["head.weight", "head.bias"] if k not in sd]
    assert not missing, (f"the forecaster's state_dict lacks {missing}: name the modules "
                         "self.lstm (nn.LSTM) and self.head (nn.Linear)")
    torch_pred = learner.lstm_forecaster_torch.predict(model, X_test)
    assert_same(np.shape(torch_pred), (len(X_test),),
                name="shape of predict(model, X) for X of shape (N, T, 1)",
                hint="return one forecast per window: shape (N,)")
    x = np.ascontiguousarray(np.transpose(X_test.astype(np.float64), (1, 0, 2)))  # (T, N, 1)
    p = tuple(sd[k] for k in keys)
    res = _tuple_of(learner.rnn_lstm_numpy.lstm_forward(x, None, None, *p), 3, "lstm_forward")
    numpy_pred = np.asarray(res[0])[-1] @ sd["head.weight"].T + sd["head.bias"]
    assert_close(numpy_pred[:, 0], torch_pred, name="NumPy forecasts (lstm_forward, then "
                 "head on the last output) vs your predict()", **F32,
                 hint="both should read the hidden state of the LAST time step. The NumPy side "
                      "is sequence-first (T, N, 1), the torch side batch-first (N, T, 1): if "
                      "the other LSTM checks pass, look at the forecaster (batch_first=True, "
                      "out[:, -1, :]), else at lstm_forward")


def _state_dict_numpy(model):
    import numpy as np

    return {k: v.detach().cpu().numpy().astype(np.float64)
            for k, v in model.state_dict().items()}


# ======================================================================================
# library: nn.LSTM + nn.Linear forecaster
# ======================================================================================
def _structure(model):
    import torch.nn as nn

    lstm, head = getattr(model, "lstm", None), getattr(model, "head", None)
    info = {"is_module": isinstance(model, nn.Module),
            "lstm": type(lstm).__name__, "head": type(head).__name__}
    if isinstance(lstm, nn.LSTM):
        info.update(batch_first=bool(lstm.batch_first), num_layers=int(lstm.num_layers),
                    input_size=int(lstm.input_size), hidden_size=int(lstm.hidden_size),
                    bidirectional=bool(lstm.bidirectional))
    if isinstance(head, nn.Linear):
        info.update(head_in=int(head.in_features), head_out=int(head.out_features))
    return info


def _load_state(model, sd):
    import torch

    try:
        model.load_state_dict({k: torch.as_tensor(v) for k, v in sd.items()})
    except Exception as exc:  # report, the test turns it into a message
        return f"{type(exc).__name__}: {exc}"[:600]
    return None


@pytest.mark.points(1)
def test_forecaster_structure(learner):
    """LSTMForecaster holds self.lstm = nn.LSTM(batch_first=True) and self.head = nn.Linear(H, 1)"""
    model = learner.lstm_forecaster_torch.LSTMForecaster(hidden_size=7)
    info = learner.probe(_structure, model)
    assert info["is_module"], "LSTMForecaster must subclass nn.Module"
    assert_same(info["lstm"], "LSTM", name="type of model.lstm",
                hint="create self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)")
    assert_same(info["head"], "Linear", name="type of model.head",
                hint="create self.head = nn.Linear(hidden_size, 1)")
    assert_same(info["batch_first"], True, name="model.lstm.batch_first",
                hint="the forecaster takes batch-first windows (N, T, 1): nn.LSTM defaults to "
                     "batch_first=False (T, N, I), so pass batch_first=True")
    assert_same([info["input_size"], info["hidden_size"], info["num_layers"],
                 info["bidirectional"]], [1, 7, 1, False],
                name="model.lstm [input_size, hidden_size, num_layers, bidirectional]",
                hint="LSTMForecaster(hidden_size=7) → nn.LSTM(1, 7, batch_first=True): one "
                     "layer, one direction, input_size=1 by default")
    assert_same([info["head_in"], info["head_out"]], [7, 1],
                name="model.head [in_features, out_features]",
                hint="the head maps the last hidden state (H values) to one forecast")


@pytest.mark.points(2)
def test_forecaster_forward_matches_torch(learner, reference):
    """Forecaster forward equals nn.LSTM(batch_first=True) + nn.Linear on the last step"""
    H, N, T = 6, 5, 9
    torch.manual_seed(123)
    ref_model = reference.lstm_forecaster_torch.LSTMForecaster(hidden_size=H).eval()
    sd = {k: v.detach().numpy().copy() for k, v in ref_model.state_dict().items()}
    model = learner.lstm_forecaster_torch.LSTMForecaster(hidden_size=H)
    err = learner.probe(_load_state, model, sd)
    assert err is None, ("could not load nn.LSTM + nn.Linear weights into your LSTMForecaster "
                         f"(expected keys {sorted(sd)}): {err}")
    rng = np.random.default_rng(7)
    x = rng.standard_normal((N, T, 1)).astype(np.float32)
    with torch.no_grad():
        expected = ref_model(torch.from_numpy(x)).numpy()
    got = model(torch.from_numpy(x))
    assert_close(got, expected, name=f"LSTMForecaster output for x of shape {(N, T, 1)}",
                 **F32, hint=_forecaster_hint(got, ref_model, x))


def _forecaster_hint(got, ref_model, x):
    try:
        g = np.asarray(got.detach().numpy() if hasattr(got, "detach") else got, np.float64)
    except (TypeError, ValueError):
        return "forward must return a tensor of shape (N,)"
    if g.shape == (x.shape[0], 1):
        return "the output has shape (N, 1): squeeze the last axis so it is (N,)"
    lstm, head = ref_model.lstm, ref_model.head
    time_first = nn.LSTM(1, lstm.hidden_size)
    time_first.load_state_dict(lstm.state_dict())
    xt = torch.from_numpy(x)
    with torch.no_grad():
        out, (h_n, c_n) = lstm(xt)
        out_tf, _ = time_first(xt)
        cands = [
            (head(out_tf[:, -1, :]).squeeze(-1),
             "your LSTM reads (N, T, 1) as (T, N, I): nn.LSTM defaults to batch_first=False; "
             "create it with batch_first=True"),
            (head(out[:, 0, :]).squeeze(-1),
             "the head reads the FIRST time step: use the last one, out[:, -1, :]"),
            (head(out.mean(dim=1)).squeeze(-1),
             "the head reads the mean over time: use the last time step, out[:, -1, :]"),
            (head(c_n[-1]).squeeze(-1),
             "the head reads the cell state c_n: use the hidden state (out[:, -1, :] or h_n[-1])"),
        ]
    for cand, hint in cands:
        if _matches(g, cand.numpy().astype(np.float64).reshape(g.shape)
                    if cand.numel() == g.size else np.full(1, np.nan)):
            return hint
    return ("forward(x): out, _ = self.lstm(x) with batch_first=True; "
            "return self.head(out[:, -1, :]).squeeze(-1)")


@pytest.mark.points(1)
def test_training_deterministic(learner):
    """train_forecaster is deterministic for a seed, and the seed matters"""
    X_train, y_train, X_test, _ = _forecast_data()
    kw = dict(hidden_size=8, epochs=15, lr=0.02)
    runs = []
    for seed in (3, 3, 4):
        model, losses = _tuple_of(learner.lstm_forecaster_torch.train_forecaster(
            X_train, y_train, seed=seed, **kw), 2, "train_forecaster")
        runs.append((np.asarray(losses, dtype=np.float64),
                     learner.lstm_forecaster_torch.predict(model, X_test)))
    hint = ("call torch.manual_seed(seed) at the start of train_forecaster, BEFORE building the "
            "model, and use full-batch training (no random shuffling outside the seed)")
    assert_close(runs[1][0], runs[0][0], name="losses of two runs with seed=3", rtol=0, atol=0,
                 hint=hint)
    assert_close(runs[1][1], runs[0][1], name="predictions of two models trained with seed=3",
                 rtol=0, atol=0, hint=hint)
    assert runs[2][0][0] != runs[0][0][0], (
        "seed=3 and seed=4 gave the same first loss: the initial weights do not depend on the "
        "seed argument (seed torch with torch.manual_seed(seed), not a fixed number)")


@pytest.mark.points(1)
def test_training_follows_recipe(learner, reference):
    """train_forecaster follows the stated recipe: the reference's losses for the same seed"""
    X_train, y_train, _, _ = _forecast_data()
    kw = dict(hidden_size=8, epochs=12, lr=0.02, seed=5)
    _, losses = _tuple_of(learner.lstm_forecaster_torch.train_forecaster(X_train, y_train, **kw),
                          2, "train_forecaster")
    _, ref = reference.lstm_forecaster_torch.train_forecaster(X_train, y_train, **kw)
    ref = np.asarray(ref, dtype=np.float64)
    got = np.asarray(losses, dtype=np.float64)
    assert_same(got.shape, ref.shape, name="number of losses returned (epochs=12)",
                hint="one loss per epoch: losses.append(loss.item()) once per epoch")
    _close_f32 = dict(rtol=1e-4, atol=1e-6)
    hint = ("Adam(model.parameters(), lr=lr) on the FULL batch, nn.MSELoss() (mean), "
            "zero_grad → loss → backward → step once per epoch")
    if not np.isclose(got[0], ref[0], **_close_f32):
        ratio = got[0] / ref[0] if ref[0] else np.nan
        hint = ("the very first loss (before any update) differs, so the initial weights or the "
                "loss differ: call torch.manual_seed(seed) first, then build LSTMForecaster "
                "(self.lstm created before self.head, no other random calls in between)")
        if np.isclose(ratio, len(y_train), rtol=1e-3):
            hint = (f"your first loss is {len(y_train)}× the reference's: use the MEAN squared "
                    "error, nn.MSELoss() (reduction='mean'), not the sum")
    elif np.allclose(got[:-1], ref[1:], **_close_f32):
        hint = ("your losses are the reference's shifted by one epoch: record the loss computed "
                "BEFORE optimizer.step() (losses[0] is the loss of the untrained model)")
    assert_close(got, ref, name="losses of train_forecaster(hidden_size=8, epochs=12, lr=0.02, "
                 "seed=5) vs the reference", **_close_f32, hint=hint)


@pytest.mark.points(1)
def test_training_loss_falls(learner):
    """train_forecaster records one MSE per epoch and the loss falls"""
    X_train, y_train, _, _ = _forecast_data()
    _, losses = _tuple_of(learner.lstm_forecaster_torch.train_forecaster(
        X_train, y_train, hidden_size=8, epochs=40, lr=0.02, seed=0), 2, "train_forecaster")
    losses = np.asarray(losses, dtype=np.float64)
    assert_same(losses.shape, (40,), name="shape of the losses (epochs=40)",
                hint="append one float per epoch (loss.item())")
    assert np.all(np.isfinite(losses)), "the losses contain NaN or Inf"
    baseline_var = float(np.var(y_train))
    assert losses[0] > 0.05, (
        f"the first loss is {losses[0]:.4g}: it should be the MSE of the untrained model "
        "(about the variance of y or more)")
    assert losses[0] < 20 * baseline_var, (
        f"the first loss is {losses[0]:.4g}, about {losses[0] / baseline_var:.0f}× the variance "
        f"of y ({baseline_var:.4g}): with {len(y_train)} windows, is it the SUM of the squared "
        "errors? Use the MEAN squared error, nn.MSELoss() (reduction='mean')")
    assert losses[-1] < 0.3 * losses[0] and losses[-1] < 0.5 * baseline_var, (
        f"the loss went from {losses[0]:.4g} to {losses[-1]:.4g} in 40 full-batch Adam steps "
        f"(lr=0.02); it should fall below 30% of the start and below half the variance of y "
        f"({baseline_var:.4g}). Check zero_grad / backward / step and that the loss is "
        "nn.MSELoss between model(X) of shape (N,) and y of shape (N,) (no (N, 1) vs (N,) "
        "broadcasting)")


@pytest.mark.points(2)
def test_forecaster_beats_last_value(learner):
    """The trained forecaster beats the last-value baseline on held-out series (MSE)"""
    X_train, y_train, X_test, y_test = _forecast_data()
    model, _ = _tuple_of(learner.lstm_forecaster_torch.train_forecaster(
        X_train, y_train, hidden_size=16, epochs=100, lr=0.02, seed=0), 2, "train_forecaster")
    pred = np.asarray(learner.lstm_forecaster_torch.predict(model, X_test), dtype=np.float64)
    assert_same(pred.shape, y_test.shape, name="shape of predict(model, X_test)",
                hint="one forecast per window: shape (N,)")
    assert np.all(np.isfinite(pred)), "the forecasts contain NaN or Inf"
    mse = float(np.mean((pred - y_test) ** 2))
    baseline = float(np.mean((X_test[:, -1, 0].astype(np.float64) - y_test) ** 2))
    assert mse <= 0.8 * baseline, (
        f"held-out MSE {mse:.4g} vs last-value baseline {baseline:.4g} (ratio "
        f"{mse / baseline:.2f}, must be ≤ 0.80). The reference reaches about 0.5 with "
        "hidden_size=16, 100 full-batch Adam epochs, lr=0.02. Check that the head reads the "
        "last time step and that predict() puts the model in eval mode")
