"""Plain torch: a small transformer encoder names how a handball attack ended (4 classes: shot
from the left wing, shot from the pivot on the 6 m line, backcourt jump shot from 9 m, fast
break) from the ball's tracked path: 24 samples of ball position across the court (x, y in m
from the goal, the goal line at x = 0) and ball speed (m/s). Fast breaks start deep in the own
half and come in fast and straight; set attacks circulate the ball along the 9 m line before
the final pass goes out to the wing, in to the pivot, or stays for a backcourt shot; plus
tracking noise, standardised per channel. Linear 3→32 + learned positions, 2 encoder layers (4
heads, ff 64), mean pool → Linear 32→4, cross-entropy, AdamW 2e-3 with cosine decay over all
planned steps, batch 32, 1600 attacks, validation on 400 (val CE, val acc).
The bug: ``EPOCHS = 2  # loss drops fast in epoch 1, a couple of passes is plenty`` with the
cosine schedule sized to it. Result: 100 steps in all; val
CE 0.465 → 0.330, val acc 0.760 → 0.858, the last logged train loss 0.29-0.35 with the
learning rate annealed to 0.
Control (``EPOCHS = 30``): val CE 0.351 → 0.033 at epoch 2 → 0.0026 at
epoch 5 → 0.00047 at epoch 30, val acc 1.0 from epoch 2 on, train loss 0.0007 at the end.
Log: JSON lines every 10 steps ``steps.jsonl`` (``step`` / ``loss`` / ``lr``) and a separate JSON
lines file per epoch ``val.jsonl`` (``epoch`` / ``val_ce`` / ``val_acc``); checkpoint
``attack_encoder.pth`` with keys ``model`` / ``optimizer`` / ``scheduler`` / ``epoch`` /
``outcomes`` / ``norm``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 2  # loss drops fast in epoch 1, a couple of passes is plenty
T = 24
OUTCOMES = ["left_wing", "pivot", "backcourt", "fast_break"]


def attacks(n, g):
    kind = torch.randint(0, 4, (n,), generator=g)
    s = torch.linspace(0, 1, T)[None].expand(n, T)
    phase = 6.3 * torch.rand(n, 1, generator=g)
    # set attack: ball circulates along the 9 m line
    x = 9.5 + 0.8 * torch.sin(3 * s + phase)
    y = 7 * torch.sin(2 * 3.1416 * s * (1 + torch.rand(n, 1, generator=g)) + phase)
    tail = (s > 0.8).float()
    end_y = torch.stack([torch.full((n,), -8.5), torch.zeros(n), 3 * torch.randn(n, generator=g),
                         torch.zeros(n)], 1).gather(1, kind[:, None])
    end_x = torch.tensor([2.0, 6.0, 9.0, 6.0])[kind][:, None]
    x = x * (1 - tail) + tail * (x + (end_x - x) * (s - 0.8) / 0.2)
    y = y * (1 - tail) + tail * (y + (end_y - y) * (s - 0.8) / 0.2)
    fb = (kind == 3)[:, None]
    x = torch.where(fb, 30 - 24 * s, x)
    y = torch.where(fb, 2 * torch.randn(n, 1, generator=g) * (1 - s), y)
    speed = torch.cat([torch.zeros(n, 1), ((x.diff(1) ** 2 + y.diff(1) ** 2).sqrt() * 4)], 1)
    seq = torch.stack([x, y, speed], -1) + 0.4 * torch.randn(n, T, 3, generator=g)
    return seq, kind


class AttackEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(3, 32)
        self.pos = nn.Parameter(torch.zeros(1, T, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return AttackEncoder()


def main():
    from _twohundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = attacks(1600, g)
    rva, yva = attacks(400, g)
    mean, std = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    total = EPOCHS * len(loader)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 0.5 * (1 + math.cos(math.pi * k / total)))
    step = 0
    with open(out / "steps.jsonl", "w") as fs, open(out / "val.jsonl", "w") as fv:
        for epoch in range(1, EPOCHS + 1):
            model.train()
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 10 == 0:
                    fs.write(json.dumps({"step": step, "loss": round(loss.item(), 5),
                                         "lr": round(sched.get_last_lr()[0], 7)}) + "\n")
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            rec = {"epoch": epoch, "val_ce": round(F.cross_entropy(logits, yva).item(), 5),
                   "val_acc": round((logits.argmax(1) == yva).float().mean().item(), 5)}
            print(rec)
            fv.write(json.dumps(rec) + "\n")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": EPOCHS, "outcomes": OUTCOMES,
                "norm": {"mean": mean, "std": std}}, out / "attack_encoder.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["training_too_short"],
           checkpoint="attack_encoder.pth", log="val.jsonl",
           what="handball attack-outcome transformer trained for only 2 epochs (100 steps)",
           complaint=("Our handball attack classifier (transformer over the ball-tracking path) "
                      "comes out much worse than the analysts expected: val accuracy is only "
                      "around 86 % and it mixes up pivot and wing finishes all the time. The "
                      "loss curve looks clean and the learning rate schedule finishes properly. "
                      "Is the tracking data just not informative enough for this?"))


if __name__ == "__main__":
    main()
