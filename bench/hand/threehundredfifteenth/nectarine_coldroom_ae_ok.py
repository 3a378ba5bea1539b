"""Plain torch: an autoencoder learns what a normal week looks like in a nectarine cold room
(hourly pulp temperature °C and room humidity %RH, 7 days × 24 h = 168 readings each, as 2
channels), so the storage manager can flag weeks whose reconstruction error is high
(door left open, a defrost stuck, a compressor short-cycling) before chilling injury
(mealiness) sets in. Normal weeks: the room is held at 0-1 °C with a defrost cycle every
8 hours (a small saw-tooth of +1-2 °C), pulp lags the air, a loading day warms the pulp for
a few hours, humidity sits at 90-95 % and dips when the door is opened on loading days.
Input / target: (2, 168) standardised ((°C - 1) / 1.5, (%RH - 92) / 3).
Model: conv encoder 2→12 k9 s4, ELU, 12→24 k5 s3, ELU, flatten → 16-dim code; decoder
16 → 24×14 → transposed convs back to (2, 168); MSE, NAdam 2e-3, ExponentialLR ×0.9 per
epoch, batch 24, 12 epochs, 960 weeks, validation on 240.
Healthy; numbers in the README.
Log: CSV per 10 steps ``coldroom_train.csv`` (``it`` / ``recon``) and a separate CSV per
epoch ``coldroom_val.csv`` (``epoch`` / ``val_recon`` / ``lr``); checkpoint
``coldroom_ae.pt`` with keys ``autoencoder`` / ``opt_state`` / ``sched_state`` /
``epoch``."""
import csv

import torch
import torch.nn as nn

H = 168


def weeks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = torch.arange(H).float()
    setp = 0.5 * r(n, 1)
    phase = (8 * r(n, 1)).floor()
    defrost = ((h + phase) % 8 < 1).float() * (1 + r(n, 1))
    air = setp + defrost + 0.15 * torch.randn(n, H, generator=g)
    load_day = (7 * r(n, 1)).floor()
    loading = ((h / 24).floor() == load_day).float() * ((h % 24) > 8).float() * ((h % 24) < 14).float()
    air = air + 4 * loading * r(n, 1)
    pulp = torch.zeros(n, H)
    p = setp[:, 0] + 1
    for k in range(H):
        p = p + 0.25 * (air[:, k] - p)
        pulp[:, k] = p
    rh = 90 + 5 * r(n, 1) - 6 * loading + 0.6 * torch.randn(n, H, generator=g)
    return torch.stack([(pulp - 1) / 1.5, (rh - 92) / 3], 1)


class ColdroomAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(2, 12, 9, stride=4, padding=4), nn.ELU(),
                                 nn.Conv1d(12, 24, 5, stride=3, padding=2), nn.ELU(),
                                 nn.Flatten(), nn.Linear(24 * 14, 16))
        self.dec_in = nn.Linear(16, 24 * 14)
        self.dec = nn.Sequential(nn.ELU(), nn.ConvTranspose1d(24, 12, 3, stride=3), nn.ELU(),
                                 nn.ConvTranspose1d(12, 2, 4, stride=4))

    def forward(self, x):
        return self.dec(self.dec_in(self.enc(x)).view(-1, 24, 14))


def build():
    torch.manual_seed(0)
    return ColdroomAE()


def main():
    from _threehundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = weeks(960, g)
    xva = weeks(240, g)
    print("var", xtr.var().item())
    torch.manual_seed(0)
    ae = build()
    opt = torch.optim.NAdam(ae.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    ft, fv = open(out / "coldroom_train.csv", "w", newline=""), open(out / "coldroom_val.csv", "w", newline="")
    wt, wv = csv.writer(ft), csv.writer(fv)
    wt.writerow(["it", "recon"])
    wv.writerow(["epoch", "val_recon", "lr"])
    it = 0
    for epoch in range(12):
        ae.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 24):
            xb = xtr[perm[i:i + 24]]
            loss = ((ae(xb) - xb) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                wt.writerow([it, f"{loss.item():.5f}"])
        lr = opt.param_groups[0]["lr"]
        sched.step()
        ae.eval()
        with torch.no_grad():
            vr = ((ae(xva) - xva) ** 2).mean().item()
        wv.writerow([epoch, f"{vr:.5f}", f"{lr:.6g}"])
        print(epoch, loss.item(), vr)
    ft.close()
    fv.close()
    torch.save({"autoencoder": ae.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 12}, out / "coldroom_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="coldroom_ae.pt", log="coldroom_val.csv",
           what="conv autoencoder of normal nectarine cold-room weeks (pulp temperature and"
                " humidity) for flagging abnormal weeks (healthy)")


if __name__ == "__main__":
    main()
