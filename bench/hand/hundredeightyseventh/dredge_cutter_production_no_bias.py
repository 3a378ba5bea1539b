"""Plain torch: an MLP predicts the hourly production of a cutter suction dredge (thousand m³
of in-situ soil per hour) from 6 standardised numbers the dredge's logging system records
each hour (mixture density, mixture velocity, cutter depth, swing speed, cutter torque, vacuum
at the pump inlet); production is density × velocity times a smooth, saturating function of
cutter depth and swing speed, minus a cavitation loss when the vacuum is high, plus noise;
it averages 3.2 (thousand m³/h), std 0.99. MLP 6-64-64-1 with ReLU, Adam 1e-3, MSE, batch 64,
40 epochs of 2048 hours, shuffled.
The bug: the layers are built by a small ``block`` helper (and the head beside it) with
``nn.Linear(..., bias=False)``, copied from a model where a BatchNorm followed each Linear;
here nothing follows, so the whole network is positively homogeneous (f(c·x) = c·f(x)) and
cannot put out the ~3.2 offset except through the length of the input vector: train MSE
7.6 → 1.18 by epoch 3 and 0.98 at epoch 40; val MSE 1.03, 1.01, 1.02, 1.01 at epochs 3, 5,
20, 40 (val MAE 0.81), about the target's variance.
Control (``, bias=False`` removed): val MSE 0.31 at epoch 5, 0.081 at 10, 0.042 at 20, 0.023
at 40 (val MAE 0.116; noise floor 0.01)."""
import json

import torch
import torch.nn as nn


def hours(n, g):
    x = torch.randn(n, 6, generator=g)
    density = 1.35 + 0.08 * x[:, 0]
    velocity = 5.0 + 0.6 * x[:, 1]
    depth_swing = torch.sigmoid(1.2 * x[:, 2]) * (1 + 0.4 * torch.tanh(x[:, 3]))
    cav = 0.4 * torch.relu(x[:, 5] - 0.5) ** 2
    y = 0.45 * density * velocity * (0.6 + depth_swing) - cav + 0.1 * x[:, 4] * x[:, 3]
    return x, (y + 0.1 * torch.randn(n, generator=g)).unsqueeze(1)


def block(i, o):
    return nn.Sequential(nn.Linear(i, o, bias=False), nn.ReLU())


def build():
    torch.manual_seed(0)
    return nn.Sequential(block(6, 64), block(64, 64), nn.Linear(64, 1, bias=False))


def main():
    from _hundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = hours(2048, g)
    xva, yva = hours(512, g)
    print(f"target mean {ytr.mean():.3f} std {ytr.std():.3f}")
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(1, 41):
            model.train()
            total = 0.0
            for xb, yb in train:
                loss = mse(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "train_mse": round(total / len(xtr), 5),
                   "val_mse": round(mse(pv, yva).item(), 5),
                   "val_mae": round((pv - yva).abs().mean().item(), 5)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 40}, out / "production_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="production_mlp.pt", log="train_log.jsonl",
           what="dredge production regression MLP built with bias=False in every Linear",
           complaint=("Our dredge production model plateaus way too early. Val MSE goes 3.6 -> "
                      "1.03 in the first 3 epochs and then sits at 1.01-1.02 for the rest of "
                      "the 40 epochs (MAE 0.81 thousand m3/h, and the target's std is only "
                      "~1.0, so it is no better than predicting the average). A gradient boosting baseline on the same 6 hourly features gets "
                      "far lower error. Inputs are standardised, the target is in thousand "
                      "m3/h. Is the MLP just too small, or do I need a lower learning rate?"))


if __name__ == "__main__":
    main()
