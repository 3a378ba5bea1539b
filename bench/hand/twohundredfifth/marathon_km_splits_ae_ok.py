"""Plain torch: an autoencoder learns the shape of a marathon runner's 42 one-kilometre splits
(the race-timing company uses its reconstruction error to flag chip-mat misreads). Every runner
runs the same course (a hill at km 12–15, a long drag from km 30, drink stations every 5 km);
a split is the runner's mean pace × the course profile × the runner's own pacing: even, a
negative split, a slow fade from a random km, or hitting the wall (a jump of 8–25 % after km
28–35 that stays), plus 1 % stride noise. Input and target: the 42 splits divided by the
runner's mean split, minus 1, × 20. Linear(42→32)-ELU-Linear(32→6)-ELU-Linear(6→32)-ELU-
Linear(32→42), MSE, Adam 1e-3, batch 64, 30 epochs of 1024 finishers.
Log: JSON lines, one per epoch (``epoch``, ``train_recon``, ``val_recon``); checkpoint
``net`` / ``opt`` / ``epoch`` / ``step``.
Healthy: val reconstruction MSE 0.449 after epoch 1, 0.236, 0.097 at 5, 0.069 at 10, 0.048 at
20, 0.0433 at 30, still creeping down; the stride noise alone is 0.04 (1 % × 20 squared), so it
ends near the floor. The val MSE stays below the train MSE every epoch (train is the mean over
the epoch while the weights move)."""
import json

import torch
import torch.nn as nn

K = 42


def finishers(n, g):
    km = torch.arange(K).float()
    course = 1 + 0.04 * ((km >= 12) & (km < 15)) + 0.015 * (km >= 30) + 0.01 * (km % 5 == 4)
    style = torch.randint(0, 4, (n,), generator=g)
    start = 8 + 30 * torch.rand(n, 1, generator=g)
    wall_at = 28 + 7 * torch.rand(n, 1, generator=g)
    shape = torch.ones(n, K)
    neg = 1.03 - 0.06 * km / (K - 1)
    fade = 1 + 0.004 * (km - start).clamp(min=0)
    wall = 1 + (0.08 + 0.17 * torch.rand(n, 1, generator=g)) * torch.sigmoid(3 * (km - wall_at))
    shape = torch.where(style[:, None] == 1, neg, shape)
    shape = torch.where(style[:, None] == 2, fade, shape)
    shape = torch.where(style[:, None] == 3, wall, shape)
    pace = 240 + 240 * torch.rand(n, 1, generator=g)
    splits = pace * course * shape * (1 + 0.01 * torch.randn(n, K, generator=g))
    return (splits / splits.mean(1, keepdim=True) - 1) * 20


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(K, 32), nn.ELU(), nn.Linear(32, 6), nn.ELU(),
                         nn.Linear(6, 32), nn.ELU(), nn.Linear(32, K))


def main():
    from _twohundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = finishers(1280, g)
    xtr, xva = x[:1024], x[1024:]
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    step = 0
    with open(out / "ae_log.jsonl", "w") as log:
        for epoch in range(1, 31):
            net.train()
            perm = torch.randperm(1024, generator=g)
            total = 0.0
            for i in range(0, 1024, 64):
                b = xtr[perm[i:i + 64]]
                loss = mse(net(b), b)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                total += loss.item() * len(b)
            net.eval()
            with torch.no_grad():
                val = mse(net(xva), xva).item()
            rec = {"epoch": epoch, "train_recon": round(total / 1024, 5), "val_recon": round(val, 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 30, "step": step},
               out / "splits_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="splits_ae.pt",
           log="ae_log.jsonl",
           what="autoencoder over a marathon runner's 42 km splits, course-shaped (healthy)")


if __name__ == "__main__":
    main()
