"""PatchTST-style forecaster on synthetic hourly electricity load: 6 feeders over 150 days, each
a base load × a daily profile (morning and evening peaks, feeder-specific) × a weekly factor
(weekends lower) plus a heating term driven by a slow shared temperature walk and AR(1) noise.
Channel-independent: each feeder's series is forecast on its own with shared weights. The
last 168 hours are cut into 20 patches of 16 (stride 8), each patch embedded linearly as one
token (+ learned positions), 2 transformer encoder layers (d 32, 4 heads, feed-forward 64,
dropout 0.2), a flatten head to the next 24 hours; RevIN (each window scaled by its own mean and
std, the forecast scaled back). The data are standardised per feeder with the training
period's mean and std; MSE loss. The first 70 % of the hours train (a window every 4 hours,
583 windows), the next 15 % validate (517 windows). Adam with a one-cycle schedule up to 2e-3
(per step), batch 16 windows (96 series), 10 epochs; ``patchtst_log.jsonl`` per epoch
(``train_mse``, ``val_mse``, ``val_mae``, ``lr``).
Healthy: the val MSE falls from 0.43 to 0.20 by epoch 6 and sits at 0.198–0.203 from there,
level with the train MSE (0.20) and mostly below it before (dropout during training); the
AR(1) noise alone costs 0.125 even for an oracle of the load shape, repeating the last day
scores 0.37, the last week 0.32."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

FEEDERS, DAYS, L, H, PATCH, STRIDE = 6, 150, 168, 24, 16, 8


def load_curves(g):
    hours = torch.arange(DAYS * 24).float()
    hod, dow = hours % 24, (hours // 24) % 7
    temp = torch.cumsum(0.08 * torch.randn(DAYS * 24, generator=g), 0)
    temp = 8 + 6 * torch.sin(2 * math.pi * hours / (24 * 120)) + temp - temp.mean()
    series = []
    for _ in range(FEEDERS):
        base = 50 + 40 * float(torch.rand(1, generator=g))
        am = 7 + 2 * float(torch.rand(1, generator=g))
        pm = 18 + 2 * float(torch.rand(1, generator=g))
        daily = (0.7 + 0.35 * torch.exp(-0.5 * ((hod - am) / 1.5) ** 2)
                 + 0.5 * torch.exp(-0.5 * ((hod - pm) / 2.0) ** 2))
        weekly = torch.where(dow >= 5, 0.8 + 0.1 * float(torch.rand(1, generator=g)), 1.0)
        heat = (0.8 + 0.6 * float(torch.rand(1, generator=g))) * F.relu(14 - temp)
        noise = torch.zeros(DAYS * 24)
        eps = torch.randn(DAYS * 24, generator=g)
        for t in range(1, DAYS * 24):
            noise[t] = 0.8 * noise[t - 1] + eps[t]
        series.append(base * daily * weekly + 2.0 * heat + 3.5 * noise)
    return torch.stack(series)  # (FEEDERS, hours)


class PatchTST(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, dropout=0.2):
        super().__init__()
        self.n_patch = (L - PATCH) // STRIDE + 1
        self.embed = nn.Linear(PATCH, d)
        self.pos = nn.Parameter(0.02 * torch.randn(self.n_patch, d))
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, dropout, batch_first=True), layers)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(self.n_patch * d, H)

    def forward(self, x):
        """x (B, C, L) → (B, C, H); every channel on its own (channel independence)."""
        b, c, _ = x.shape
        z = x.reshape(b * c, L)
        mean, std = z.mean(1, keepdim=True), z.std(1, keepdim=True) + 1e-5
        z = (z - mean) / std
        tokens = self.embed(z.unfold(1, PATCH, STRIDE)) + self.pos
        h = self.encoder(self.drop(tokens))
        y = self.head(h.flatten(1)) * std + mean
        return y.view(b, c, H)


def windows(series, start, stop, step):
    t0 = torch.arange(start, stop - L - H + 1, step)
    idx = t0[:, None] + torch.arange(L + H)
    w = series[:, idx].permute(1, 0, 2)  # (N, C, L + H)
    return w[..., :L], w[..., L:]


def build():
    torch.manual_seed(0)
    return PatchTST()


def main():
    from _thirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw = load_curves(g)
    n = raw.shape[1]
    cut_train, cut_val = int(0.7 * n), int(0.85 * n)
    mu, sd = raw[:, :cut_train].mean(1, keepdim=True), raw[:, :cut_train].std(1, keepdim=True)
    series = (raw - mu) / sd
    xtr, ytr = windows(series, 0, cut_train, 4)
    xva, yva = windows(series, cut_train - L, cut_val, 1)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    epochs, bs = 10, 16
    steps = epochs * math.ceil(len(xtr) / bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps,
                                                pct_start=0.3)
    log = open(out / "patchtst_log.jsonl", "w")
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for b in range(0, len(xtr), bs):
            idx = perm[b:b + bs]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(xva)
            vmse, vmae = F.mse_loss(pred, yva).item(), (pred - yva).abs().mean().item()
        log.write(json.dumps({"epoch": epoch + 1, "train_mse": round(tot / len(xtr), 5),
                              "val_mse": round(vmse, 5), "val_mae": round(vmae, 5),
                              "lr": sched.get_last_lr()[0]}) + "\n")
        print(epoch, round(tot / len(xtr), 4), round(vmse, 4), round(vmae, 4))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer_state": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": epochs,
                "scaler_mean": mu.flatten(), "scaler_std": sd.flatten()},
               out / "patchtst_load.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="patchtst_load.pt",
           log="patchtst_log.jsonl",
           what="PatchTST-style channel-independent load forecaster (healthy)")


if __name__ == "__main__":
    main()
