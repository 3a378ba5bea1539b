"""Plain torch: an LSTM listens to the decay of a struck three-string unison (the amplitude
envelope a piano tuning app records, 2 s at 40 Hz) and says how the unison stands: 0 = clean
(the three strings within a fraction of a beat per second, only the slow two-stage decay),
1 = one string slightly off (0.6-2 beats/s), 2 = one string well off (2.5-6 beats/s),
3 = false beats (a bad string beating on its own: shallow 10-25 % wobble at 1-4 Hz with a
wandering phase, whatever the tuning). Three strings with one detuned by Δ give the envelope
|2 + e^{i·2π·Δ·t}| = sqrt(5 + 4·cos 2πΔt); hammer strength, the decay times (prompt 0.3-0.7 s,
after-sound 2-5 s) and the microphone noise vary per recording.
LSTM(2→48) over the log envelope (minus its first value) and its step-to-step change × 10,
outputs averaged over time → linear 48→4; cross-entropy, RMSprop 1e-3, batch 32, 12 epochs,
1600 recordings from 8 tuning sessions, validation on 400 separate recordings.
The bug: the training recordings come session by session and are mixed once before training
with ``xtr = xtr[order]`` ("mix the sessions"), which reorders the envelopes but not their
labels, so every envelope carries another recording's label.
Result: train CE 1.389 → 1.386 (a four-way guess is 1.386), val CE 1.387 → 1.379, val
accuracy 0.13 → 0.335, between 0.095 and 0.335 on the way, each epoch favouring one or two
classes, a different one each time.
Control (``xtr, ytr = xtr[order], ytr[order]``): train CE 0.968 → 0.295, val CE 0.881 →
0.217, val accuracy 0.50 → 0.9225 (0.82-0.92 from epoch 3).
Log: JSON lines per epoch ``unison_epochs.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_per_class``); checkpoint ``unison_lstm.ckpt`` with keys ``model_state``
/ ``rmsprop_state`` / ``epochs`` / ``classes``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 80
CLASSES = ["clean", "slightly_off", "well_off", "false_beats"]


def recordings(kind, g):
    n = len(kind)
    t = torch.arange(T).float() / 40
    x = torch.zeros(n, T)
    for i in range(n):
        k = kind[i].item()
        u = torch.rand(6, generator=g).tolist()
        dec = 0.7 * torch.exp(-t / (0.3 + 0.4 * u[0])) + 0.3 * torch.exp(-t / (2 + 3 * u[1]))
        delta = [0.05 + 0.25 * u[2], 0.6 + 1.4 * u[2], 2.5 + 3.5 * u[2], 0.1 * u[2]][k]
        env = torch.sqrt(5 + 4 * torch.cos(2 * math.pi * delta * t + 0.5 * u[3])) / 3
        if k == 3:
            wob = 1 + 4 * u[4] / 1.33
            phase = torch.cumsum(0.3 * torch.randn(T, generator=g), 0) / 6
            env = env * (1 - (0.1 + 0.15 * u[5]) * (0.5 + 0.5 * torch.cos(
                2 * math.pi * wob * t + phase)))
        x[i] = (0.5 + u[5]) * dec * env
    x = x * (1 + 0.03 * torch.randn(n, T, generator=g))
    lx = x.clamp(min=1e-4).log()
    lx = lx - lx[:, :1]
    return torch.stack([lx, 10 * torch.diff(lx, dim=1, prepend=lx[:, :1])], 2)


class UnisonLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        return self.head(self.lstm(x)[0].mean(1))


def build():
    torch.manual_seed(0)
    return UnisonLSTM()


def main():
    from _twohundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    # eight tuning sessions of 200 recordings; each session was a round of one kind of fault
    ytr = torch.arange(8).repeat_interleave(200) % 4
    xtr = recordings(ytr, g)
    yva = torch.arange(400) % 4
    yva = yva[torch.randperm(400, generator=g)]
    xva = recordings(yva, g)
    # mix the sessions
    order = torch.randperm(len(xtr), generator=g)
    xtr = xtr[order]
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "unison_epochs.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl = F.cross_entropy(lv, yva).item()
                pred = lv.argmax(1)
                acc = (pred == yva).float().mean().item()
                per = [round((pred[yva == k] == k).float().mean().item(), 4) for k in range(4)]
            rec = {"epoch": epoch + 1, "loss": round(tot / len(xtr), 5), "val_loss": round(vl, 5),
                   "val_acc": round(acc, 4), "val_acc_per_class": per}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state": model.state_dict(), "rmsprop_state": opt.state_dict(),
                "epochs": 12, "classes": CLASSES}, out / "unison_lstm.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="unison_lstm.ckpt", log="unison_epochs.jsonl",
           what="LSTM judging a piano unison from its decay envelope; training envelopes"
                " reordered without their labels",
           complaint="Our tuning app records the decay of each struck unison and an LSTM is"
                     " supposed to say whether it is clean, slightly off, well off or has false"
                     " beats. Training loss sits between 1.386 and 1.389 for all 12"
                     " epochs and validation accuracy wanders between 0.10 and 0.34, each"
                     " epoch favouring one or two classes, different ones each time."
                     " The recordings were labelled by our technicians session by session. What"
                     " is going wrong?")


if __name__ == "__main__":
    main()
