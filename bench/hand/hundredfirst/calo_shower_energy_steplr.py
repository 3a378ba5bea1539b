"""Electromagnetic-shower energy regression in a sampling calorimeter (a small CNN, as in the
fast-simulation / calibration papers) on synthetic showers: 3 longitudinal layers × 12 × 12
cells. An electron of 10–100 GeV hits near the centre (± 1.5 cells); the longitudinal profile
is a gamma distribution whose maximum moves deeper with ln E (so the layer fractions depend on
the energy), the lateral profile a Gaussian core (σ 0.7 cells) plus a wide tail (σ 2.5 cells,
20 %), with a per-shower sampling fluctuation of 12 %/√E, 3 % of the energy leaking out of the
back for the highest energies, and cell noise of 20 MeV. Inputs are log(1 + E_cell / 0.1 GeV)
(the usual compression), the target E / 50 GeV. Conv2d 3→16→32 (3 × 3, ReLU, max pool 2), a
64-unit MLP, MSE; Adam 2e-3, batch 50, 12 epochs of 2000 showers. StepLR(step_size=4,
gamma=0.5) — "halve the lr every 4 epochs". A JSON-lines log with a record every 10 steps
(``step``, ``loss``, ``lr``) and one per epoch (``epoch``, ``val_mse``, ``val_resolution`` = the
standard deviation of E_pred / E_true, ``val_bias``).
Bug: ``scheduler.step()`` is called inside the batch loop (40 batches per epoch), so the lr is
halved every 4 *batches*. The lr is 5e-4 at step 10, 3.9e-6 at step 40 (the end of epoch 1),
1.9e-9 after epoch 2 and 3e-39 at step 480; the train loss 0.088 at step 10, 0.057–0.086 over
the last 120 steps; val MSE 0.0703 after epoch 1 and 0.0700 from epoch 2 to 12, unchanged to 4
decimals (target variance 0.255), energy resolution σ(E_pred/E_true) 42 %, bias +17.6 %. The
control (``scheduler.step()`` once per epoch) reaches val MSE 0.00062, resolution 3.4 %, bias
+0.3 %, train loss ≈ 0.0005."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

NX, NL = 12, 3


def showers(n, g):
    e = 10 + 90 * torch.rand(n, generator=g)
    t = torch.linspace(0.5, 2.5 * NL, NL)  # layer depth in X0 units (scaled)
    tmax = 0.8 + 0.7 * torch.log(e / 10)  # shower maximum deeper with the energy
    a = 2.5
    prof = (t[None] / tmax[:, None]) ** a * torch.exp(-a * (t[None] / tmax[:, None] - 1))
    prof = prof / prof.sum(1, keepdim=True)
    leak = 0.03 * (e / 100) ** 2
    deposit = e * (1 - leak) * (1 + 0.12 / e.sqrt() * torch.randn(n, generator=g))
    c = (torch.rand(n, 2, generator=g) - 0.5) * 3 + (NX - 1) / 2
    yy, xx = torch.meshgrid(torch.arange(NX).float(), torch.arange(NX).float(), indexing="ij")
    r2 = (yy[None] - c[:, 0, None, None]) ** 2 + (xx[None] - c[:, 1, None, None]) ** 2
    lat = 0.8 * torch.exp(-r2 / (2 * 0.7 ** 2)) / (2 * 3.1416 * 0.49) + \
        0.2 * torch.exp(-r2 / (2 * 2.5 ** 2)) / (2 * 3.1416 * 6.25)
    cells = deposit[:, None, None, None] * prof[:, :, None, None] * lat[:, None]
    cells = cells + 0.02 * torch.randn(cells.shape, generator=g)
    return torch.log1p(cells.clamp(min=0) / 0.1), e / 50


class CaloCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(NL, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(32 * 9, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(self.conv(x)).squeeze(1)


def build():
    torch.manual_seed(0)
    return CaloCNN()


def main():
    from _hundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = showers(2500, g)
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)  # halve every 4 epochs
    log = open(out / "calo_train.jsonl", "w")
    step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 50):
            b = perm[i:i + 50]
            loss = F.mse_loss(model(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 6),
                                      "lr": opt.param_groups[0]["lr"]}) + "\n")
            scheduler.step()
        model.eval()
        with torch.no_grad():
            p = model(xva)
        ratio = p / yva
        rec = {"epoch": epoch, "val_mse": round(F.mse_loss(p, yva).item(), 6),
               "val_resolution": round(ratio.std().item(), 4), "val_bias": round(ratio.mean().item() - 1, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, opt.param_groups[0]["lr"])
    log.close()
    print("target var", yva.var().item())
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": 12, "energy_scale_gev": 50.0},
               out / "calo_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="calo_cnn.pt", log="calo_train.jsonl",
           what="calorimeter energy-regression CNN, StepLR(step_size=4 epochs) stepped every batch",
           complaint="Training of my calorimeter energy regression stalls after the first epoch: "
                     "val MSE is 0.0703 after epoch 1 and then 0.0700 for all remaining 11 epochs, "
                     "the energy resolution is stuck at 42% with a +18% bias. The loss curve is "
                     "flat around 0.07 from step 40 on.")


if __name__ == "__main__":
    main()
