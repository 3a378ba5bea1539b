"""Plain torch: an autoencoder compresses the gate-weave trace of a 35 mm cinema projector
(the booth's steadiness camera measures where each frame sits in the gate: horizontal and
vertical offset in µm / 20 over 64 consecutive frames, 2 × 64 = 128 numbers). A trace is the
sum of a sprocket wobble repeating every 4 frames (4-perf pull-down; its own amplitude and
phase per axis and a 2nd harmonic), a slow drift as the print warms (linear + a slow sine),
sometimes (30 %) a splice jump, and measurement noise; the booth wants a 12-number code to
flag unusual traces later. MLP autoencoder 128-96-12-96-128 with GELU, MSE, AdamW lr 2e-3,
weight decay 1e-4, batch 64, 30 epochs of 1536 traces, shuffled.
Healthy: the reconstruction error falls fast and then slowly towards the noise floor (noise
variance 0.0025 per number, trace variance 0.318): val MSE 0.149 after epoch 1, 0.026 at 5,
0.0098 at 10, then 0.0089 → 0.0085 over the last 15 epochs (0.00853 at 30), train MSE 0.234 →
0.0073, val a little above train. The batch saved is (traces, traces): input and target."""
import torch
import torch.nn as nn

F = 64


def traces(n, g):
    k = torch.arange(F).float()
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    out = []
    for _axis in range(2):
        a1, a2 = 0.8 * r(n, 1), 0.3 * r(n, 1)
        p1, p2 = 6.283 * r(n, 1), 6.283 * r(n, 1)
        wob = a1 * torch.sin(6.283 * k / 4 + p1) + a2 * torch.sin(6.283 * k / 2 + p2)
        drift = (r(n, 1) - 0.5) * 1.5 * k / F + 0.4 * torch.sin(6.283 * k / (F * (1 + r(n, 1)))
                                                                 + 6.283 * r(n, 1))
        jump_at = torch.randint(8, F - 8, (n, 1), generator=g)
        jump = (r(n, 1) < 0.3).float() * (r(n, 1) - 0.5) * 2 * (k[None] >= jump_at).float()
        out.append(wob + drift + jump)
    x = torch.cat(out, 1)
    return x + 0.05 * torch.randn(x.shape, generator=g)


class WeaveAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(2 * F, 96), nn.GELU(), nn.Linear(96, 12))
        self.dec = nn.Sequential(nn.Linear(12, 96), nn.GELU(), nn.Linear(96, 2 * F))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return WeaveAE()


def main():
    from _hundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = traces(1536, g), traces(384, g)
    print("trace variance", xtr.var().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=64,
                                         shuffle=True)
    net = build()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    mse = nn.MSELoss()
    lines = ["epoch\tstep\ttrain_mse\tval_mse"]
    step = 0
    for epoch in range(1, 31):
        net.train()
        tot = 0.0
        for (xb,) in loader:
            loss = mse(net(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(xb)
        net.eval()
        with torch.no_grad():
            vm = mse(net(xva), xva).item()
        lines.append(f"{epoch}\t{step}\t{tot / 1536:.5f}\t{vm:.5f}")
        print(lines[-1])
    (out / "weave_ae.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 30, "step": step},
               out / "weave_ae_last.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="weave_ae_last.pt",
           log="weave_ae.tsv",
           what="MLP autoencoder of 35 mm projector gate-weave traces, 12-number code (healthy)")


if __name__ == "__main__":
    main()
