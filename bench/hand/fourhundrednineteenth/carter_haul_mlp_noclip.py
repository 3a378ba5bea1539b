"""Plain torch: a plain MLP gives a carting firm's dispatcher the hours a horse-drawn haul will
take, so the carter can be booked for the day. Each haul: distance (2-40 km), load (0.3-3 t),
horses in the team (1-4), climb along the route (0-600 m), road surface (paved / gravel /
dirt track), wet or dry, and the month. The rule behind the hours: a team walks at about
5 km/h on a paved road, gravel ×0.85, dirt ×0.7 (×0.55 when wet), slowed by load per horse
(×1 / (1 + 0.35 · t per horse)); every 100 m of climb costs 12 min per tonne per horse, plus
loading and unloading (15 min per tonne) and a rest of 20 min every 2 h on the road; winter
months add 15 %; ±8 % noise. Hours run from 0.6 to about 36 (a long tail of heavy, wet, hilly
hauls).
Input: 10 standardised features (surface one-hot). Target: hours as they are. Model: 6
Linear layers 10→64→64→64→64→64→1 with ReLU, MSE, SGD 0.02 with momentum 0.9, batch 64, 30
epochs of 1600 hauls, validation on 400.
The bug: the gradient norm is taken for the log with ``clip_grad_norm_(..., max_norm=1e9)``
(kept from a run where clipping was switched off), so it never clips; the long-tailed hauls
throw the gradient norm to 204 and 498 in epoch 2 and 1434 at step 77; from there it runs
away (6.6e5, 9.1e7, inf at step 80), the batch loss goes 3.0e5 → 5.5e6 → 2.5e35 → inf → NaN at
step 82 and every weight is NaN from epoch 3 on (val MSE 25.3, 36.0, 15.8 in epochs 0-2, then
NaN to the end). Control, ``max_norm=1.0``: val MSE 23.7 → 0.79, MAE 3.94 → 0.67 h.
Log: TSV per step ``haul_steps.tsv`` (``step`` / ``epoch`` / ``mse`` / ``grad_norm``) and a
JSON lines file per epoch ``haul_epochs.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_h``); checkpoint ``haul_mlp.pth`` with keys ``weights`` / ``sgd_state`` /
``epoch`` / ``feat_mean`` / ``feat_std``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def hauls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    km = 2 + 38 * r(n)
    tons = 0.3 + 2.7 * r(n)
    horses = torch.randint(1, 5, (n,), generator=g).float()
    climb = 600 * r(n) ** 2
    surf = torch.randint(0, 3, (n,), generator=g)
    wet = (r(n) < 0.3).float()
    month = torch.randint(1, 13, (n,), generator=g).float()
    base = torch.tensor([1.0, 0.85, 0.7])[surf]
    base = torch.where((surf == 2) & (wet > 0), torch.full_like(base, 0.55), base)
    speed = 5.0 * base / (1 + 0.35 * tons / horses)
    road_h = km / speed
    hours = road_h + (climb / 100) * 0.2 * tons / horses + 0.25 * tons + (road_h // 2) / 3
    winter = ((month <= 2) | (month == 12)).float()
    hours = hours * (1 + 0.15 * winter) * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([km, tons, horses, climb, (surf == 0).float(), (surf == 1).float(),
                     (surf == 2).float(), wet, torch.sin(2 * math.pi * month / 12),
                     torch.cos(2 * math.pi * month / 12)], 1)
    return x, hours.unsqueeze(1)


def build():
    torch.manual_seed(0)
    layers, w = [], 10
    for _ in range(5):
        layers += [nn.Linear(w, 64), nn.ReLU()]
        w = 64
    return nn.Sequential(*layers, nn.Linear(64, 1))


def main():
    from _fourhundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = hauls(1600, g)
    xva, yva = hauls(400, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("hours", ytr.min().item(), ytr.mean().item(), ytr.max().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    step = 0
    with open(out / "haul_steps.tsv", "w") as steps, open(out / "haul_epochs.jsonl", "w") as ep:
        steps.write("step\tepoch\tmse\tgrad_norm\n")
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 64):
                idx = perm[b:b + 64]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                gn = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1e9)  # grad norm for the log
                opt.step()
                tot += loss.item() * len(idx)
                steps.write(f"{step}\t{epoch}\t{loss.item():.6g}\t{gn.item():.6g}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = {"epoch": epoch, "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_h": round((p - yva).abs().mean().item(), 4)}
            ep.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 30,
                "feat_mean": mean, "feat_std": std}, out / "haul_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="haul_mlp.pth", log="haul_steps.tsv",
           what="plain MLP giving the hours of a horse-drawn carter's haul, gradient norm"
                " taken with a clip threshold so high it never clips",
           complaint="Our haul-time model for the carting yard trains for two or three epochs with"
                     " the loss bouncing around (val MSE 25, then 36, then 16) and then the whole"
                     " thing turns to NaN in epoch 3 and never comes back. The grad_norm column"
                     " I log goes 20, 100, 500, 1400, 660000 and then inf right before it. Same"
                     " data and features as always, hours between 0.6 and 36")


if __name__ == "__main__":
    main()
