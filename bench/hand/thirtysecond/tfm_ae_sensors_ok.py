"""Transformer reconstruction-based anomaly detector on multivariate sensor windows of a pump
skid: 6 channels (pressures, flow, vibration, motor current, temperature), 32 samples a
window. Normal operation is driven by two hidden sources, the pump's rotation (a sinusoid of
slowly varying frequency and amplitude) and the load (a smooth random walk), mixed into the 6
channels by fixed couplings, with sensor noise (σ 0.25 before standardisation). A token per
time step: a linear embedding of the 6 channels plus a learned position, 2 transformer encoder
layers (d 32, 4 heads, feed-forward 64, dropout 0.1), a 2-number bottleneck per time step, one
more transformer layer and a linear read-out of the 6 channels; the loss is the reconstruction
MSE on normal windows only, and the anomaly score of a window is its mean squared
reconstruction error. Adam 2e-3, batch 64, 8 epochs over 1600 normal windows;
``detector_log.csv`` holds per epoch the train and validation reconstruction MSE (500 normal
windows) and ``val_auroc``, the AUROC of the score on 300 held-out normal windows against 300
anomalous ones (a spike, a stuck sensor, a drifting sensor or a channel decoupled from the
others).
Healthy, but the reconstruction error levels out far above zero — at the sensor noise, which a
2-number code per time step cannot and should not reproduce — the validation error sits below
the training error (dropout is off at validation), and the AUROC stops near 0.97: small drifts
and short spikes hide in the noise."""
import csv

import torch
import torch.nn as nn

T, C = 32, 6


def normal_windows(n, g, mix):
    t = torch.arange(T).float()
    freq = 0.04 + 0.05 * torch.rand(n, 1, generator=g)
    amp = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    phase = 6.283 * torch.rand(n, 1, generator=g)
    rot = amp * torch.sin(6.283 * freq * t + phase)
    load = torch.cumsum(0.15 * torch.randn(n, T, generator=g), 1)
    load = load - load.mean(1, keepdim=True) + 0.5 * torch.randn(n, 1, generator=g)
    x = torch.stack([rot, load], -1) @ mix
    return x + 0.25 * torch.randn(n, T, C, generator=g)


def add_anomalies(x, g):
    x = x.clone()
    n = len(x)
    kind = torch.randint(0, 4, (n,), generator=g)
    ch = torch.randint(0, C, (n,), generator=g)
    start = torch.randint(4, T - 12, (n,), generator=g)
    for i in range(n):
        c, s = int(ch[i]), int(start[i])
        if kind[i] == 0:  # spike of a few samples
            x[i, s:s + 3, c] += 1.5 + torch.rand(1, generator=g)
        elif kind[i] == 1:  # stuck sensor
            x[i, s:, c] = x[i, s, c]
        elif kind[i] == 2:  # drift
            x[i, s:, c] += torch.linspace(0, 1.0 + torch.rand(1, generator=g).item(), T - s)
        else:  # decoupled channel: its own oscillation
            tt = torch.arange(T).float()
            x[i, :, c] = torch.sin(6.283 * 0.17 * tt + 6.283 * torch.rand(1, generator=g))
    return x


class TransformerAE(nn.Module):
    def __init__(self, d=32, code=2):
        super().__init__()
        self.embed = nn.Linear(C, d)
        self.pos = nn.Parameter(0.02 * torch.randn(T, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.squeeze = nn.Linear(d, code)
        self.expand = nn.Linear(code, d)
        self.decoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True), 1,
            enable_nested_tensor=False)
        self.readout = nn.Linear(d, C)

    def forward(self, x):
        """x (B, T, C) standardised window → its reconstruction (B, T, C)."""
        z = self.squeeze(self.encoder(self.embed(x) + self.pos))
        return self.readout(self.decoder(self.expand(z) + self.pos))


def auroc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y.sum()
    return ((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


def build():
    torch.manual_seed(0)
    return TransformerAE()


def main():
    from _thirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    mix = torch.randn(2, C, generator=g)
    train = normal_windows(1600, g, mix)
    val = normal_windows(500, g, mix)
    test_normal = normal_windows(300, g, mix)
    test_bad = add_anomalies(normal_windows(300, g, mix), g)
    mean, std = train.mean((0, 1)), train.std((0, 1))
    train, val = (train - mean) / std, (val - mean) / std
    test = (torch.cat([test_normal, test_bad]) - mean) / std
    test_y = torch.cat([torch.zeros(300), torch.ones(300)])
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "detector_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_recon_mse", "val_recon_mse", "val_auroc"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(train), generator=g).split(64):
            loss = ((model(train[idx]) - train[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = ((model(val) - val) ** 2).mean().item()
            score = ((model(test) - test) ** 2).mean((1, 2))
        row = [epoch, round(tot / len(train), 4), round(vl, 4), round(auroc(score, test_y), 4)]
        w.writerow(row)
        print(*row)
    log.close()
    with torch.no_grad():
        threshold = ((model(val) - val) ** 2).mean((1, 2)).quantile(0.99).item()
    torch.save({"ae": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch,
                "score_threshold": threshold, "channel_mean": mean, "channel_std": std},
               out / "sensor_ae.pt")
    finish(out, __file__, (val[:64], val[:64]), causes=[], checkpoint="sensor_ae.pt",
           log="detector_log.csv",
           what="transformer reconstruction anomaly detector on pump sensor windows (healthy)")


if __name__ == "__main__":
    main()
