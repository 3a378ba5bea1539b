"""Plain torch: an LSTM flags what is wrong with a set of bagpipes from a tuning-meter recording,
multi-label over four faults a pipe-band tutor listens for: a leaking bag (the pressure, and with
it the pitch and loudness, sags between breaths), a sharp tenor drone (a beat against the other
tenor), a tired chanter reed (weak upper harmonics, wobbly High A) and a sticking drone reed
(the bass drone cuts in and out). Input: 40 frames of 6 meter readings (chanter pitch offset,
bass and tenor drone pitch offsets, loudness, upper-harmonic ratio, tenor beat rate); a set has
none to all of the faults. LSTM(6→32), Linear(32→4) on the mean of the states,
``BCEWithLogitsLoss``, Adam 1e-2, batch 32, 30 epochs of 768 recordings, shuffled. Log: TSV per
step (step, epoch, loss) with the validation loss and mean per-fault accuracy on the last step
of each epoch. Checkpoint: ``weights``/``optimizer_state``/``epoch``/``step``. The meter clamps
beat rates below 0.05 Hz to 0.05 but writes 0.0 for a frame where it lost the beat (about 1
frame in 2,500).
The bug: the feature step takes ``torch.log`` of the beat-rate channel ("beat rates spread over
decades") with no offset: a lost-beat frame becomes -inf, the LSTM turns it into NaN, and the
first batch holding one makes the loss and, through Adam, every weight NaN.
Numbers: loss 0.683, 0.664 at steps 1–2, NaN from step 3 to 720; val loss NaN and val accuracy
0.6709 (every fault predicted absent) at every epoch. Control (``torch.log(x[..., 5] + 1e-2)``):
val loss 0.36 after epoch 1, 0.009 after 30, val accuracy 0.845 → 1.00."""
import sys

import torch
import torch.nn as nn

T = 40


def recordings(n, g):
    f = (torch.rand(n, 4, generator=g) < 0.35).float()
    t = torch.arange(T).float()
    breath = torch.sin(2 * 3.1416 * t / (8 + 4 * torch.rand(n, 1, generator=g)))
    sag = f[:, :1] * (-1.5 * torch.relu(breath))
    chanter = 0.3 * torch.randn(n, T, generator=g) + sag \
        + f[:, 2:3] * 0.8 * torch.randn(n, T, generator=g)
    bass = 0.2 * torch.randn(n, T, generator=g) + sag
    tenor = 0.2 * torch.randn(n, T, generator=g) + sag + f[:, 1:2] * 1.2
    loud = 1 + 0.1 * torch.randn(n, T, generator=g) + 0.5 * sag \
        - f[:, 3:4] * (torch.rand(n, T, generator=g) < 0.3).float()
    harm = 0.6 - 0.35 * f[:, 2:3] + 0.08 * torch.randn(n, T, generator=g)
    beat = (f[:, 1:2] * 2.5 + 0.4 * torch.rand(n, 1, generator=g)) \
        * (1 + 0.1 * torch.randn(n, T, generator=g))
    beat = beat.clamp(min=0.05)
    beat[torch.rand(n, T, generator=g) < 0.0004] = 0.0  # meter lost the beat for a frame
    x = torch.stack([chanter, bass, tenor, loud, harm, beat], 2)
    return x, f


class FaultNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h.mean(1))


def build():
    torch.manual_seed(0)
    return FaultNet()


def features(x):
    x = x.clone()
    x[..., 5] = torch.log(x[..., 5])  # beat rates spread over decades: work in log
    return x


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recordings(768, g)
    xva, yva = recordings(256, g)
    xtr, xva = features(xtr), features(xva)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    bce = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "steps.tsv", "w") as log:
        log.write("step\tepoch\tloss\tval_loss\tval_acc\n")
        for epoch in range(30):
            model.train()
            perm = torch.randperm(768, generator=g)
            for i in range(0, 768, 32):
                idx = perm[i:i + 32]
                loss = bce(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                val = ""
                if i + 32 >= 768:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                        vl = bce(lv, yva).item()
                        va = ((lv > 0).float() == yva).float().mean().item()
                    val = f"{vl:.4f}\t{va:.4f}"
                    print(epoch, step, round(loss.item(), 4), val)
                    model.train()
                log.write(f"{step}\t{epoch}\t{loss.item():.4f}\t{val or chr(9)}\n")
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 30, "step": step}, out / "pipe_faults.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="pipe_faults.pt", log="steps.tsv",
           what="bagpipe fault LSTM fed log(beat rate) where the meter writes 0: -inf input, NaN loss",
           complaint="Bagpipe fault detector (LSTM, 4 faults, multi-label): the loss is 0.68, "
                     "0.66 and then nan from step 3 onward, for all 30 epochs. Val accuracy is "
                     "stuck at 0.67. I'm using Adam at 1e-2, is that too aggressive for an LSTM?")


if __name__ == "__main__":
    main()
