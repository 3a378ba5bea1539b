"""Plain torch loop: a GRU predicts the minutes each 500 m leg of a pack-animal trekking route
takes, from 20 legs per route: distance (km), ascent (m), descent (m), surface (0 track, 1
scree, 2 stream crossing, one-hot) and pack load (kg). Minutes follow the usual hill-walking rule (12 min
per km plus 1 min per 10 m of ascent, a third of that back for gentle descent) times a surface
factor and a load factor, and a fatigue term that grows with the ascent already climbed on the
route, so the net has to carry state along the sequence; 0.4 min of noise, targets
standardised with the training mean/std. GRU(7 -> 48) + Linear head, MSE, RMSprop 2e-3 with
MultiStepLR (x0.3 at epochs 10 and 16), batch 24, 20 epochs of 768 routes, validation on 192.
Log: ``metrics.jsonl`` one JSON line per epoch (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_min``). Checkpoint ``gru_trek.pt``: ``weights`` / ``rmsprop`` /
``milestones`` / ``epoch``.
Healthy: numbers in the README."""
import json

import torch
import torch.nn as nn


def routes(n, g, legs=20):
    dist = 0.5 * torch.ones(n, legs)
    ascent = (torch.randn(n, legs, generator=g) * 40 + 10).clamp(min=0)
    descent = (torch.randn(n, legs, generator=g) * 30).clamp(min=0)
    surface = torch.multinomial(torch.tensor([0.7, 0.2, 0.1]), n * legs, replacement=True,
                                generator=g).view(n, legs)
    load = (20 + 15 * torch.rand(n, 1, generator=g)).expand(n, legs)
    base = 12 * dist + ascent / 10 - descent / 30
    factor = torch.tensor([1.0, 1.4, 1.8])[surface] * (1 + 0.01 * (load - 20))
    fatigue = 1 + 0.0006 * torch.cumsum(ascent, 1)
    minutes = base * factor * fatigue + 0.4 * torch.randn(n, legs, generator=g)
    x = torch.cat([dist[..., None], ascent[..., None] / 100, descent[..., None] / 100,
                   nn.functional.one_hot(surface, 3).float(), load[..., None] / 30], -1)
    return x, minutes


class LegGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(7, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return LegGRU()


def main():
    from _twohundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, mtr = routes(768, g)
    xva, mva = routes(192, g)
    mu, sd = mtr.mean(), mtr.std()
    ytr, yva = (mtr - mu) / sd, (mva - mu) / sd
    print("minutes per leg mean/std", mu.item(), sd.item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=24, shuffle=True)
    net = build()
    opt = torch.optim.RMSprop(net.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 16], gamma=0.3)
    with open(out / "metrics.jsonl", "w") as f:
        for epoch in range(20):
            net.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(net(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            net.eval()
            with torch.no_grad():
                pv = net(xva)
            rec = {"epoch": epoch, "lr": lr, "train_mse": round(tot / len(xtr), 5),
                   "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 5),
                   "val_mae_min": round(((pv - yva).abs().mean() * sd).item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": net.state_dict(), "rmsprop": opt.state_dict(),
                "milestones": sched.state_dict(), "epoch": 20}, out / "gru_trek.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="gru_trek.pt",
           log="metrics.jsonl",
           what="GRU regressing minutes per leg of a trekking route with fatigue (healthy)")


if __name__ == "__main__":
    main()
