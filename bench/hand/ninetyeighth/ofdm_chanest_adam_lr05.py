"""OFDM channel estimation with a ChannelNet-style CNN (the SRCNN half): the channel of one
resource grid (14 OFDM symbols × 48 subcarriers) is estimated from least-squares estimates at
the pilots (every 4th subcarrier on symbols 3 and 10, the LTE pattern), linearly interpolated
over the grid as the network's input (real and imaginary parts as 2 channels). Channels are
synthetic multipath: 3–6 taps with an exponential power-delay profile (delay spread up to 12
samples on a 64-point FFT), a Doppler shift per tap (up to 0.03 cycles per symbol), normalised
to unit average power; pilot noise at 10–25 dB SNR. Conv 5×5 (2 → 24) + ReLU, 3×3 (24 → 24) +
ReLU, 3×3 (24 → 2), added to the interpolated input (a residual refinement). MSE, batch 32, 10
epochs of 800 grids; JSON lines per epoch with the train MSE and the validation NMSE (dB) of
the CNN and of the interpolated LS input it starts from.
Bug: ``torch.optim.Adam(net.parameters(), lr=0.05)`` (50× the usual 1e-3 for this net). The
first epoch blows up (mean train MSE 3.68, against 0.10 for the input itself), the refinement
branch then dies (its ReLUs never fire again) and the net returns its input: train MSE 0.1033
for epochs 2–10, val NMSE −6.86 dB = the interpolated LS input's −6.86 dB, to 0.001 dB; the
control (Adam 1e-3) reaches val NMSE −10.84 dB after 1 epoch and −13.35 dB after 10, train MSE
0.0236."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NS, NF, NFFT = 14, 48, 64
PILOT_SYM, PILOT_SC = [2, 9], list(range(0, NF, 4))


def channels(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(NS).float()[:, None]
    f = torch.arange(NF).float()[None]
    h = torch.zeros(n, NS, NF, dtype=torch.complex64)
    for i in range(n):
        taps = int(torch.randint(3, 7, (1,), generator=g))
        spread = 1 + 11 * float(r(1))
        tau = torch.sort(r(taps) * spread).values
        p = torch.exp(-tau / (spread / 3))
        p = p / p.sum()
        amp = torch.sqrt(p) * torch.exp(2j * math.pi * r(taps))
        nu = (r(taps) * 2 - 1) * 0.03
        for k in range(taps):
            h[i] += amp[k] * torch.exp(-2j * math.pi * f * tau[k] / NFFT
                                       + 2j * math.pi * nu[k] * t)
    return h


def ls_interpolated(h, g):
    n = len(h)
    snr = 10 + 15 * torch.rand(n, 1, 1, generator=g)
    sigma = torch.sqrt(10 ** (-snr / 10) / 2)
    hp = h[:, PILOT_SYM][:, :, PILOT_SC]
    noise = torch.complex(torch.randn(hp.shape, generator=g), torch.randn(hp.shape, generator=g))
    hp = hp + sigma * noise
    x = torch.stack([hp.real, hp.imag], 1)
    x = F.interpolate(x, size=(2, NF), mode="bilinear", align_corners=False)  # along frequency
    sym = torch.tensor(PILOT_SYM).float()
    w = ((torch.arange(NS).float() - sym[0]) / (sym[1] - sym[0]))[None, None, :, None]
    return x[:, :, :1] * (1 - w) + x[:, :, 1:] * w  # linear in time, extrapolated at the edges


class ChannelNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 24, 5, padding=2)
        self.c2 = nn.Conv2d(24, 24, 3, padding=1)
        self.c3 = nn.Conv2d(24, 2, 3, padding=1)

    def forward(self, x):
        return x + self.c3(F.relu(self.c2(F.relu(self.c1(x)))))


def build():
    torch.manual_seed(0)
    return ChannelNet()


def nmse_db(est, h):
    return 10 * math.log10(((est - h) ** 2).sum().item() / (h ** 2).sum().item())


def main():
    from _ninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    h = channels(1000, g)
    x = ls_interpolated(h, g)
    y = torch.stack([h.real, h.imag], 1)
    xtr, ytr, xva, yva = x[:800], y[:800], x[800:], y[800:]
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    log = open(out / "chanest.jsonl", "w")
    for epoch in range(1, 11):
        net.train()
        perm = torch.randperm(800)
        tot = 0.0
        for i in range(0, 800, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            rec = {"epoch": epoch, "train_mse": tot / 800, "val_nmse_db": nmse_db(net(xva), yva),
                   "ls_interp_nmse_db": nmse_db(xva, yva)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"weights": net.state_dict(), "adam": opt.state_dict(), "epoch": 10,
                "grid": [NS, NF], "pilot_symbols": PILOT_SYM},
               out / "channelnet_ep10.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="channelnet_ep10.pth", log="chanest.jsonl",
           what="ChannelNet-style OFDM channel estimator trained with Adam at lr 0.05",
           complaint="The channel estimation CNN doesn't improve on plain LS interpolation at all: "
                     "validation NMSE is -6.86 dB after 10 epochs, exactly what the interpolated "
                     "LS input already has. The train MSE was 3.7 in the first epoch and then sits "
                     "at 0.1033 from epoch 2 to 10 without moving.")


if __name__ == "__main__":
    main()
