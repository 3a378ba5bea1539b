"""Machine-condition monitoring with a MelGAN-style multi-scale discriminator reused as a
classifier: 512-sample raw waveforms (8 kHz) of a pump in 4 states — normal hum (50 Hz
harmonics), bearing wear (hum + a 1.1–1.6 kHz whine), cavitation (hum + random crackle bursts),
loose mount (hum + a periodic knock every 90–140 samples) — random gain, phase and background
noise. Each scale is MelGAN's discriminator block: weight-normed Conv1d(1, 16, 15), two strided
grouped Conv1d (kernel 41, stride 4, groups 4) to 32 and 64 channels, Conv1d(64, 64, 5), each
with LeakyReLU 0.2, then a Conv1d to 4 class maps averaged over time; two scales (raw and
avg-pooled ×2), logits summed. Cross-entropy, Adam 2e-3 with MelGAN's betas (0.5, 0.9), batch
32, 6 epochs of 640 clips; a CSV log every 5 steps with the train cross-entropy and, per epoch,
the val cross-entropy and accuracy.
Bug: the loop was rewritten from a GAN script whose two optimizers were cleared with
``disc_opt.zero_grad()`` at the top of the generator step; the generator part was deleted and the
line went with it, so ``.grad`` is never cleared and every step applies the sum of all gradients
so far. The loss falls in the first epoch (val acc 0.47), then climbs back to chance: val
accuracy 0.25, val cross-entropy 1.40 ≈ ln 4 (control with the line back: 0.98, 0.08)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import weight_norm

N, SR = 512, 8000


def clips(n, g):
    t = torch.arange(N).float() / SR
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, N)
    for i in range(n):
        ph = torch.rand(3, generator=g) * 6.28
        hum = sum(torch.sin(2 * 3.1416 * 50 * k * t + ph[k - 1]) / k for k in (1, 2, 3))
        sig = hum * (0.5 + 0.5 * float(torch.rand(1, generator=g)))
        c = int(y[i])
        if c == 1:
            f = 1100 + 500 * float(torch.rand(1, generator=g))
            sig = sig + 0.3 * torch.sin(2 * 3.1416 * f * t + float(ph[0]))
        elif c == 2:
            for _ in range(int(torch.randint(3, 7, (1,), generator=g))):
                s = int(torch.randint(0, N - 40, (1,), generator=g))
                sig[s:s + 40] += 0.8 * torch.randn(40, generator=g)
        elif c == 3:
            period = int(torch.randint(90, 141, (1,), generator=g))
            start = int(torch.randint(0, period, (1,), generator=g))
            for s in range(start, N - 8, period):
                sig[s:s + 8] += torch.tensor([1.5, -1.2, 0.9, -0.6, 0.4, -0.2, 0.1, 0.0])
        x[i] = sig + 0.15 * torch.randn(N, generator=g)
    return x[:, None] * (0.5 + torch.rand(n, 1, 1, generator=g)), y


def block():
    wn = weight_norm
    return nn.ModuleList([
        nn.Sequential(wn(nn.Conv1d(1, 16, 15, padding=7)), nn.LeakyReLU(0.2)),
        nn.Sequential(wn(nn.Conv1d(16, 32, 41, 4, padding=20, groups=4)), nn.LeakyReLU(0.2)),
        nn.Sequential(wn(nn.Conv1d(32, 64, 41, 4, padding=20, groups=4)), nn.LeakyReLU(0.2)),
        nn.Sequential(wn(nn.Conv1d(64, 64, 5, padding=2)), nn.LeakyReLU(0.2)),
        wn(nn.Conv1d(64, 4, 3, padding=1))])


class MultiScaleDisc(nn.Module):
    def __init__(self):
        super().__init__()
        self.scales = nn.ModuleList([block(), block()])
        self.pool = nn.AvgPool1d(4, 2, padding=1, count_include_pad=False)

    def forward(self, x):
        logits = 0
        for i, layers in enumerate(self.scales):
            h = x if i == 0 else self.pool(x)
            for layer in layers:
                h = layer(h)
            logits = logits + h.mean(-1)
        return logits


def build():
    torch.manual_seed(0)
    return MultiScaleDisc()


def main():
    from _seventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(800, g)
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    disc = build()
    disc_opt = torch.optim.Adam(disc.parameters(), lr=2e-3, betas=(0.5, 0.9))
    f = open(out / "disc_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "train_ce", "val_ce", "val_acc"])
    step = 0
    for epoch in range(6):
        disc.train()
        run = []
        for idx in torch.randperm(640, generator=g).split(32):
            loss = F.cross_entropy(disc(xtr[idx]), ytr[idx])
            loss.backward()
            disc_opt.step()
            step += 1
            run.append(loss.item())
            if step % 5 == 0 and step % 20:
                w.writerow([epoch, step, round(sum(run) / len(run), 4), "", ""])
                run = []
        disc.eval()
        with torch.no_grad():
            lv = disc(xva)
        vce = F.cross_entropy(lv, yva).item()
        acc = (lv.argmax(1) == yva).float().mean().item()
        w.writerow([epoch, step, round(sum(run) / max(len(run), 1), 4), round(vce, 4),
                    round(acc, 4)])
        print(epoch, step, vce, acc)
    f.close()
    torch.save({"discriminator": disc.state_dict(), "disc_opt": disc_opt.state_dict(),
                "epoch": 6, "global_step": step}, out / "msd_classifier.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="msd_classifier.pth", log="disc_train.csv",
           what="MelGAN multi-scale discriminator as a pump-state classifier, zero_grad lost",
           complaint="The pump classifier's loss goes down in the first epoch, then "
                     "climbs back up and stays there; by the end validation accuracy is 25 %, "
                     "like guessing among the 4 states.")


if __name__ == "__main__":
    main()
