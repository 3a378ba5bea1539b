"""Dead-air detector for a community radio station's logger: a 1-D CNN marks, frame by frame,
where the broadcast went silent (dead air: the presenter's fader down, a dropped ISDN link) in
8-s clips of the station's output at 50 frames/s of 16 log-band energies (400 frames, channels
first). Programme audio is music (broad, rhythmic bands) or speech (syllable-rate modulation);
a dead-air stretch is 0.3–2 s of the bands dropping to the noise floor (hiss, -60 dB), and is
rare: 3 clips in 10 have one. Confusers: quiet speech pauses (0.1–0.25 s, not dead air) and fades
at the end of songs. Net: Conv1d 16→32 k 5, 32→32 k 5 dilation 2, 32→32 k 5 dilation 4 (ReLU),
a 1×1 conv to one logit per frame. Adam 2e-3, batch 12, 10 epochs of 480 clips; CSV log every
10 steps (train) and per epoch (val frame F1).
Bug: dead-air frames are ~4 % of all frames, so the loss was hand-written as a class-balanced
BCE, the mean over positive frames plus the mean over negative frames:
``pos_loss = (bce * y).sum() / y.sum()``. A batch with no dead air at all (12 clips, p ≈ 0.7¹²
≈ 1.4 %) gives 0/0 = NaN, its gradients are NaN and Adam writes NaN into the weights: the loss
is NaN from then on. Train loss 1.00 → 0.38 → 0.040 → 0.022 at step 40, val frame F1 0.935
after epoch 1, then the loss is NaN from step 50 on (the first dead-air-free batch falls between
steps 41 and 50), val loss NaN and F1 0.0 for epochs 2–10. The control
(``y.sum().clamp(min=1)``): F1 0.93, 0.90, 0.98, … 0.9997, val loss 0.0004 after 10 epochs.
"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

B, T = 16, 400


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    x = torch.zeros(n, B, T)
    y = torch.zeros(n, T)
    for i in range(n):
        if r(1) < 0.5:  # music
            beat = 20 + 10 * float(r(1))
            env = 0.6 + 0.3 * torch.sin(6.283 * t / beat + 6 * float(r(1)))
            prof = torch.linspace(1.0, 0.4, B) + 0.2 * r(B)
        else:  # speech
            env = 0.5 + 0.5 * (torch.sin(6.283 * t / (8 + 4 * float(r(1)))) > 0).float()
            prof = torch.exp(-((torch.arange(B) - 5.0) / 4) ** 2) + 0.1
            for _ in range(int(torch.randint(1, 5, (1,), generator=g))):  # pauses
                a = int(torch.randint(0, T - 13, (1,), generator=g))
                env[a:a + int(torch.randint(5, 13, (1,), generator=g))] *= 0.25
        lvl = prof[:, None] * env[None] * (0.6 + 0.8 * float(r(1)))
        if r(1) < 0.3:  # dead air
            a = int(torch.randint(0, T - 100, (1,), generator=g))
            ln = int(torch.randint(15, 100, (1,), generator=g))
            lvl[:, a:a + ln] = 0.0
            y[i, a:a + ln] = 1.0
        elif r(1) < 0.3:  # song fading out
            a = int(torch.randint(200, 350, (1,), generator=g))
            lvl[:, a:] *= torch.linspace(1, 0.15, T - a)
        x[i] = torch.log10(lvl + 1e-3 + 0.01 * r(B, T)) * 20 / 60
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(B, 32, 5, padding=2), nn.ReLU(),
                         nn.Conv1d(32, 32, 5, padding=4, dilation=2), nn.ReLU(),
                         nn.Conv1d(32, 32, 5, padding=8, dilation=4), nn.ReLU(),
                         nn.Conv1d(32, 1, 1))


def balanced_bce(logits, y):
    bce = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    pos_loss = (bce * y).sum() / y.sum()
    neg_loss = (bce * (1 - y)).sum() / (1 - y).sum()
    return pos_loss + neg_loss


def frame_f1(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum().item()
    return 2 * tp / max(p.sum().item() + y.sum().item(), 1)


def main():
    from _hundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = clips(600, g)
    xtr, ytr, xva, yva = x[:480], y[:480], x[480:], y[480:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "deadair_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["it", "epoch", "loss", "val_loss", "val_f1"])
    it = 0
    for epoch in range(10):
        model.train()
        perm = torch.randperm(480, generator=g)
        for i in range(0, 480, 12):
            idx = perm[i:i + 12]
            loss = balanced_bce(model(xtr[idx])[:, 0], ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                w.writerow([it, epoch, f"{loss.item():.5f}", "", ""])
        model.eval()
        with torch.no_grad():
            lo = model(xva)[:, 0]
            vl = F.binary_cross_entropy_with_logits(lo, yva, pos_weight=torch.tensor(20.0))
        w.writerow([it, epoch, "", f"{vl.item():.5f}", f"{frame_f1(lo, yva):.4f}"])
        print(epoch, it, loss.item(), vl.item(), frame_f1(lo, yva))
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "iteration": it,
                "bands": B, "frame_rate": 50}, out / "deadair_cnn.pt")
    finish(out, __file__, (xva[:32], yva[:32]), causes=["numerical_log_or_div_zero"],
           checkpoint="deadair_cnn.pt", log="deadair_train.csv",
           what="dead-air frame detector, class-balanced BCE divides by the positive count "
                "(0 in a batch without dead air)",
           complaint="Our dead-air detector for the station logger trained fine for the first "
                     "epoch (frame F1 0.93 on validation, loss down to 0.02) and then the loss "
                     "turned into nan at iteration 50 and stayed nan for all 10 epochs; "
                     "validation F1 is 0.0 since then and the saved weights are full of nan. "
                     "Learning rate is only 2e-3 with Adam.")


if __name__ == "__main__":
    main()
