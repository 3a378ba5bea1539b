"""Anomaly detection on wind turbines: a dense autoencoder (32-64-8-64-32) learns to
reconstruct normal 32-channel SCADA snapshots (synthetic: 6 hidden operating factors mixed
into 32 standardised channels, plus noise), Adam 1e-3, batch 64, 15 epochs, a StepLR that
halves the lr every 10 epochs; the lr is logged at the start of each epoch. Bug:
``scheduler.step()`` sits inside the batch loop, so the lr halves every 10 *batches*: 1.6e-5
at the start of epoch 1, 4e-9 by epoch 3; the loss freezes at 0.86 (the channel variance is
1.0) -- stepped once per epoch the same script reaches a val MSE of 0.017."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

MIX = torch.randn(6, 32, generator=torch.Generator().manual_seed(42))


def snapshots(n, g):
    z = torch.randn(n, 6, generator=g)
    z = torch.cat([z[:, :3], torch.tanh(z[:, 3:] * 1.5)], 1)
    x = z @ MIX + 0.25 * torch.randn(n, 32, generator=g)
    return x


class TurbineAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 8))
        self.decoder = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 32))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return TurbineAE()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, vx = snapshots(4000, g), snapshots(800, g)
    mu, sd = x.mean(0), x.std(0)
    x, vx = (x - mu) / sd, (vx - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    rows = [["epoch", "lr", "train_mse", "val_mse"]]
    for epoch in range(15):
        model.train()
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        lr = opt.param_groups[0]["lr"]
        for i in range(0, len(x), 64):
            xb = x[perm[i:i + 64]]
            loss = F.mse_loss(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            scheduler.step()  # BUG: meant once per epoch (step_size=10 epochs)
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            rows.append([epoch, lr, tot / len(x), F.mse_loss(model(vx), vx).item()])
        print(rows[-1])
    with open(out / "turbine_ae_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": scheduler.state_dict()}, out / "turbine_ae.pt")
    finish(out, __file__, (vx[:256], vx[:256]), causes=["scheduler_step_per_batch"],
           checkpoint="turbine_ae.pt", log="turbine_ae_log.csv",
           what="dense AE, StepLR(step_size=10 epochs) stepped every batch",
           complaint="the autoencoder's reconstruction loss stops improving after the first "
                     "epoch and stays at 0.86")


if __name__ == "__main__":
    main()
