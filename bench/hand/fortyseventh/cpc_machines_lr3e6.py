"""Contrastive predictive coding on synthetic machine-vibration sequences: 48 steps of 12
sensor channels; each sequence has a hidden state (a damped oscillation of random frequency
and phase plus a slow random-walk load) projected through a fixed 12×3 mixing, plus sensor
noise. Encoder: a per-step MLP 12→64→32; autoregressive context: a one-layer GRU (32); one
linear predictor per horizon k = 1..4 maps the context at step t to the encoding at t + k;
InfoNCE with the other sequences of the batch at the same step as negatives (temperature
1), averaged over anchors 8..43 and horizons. Adam, batch 64, 12 epochs; CSV log every 10
steps (``step``, ``infonce``) with ``val_infonce`` and ``val_nce_acc`` (how often the true
future beats the 63 negatives) per epoch.
Bug: ``Adam(params, lr=3e-6)`` (3e-3 was meant; a digit slipped in the exponent): the loss
creeps from log 64 = 4.16 and the run ends far from where the control is."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T, CH, Z, K = 48, 12, 32, 4
LR = 3e-6


def sequences(n, g, mix):
    freq = 0.15 + 0.35 * torch.rand(n, 1, generator=g)
    phase = 6.28 * torch.rand(n, 1, generator=g)
    t = torch.arange(T).float()[None]
    osc = torch.exp(-0.01 * t) * torch.sin(freq * t + phase)
    load = torch.cumsum(0.15 * torch.randn(n, T, generator=g), 1)
    hidden = torch.stack([osc, torch.cos(freq * t + phase), load], -1)
    return hidden @ mix.T + 0.3 * torch.randn(n, T, CH, generator=g)


class CPC(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(CH, 64), nn.ReLU(), nn.Linear(64, Z))
        self.ar = nn.GRU(Z, Z, batch_first=True)
        self.pred = nn.ModuleList([nn.Linear(Z, Z) for _ in range(K)])

    def forward(self, x):
        z = self.enc(x)
        c, _ = self.ar(z)
        return z, c


def infonce(model, x):
    z, c = model(x)
    losses, hits = [], []
    target = torch.arange(len(x))
    for k, pred in enumerate(model.pred, start=1):
        for t in range(8, T - K):
            scores = pred(c[:, t]) @ z[:, t + k].T
            losses.append(F.cross_entropy(scores, target))
            hits.append((scores.argmax(1) == target).float().mean())
    return torch.stack(losses).mean(), torch.stack(hits).mean()


def build():
    torch.manual_seed(0)
    return CPC()


def main():
    from _fortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    mix = torch.randn(CH, 3, generator=g)
    tx = sequences(1536, g, mix)
    vx = sequences(256, g, mix)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    f = open(out / "cpc_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "infonce", "val_infonce", "val_nce_acc"])
    step = 0
    for epoch in range(12):
        model.train()
        for idx in torch.randperm(1536, generator=g).split(64):
            loss, _ = infonce(model, tx[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                w.writerow([step, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            parts = [infonce(model, vx[i:i + 64]) for i in range(0, 256, 64)]
            vl = sum(p[0].item() for p in parts) / len(parts)
            acc = sum(p[1].item() for p in parts) / len(parts)
        w.writerow([step, "", round(vl, 4), round(acc, 4)])
        print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"encoder_and_ar": model.state_dict(), "opt": opt.state_dict(),
                "global_step": step}, out / "cpc_machines.pt")
    finish(out, __file__, (vx[:64], torch.zeros(64)), causes=["lr_too_low"],
           checkpoint="cpc_machines.pt", log="cpc_metrics.csv",
           what="CPC (MLP encoder, GRU context, InfoNCE over 4 horizons), Adam lr 3e-6",
           complaint="the CPC encoder barely learns: after 12 epochs the InfoNCE loss has "
                     "hardly moved from where it started and the val NCE accuracy is tiny")


if __name__ == "__main__":
    main()
