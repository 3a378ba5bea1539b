"""Trucking fleet analytics: predict a lorry trip's fuel consumption (l/100 km) from the trip
summary a telematics box uploads — payload (t), mean speed, share of motorway, total climb per
km, number of stops per 100 km, ambient temperature, head-wind component, tyre pressure
deviation, engine hours since service, trailer type (curtain / box / tanker, one-hot) and driver
score — 13 features. Synthetic trips from a physical-ish model (rolling resistance ∝ mass, drag
∝ (speed + wind)², climb ∝ mass × height, stop–go losses, cold-start penalty below 5 °C, a
trailer drag factor) plus a per-trip noise of σ = 4.5 l/100 km (traffic, loading, fuel-card
rounding); 320 trips for training, 400 held out; features and target standardised with the
training statistics. MLP 13 → 512 → 512 → 512 → 1 (ReLU, 0.53 M parameters), no dropout, no
weight decay, Adam 1e-3, batch 32, 100 epochs; a JSON-lines log per epoch (``epoch``,
``mse_train``, ``mse_valid``, ``mae_valid_l100km``).
Bug (overfitting): a 0.53 M-parameter network with no regularisation trained for 100 epochs on
320 noisy trips memorises them. The noise alone is a standardised MSE of 0.30 (target std 8.2
l/100 km). Val MSE is lowest at epoch 3 (0.380, MAE 4.00 l/100 km), then climbs to 0.42 (epoch
7), 0.495 (epoch 19) and stays 0.46–0.48 to the end (0.465, MAE 4.45), while the train MSE
falls to 0.09 (epoch 10), 0.02 (epoch 20) and 0.0003–0.013 after epoch 40. Control (``HIDDEN =
8``, the same line; 265 parameters): train MSE 0.21, val MSE 0.40 flat over epochs 70–100 (MAE
4.2), no turn-up; with ``HIDDEN = 16`` the val MSE still creeps up from 0.388 (epoch 40) to
0.431 (train 0.135)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

HIDDEN = 512
FEATURES = ["payload_t", "speed_kmh", "motorway_share", "climb_m_per_km", "stops_per_100km",
            "temp_c", "headwind_kmh", "tyre_dev_bar", "hours_since_service", "curtain", "box",
            "tanker", "driver_score"]


def trips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    payload = 24 * r(n)
    speed = 45 + 40 * r(n)
    motorway = r(n)
    climb = 25 * r(n) ** 2
    stops = 40 * (1 - motorway) * r(n)
    temp = -10 + 40 * r(n)
    wind = 30 * (r(n) - 0.5)
    tyre = 0.6 * (r(n) - 0.7)
    hours = 600 * r(n)
    trailer = torch.randint(0, 3, (n,), generator=g)
    driver = r(n)
    mass = 14 + payload
    drag = torch.tensor([1.0, 1.12, 0.92])[trailer]
    fuel = (0.55 * mass * (1 - 0.4 * tyre)
            + 0.0021 * drag * (speed + wind) ** 2
            + 0.08 * mass * climb / 10
            + 0.06 * stops * mass / 20
            + 2.5 * (temp < 5).float() * (5 - temp).clamp(max=15) / 15
            + 0.002 * hours - 2.0 * (driver - 0.5))
    fuel = fuel + 4.5 * torch.randn(n, generator=g)
    x = torch.stack([payload, speed, motorway, climb, stops, temp, wind, tyre, hours,
                     (trailer == 0).float(), (trailer == 1).float(), (trailer == 2).float(),
                     driver], 1)
    return x, fuel


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(13, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                         nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))


def main():
    from _hundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = trips(720, g)
    xm, xs, ym, ys = x[:320].mean(0), x[:320].std(0), y[:320].mean(), y[:320].std()
    x, y = (x - xm) / xs, ((y - ym) / ys)[:, None]
    xtr, ytr, xva, yva = x[:320], y[:320], x[320:], y[320:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "fuel_train.jsonl", "w") as log:
        for epoch in range(1, 101):
            model.train()
            perm = torch.randperm(320, generator=g)
            tot = 0.0
            for i in range(0, 320, 32):
                idx = perm[i:i + 32]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "mse_train": round(tot / 320, 5),
                   "mse_valid": round(F.mse_loss(pv, yva).item(), 5),
                   "mae_valid_l100km": round(((pv - yva).abs().mean() * ys).item(), 3)}
            log.write(json.dumps(rec) + "\n")
            if epoch % 10 == 0 or epoch < 10:
                print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epochs": 100,
                "features": FEATURES, "x_mean": xm, "x_std": xs, "y_mean": float(ym),
                "y_std": float(ys)}, out / "fuel_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["overfitting"],
           checkpoint="fuel_mlp.pt", log="fuel_train.jsonl",
           what="0.53 M-parameter MLP, no regularisation, 100 epochs on 320 lorry trips",
           complaint="Fuel model for our lorry fleet: training MSE goes down to almost "
                     "nothing (0.0003-0.01 after epoch 40), but the validation MSE was best at "
                     "epoch 3 (0.38) and then went up to ~0.47-0.49 and stayed there through epoch "
                     "100. Validation MAE is 4.45 l/100 km at the end, worse than after 3 "
                     "epochs (4.0). Training longer makes it worse, not better.")


if __name__ == "__main__":
    main()
