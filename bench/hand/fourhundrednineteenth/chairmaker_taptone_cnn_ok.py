"""Plain torch: a 1-D CNN with batch norm tells a chairmaker which wood a spindle blank is from
the ring it gives when tapped (in the green-wood shop the billets from the log pile lose their
bark and their chalk marks): ash, oak, beech, elm, cherry. The rule behind the sound: a blank
cut on the 18-inch gauge (0.45-0.46 m) and turned to 1 1/4 inch (31-32 mm) rings like a
free-free bar, its first bending mode f₁ = 1.028 · √(E/ρ) · t / L² (each wood its own range
of specific stiffness √(E/ρ), 3.6-5.5 km/s, moisture lowering it up to 5 %), overtones at
2.76 f₁ and 5.40 f₁ (a little off for cross grain, more so in elm and oak), each mode decaying
at a loss factor set by the wood (elm and oak dull, ash and cherry bright), a tap transient
and room noise. Recorded at 8 kHz (anti-alias filtered, modes above 3.9 kHz gone) for 128 ms
(1024 samples); the input is the log magnitude spectrum pooled to 128 bins (0-4 kHz),
standardised.
Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2,
Conv1d 32→32 (k3) + BN + ReLU, average pool to 8 bands, Linear 256→5; cross-entropy, SGD
with Nesterov momentum 0.9 and OneCycleLR (peak 0.08), batch 48, 14 epochs of 1500 blanks,
validation on 400.
Healthy; numbers in the README.
Log: CSV per epoch ``tap_log.csv`` (``ep`` / ``loss_tr`` / ``loss_val`` / ``acc_val`` /
``acc_val_elm``); checkpoint ``billet_species.pt`` with keys ``net_state`` / ``opt_state`` /
``onecycle`` / ``ep`` / ``species`` / ``spec_mean`` / ``spec_std``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["ash", "oak", "beech", "elm", "cherry"]
FS = 8000.0
N = 1024


def billets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 5, (n,), generator=g)
    # specific stiffness sqrt(E/rho) in km/s, low / high
    lo = torch.tensor([5.0, 4.2, 4.6, 3.6, 4.8])[sp]
    hi = torch.tensor([5.5, 4.7, 5.1, 4.1, 5.3])[sp]
    c = (lo + (hi - lo) * r(n)) * (1 - 0.05 * r(n))  # moisture
    length = 0.45 + 0.01 * r(n)  # spindle blanks cut on the 18-inch gauge
    thick = 0.031 + 0.001 * r(n)  # and turned to 1 1/4 inch
    f1 = 1.028 * c * 1000 * thick / length ** 2
    damp = torch.tensor([0.005, 0.018, 0.011, 0.028, 0.007])[sp] * (0.8 + 0.4 * r(n))
    off = 1 + 0.04 * (r(n) - 0.5) * torch.tensor([1.0, 1.5, 0.5, 2.5, 0.7])[sp]
    t = torch.arange(N).float() / FS
    wave = torch.zeros(n, N)
    for ratio, amp in [(1.0, 1.0), (2.76, 0.6), (5.40, 0.35)]:
        f = (f1 * ratio * (off if ratio > 1 else 1)).unsqueeze(1)
        decay = torch.exp(-2 * math.pi * f * damp.unsqueeze(1) * t)
        amp = amp * (f < FS / 2 - 100).float()  # modes above Nyquist are filtered out
        wave = wave + amp * decay * torch.sin(2 * math.pi * f * t + 2 * math.pi * r(n, 1))
    wave = wave + 0.3 * torch.exp(-t / 0.002) * torch.randn(n, N, generator=g)  # tap
    wave = wave + 0.02 * torch.randn(n, N, generator=g)
    spec = torch.fft.rfft(wave * torch.hann_window(N), dim=1).abs()[:, :512]
    spec = F.adaptive_avg_pool1d(spec.unsqueeze(1), 128)
    return torch.log(spec + 1e-3), sp


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32),
                         nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                         nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(8), nn.Flatten(),
                         nn.Linear(256, 5))


def main():
    from _fourhundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = billets(1500, g)
    xva, yva = billets(400, g)
    mean, std = xtr.mean(), xtr.std()
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("shape", tuple(xtr.shape), "classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.08, momentum=0.9, nesterov=True)
    steps = math.ceil(len(xtr) / 48)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.08, epochs=14, steps_per_epoch=steps)
    with open(out / "tap_log.csv", "w") as log:
        log.write("ep,loss_tr,loss_val,acc_val,acc_val_elm\n")
        for ep in range(14):
            net.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 48):
                idx = perm[b:b + 48]
                loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
            net.eval()
            with torch.no_grad():
                z = net(xva)
            pred = z.argmax(1)
            row = (f"{ep},{tot / len(xtr):.5f},{F.cross_entropy(z, yva).item():.5f},"
                   f"{(pred == yva).float().mean().item():.4f},"
                   f"{(pred[yva == 3] == 3).float().mean().item():.4f}")
            log.write(row + "\n")
            print(row)
    torch.save({"net_state": net.state_dict(), "opt_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 14, "species": SPECIES,
                "spec_mean": mean, "spec_std": std}, out / "billet_species.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="billet_species.pt",
           log="tap_log.csv",
           what="1-D CNN with batch norm naming a chairmaker's billet wood (ash / oak / beech /"
                " elm / cherry) from its tap-tone spectrum (healthy)")


if __name__ == "__main__":
    main()
