"""Plain torch: a GRU follows a felt hat body through fulling minute by minute and gives, at
every minute, how far its area has shrunk so far, so the feltmaker's apprentice knows when
to stop rolling. One log per hat body, 20-90 minutes long; each minute has 5 readings: rolling
strokes that minute (30-110), water temperature (°C, cooling slowly, topped up now and then),
soap added (0/1), batt weight (g, 60-140, constant in a log) and fibre diameter (µm, 18-30,
constant). Shrinkage follows the fulling rule: area shrinkage = ceiling × (1 - exp(-k × work
so far)), work the running sum of strokes × a heat factor × a soap factor (alkaline soap
opens the scales for 10 min), ceiling lower for coarse fibre and heavy batts; plus 0.5 %
template noise each minute.
Input: (T, 5) readings standardised with the train mean / std, zero-padded to the longest
log in the batch; target (T,) shrinkage % / 10 so far, zero-padded; lengths kept.
Model: GRU 5→48 (1 layer), Linear 48→1 per minute; MSE, Adam 3e-3 with CosineAnnealingLR
per epoch, batch 32 logs, 16 epochs, 640 logs, validation on 160.
The bug: the loss is ``F.mse_loss(pred, yb)`` over the whole padded block, so the padded
minutes (38 % of the data) count as real minutes with shrinkage 0: train loss 6.50 → 0.407,
val MSE on real minutes 1.18 → 0.203 (3.09 at epoch 1), val MAE 9.1 → 3.6 % shrinkage
(control, ``F.mse_loss(pred[mb], yb[mb])``: val MSE on real minutes 0.585 → 0.0297, MAE
6.4 → 1.38 %).
Log: JSON lines ``fulling_gru.jsonl``, ``{"what": "step", "step", "loss"}`` every 5 steps and
``{"what": "epoch", "epoch", "lr", "train_loss", "val_mse_real", "val_mae_pct"}`` per epoch;
checkpoint ``gru_fulling.pkl`` with keys ``gru_head`` / ``adam`` / ``cosine`` / ``epoch`` /
``feat_mean`` / ``feat_std`` / ``target_div``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

TMAX = 90


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lengths = torch.randint(20, TMAX + 1, (n,), generator=g)
    t = torch.arange(TMAX).float().unsqueeze(0)
    strokes = (30 + 80 * r(n, 1)) * (0.8 + 0.4 * r(n, TMAX))
    temp0 = 40 + 20 * r(n, 1)
    topups = (r(n, TMAX) < 0.06).float().cumsum(1)
    temp = temp0 - 0.35 * t + 6 * topups
    temp = temp.clamp(25, 62)
    soap = (r(n, TMAX) < 0.08).float()
    soap[:, 0] = 1.0
    since = torch.zeros(n, TMAX)
    last = torch.full((n,), -100.0)
    for i in range(TMAX):
        last = torch.where(soap[:, i] > 0, torch.full_like(last, float(i)), last)
        since[:, i] = i - last
    soap_f = 1 + 0.6 * (since < 10).float()
    heat_f = 1 + 0.03 * (temp - 30)
    work = (strokes * heat_f * soap_f).cumsum(1) / 1000
    weight = (60 + 80 * r(n, 1)).expand(n, TMAX)
    micron = (18 + 12 * r(n, 1)).expand(n, TMAX)
    ceiling = 55 - 0.9 * (micron - 18) - 0.08 * (weight - 60)
    shrink = ceiling * (1 - torch.exp(-0.45 * work)) + 0.5 * torch.randn(n, TMAX, generator=g)
    x = torch.stack([strokes, temp, soap, weight, micron], 2)
    mask = t < lengths.unsqueeze(1)
    return x, shrink.clamp(min=0) * mask, lengths


class FullingGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return FullingGRU()


def main():
    from _fourhundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, str_, ltr = logs(640, g)
    rva, sva, lva = logs(160, g)
    mtr = torch.arange(TMAX).unsqueeze(0) < ltr.unsqueeze(1)
    mva = torch.arange(TMAX).unsqueeze(0) < lva.unsqueeze(1)
    mu, sd = rtr[mtr].mean(0), rtr[mtr].std(0)
    xtr, xva = (rtr - mu) / sd * mtr.unsqueeze(2), (rva - mu) / sd * mva.unsqueeze(2)
    ytr, yva = str_ / 10, sva / 10
    print("padded share", 1 - mtr.float().mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)
    step = 0
    with open(out / "fulling_gru.jsonl", "w") as f:
        for epoch in range(16):
            model.train()
            tot, cnt = 0.0, 0
            for idx in torch.randperm(len(xtr)).split(32):
                tb = int(ltr[idx].max())  # pad to the longest log in the batch
                xb, yb, mb = xtr[idx, :tb], ytr[idx, :tb], mtr[idx, :tb]  # noqa: F841
                pred = model(xb)
                loss = F.mse_loss(pred, yb)  # per-minute shrinkage error
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 5 == 0:
                    f.write(json.dumps({"what": "step", "step": step, "loss": loss.item()}) + "\n")
                step += 1
                tot, cnt = tot + loss.item() * len(idx), cnt + len(idx)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                err = (model(xva) - yva)[mva]
            rec = {"what": "epoch", "epoch": epoch, "lr": lr, "train_loss": tot / cnt,
                   "val_mse_real": err.pow(2).mean().item(),
                   "val_mae_pct": 10 * err.abs().mean().item()}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru_head": model.state_dict(), "adam": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 16, "feat_mean": mu, "feat_std": sd,
                "target_div": 10.0}, out / "gru_fulling.pkl")
    finish(out, __file__, {"inputs": xva[:64], "lengths": lva[:64], "targets": yva[:64]},
           causes=["loss_ignores_padding"], checkpoint="gru_fulling.pkl",
           log="fulling_gru.jsonl",
           what="GRU giving a felt hat body's area shrinkage so far at every minute of fulling;"
                " MSE over the zero-padded minutes too",
           complaint="Per-minute shrinkage GRU for our fulling logs (20-90 minutes each): the"
                     " training loss ends around 0.41, but scored on the real minutes of the"
                     " validation logs the MSE is 0.20 and the mean error is 3.6 % shrinkage, too"
                     " rough to tell the apprentice when to stop. Validation even got worse over"
                     " the first epochs (mean error 9 % up to 15 %) before it came down, and it"
                     " flattens out well before the 16 epochs are over.")


if __name__ == "__main__":
    main()
