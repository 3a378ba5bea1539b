"""Plain torch: a GRU keeps a running count of how much of a linkboy's link is left as he
lights a fare home through unlit streets (per-step regression). A link is a torch of tow
dipped in pitch, 14-22 inches long when lit; it burns down at 0.25-0.45 in/min in still
air, faster in wind (up to +80 % in a strong gust), and its pitch (0.5-1.0 of a good dip)
sets both how bright it burns and how slow. Each minute the boy's lantern-maker's meter
gives three readings: the link's starting length (the same every minute), the wind at the
corner (noisy) and the flame's brightness (pitch × wind-fanned flare, noisy). The target at
minute t is the inches of link left, (left - 10) / 6; the GRU must add up the burn from wind
and brightness. 60 minutes per walk, 640 walks, validation on 160.
Model: GRU 3→48 (1 layer), Linear 48→1 on every step; MSE, Adam 3e-3 with
ReduceLROnPlateau (×0.5, patience 2) on the val MSE, batch 32, 18 epochs.
Healthy; numbers in the README.
Log: TSV per epoch ``burn_log.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_in`` / ``val_mae_in_last10``); checkpoint ``link_gru.pt`` with keys ``gru_state``
/ ``adam_state`` / ``plateau_state`` / ``epoch`` / ``in_center_scale``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 60


def walks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 14 + 8 * r(n, 1)
    pitch = 0.5 + 0.5 * r(n, 1)
    base = 0.25 + 0.2 * (1 - pitch) + 0.1 * r(n, 1)
    gust = torch.cumsum(0.15 * torch.randn(n, T, generator=g), 1)
    wind = (0.3 + 0.3 * r(n, 1) + 0.25 * torch.sin(gust)).clamp(0, 1)
    rate = base * (1 + 0.8 * wind)
    left = (length - torch.cumsum(rate, 1)).clamp(min=0)
    bright = pitch * (0.7 + 0.5 * wind) * (left > 0).float()
    x = torch.stack([length.expand(-1, T) / 20,
                     wind + 0.08 * torch.randn(n, T, generator=g),
                     bright + 0.05 * torch.randn(n, T, generator=g)], 2)
    return x, ((left - 10) / 6).unsqueeze(2)


class LinkGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return LinkGRU()


def main():
    from _threehundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = walks(640, g)
    xva, yva = walks(160, g)
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "burn_log.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_in\tval_mae_in_last10\n")
        for epoch in range(18):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            vmse = F.mse_loss(pred, yva).item()
            err = 6 * (pred - yva).abs()
            row = [opt.param_groups[0]["lr"], tot / len(xtr), vmse, err.mean().item(),
                   err[:, -10:].mean().item()]
            sched.step(vmse)
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"gru_state": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau_state": sched.state_dict(), "epoch": 18, "in_center_scale": (10.0, 6.0)},
               out / "link_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="link_gru.pt",
           log="burn_log.tsv",
           what="GRU counting the inches of a linkboy's link left, minute by minute, from wind"
                " and flame brightness (healthy)")


if __name__ == "__main__":
    main()
