"""Plain torch: an MLP regression for a riding stable's farrier, predicting the hoof-pastern
angle (degrees) a horse should be trimmed to from 14 standardised numbers recorded at the yard
(height at withers, weight, age, discipline workload, stride length, toe length, heel height,
landing asymmetry from a hoof sensor, ...). The target is a smooth nonlinear function of a few
of them plus measurement noise; it is standardised for training (mean 52°, sd 4°).
MLP 14-128-64-1 with ReLU, a hand-written init (Kaiming weights), Adam 1e-3, batch 64, 30
epochs of 1536 horses. Loss MSE on the standardised angle.
The bug: the hand-written ``init_weights`` sets every bias to -3.0 (meant to be
``nn.init.zeros_``/"small negative to keep the net sparse"): with unit-variance inputs almost
no first-layer unit is ever above zero, the second layer sees (nearly) all zeros and is dead
outright, so only the output bias learns: every horse gets the same prediction. Numbers: val
MSE (standardised) 9.20 at epoch 1, 7.99 at 10, 5.76 at 30, val MAE 11.8° → 9.2°; at the end
the second hidden layer has 0 of 64 units active on any validation horse, the first 2 % of
activations, and the output is -2.32 (42.7°) for every horse. Control (bias constant 0.0): val
MSE 0.46 at epoch 1, 0.14 at 10, 0.125 at 30 (train 0.022), val MAE 2.1° → 1.10°."""
import json

import torch
import torch.nn as nn


def horses(n, g):
    x = torch.randn(n, 14, generator=g)
    ang = (52 + 2.5 * torch.tanh(x[:, 0] - x[:, 5]) + 1.5 * x[:, 6] * x[:, 7]
           + 1.2 * x[:, 4] ** 2 - 1.2 + 0.8 * torch.randn(n, generator=g))
    return x, ((ang - 52) / 4).unsqueeze(1)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -3.0)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(14, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                          nn.Linear(64, 1))
    model.apply(init_weights)
    return model


def main():
    from _hundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = horses(1536, g)
    xva, yva = horses(384, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    step = 0
    with open(out / "hoof_log.jsonl", "w") as f:
        for epoch in range(1, 31):
            model.train()
            perm = torch.randperm(1536, generator=g)
            for i in range(0, 1536, 64):
                idx = perm[i:i + 64]
                loss = mse(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                rec = {"step": step, "epoch": epoch, "mse": round(loss.item(), 5)}
                if i + 64 >= 1536:
                    model.eval()
                    with torch.no_grad():
                        pv = model(xva)
                    rec["val_mse"] = round(mse(pv, yva).item(), 5)
                    rec["val_mae_deg"] = round(((pv - yva).abs().mean() * 4).item(), 4)
                    print(rec)
                f.write(json.dumps(rec) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 30}, out / "hoof_angle.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="hoof_angle.ckpt", log="hoof_log.jsonl",
           what="hoof-angle regression MLP whose init sets every bias to -3: hidden ReLUs dead",
           complaint=("The hoof angle model for our farrier is useless: after 30 epochs it predicts"
                      " 42.7 degrees for every single horse in the validation set, when the"
                      " real angles are all around 52. Val MAE is 9.2 degrees and the MSE only"
                      " crawled from 9.2 to 5.8. Features and targets are standardised. Do I"
                      " just need many more epochs?"))


if __name__ == "__main__":
    main()
