"""Karst spring discharge (hydrology): a water utility taps an alpine karst spring and wants
tomorrow's discharge from the last 45 days of valley-station precipitation (mm/day) and air
temperature (°C): rain goes straight into the conduits, snow is stored until it melts (degree-day
melt), the spring answers through a fast conduit and a slow matrix reservoir. Inputs: the 90
values standardised; target: log discharge (m³/s), standardised. An MLP (90 → 128 → 128 → 64 →
1, ReLU, dropout 0.2 after the first two), AdamW 1e-3 (weight decay 0.05), batch 64, 30 epochs; StepLR(step_size=10, gamma=0.5) written for epochs
("halve every 10 epochs").
Bug: ``sched.step()`` sits inside the batch loop, next to ``opt.step()``: with 64 batches an
epoch the lr halves every 10 batches, 6.4 times an epoch → scheduler_step_per_batch.
Run: logged lr 1.56e-5 after epoch 1, 2.4e-7 after epoch 2, 1.6e-61 at epoch 30; val RMSE
(standardised log Q) 0.864, then 0.8617 from epoch 2 to 30, val NSE 0.212 → 0.217; train RMSE
0.933, then 0.90 ± 0.003 (dropout jitter) for 28 epochs.
Control (``sched.step()`` moved under the epoch loop): val RMSE 0.462 (epoch 1) → 0.340 (4) →
0.331, val NSE 0.775 → 0.885, train RMSE 0.80 → 0.25; lr 1e-3, 5e-4, 2.5e-4, 1.25e-4."""
import sys

import torch
import torch.nn.functional as F
from torch import nn

DAYS = 45


def spring(n, g):
    wet = torch.rand(n, DAYS, generator=g) < 0.35
    precip = torch.where(wet, torch.distributions.Exponential(0.12).sample((n, DAYS)), 0.0)
    season = -6 + 14 * torch.rand(n, 1, generator=g)                 # winter … early summer
    temp = season + 0.15 * torch.arange(DAYS) + 3 * torch.randn(n, DAYS, generator=g)
    snow = 10 * torch.rand(n, generator=g) * (season.squeeze(1) < 2)
    fast = 0.5 * torch.rand(n, generator=g)
    slow = 2 + 4 * torch.rand(n, generator=g)
    for d in range(DAYS):
        p, t = precip[:, d], temp[:, d]
        snow = snow + torch.where(t < 0.5, p, 0.0)
        melt = torch.minimum(snow, 3.0 * t.clamp(min=0))
        snow = snow - melt
        inflow = torch.where(t >= 0.5, p, 0.0) + melt
        fast = 0.6 * fast + 0.25 * inflow
        slow = 0.92 * slow + 0.08 * inflow
    q = 0.4 * fast + 0.9 * slow + 0.2
    x = torch.cat([precip, temp], 1)
    return x, torch.log(q) + 0.05 * torch.randn(n, generator=g)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2 * DAYS, 128), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(128, 128), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spring(4096, g)
    xva, yva = spring(512, g)
    mx, sx, my, sy = xtr.mean(0), xtr.std(0), ytr.mean(), ytr.std()
    xtr, xva = (xtr - mx) / sx, (xva - mx) / sx
    ttr, tva = ((ytr - my) / sy).unsqueeze(1), ((yva - my) / sy).unsqueeze(1)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    log = open(out / "spring_training.tsv", "w")
    log.write("epoch\tlr\ttrain_rmse\tval_rmse\tval_nse\n")
    for epoch in range(30):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        sse = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.mse_loss(model(xtr[idx]), ttr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            sse += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
            mse = F.mse_loss(pv, tva).item()
            nse = 1 - mse / tva.var(unbiased=False).item()
        row = (f"{epoch + 1}\t{opt.param_groups[0]['lr']:.3e}\t{(sse / len(xtr)) ** 0.5:.4f}\t"
               f"{mse ** 0.5:.4f}\t{nse:.4f}")
        log.write(row + "\n")
        print(row)
    log.close()
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 30, "x_mu": mx, "x_sd": sx, "logq_mu": my, "logq_sd": sy, "days": DAYS},
               out / "karst_mlp.pt")
    finish(out, __file__, (xva[:64], tva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="karst_mlp.pt", log="spring_training.tsv",
           what="karst spring discharge MLP from 45 days of precip/temperature; epoch StepLR "
                "stepped every batch",
           complaint="The karst spring forecast stops learning after the first epoch. Validation RMSE "
                     "on the standardised log discharge is 0.864 after epoch 1 and 0.8617 at every "
                     "epoch from 2 to 30, NSE 0.22, which is useless for the utility; the training "
                     "RMSE sits at 0.90. AdamW 1e-3 and I halve the lr every 10 epochs with StepLR. "
                     "The curves are completely flat from epoch 2 on.")


if __name__ == "__main__":
    main()
