"""Hidden checks for 17_deployment.

Library-only topic: save and reload models (joblib for a scikit-learn Pipeline, a torch
state_dict for an MLP), and serve the MLP with FastAPI.

Trust boundary (docs/writing-checks.md): the grading process never unpickles anything the
learner wrote. Torch files written by the learner are read here only with
torch.load(..., weights_only=True); joblib files are loaded inside the sandbox by a probe;
the FastAPI app stays in the sandbox and is driven there with TestClient by a probe that
returns plain data (status codes and JSON bodies).

Conventions pinned here (all stated in exercises/17_deployment/README.md):
- build_mlp: nn.Sequential(Linear(f, h), ReLU(), Dropout(p), Linear(h, c)), logits out,
  state_dict keys 0.weight, 0.bias, 3.weight, 3.bias; defaults 4, 16, 3, p=0.2.
- train_mlp: torch.manual_seed(seed) first, then build_mlp(X.shape[1], n_hidden,
  int(y.max()) + 1), full-batch Adam(lr) on CrossEntropyLoss (mean), one forward per epoch
  in train mode (Dropout on).
- save_torch writes model.state_dict(); load_torch returns the model in eval mode.
- train_sklearn: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).
- create_app(model_path): GET /health -> 200 {"status": "ok"}; POST /predict with
  {"features": [[4 floats], ...]} (≥ 1 row) -> {"classes", "species", "probabilities"};
  anything else -> 422.
"""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest
import torch

from grader.testing import assert_close, assert_same, datasets

SPECIES = ["setosa", "versicolor", "virginica"]
STATE_KEYS = ["0.weight", "0.bias", "3.weight", "3.bias"]
# float32 softmax of the same weights, computed by torch here or by NumPy/torch there
PROBS = dict(rtol=1e-5, atol=1e-6)


def _fail(message: str):
    raise AssertionError(message)


# ----------------------------------------------------------------------------- data
@functools.cache
def _iris():
    """Iris in cm, float64 X (150, 4), int64 y; a fixed 120 / 30 split."""
    X, y = datasets.iris()
    perm = np.random.default_rng(0).permutation(len(y))
    tr, te = perm[:120], perm[120:]
    return X[tr], y[tr], X[te], y[te]


def _f32(X):
    return np.ascontiguousarray(X, dtype=np.float32)


_REF_MODELS: dict = {}


def _ref_train(reference, seed: int, epochs: int):
    """The reference MLP trained on the 120 training rows (cached: checks only read it)."""
    if (seed, epochs) not in _REF_MODELS:
        X_tr, y_tr, _, _ = _iris()
        _REF_MODELS[seed, epochs] = reference.save_models.train_mlp(_f32(X_tr), y_tr,
                                                                     epochs=epochs, seed=seed)
    return _REF_MODELS[seed, epochs]


def _ref_logits(model, X) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return model(torch.as_tensor(_f32(X))).numpy()


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_SERVED: dict = {}


def _served_model(reference, seed: int, epochs: int):
    """A reference build_mlp trained on all 150 rows by plain full-batch gradient descent.

    Written by hand (no torch.optim) on purpose: the first optimizer imports torch._dynamo,
    seconds of start-up that the API checks do not need. Dropout is off (eval mode).
    """
    if (seed, epochs) not in _SERVED:
        X, y = datasets.iris()
        X_t, y_t = torch.as_tensor(_f32(X)), torch.as_tensor(y, dtype=torch.int64)
        torch.manual_seed(seed)
        model = reference.save_models.build_mlp(4, 16, 3).eval()
        for _ in range(epochs):
            model.zero_grad()
            torch.nn.functional.cross_entropy(model(X_t), y_t).backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= 0.05 * p.grad
        _SERVED[seed, epochs] = model
    return _SERVED[seed, epochs]


def _weights_file(learner, reference, seed: int, epochs: int, name: str):
    """A reference MLP's state_dict written into the shared workdir; returns (path, model)."""
    model = _served_model(reference, seed, epochs)
    path = os.path.join(learner.workdir, name)
    torch.save(model.state_dict(), path)
    return path, model


def _manual_train(X, y, seed, epochs, lr=0.01, dropout_epochs=None, extra_forward=False):
    """The training recipe with one knob turned, to name the learner's mistake.

    dropout_epochs: how many first epochs run in train mode (None: all), the rest in eval
    mode (a model.eval() for logging never undone); extra_forward: one more train-mode
    forward per epoch (logging the accuracy in train mode draws extra Dropout masks).
    """
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(X.shape[1], 16), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(16, int(y.max()) + 1))
    X_t, y_t = torch.as_tensor(_f32(X)), torch.as_tensor(y, dtype=torch.int64)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for epoch in range(epochs):
        if dropout_epochs is not None and epoch >= dropout_epochs:
            model.eval()
        opt.zero_grad()
        nn.functional.cross_entropy(model(X_t), y_t).backward()
        opt.step()
        if extra_forward:
            with torch.no_grad():
                model(X_t)
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


# ----------------------------------------------------------------------------- probes
# Top-level, self-contained: they are sent as source and run inside the sandbox.
def _describe_module(model):
    from torch import nn

    info = {"is_module": isinstance(model, nn.Module), "type": type(model).__name__}
    if info["is_module"]:
        info["children"] = [type(m).__name__ for m in model.children()]
        info["state"] = {k: list(v.shape) for k, v in model.state_dict().items()}
        info["dropout_p"] = [float(m.p) for m in model.modules() if isinstance(m, nn.Dropout)]
        info["training"] = bool(model.training)
    return info


def _state(model):
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}


def _logits(model, X, set_eval=True):
    import torch

    if set_eval:
        model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(X, dtype=torch.float32))
    return out.detach().cpu().numpy()


def _predict_twice(model, X):
    """Two forward passes WITHOUT calling eval(): equal only if the model is in eval mode."""
    import torch

    x = torch.as_tensor(X, dtype=torch.float32)
    with torch.no_grad():
        a, b = model(x), model(x)
    return {"training": bool(model.training), "a": a.numpy(), "b": b.numpy()}


def _pipeline_steps(model):
    steps = getattr(model, "steps", None)
    if steps is None:
        return [type(model).__name__]
    return [type(est).__name__ for _, est in steps]


def _joblib_predict(path, X):
    import os

    import joblib

    if not os.path.exists(path):
        return {"error": f"no file was written at {path}"}
    try:
        model = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - reported to the learner
        return {"error": f"joblib.load(path) failed: {type(exc).__name__}: {str(exc)[:300]}"}
    if not hasattr(model, "predict_proba"):
        return {"error": f"joblib.load(path) gave a {type(model).__name__}, which has no "
                         "predict_proba"}
    return {"type": type(model).__name__, "proba": model.predict_proba(X)}


def _drive_api(app, calls):
    """Send requests to the app in-process with FastAPI's TestClient; return plain data.

    calls: list of [method, url, json_body, raw_body]. An exception raised by the app (what
    a real server turns into a 500) is returned as {"error": "..."}.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    if not callable(app):
        return [{"error": f"create_app returned a {type(app).__name__}, not a FastAPI app"}]
    out = []
    try:
        manager = TestClient(app)
        client = manager.__enter__()            # runs startup / lifespan handlers
    except Exception as exc:  # noqa: BLE001
        return [{"error": f"starting the app failed: {type(exc).__name__}: {str(exc)[:400]}"}]
    try:
        for method, url, body, raw in calls:
            try:
                if raw is not None:
                    r = client.request(method, url, content=raw.encode(),
                                       headers={"content-type": "application/json"})
                else:
                    r = client.request(method, url, json=body)
            except Exception as exc:  # noqa: BLE001
                out.append({"status": None,
                            "error": f"{type(exc).__name__}: {str(exc)[:400]}"})
                continue
            try:
                data = r.json()
            except Exception:  # noqa: BLE001
                data = None
            out.append({"status": r.status_code, "json": data, "text": r.text[:300]})
    finally:
        try:
            manager.__exit__(None, None, None)
        except Exception:  # noqa: BLE001
            pass
    return out


def _openapi(app):
    return app.openapi()


# ----------------------------------------------------------------------------- API helpers
def _show(body) -> str:
    s = repr(body)
    return s if len(s) <= 70 else s[:67] + "..."


def _call(learner, app, calls):
    """Run the calls; a crash (exception in the app) fails the check with its message."""
    results = learner.probe(_drive_api, app, calls)
    if len(results) == 1 and len(calls) > 1 and "error" in results[0]:
        _fail(results[0]["error"])
    return results


def _expect_ok(result, what: str):
    if "error" in result:
        _fail(f"{what} crashed inside your app (a real server would answer 500): "
              f"{result['error']}")
    if result["status"] != 200:
        _fail(f"{what} answered HTTP {result['status']}, expected 200; body: "
              f"{result['text'][:200]}")
    return result["json"]


def _predict_body(X):
    return {"features": np.asarray(X, dtype=np.float64).round(6).tolist()}


def _read_prediction(body, n: int, what: str):
    if not isinstance(body, dict):
        _fail(f"{what}: the response should be a JSON object with keys classes, species, "
              f"probabilities; got {_show(body)}")
    missing = [k for k in ("classes", "species", "probabilities") if k not in body]
    if missing:
        _fail(f"{what}: the response has no {missing} (keys: {sorted(body)}); it must be "
              '{"classes": [...], "species": [...], "probabilities": [[...], ...]}')
    try:
        probs = np.asarray(body["probabilities"], dtype=np.float64)
        classes = np.asarray(body["classes"])
    except (TypeError, ValueError):
        _fail(f"{what}: probabilities should be a list of lists of numbers, got "
              f"{_show(body['probabilities'])}")
    if probs.shape != (n, 3):
        _fail(f"{what}: probabilities has shape {probs.shape}, expected ({n}, 3): one row of "
              "3 class probabilities per input row")
    if classes.shape != (n,) or classes.dtype.kind not in "iu":
        _fail(f"{what}: classes should be a list of {n} integers, got {_show(body['classes'])}")
    if not isinstance(body["species"], list) or len(body["species"]) != n:
        _fail(f"{what}: species should be a list of {n} names, got {_show(body['species'])}")
    return classes, probs, body["species"]


# ============================================================================= torch: model
@pytest.mark.points(1)
def test_build_mlp_architecture(learner, reference):
    """build_mlp is Linear → ReLU → Dropout → Linear and returns logits"""
    lib = learner.save_models
    info = learner.probe(_describe_module, lib.build_mlp(4, 16, 3))
    if not info["is_module"]:
        _fail(f"build_mlp should return a torch nn.Module (nn.Sequential), got a {info['type']}")
    expected = ["Linear", "ReLU", "Dropout", "Linear"]
    if info["children"] != expected:
        _fail(f"build_mlp's layers are {info['children']}, expected {expected} "
              "(nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3)))"
              "; the saved state_dict keys depend on this order")
    shapes = {"0.weight": [16, 4], "0.bias": [16], "3.weight": [3, 16], "3.bias": [3]}
    if info["state"] != shapes:
        _fail(f"build_mlp(4, 16, 3) state_dict shapes are {info['state']}, expected {shapes}")
    if info["dropout_p"] != [pytest.approx(0.2)]:
        _fail(f"build_mlp's Dropout has p={info['dropout_p']}, expected the default 0.2")
    other = learner.probe(_describe_module, lib.build_mlp(7, 8, 2, dropout=0.5))
    want = {"0.weight": [8, 7], "0.bias": [8], "3.weight": [2, 8], "3.bias": [2]}
    if other.get("state") != want or other.get("dropout_p") != [pytest.approx(0.5)]:
        _fail(f"build_mlp(7, 8, 2, dropout=0.5) gave shapes {other.get('state')} and dropout "
              f"{other.get('dropout_p')}; expected {want} and [0.5]: use the arguments, not "
              "fixed sizes")
    X = _f32(_iris()[0][:8])
    out = learner.probe(_logits, lib.build_mlp(4, 16, 3), X)
    if not isinstance(out, np.ndarray) or out.shape != (8, 3):
        _fail(f"build_mlp(4, 16, 3) applied to 8 rows should give logits of shape (8, 3), "
              f"got {getattr(out, 'shape', type(out).__name__)}")
    if np.allclose(out.sum(axis=1), 1.0, atol=1e-5) and np.all(out >= 0):
        _fail("build_mlp's output rows sum to 1: the network must return logits (no softmax "
              "layer); softmax belongs in prediction, CrossEntropyLoss applies it itself")


@pytest.mark.points(2)
def test_train_mlp_is_reproducible(learner):
    """train_mlp with the same seed gives the same weights; another seed gives others"""
    X_tr, y_tr, _, _ = _iris()
    lib = learner.save_models
    a = learner.probe(_state, lib.train_mlp(_f32(X_tr), y_tr, epochs=40, seed=0))
    b = learner.probe(_state, lib.train_mlp(_f32(X_tr), y_tr, epochs=40, seed=0))
    if sorted(a) != sorted(b):
        _fail(f"two calls gave different state_dict keys: {sorted(a)} vs {sorted(b)}")
    for k in a:
        if not np.array_equal(a[k], b[k]):
            _fail(f"train_mlp(X, y, seed=0) called twice gave different weights ({k} differs "
                  f"by up to {np.max(np.abs(a[k] - b[k])):.3g}): the run is not reproducible. "
                  "Call torch.manual_seed(seed) at the very start of train_mlp, before "
                  "build_mlp (the initial weights AND the Dropout masks come from it)")
    c = learner.probe(_state, lib.train_mlp(_f32(X_tr), y_tr, epochs=40, seed=1))
    if all(np.array_equal(a[k], c[k]) for k in a):
        _fail("train_mlp gave identical weights for seed=0 and seed=1: the seed argument is "
              "ignored (torch.manual_seed(seed), not a fixed number)")


@pytest.mark.points(2)
def test_train_mlp_matches_reference(learner, reference):
    """train_mlp follows the stated recipe: same weights as the reference training"""
    X_tr, y_tr, X_te, y_te = _iris()
    got = learner.probe(_state, learner.save_models.train_mlp(_f32(X_tr), y_tr, epochs=60,
                                                              lr=0.01, seed=0))
    ref = {k: v.detach().numpy() for k, v in
           _ref_train(reference, seed=0, epochs=60).state_dict().items()}
    if sorted(got) != sorted(ref):
        _fail(f"the trained model's state_dict keys are {sorted(got)}, expected {sorted(ref)}"
              " (build the model with build_mlp)")

    def same(cand):
        return all(np.allclose(got[k], cand[k], rtol=1e-4, atol=1e-5) for k in ref)

    if not same(ref):
        hint = ("follow the recipe exactly: torch.manual_seed(seed); model = build_mlp("
                "X.shape[1], n_hidden, int(y.max()) + 1); Adam(model.parameters(), lr); each "
                "epoch: zero_grad, loss = CrossEntropyLoss()(model(X), y), backward, step")
        if (same(_manual_train(X_tr, y_tr, 0, 60, dropout_epochs=0))
                or same(_manual_train(X_tr, y_tr, 0, 60, dropout_epochs=1))):
            hint = ("your weights are what training WITHOUT Dropout gives: the model was in "
                    "eval mode during (most of) training. Call model.train() before the "
                    "training step of every epoch, after any model.eval() used for logging")
        elif same(_manual_train(X_tr, y_tr, 0, 60, extra_forward=True)):
            hint = ("your weights match a run with one extra forward pass in train mode per "
                    "epoch: each call draws new Dropout masks from the seeded generator and "
                    "shifts all later ones. Evaluate under model.eval() + torch.no_grad(), "
                    "then model.train() again")
        elif same(_manual_train(X_tr, y_tr, 0, 0)):
            hint = "your weights are the initial ones: the optimizer never updated the model"
        elif same(_manual_train(X_tr, y_tr, 0, 60, lr=0.1)) or same(
                _manual_train(X_tr, y_tr, 0, 60, lr=0.001)):
            hint = "your weights match another learning rate: use the lr argument"
        for k in STATE_KEYS:
            assert_close(got[k], ref[k], name=f"trained weight {k} (seed 0, 60 epochs)",
                         rtol=1e-4, atol=1e-5, hint=hint)


# ============================================================================= torch: files
@pytest.mark.points(2)
def test_save_torch_writes_a_state_dict(learner):
    """save_torch writes the state_dict, readable with torch.load(weights_only=True)"""
    lib = learner.save_models
    model = lib.build_mlp(4, 16, 3)
    expected = learner.probe(_state, model)
    path = os.path.join(learner.workdir, "learner_mlp.pt")
    lib.save_torch(model, path)
    if not os.path.exists(path):
        _fail(f"save_torch(model, path) wrote no file at the path it was given ({path})")
    try:
        loaded = torch.load(path, weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure here is the learner's file format
        _fail("torch.load(path, weights_only=True) cannot read the file save_torch wrote "
              f"({type(exc).__name__}: {str(exc).split('.')[0][:100]}). Save the weights "
              "only, torch.save(model.state_dict(), path): torch.save(model, path) pickles "
              "the whole module, which needs an unsafe load and your class definition")
    if not isinstance(loaded, dict):
        _fail(f"the file holds a {type(loaded).__name__}, expected the state_dict (a dict of "
              "tensors): torch.save(model.state_dict(), path)")
    if sorted(loaded) != sorted(expected):
        _fail(f"the saved keys are {sorted(loaded)}, the model's state_dict keys are "
              f"{sorted(expected)}: save model.state_dict() itself")
    for k in expected:
        if not isinstance(loaded[k], torch.Tensor):
            _fail(f"saved entry {k!r} is a {type(loaded[k]).__name__}, expected a tensor")
        assert_close(loaded[k], expected[k], name=f"saved tensor {k!r}", rtol=0, atol=0,
                     hint="save the model's current weights, unchanged")


@pytest.mark.points(2)
def test_load_torch_predicts_identically(learner, reference):
    """load_torch rebuilds the model in eval mode: same logits as the saved model, every call"""
    path, ref_model = _weights_file(learner, reference, seed=0, epochs=300, name="ref_mlp.pt")
    _, _, X_te, _ = _iris()
    model = learner.save_models.load_torch(path)
    info = learner.probe(_describe_module, model)
    if not info["is_module"]:
        _fail(f"load_torch should return the rebuilt nn.Module, got a {info['type']}")
    out = learner.probe(_predict_twice, model, _f32(X_te))
    if info["training"] or not np.array_equal(out["a"], out["b"]):
        _fail("the model returned by load_torch is in training mode: Dropout is active, so "
              "two identical requests give different predictions. Call model.eval() before "
              "returning it")
    assert_close(out["a"], _ref_logits(ref_model, X_te),
                 name="logits of the reloaded model on 30 iris rows", rtol=1e-6, atol=1e-6,
                 hint="load_torch: model = build_mlp(); model.load_state_dict("
                      "torch.load(path, weights_only=True)); return model.eval()")


@pytest.mark.points(1)
def test_torch_save_load_round_trip(learner):
    """A trained MLP saved with save_torch and reloaded with load_torch predicts identically"""
    X_tr, y_tr, X_te, _ = _iris()
    lib = learner.save_models
    model = lib.train_mlp(_f32(X_tr), y_tr, epochs=30, seed=2)
    path = os.path.join(learner.workdir, "round_trip.pt")
    lib.save_torch(model, path)
    before = learner.probe(_logits, model, _f32(X_te))
    after = learner.probe(_logits, lib.load_torch(path), _f32(X_te))
    assert_close(after, before, name="logits after save_torch → load_torch (both in eval "
                 "mode) vs before", rtol=0, atol=0,
                 hint="the reloaded model must be the same network with the same weights")


# ============================================================================= sklearn + joblib
@pytest.mark.points(2)
def test_sklearn_pipeline_matches_library(learner, reference):
    """train_sklearn returns ONE Pipeline (StandardScaler + LogisticRegression) on raw features"""
    X_tr, y_tr, X_te, _ = _iris()
    model = learner.save_models.train_sklearn(X_tr, y_tr)
    steps = learner.probe(_pipeline_steps, model)
    if "StandardScaler" not in steps:
        _fail(f"train_sklearn returned {steps}: the StandardScaler is not inside the returned "
              "(and saved) object, so whoever loads the file feeds raw features to a model "
              "trained on scaled ones. Return make_pipeline(StandardScaler(), "
              "LogisticRegression(max_iter=1000)).fit(X, y)")
    if steps != ["StandardScaler", "LogisticRegression"]:
        _fail(f"the pipeline's steps are {steps}, expected ['StandardScaler', "
              "'LogisticRegression']")
    ref = reference.save_models.train_sklearn(X_tr, y_tr)
    assert_close(model.predict_proba(X_te), ref.predict_proba(X_te),
                 name="predict_proba of your pipeline on 30 raw iris rows", rtol=1e-6,
                 atol=1e-9, hint="fit the whole pipeline on the RAW training features, with "
                 "LogisticRegression(max_iter=1000) and its other defaults")
    assert_same(model.predict(X_te), ref.predict(X_te), name="predicted classes")


@pytest.mark.points(2)
def test_joblib_round_trip(learner):
    """save_sklearn / load_sklearn (joblib) give back a model with identical predictions"""
    X_tr, y_tr, X_te, _ = _iris()
    lib = learner.save_models
    model = lib.train_sklearn(X_tr, y_tr)
    before = model.predict_proba(X_te)
    path = os.path.join(learner.workdir, "pipeline.joblib")
    lib.save_sklearn(model, path)
    # loaded in the sandbox, never here: a joblib file is a pickle and can run code
    direct = learner.probe(_joblib_predict, path, X_te)
    if "error" in direct:
        _fail(f"save_sklearn(model, path): {direct['error']}. Write it with "
              "joblib.dump(model, path)")
    assert_close(direct["proba"], before, name="predict_proba of joblib.load(path) vs the "
                 "model before saving", rtol=0, atol=0,
                 hint="save the fitted estimator itself (the whole pipeline)")
    reloaded = lib.load_sklearn(path)
    assert_close(reloaded.predict_proba(X_te), before,
                 name="predict_proba of load_sklearn(path) vs the model before saving",
                 rtol=0, atol=0, hint="load_sklearn: return joblib.load(path)")


# ============================================================================= the API
@pytest.mark.points(1)
def test_api_health(learner, reference):
    """GET /health answers 200 {"status": "ok"}"""
    path, _ = _weights_file(learner, reference, seed=0, epochs=300, name="ref_mlp.pt")
    app = learner.app.create_app(path)
    (res,) = _call(learner, app, [["GET", "/health", None, None]])
    body = _expect_ok(res, "GET /health")
    if not isinstance(body, dict) or body.get("status") != "ok":
        _fail(f'GET /health returned {_show(body)}, expected {{"status": "ok"}}')


@pytest.mark.points(3)
def test_api_predict_matches_model(learner, reference):
    """POST /predict returns the model's classes, species and softmax probabilities"""
    path, ref_model = _weights_file(learner, reference, seed=0, epochs=300, name="ref_mlp.pt")
    _, _, X_te, _ = _iris()
    X = X_te[:6]
    body = _predict_body(X)
    app = learner.app.create_app(path)
    r1, r2 = _call(learner, app, [["POST", "/predict", body, None]] * 2)
    classes, probs, species = _read_prediction(_expect_ok(r1, "POST /predict (6 rows)"), 6,
                                               "POST /predict (6 rows)")
    logits = _ref_logits(ref_model, np.asarray(body["features"]))
    expected = _softmax(logits.astype(np.float64))
    if not np.allclose(probs, expected, **PROBS):
        second = _read_prediction(_expect_ok(r2, "POST /predict (again)"), 6, "again")[1]
        if not np.array_equal(probs, second):
            _fail("the same POST /predict sent twice gave different probabilities: the "
                  "model serves in training mode (Dropout active). Call model.eval() when "
                  "you load it")
        if np.allclose(probs, logits, rtol=1e-5, atol=1e-6):
            _fail("probabilities are the raw logits (rows do not sum to 1): apply "
                  "torch.softmax(logits, dim=1)")
        if np.allclose(probs, _softmax(logits.T).T, rtol=1e-5, atol=1e-6):
            _fail("probabilities sum to 1 down each column, not across each row: softmax "
                  "over dim=1 (the classes), not dim=0 (the batch)")
    assert_close(probs, expected, name="probabilities from POST /predict (6 rows, 3 classes)",
                 **PROBS, hint="softmax of the logits of the MLP loaded from model_path, "
                 "in eval mode, on the features exactly as sent")
    assert_same(classes, expected.argmax(axis=1), name="classes from POST /predict",
                hint="classes = argmax of the probabilities, as integers 0, 1, 2")
    want_species = [SPECIES[c] for c in expected.argmax(axis=1)]
    if list(species) != want_species:
        _fail(f"species from POST /predict are {species}, expected {want_species}: "
              f"species[i] = {SPECIES}[classes[i]]")


@pytest.mark.points(2)
def test_api_batch_requests(learner, reference):
    """A batch of 30 rows gives the same answers as 30 one-row requests"""
    path, _ = _weights_file(learner, reference, seed=0, epochs=300, name="ref_mlp.pt")
    _, _, X_te, _ = _iris()
    app = learner.app.create_app(path)
    calls = [["POST", "/predict", _predict_body(X_te), None]]
    calls += [["POST", "/predict", _predict_body(X_te[i:i + 1]), None] for i in range(30)]
    calls.append(calls[0])                      # the same batch again: must not change
    results = _call(learner, app, calls)
    again = results.pop()
    b_classes, b_probs, b_species = _read_prediction(
        _expect_ok(results[0], "POST /predict with 30 rows"), 30, "POST /predict with 30 rows")
    rows = [_read_prediction(_expect_ok(r, f"POST /predict with 1 row (row {i})"), 1,
                             f"POST /predict with 1 row (row {i})")
            for i, r in enumerate(results[1:])]
    s_classes = np.concatenate([r[0] for r in rows])
    s_probs = np.concatenate([r[1] for r in rows])
    s_species = [r[2][0] for r in rows]
    a_probs = _read_prediction(_expect_ok(again, "POST /predict with 30 rows (again)"), 30,
                               "POST /predict with 30 rows (again)")[1]
    if not np.array_equal(a_probs, b_probs):
        _fail("the same batch of 30 rows sent twice gave different probabilities: the model "
              "serves in training mode (Dropout active). Call model.eval() when you load it")
    assert_close(b_probs, s_probs, name="probabilities: one batch of 30 rows vs 30 one-row "
                 "requests", rtol=1e-5, atol=1e-7,
                 hint="each row's prediction must not depend on the other rows of the batch "
                      "(eval mode; no normalisation across the batch)")
    assert_same(b_classes, s_classes, name="classes: batch of 30 vs 30 single rows")
    if list(b_species) != s_species:
        _fail("species: the batch of 30 and the 30 single-row requests disagree")


_MALFORMED = [
    ("no 'features' field", {"rows": [[5.1, 3.5, 1.4, 0.2]]}, None),
    ("features is a string", {"features": "5.1, 3.5, 1.4, 0.2"}, None),
    ("one flat row instead of a list of rows", {"features": [5.1, 3.5, 1.4, 0.2]}, None),
    ("a value that is not a number", {"features": [[5.1, "wide", 1.4, 0.2]]}, None),
    ("a row of 3 values", {"features": [[5.1, 3.5, 1.4]]}, None),
    ("a row of 5 values", {"features": [[5.1, 3.5, 1.4, 0.2, 9.9]]}, None),
    ("rows of 4 and 3 values", {"features": [[5.1, 3.5, 1.4, 0.2], [6.0, 2.9, 4.5]]}, None),
    ("an empty batch", {"features": []}, None),
    ("a body that is not JSON", None, "features=5.1,3.5,1.4,0.2"),
]


@pytest.mark.points(3)
def test_api_rejects_malformed_input(learner, reference):
    """Malformed requests get 422 (validation error), never a crash"""
    path, _ = _weights_file(learner, reference, seed=0, epochs=300, name="ref_mlp.pt")
    app = learner.app.create_app(path)
    calls = [["POST", "/predict", body, raw] for _, body, raw in _MALFORMED]
    calls.append(["POST", "/predict", _predict_body(_iris()[2][:2]), None])
    calls.append(["GET", "/health", None, None])
    results = _call(learner, app, calls)
    wrong = []
    for (what, body, raw), res in zip(_MALFORMED, results[:len(_MALFORMED)], strict=True):
        if "error" in res:
            wrong.append(f"{what} {_show(body if raw is None else raw)}: your app crashed "
                         f"({res['error'][:160]}), a server answers 500")
        elif res["status"] != 422:
            wrong.append(f"{what} {_show(body if raw is None else raw)}: HTTP {res['status']}")
    if wrong:
        _fail(f"{len(wrong)} of {len(_MALFORMED)} malformed requests did not get 422:\n  - "
              + "\n  - ".join(wrong)
              + "\n  Let FastAPI validate: declare the body as a pydantic model, "
              "features: list of rows with each row exactly 4 floats (Field(min_length=4, "
              "max_length=4)) and at least one row (min_length=1); never read the raw request")
    _expect_ok(results[-2], "a valid POST /predict after the malformed ones")
    _expect_ok(results[-1], "GET /health after the malformed requests")


@pytest.mark.points(1)
def test_api_typed_request_schema(learner, reference):
    """/predict declares a typed request body (a pydantic model with `features`)"""
    path, _ = _weights_file(learner, reference, seed=0, epochs=300, name="ref_mlp.pt")
    spec = learner.probe(_openapi, learner.app.create_app(path))
    paths = spec.get("paths", {}) if isinstance(spec, dict) else {}
    if "get" not in paths.get("/health", {}):
        _fail(f"the app has no GET /health route (routes: {sorted(paths)})")
    post = paths.get("/predict", {}).get("post")
    if post is None:
        _fail(f"the app has no POST /predict route (routes: {sorted(paths)})")
    schema = (post.get("requestBody", {}).get("content", {}).get("application/json", {})
              .get("schema", {}))
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1], {})
    features = schema.get("properties", {}).get("features")
    if not features:
        _fail("POST /predict does not declare a typed JSON body with a `features` field "
              f"(its body schema: {_show(schema)}). Declare class PredictRequest(BaseModel): "
              "features: list[list[float]] (with length limits) and take it as the "
              "endpoint's parameter: def predict(request: PredictRequest)")
    if features.get("type") != "array":
        _fail(f"`features` is declared as {_show(features)}, expected a list of rows")
    if "features" not in schema.get("required", []):
        _fail("`features` is optional in your request model: make it required (no default)")


@pytest.mark.points(2)
def test_api_serves_the_given_model_file(learner, reference):
    """create_app(model_path) serves the weights in model_path (two files, two models)"""
    _, _, X_te, _ = _iris()
    body = _predict_body(X_te[:10])
    X = np.asarray(body["features"])
    answers = []
    for seed, epochs in ((0, 300), (1, 30)):
        path, ref_model = _weights_file(learner, reference, seed, epochs,
                                        name=f"served_{seed}.pt")
        (res,) = _call(learner, learner.app.create_app(path),
                       [["POST", "/predict", body, None]])
        _, probs, _ = _read_prediction(_expect_ok(res, "POST /predict"), 10, "POST /predict")
        answers.append((probs, _softmax(_ref_logits(ref_model, X).astype(np.float64))))
    (p0, e0), (p1, e1) = answers
    if np.allclose(p0, p1, rtol=1e-5, atol=1e-6):
        _fail("two apps created from two different weight files gave the same predictions: "
              "create_app ignores model_path (a fixed file name, or a model cached at module "
              "level). Load the model inside create_app, from model_path")
    for k, (p, e) in enumerate(answers):
        assert_close(p, e, name=f"probabilities of the app built on weight file #{k + 1}",
                     **PROBS, hint="create_app must load the weights from model_path, into "
                     "build_mlp(4, 16, 3), in eval mode, and answer softmax probabilities")
