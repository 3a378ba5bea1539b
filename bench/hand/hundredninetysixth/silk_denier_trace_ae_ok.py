"""A 1-D convolutional autoencoder compresses the denier trace of a raw-silk thread (64
readings of the thread's size along a 640 m skein, from the reeling machine's sensor) to an
8-number code, for later fault search. A trace is the reeled thread's mean size, a slow drift
as cocoons thin out towards their inner layers, the sawtooth a new cocoon makes when it is
added to the end, a few thin or thick spots, and sensor noise. Encoder Conv1d(1→16, 5, stride
2)-ReLU-Conv1d(16→32, 5, stride 2)-ReLU-Linear(512→8); decoder Linear(8→512)-ReLU-
ConvTranspose1d(32→16)-ReLU-ConvTranspose1d(16→1); MSE; AdamW 2e-3, batch 64, 12 epochs of
1536 traces. Log: ``denier_ae.tsv`` per epoch (ep, recon_train, recon_val, lr); checkpoint
``model`` / ``optim`` / ``ep``.
Healthy: recon_train 0.235 → 0.0388, recon_val 0.101 → 0.0385 over 12 epochs (the
validation error is below the running train error in the first epochs, both flatten as the
cosine schedule ends)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

L = 64


def traces(n, g):
    s = torch.arange(L).float()
    mean = 0.4 * torch.randn(n, 1, generator=g)
    drift = -0.8 * torch.rand(n, 1, generator=g) * s / L
    period = 10 + 8 * torch.rand(n, 1, generator=g)
    phase = period * torch.rand(n, 1, generator=g)
    saw = 0.5 * torch.rand(n, 1, generator=g) * (((s + phase) % period) / period - 0.5)
    spots = torch.zeros(n, L)
    for _ in range(3):
        pos = torch.randint(0, L, (n, 1), generator=g).float()
        amp = torch.randn(n, 1, generator=g) * (torch.rand(n, 1, generator=g) < 0.4)
        spots += amp * torch.exp(-((s - pos) / 1.5) ** 2)
    x = mean + drift + saw + spots + 0.08 * torch.randn(n, L, generator=g)
    return x.unsqueeze(1)


class TraceAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, 16, 5, 2, 2), nn.ReLU(),
                                 nn.Conv1d(16, 32, 5, 2, 2), nn.ReLU(), nn.Flatten(),
                                 nn.Linear(512, 8))
        self.dec = nn.Sequential(nn.Linear(8, 512), nn.ReLU(), nn.Unflatten(1, (32, 16)),
                                 nn.ConvTranspose1d(32, 16, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose1d(16, 1, 4, 2, 1))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return TraceAE()


def main():
    from _hundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = traces(1792, g)
    xt, xv = x[:1536], x[1536:]
    model = build()
    optim = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(optim, 12)
    with open(out / "denier_ae.tsv", "w") as fh:
        fh.write("ep\trecon_train\trecon_val\tlr\n")
        for ep in range(12):
            model.train()
            tot = 0.0
            for idx in torch.randperm(1536, generator=g).split(64):
                loss = F.mse_loss(model(xt[idx]), xt[idx])
                optim.zero_grad()
                loss.backward()
                optim.step()
                tot += loss.item() * len(idx)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                rv = F.mse_loss(model(xv), xv).item()
            fh.write(f"{ep}\t{tot / 1536:.5f}\t{rv:.5f}\t{lr:.2e}\n")
            print(ep, round(tot / 1536, 4), round(rv, 4))
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "ep": 12},
               out / "denier_ae.pt")
    finish(out, __file__, (xv[:64], xv[:64]), causes=[],
           checkpoint="denier_ae.pt", log="denier_ae.tsv",
           what="1-D conv autoencoder of raw-silk denier traces from a reeling machine (healthy)")


if __name__ == "__main__":
    main()
