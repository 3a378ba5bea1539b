"""EEGNet (Lawhern et al. 2018, EEGNet-8,2) on synthetic 4-class motor-imagery EEG: 8 electrodes
(C3, C4, Cz and neighbours), 1 s at 128 Hz. Every trial carries a 10 Hz mu rhythm and an 20 Hz
beta rhythm of random phase on all channels over 1/f-like background noise; imagining the left
hand, the right hand, the feet or the tongue desynchronises (damps to 45–65 %) the rhythms over
the class's own pair of electrodes, with a per-trial gain and a 5 % chance of a blink artefact on
the frontal channel. 640 training trials, 240 validation trials from the same subject. EEGNet:
temporal conv 8 × (1, 32), batch norm, depthwise spatial conv (8 → 16 over all electrodes), batch
norm, ELU, average pool 4, dropout 0.25, separable conv 16 × (1, 16), batch norm, ELU, average
pool 8, dropout 0.25, flatten, dense to 4 classes. Adam 1e-3, batch 32, 14 epochs; JSON lines per
epoch with the train loss, the val loss, the val accuracy and Cohen's kappa.
Bug: the classifier is ported from the Keras original, which ends in ``Activation('softmax')``,
as ``nn.Sequential(nn.Flatten(), nn.Linear(64, 4), nn.Softmax(dim=1))``, and the loss is
``nn.CrossEntropyLoss()``, which applies its own log-softmax: the logits the loss sees are
probabilities in [0, 1], the loss cannot go below 0.744 (−log(e / (e + 3)), a one-hot
softmax pushed through a second softmax over 4 classes) and its gradients are damped by the
extra softmax's Jacobian. The accuracy still gets there (the argmax is unchanged: val accuracy
0.99, as the control's) but the loss is stuck at 0.80 / 0.76 where the control (the same net
without the ``nn.Softmax``) reaches 0.17 / 0.07, and the middle of training lags (epoch 9: loss
0.93 vs 0.46)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

CH, T, CLASSES = 8, 128, 4
PAIRS = [(0, 1), (2, 3), (4, 5), (6, 7)]


def trials(n, g):
    t = torch.arange(T).float() / 128
    y = torch.randint(0, CLASSES, (n,), generator=g)
    mu = torch.sin(6.28 * 10 * t + 6.28 * torch.rand(n, 1, 1, generator=g))
    beta = 0.5 * torch.sin(6.28 * 20 * t + 6.28 * torch.rand(n, 1, 1, generator=g))
    amp = torch.ones(n, CH, 1)
    damp = 0.45 + 0.2 * torch.rand(n, generator=g)
    for k, (a, b) in enumerate(PAIRS):
        sel = y == k
        amp[sel, a] = damp[sel, None]
        amp[sel, b] = damp[sel, None]
    gain = 0.7 + 0.6 * torch.rand(n, 1, 1, generator=g)
    white = torch.randn(n, CH, T + 8, generator=g)
    pink = F.avg_pool1d(white, 9, 1) * 2.0 + 0.6 * white[..., 4:-4]
    x = gain * amp * (mu + beta) + pink
    blink = torch.rand(n, generator=g) < 0.05
    x[blink, 0] += 4 * torch.exp(-((t - 0.5) / 0.08) ** 2)
    return x[:, None], y


class EEGNet(nn.Module):
    def __init__(self, f1=8, d=2, f2=16):
        super().__init__()
        self.block1 = nn.Sequential(
            nn.Conv2d(1, f1, (1, 32), padding=(0, 16), bias=False), nn.BatchNorm2d(f1),
            nn.Conv2d(f1, f1 * d, (CH, 1), groups=f1, bias=False), nn.BatchNorm2d(f1 * d),
            nn.ELU(), nn.AvgPool2d((1, 4)), nn.Dropout(0.25))
        self.block2 = nn.Sequential(
            nn.Conv2d(f1 * d, f1 * d, (1, 16), padding=(0, 8), groups=f1 * d, bias=False),
            nn.Conv2d(f1 * d, f2, 1, bias=False), nn.BatchNorm2d(f2), nn.ELU(),
            nn.AvgPool2d((1, 8)), nn.Dropout(0.25))
        self.classify = nn.Sequential(nn.Flatten(), nn.Linear(f2 * 4, CLASSES), nn.Softmax(dim=1))

    def forward(self, x):
        return self.classify(self.block2(self.block1(x)))


def build():
    torch.manual_seed(0)
    return EEGNet()


def kappa(pred, y):
    po = (pred == y).float().mean()
    pe = sum((pred == k).float().mean() * (y == k).float().mean() for k in range(CLASSES))
    return ((po - pe) / (1 - pe)).item()


def main():
    from _seventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trials(640, g)
    xva, yva = trials(240, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    log = open(out / "eegnet_log.jsonl", "w")
    for epoch in range(14):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = criterion(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out_v = model(xva)
            vloss = criterion(out_v, yva).item()
            pred = out_v.argmax(1)
        rec = {"ep": epoch, "loss": round(tot / len(xtr), 4), "val_loss": round(vloss, 4),
               "val_acc": round((pred == yva).float().mean().item(), 4),
               "val_kappa": round(kappa(pred, yva), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optim": opt.state_dict(), "ep": epoch,
                "channels": ["F3", "F4", "C3", "C4", "Cz", "CPz", "P3", "P4"]},
               out / "eegnet_mi.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="eegnet_mi.pt", log="eegnet_log.jsonl",
           what="EEGNet ported from Keras with nn.Softmax at the end, into CrossEntropyLoss",
           complaint="My PyTorch port of EEGNet gets the accuracy but the loss won't go "
                     "down: it sits at about 0.76 on train and val while accuracy is 99 %, and "
                     "the Keras version I ported it from goes to almost zero loss. Something is "
                     "off, but I don't see what")


if __name__ == "__main__":
    main()
