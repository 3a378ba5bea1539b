"""Plain torch: a 1-D CNN with batch norm sorts the planks a boatwright has steamed for a
clinker hull by the sound they make when tapped with a mallet (a contact microphone on the
plank, 4 kHz, 32 ms after the tap): sound timber, timber with hidden rot, timber with a shake
(a split along the grain). A sound plank rings as a lightly damped bending mode (450-750 Hz
by length, thickness and species; decay time 12-25 ms) with a weaker second mode at about
2.76× the first; rot softens and damps the wood (the ring drops by 10-20 % and dies away in
3-7 ms); a shake splits the mode into two close tones 15-40 Hz apart that beat, and cuts the
second mode short. Mallet strength, microphone gain and shop noise vary.
Input: (1, 128) microphone samples / peak of the tap. Model: Conv1d 1→16 (k7, stride 2) + BN
+ ReLU, Conv1d 16→32 (k5, stride 2) + BN + ReLU, Conv1d 32→32 (k5) + BN + ReLU, global
average pool, Linear 32→3; cross-entropy, SGD 0.1 with momentum 0.9, micro-batches of 8 with
gradients accumulated over 8 of them (an effective batch of 64) before each step, 12 epochs,
1536 taps, validation on 400.
The bug: ``loss = crit(model(xb), yb)  # micro-batch loss, backward adds it up`` goes into
``loss.backward()`` as it is, so the gradient of each step is the sum over the 8
micro-batches rather than their mean and the step is 8× the one intended: val accuracy
swings from epoch to epoch (0.91, 0.85, 0.96, 0.97, 0.81, 0.91, 0.94, 0.96, 0.80, 0.98,
0.98, 0.92 at the end), val CE 0.21 → 0.23 with spikes to 0.50 and 0.66, the step loss up
to 1.72 after a start of 1.09 (control, ``loss = crit(model(xb), yb) / ACCUM``: val accuracy
0.92 → 0.98, 0.98-1.0 from epoch 3, val CE 0.27 → 0.053).
Log: a TSV per optimizer step ``tap_steps.tsv`` (``opt_step`` / ``epoch`` / ``ce``, the mean of
the 8 micro-batch losses) and a separate per-epoch TSV ``tap_val.tsv`` (``epoch`` / ``val_ce``
/ ``val_acc`` / ``val_acc_rot`` / ``val_acc_shake``, named as the log in the truth);
checkpoint ``plank_tap.ckpt`` with keys ``model_state`` / ``optim_state`` / ``epoch`` /
``accum_steps`` / ``sample_rate_hz`` / ``classes``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FS = 4000.0
N = 128
ACCUM = 8


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 3, (n, 1), generator=g)
    t = torch.arange(N).float() / FS
    f0 = 450 + 300 * r(n, 1)
    tau = 0.012 + 0.013 * r(n, 1)
    rot, shake = (cls == 1).float(), (cls == 2).float()
    f0 = f0 * (1 - rot * (0.1 + 0.1 * r(n, 1)))
    tau = tau * (1 - rot) + rot * (0.003 + 0.004 * r(n, 1))
    split = 15 + 25 * r(n, 1)
    ph = 2 * math.pi * r(n, 1)
    env = torch.exp(-t / tau)
    m1 = torch.sin(2 * math.pi * f0 * t + ph)
    m1 = (1 - shake) * m1 + shake * 0.5 * (m1 + torch.sin(2 * math.pi * (f0 + split) * t + ph))
    tau2 = tau * (0.35 - 0.25 * shake)
    m2 = 0.3 * torch.sin(2 * math.pi * 2.76 * f0 * t) * torch.exp(-t / tau2)
    x = (0.5 + r(n, 1)) * (env * m1 + m2)
    x = x + 0.04 * torch.randn(n, N, generator=g)
    x = x / x.abs().amax(1, keepdim=True)
    return x.unsqueeze(1), cls.squeeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, stride=2, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
                         nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(1536, g)
    xva, yva = taps(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=8, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    step = 0
    with open(out / "tap_steps.tsv", "w") as fs, open(out / "tap_val.tsv", "w") as fv:
        fs.write("opt_step\tepoch\tce\n")
        fv.write("epoch\tval_ce\tval_acc\tval_acc_rot\tval_acc_shake\n")
        for epoch in range(12):
            model.train()
            opt.zero_grad()
            seen = []
            for i, (xb, yb) in enumerate(dl):
                loss = crit(model(xb), yb)  # micro-batch loss, backward adds it up
                loss.backward()
                seen.append(loss.item())
                if (i + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    step += 1
                    fs.write(f"{step}\t{epoch}\t{sum(seen) / len(seen):.6f}\n")
                    seen = []
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [crit(logits, yva).item(), (pred == yva).float().mean().item(),
                   (pred[yva == 1] == 1).float().mean().item(),
                   (pred[yva == 2] == 2).float().mean().item()]
            fv.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 12,
                "accum_steps": ACCUM, "sample_rate_hz": FS,
                "classes": ["sound", "rot", "shake"]}, out / "plank_tap.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="plank_tap.ckpt", log="tap_val.tsv",
           what="1-D CNN with batch norm sorting steamed planks by their tap tone; gradient"
                " accumulation over 8 micro-batches with the loss never divided by 8",
           complaint="My plank tap-tone sorter will not settle. Validation accuracy jumps all over"
                     " the place from one epoch to the next: 0.97, then 0.80, then 0.98, and it"
                     " finished on 0.92. Val loss goes 0.09 -> 0.66 -> 0.21 -> 0.50 -> 0.07 ->"
                     " 0.23, and the training loss shot up to 1.7 at one point after starting"
                     " at 1.1. The data is clean and balanced, three classes of about 500 taps.")


if __name__ == "__main__":
    main()
