"""Paper mill: predicting the basis weight (g/m²) at the reel of a paper machine from the wet end
and dryer section, on synthetic 1-minute process snapshots: thick-stock flow, headbox
consistency, machine speed, wire-to-jet ratio, filler dosage, retention-aid dosage, steam
pressure of the dryer cans and the moisture at the reel. The reel weight is (stock flow ×
consistency × retention) / speed, plus filler, minus water, plus sensor noise (σ 0.4 g/m²) —
a smooth non-linear function around 105 g/m² (σ 21). An MLP 8 → 64 → 64 → 1 on standardised inputs,
predicting the standardised weight; Adam 1e-3, batch 32, 12 epochs of 2048 snapshots, a JSON
line per epoch (`epoch`, `train_mse`, `val_mse`, `val_mae_gsm` in g/m²).
Bug: in a refactor that moved the logging out of the step loop, ``optimiser.zero_grad()`` ended
up above the step loop, so it runs once per epoch: within an epoch every ``backward()`` adds
to the gradients of all earlier steps and Adam follows the running sum. Each epoch starts
with a few good steps and then overshoots in the direction of the stale sum; the train MSE
bounces between 0.11 and 0.63 instead of falling and val MAE goes 18.2, 16.4, 7.6, 7.3, 11.4,
13.9, 6.7, ... 13.1 g/m² at epoch 12 (val MSE 0.59), while the control (``zero_grad()`` back
inside the step loop) reaches train MSE 0.0024, val MSE 0.0028, val MAE 0.85 g/m²."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURES = ["stock_flow_lps", "headbox_consistency_pct", "speed_mpm", "jet_wire_ratio",
            "filler_kg_t", "retention_aid_g_t", "steam_kpa", "reel_moisture_pct"]


def snapshots(n, g):
    u = torch.rand(n, 8, generator=g)
    flow = 180 + 60 * u[:, 0]
    cons = 0.8 + 0.5 * u[:, 1]
    speed = 700 + 300 * u[:, 2]
    jw = 0.97 + 0.06 * u[:, 3]
    filler = 50 + 150 * u[:, 4]
    ret_aid = 100 + 300 * u[:, 5]
    steam = 250 + 200 * u[:, 6]
    moist = 5 + 4 * u[:, 7] - 0.004 * (steam - 350)
    retention = 0.55 + 0.3 * (1 - torch.exp(-ret_aid / 200)) - 0.4 * (jw - 1).abs()
    dry = flow * cons * retention / speed * 470
    bw = dry * (1 + filler / 2000) * (1 + moist / 100) + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([flow, cons, speed, jw, filler, ret_aid, steam, moist], 1)
    return x, bw


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, bw = snapshots(2560, g)
    mu, sd = x[:2048].mean(0), x[:2048].std(0)
    ymu, ysd = bw[:2048].mean(), bw[:2048].std()
    x = (x - mu) / sd
    y = ((bw - ymu) / ysd)[:, None]
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    print(f"basis weight mean {ymu:.1f} sd {ysd:.2f} g/m2")
    net = build()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    log = open(out / "bw_train.jsonl", "w")
    for epoch in range(1, 13):
        net.train()
        total, seen = 0.0, 0
        optimiser.zero_grad()
        for idx in torch.randperm(2048, generator=g).split(32):
            loss = F.mse_loss(net(xtr[idx]), ytr[idx])
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        net.eval()
        with torch.no_grad():
            pv = net(xva)
            val_mse = F.mse_loss(pv, yva).item()
            mae = ((pv - yva).abs().mean() * ysd).item()
        rec = {"epoch": epoch, "train_mse": round(total / seen, 5), "val_mse": round(val_mse, 5),
               "val_mae_gsm": round(mae, 3)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": net.state_dict(), "optim": optimiser.state_dict(), "epoch": 12,
                "feature_names": FEATURES, "target_scale": [float(ymu), float(ysd)]},
               out / "basis_weight_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["missing_zero_grad"],
           checkpoint="basis_weight_mlp.pt", log="bw_train.jsonl",
           what="paper-machine basis-weight MLP, zero_grad() once per epoch (outside the step loop)",
           complaint="Our basis-weight soft sensor for PM2 won't settle: the train MSE (standardised) "
                     "jumps around between 0.11 and 0.63 from epoch to epoch for all 12 epochs, "
                     "and the validation MAE goes 18 -> 7 -> 14 -> 7 -> 13 g/m2, ending at 13 g/m2 "
                     "on a reel weight of about 104 g/m2. The lab scale is good to 0.5 g/m2, so "
                     "this is useless. Same data, same MLP.")


if __name__ == "__main__":
    main()
