"""Plain torch: an autoencoder compresses a round of sextant sights taken around local noon (32
altitudes, one every 30 s) so the navigation log can store and later denoise them. A round is
the sun's altitude curve near meridian passage: a peak altitude, the time of the peak, a
curvature set by latitude and declination, a constant index-error offset and a slow roll of the
ship, plus reading noise (the curves are standardised per position). MLP autoencoder
32-64-CODE-64-32 (ReLU), Adam 2e-3, batch 64, 20 epochs of 1024 rounds, MSE reconstruction.
Log: TSV every 8 steps (``step``, ``epoch``, ``recon``) with ``val_recon`` on each epoch's last
step; checkpoint ``{"weights", "adam", "epoch", "step"}``.
The bug: ``CODE = 1`` ("one number per round is all we need: the noon altitude"), so the
bottleneck can hold only one of the four or five things that shape a round and the network
cannot even fit its training set. Val reconstruction MSE (standardised) 0.54 after epoch 1, 0.49, 0.48,
0.47, ... 0.374 at epoch 20; train MSE 0.36–0.44 over the last epochs: train and val stay
together and high.
Control (``CODE = 6``): val MSE 0.45 after epoch 1, 0.18, 0.13, ..., 0.043 at epoch 10, 0.0040
at epoch 20; train MSE 0.0036."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 32
CODE = 1  # one number per round is all we need: the noon altitude


def rounds(n, g):
    t = torch.linspace(-1, 1, T)
    peak = 40 + 4 * torch.rand(n, 1, generator=g)
    t0 = 0.9 * (torch.rand(n, 1, generator=g) - 0.5)
    curv = 2 + 10 * torch.rand(n, 1, generator=g)
    ie = 1.5 * torch.randn(n, 1, generator=g)
    roll_a = 2.0 * torch.rand(n, 1, generator=g)
    roll_p = 6.28 * torch.rand(n, 1, generator=g)
    alt = peak - curv * (t - t0) ** 2 + ie + roll_a * torch.sin(9 * t + roll_p)
    return alt + 0.1 * torch.randn(n, T, generator=g)


class RoundAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(T, 64), nn.ReLU(), nn.Linear(64, CODE))
        self.dec = nn.Sequential(nn.Linear(CODE, 64), nn.ReLU(), nn.Linear(64, T))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return RoundAE()


def main():
    from _twohundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw = rounds(1280, g)
    mu, sd = raw[:1024].mean(0), raw[:1024].std(0)
    x = (raw - mu) / sd
    xtr, xva = x[:1024], x[1024:]
    torch.manual_seed(0)
    model = build()
    adam = torch.optim.Adam(model.parameters(), lr=2e-3)
    lines, step = ["step\tepoch\trecon\tval_recon"], 0
    for epoch in range(20):
        model.train()
        perm = torch.randperm(1024, generator=g)
        for b in range(16):
            xb = xtr[perm[b * 64:(b + 1) * 64]]
            loss = F.mse_loss(model(xb), xb)
            adam.zero_grad()
            loss.backward()
            adam.step()
            step += 1
            if step % 8 == 0:
                vr = ""
                if b == 15:
                    model.eval()
                    with torch.no_grad():
                        vr = f"{F.mse_loss(model(xva), xva).item():.5f}"
                lines.append(f"{step}\t{epoch}\t{loss.item():.5f}\t{vr}")
        print(lines[-1])
    (out / "ae_log.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"weights": model.state_dict(), "adam": adam.state_dict(), "epoch": 20,
                "step": step}, out / "round_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["underfitting"],
           checkpoint="round_ae.pt", log="ae_log.tsv",
           what="sextant noon-round autoencoder with a one-number bottleneck that cannot fit",
           complaint="Autoencoder for our noon sextant sight rounds (32 altitudes per round, "
                      "standardised): after 20 epochs the reconstruction MSE is still 0.37 on "
                      "validation and 0.36-0.44 on the training batches. It's not overfitting, "
                      "train and val are the same, the curves just come back as a rough average "
                      "shape. Should I train for 200 epochs?")


if __name__ == "__main__":
    main()
