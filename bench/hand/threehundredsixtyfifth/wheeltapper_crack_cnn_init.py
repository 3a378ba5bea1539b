"""Plain torch: a 1-D CNN (no batch norm) listens to a wheeltapper's hammer: at a station
stop he strikes each carriage wheel and a sound wheel rings clear while a cracked tyre or
disc gives a dull, short, rattling note. A clip-on microphone on his hammer records 64 ms at
4 kHz (256 samples) from the blow; the net flags a cracked wheel (binary, about 30 % of the
wheels in this workshop set, sent in for checking). The rule behind the sound is the wheel's
ring: 3 bending modes (520, 1150 and 1780 Hz × wheel size 0.8-1.2), each decaying with τ
35-70 ms on a sound wheel; a crack damps them (τ 4-12 ms), splits each mode into two close
tones (beating) and adds a buzz of rattle noise after the blow; hammer strength varies 3×,
platform noise 5-15 % of the blow. Input: (1, 256) waveform divided by its peak.
Model: Conv1d 1→16 (k9, stride 2) + ReLU, 16→32 (k9, stride 2) + ReLU, 32→32 (k9, stride 2)
+ ReLU, global average pool, Linear 32→16 + ReLU, Linear 16→1; BCE with logits, SGD 0.02
(momentum 0.9), batch 16, 12 epochs, 1000 taps, validation on 300.
Weights are set by an ``init_weights`` function (Kaiming uniform for the ReLU layers).
The bug: that function also sets every bias to -1.0 ("start quiet"); with the peak-scaled
input the first layer's pre-activations (before the bias) have a standard deviation of 0.37,
so 99 % of its outputs start at zero and the layers above see next to nothing and get no
gradient: after 12 epochs 83 % of the ReLU units (channels) are silent on all 300 validation
taps and the net predicts the base rate: val BCE 0.593 → 0.594, val acc 0.723 (the sound
share) and cracked recall 0.0 every epoch, train BCE 0.63 → 0.57 (control,
``nn.init.zeros_(m.bias)``: val BCE 0.122 → 0.011, acc 0.983 → 1.0, recall 0.94 → 1.0, 8 %
silent units).
Log: JSON lines every 10 steps ``taps_train.jsonl`` (``step`` / ``epoch`` / ``bce``) and a
per-epoch CSV ``taps_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` /
``val_recall_cracked``, named as the log in the truth); checkpoint ``tapper_cnn.pt`` with
keys ``net_state`` / ``sgd_state`` / ``epoch`` / ``fs_hz`` / ``threshold``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FS, N = 4000.0, 256


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cracked = (r(n) < 0.3).float()
    t = torch.arange(N).float() / FS
    size = 0.8 + 0.4 * r(n, 1)
    c = cracked.unsqueeze(1)
    x = torch.zeros(n, N)
    for f0 in (520.0, 1150.0, 1780.0):
        f = f0 * size * (0.97 + 0.06 * r(n, 1))
        tau = torch.where(c > 0, 0.004 + 0.008 * r(n, 1), 0.035 + 0.035 * r(n, 1))
        amp = 0.4 + 0.6 * r(n, 1)
        ph = 2 * math.pi * r(n, 1)
        split = 1 + c * (0.02 + 0.03 * r(n, 1))
        tone = 0.5 * (torch.sin(2 * math.pi * f * t + ph)
                      + torch.sin(2 * math.pi * f * split * t + ph))
        x = x + amp * tone * torch.exp(-t / tau)
    rattle = c * 0.25 * torch.randn(n, N, generator=g) * torch.exp(-t / 0.02)
    blow = 1 + 2 * r(n, 1)
    x = blow * (x + rattle) + blow.mean() * (0.05 + 0.1 * r(n, 1)) * torch.randn(n, N, generator=g)
    x = x / x.abs().amax(1, keepdim=True)
    return x.unsqueeze(1), cracked


class TapCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 9, stride=2, padding=4), nn.ReLU(),
                                      nn.Conv1d(16, 32, 9, stride=2, padding=4), nn.ReLU(),
                                      nn.Conv1d(32, 32, 9, stride=2, padding=4), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.head(self.features(x).mean(2))


def init_weights(m):
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, -1.0)  # start quiet: only a real ring should fire


def build():
    torch.manual_seed(0)
    model = TapCNN()
    model.apply(init_weights)
    return model


def silent_share(model, x):
    acts = []
    hooks = [m.register_forward_hook(lambda _m, _i, o: acts.append(o))
             for m in model.modules() if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    dead = [(a.transpose(0, 1).reshape(a.shape[1], -1) > 0).sum(1) == 0 for a in acts]
    return torch.cat(dead).float().mean().item()


def main():
    from _threehundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(1000, g)
    xva, yva = taps(300, g)
    print("cracked share", ytr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    step = 0
    with open(out / "taps_train.jsonl", "w") as tlog, open(out / "taps_val.csv", "w") as vlog:
        vlog.write("epoch,val_bce,val_acc,val_recall_cracked\n")
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    tlog.write(json.dumps({"step": step, "epoch": epoch,
                                           "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                z = model(xva).squeeze(1)
            pred = (z > 0).float()
            row = [F.binary_cross_entropy_with_logits(z, yva).item(),
                   (pred == yva).float().mean().item(), pred[yva == 1].mean().item()]
            vlog.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    print("silent ReLU units", silent_share(model, xva))
    torch.save({"net_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 12,
                "fs_hz": FS, "threshold": 0.0}, out / "tapper_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="tapper_cnn.pt", log="taps_val.csv",
           what="1-D CNN without batch norm flagging a cracked railway wheel from the"
                " wheeltapper's hammer ring; every bias initialised to -1.0",
           complaint="Our crack detector for the wheel tapping recordings has learned nothing."
                     " It says 'sound' for every single wheel, so validation accuracy sits at"
                     " 72.3 % (the share of sound wheels) and it has not caught one cracked"
                     " wheel in 12 epochs. The loss hovers around 0.57-0.6 from start to"
                     " finish. The recordings are fine, you can hear the difference.")


if __name__ == "__main__":
    main()
