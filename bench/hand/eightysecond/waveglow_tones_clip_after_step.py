"""A WaveGlow-style normalising flow (small, unconditional) on synthetic 256-sample "tones"
(two sinusoids of random pitch and phase with random amplitudes and a little white noise). The
waveform is squeezed into groups of 8 samples, (B, 8, 32); 4 flow steps, each an invertible
1×1 convolution (a random rotation at the start, log|det W| in the loss) and an affine
coupling layer whose WN network (1×1 in, two gated dilated k3 convs with residual and skip
paths, 24 channels, a zero-initialised end conv as in the paper) reads the first half of the
channels and returns log s and t for the second half. Loss: the negative log-likelihood per
sample, z²/2σ² (σ 1) − Σ log s − T·Σ log|det W|, divided by the number of samples. SGD with
momentum 0.9, lr 0.1, batch 16, 200 steps, clip the gradient norm at 1 (the recipe's); every
10 steps a CSV row ``iteration, train_nll, val_nll, grad_norm`` (the norm
``clip_grad_norm_`` returns); the checkpoint holds ``flow`` / ``sgd`` / ``iteration`` /
``sigma``.
Bug: ``clip_grad_norm_`` is called *after* ``optimizer.step()`` (it was moved below the step
with the logging code), so it only rescales gradients that have already been used and are
zeroed next: no step is ever clipped. Once exp(log s) grows, the gradients of z² grow with it
and momentum SGD takes ever larger steps: the NLL falls for a few steps, then the weights blow
up and from the second logged row (iteration 20) every number is NaN. (With the clip before the
step, the same lr trains smoothly to a val NLL of −2.39.)"""
import csv
import math

import torch
import torch.nn as nn

T, GROUP = 256, 8


def tones(n, g):
    t = torch.arange(T).float()
    f = 0.01 + 0.1 * torch.rand(n, 2, 1, generator=g)
    ph = 6.28 * torch.rand(n, 2, 1, generator=g)
    amp = 0.2 + 0.3 * torch.rand(n, 2, 1, generator=g)
    x = (amp * torch.sin(2 * math.pi * f * t + ph)).sum(1)
    return x + 0.02 * torch.randn(n, T, generator=g)


def squeeze(x):
    return x.view(len(x), -1, GROUP).transpose(1, 2)  # (B, 8, 32)


class Inv1x1(nn.Module):
    def __init__(self, c):
        super().__init__()
        w = torch.linalg.qr(torch.randn(c, c))[0]
        if torch.det(w) < 0:
            w[:, 0] = -w[:, 0]
        self.weight = nn.Parameter(w)

    def forward(self, z):
        return torch.einsum("ij,bjt->bit", self.weight, z), torch.slogdet(self.weight)[1]


class WN(nn.Module):
    def __init__(self, cin, cout, ch=24, layers=2):
        super().__init__()
        self.start = nn.Conv1d(cin, ch, 1)
        self.dilated = nn.ModuleList(nn.Conv1d(ch, 2 * ch, 3, padding=2 ** i, dilation=2 ** i)
                                     for i in range(layers))
        self.res_skip = nn.ModuleList(nn.Conv1d(ch, ch, 1) for _ in range(layers))
        self.end = nn.Conv1d(ch, cout, 1)
        nn.init.zeros_(self.end.weight)
        nn.init.zeros_(self.end.bias)

    def forward(self, x):
        h, skip = self.start(x), 0
        for dil, rs in zip(self.dilated, self.res_skip, strict=False):
            a, b = dil(h).chunk(2, 1)
            out = rs(torch.tanh(a) * torch.sigmoid(b))
            h, skip = h + out, skip + out
        return self.end(skip)


class WaveGlowLite(nn.Module):
    def __init__(self, flows=4, sigma=1.0):
        super().__init__()
        self.sigma = sigma
        self.convs = nn.ModuleList(Inv1x1(GROUP) for _ in range(flows))
        self.wns = nn.ModuleList(WN(GROUP // 2, GROUP) for _ in range(flows))

    def forward(self, audio):
        """Returns the NLL per sample (nats)."""
        z = squeeze(audio)
        log_s_total, logdet_total = 0.0, 0.0
        for conv, wn in zip(self.convs, self.wns, strict=False):
            z, logdet = conv(z)
            za, zb = z.chunk(2, 1)
            log_s, t = wn(za).chunk(2, 1)
            zb = torch.exp(log_s) * zb + t
            z = torch.cat([za, zb], 1)
            log_s_total = log_s_total + log_s.sum()
            logdet_total = logdet_total + logdet * z.shape[2] * len(z)
        nll = (z * z).sum() / (2 * self.sigma ** 2) - log_s_total - logdet_total
        return nll / z.numel()


def build():
    torch.manual_seed(0)
    return WaveGlowLite()


def main():
    from _eightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = tones(1024, g), tones(128, g)
    flow = build()
    opt = torch.optim.SGD(flow.parameters(), lr=0.1, momentum=0.9)
    f = open(out / "flow_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iteration", "train_nll", "val_nll", "grad_norm"])
    it, run = 0, []
    while it < 200:
        for idx in torch.randperm(len(xtr), generator=g).split(16):
            loss = flow(xtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            norm = torch.nn.utils.clip_grad_norm_(flow.parameters(), 1.0)
            it += 1
            run.append(loss.item())
            if it % 10 == 0:
                with torch.no_grad():
                    vl = flow(xva).item()
                row = [it, round(sum(run) / len(run), 4), round(vl, 4), round(norm.item(), 3)]
                w.writerow(row)
                print(row)
                run = []
            if it == 200:
                break
    f.close()
    torch.save({"flow": flow.state_dict(), "sgd": opt.state_dict(), "iteration": it,
                "sigma": flow.sigma}, out / "waveglow_200.pt")
    finish(out, __file__, (xva[:32], xva[:32].clone()), causes=["exploding_gradients"],
           checkpoint="waveglow_200.pt", log="flow_train.csv",
           what="WaveGlow-style flow, clip_grad_norm_ called after optimizer.step()",
           complaint="The flow's NLL goes down at first, then starts jumping around and ends up "
                     "as nan / inf. I already clip gradients at 1.0, so I don't understand how "
                     "it can still blow up.")


if __name__ == "__main__":
    main()
