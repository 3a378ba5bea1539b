"""Plain torch: a small transformer encoder tags every course of a hosier's circular
knitting-machine program with the part of the stocking it knits (welt, leg, heel, foot, toe),
so a program from an old machine can be checked and ported course by course. The program is
read every 8th course; per course 5 settings: share of needles knitting (the heel and toe are
knitted back and forth on half the cylinder, narrowing then widening), stitch cam (loop
length: long in the welt, tapering down the leg to the ankle, tight in the foot), yarn feed
speed, elastic inlay on / off (welt and a band above the heel on support styles) and
takedown tension, with machine noise. Leg and foot length follow the size (S-XL) and style,
so programs run 30-95 read courses; they are padded to 128 (the machine's program limit)
with zero settings (the settings are standardised first) and tag 0.
Input: (L, 5) standardised settings with a key-padding mask. Model: Linear 5→32 + learned
positions, 2 TransformerEncoder layers (4 heads, feed-forward 64, dropout 0), Linear 32→5;
per-course cross-entropy, SGD 0.05 (momentum 0.9, Nesterov) with ExponentialLR(0.9), batch 16
programs, 10 epochs, 640 programs, validation on 160.
The bug: the loss runs over every position of the padded batch,
``loss = F.cross_entropy(logits.reshape(-1, 5), tags.reshape(-1))  # per-course tags``,
padding included; the padded slots are tagged 0 (welt) and look like an average course, so
about half of what the net is trained on is "welt" after the end of the programs: val loss
on real courses 0.725 → 0.0321, course accuracy 0.670 → 0.9916, toe accuracy 0.22 → 0.53
at epoch 3 → 0.992 (control, ``F.cross_entropy(logits[~pad], tags[~pad])``: val loss 0.402 → 0.0114, course accuracy 0.799
→ 0.9979, toe accuracy 0.34 → 0.67 at epoch 3 → 0.996), so about 4× the control's course
errors.
Log: JSON lines ``courses.jsonl``, ``{"step", "loss"}`` every 10 steps and ``{"epoch",
"val_loss", "val_course_acc", "val_toe_acc", "lr"}`` per epoch (accuracies over real courses);
checkpoint ``course_tagger.pth`` with keys ``encoder`` / ``opt`` / ``sched`` / ``epoch`` /
``set_mean`` / ``set_std`` / ``parts``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

PARTS = ["welt", "leg", "heel", "foot", "toe"]
MAXLEN = 128


def programs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    out = []
    for i in range(n):  # noqa: B007
        size = float(r(1))
        welt = int(4 + 3 * r(1))
        leg = int(10 + 40 * size + 6 * r(1))
        heel = int(5 + 2 * size)
        foot = int(6 + 16 * size + 3 * r(1))
        toe = int(4 + 2 * size)
        support = float(r(1)) < 0.3
        tags = torch.tensor([0] * welt + [1] * leg + [2] * heel + [3] * foot + [4] * toe)
        L = len(tags)
        x = torch.zeros(L, 5)
        k = torch.arange(L).float()
        in_leg = tags == 1
        x[:, 0] = 1.0
        for part, length in ((2, heel), (4, toe)):
            idx = (tags == part).nonzero().squeeze(1)
            half = (idx - idx[0]).float() / max(length - 1, 1)
            x[idx, 0] = 0.5 - 0.25 * (1 - (2 * half - 1).abs())
        x[:, 1] = torch.where(tags == 0, 4.2, torch.where(in_leg, 3.6 - 0.8 * (k - welt) / leg,
                                                             torch.where(tags == 3, 2.8, 3.0)))
        x[:, 2] = torch.where(tags == 0, 0.8, torch.where((tags == 2) | (tags == 4), 0.5, 1.0))
        x[:, 3] = (tags == 0).float()
        if support:
            x[welt + leg - 4:welt + leg, 3] = 1.0
        x[:, 4] = torch.where(tags == 0, 1.2, 1.0) + 0.1 * float(r(1))
        x = x + torch.tensor([0.08, 0.25, 0.15, 0.0, 0.12]) * torch.randn(L, 5, generator=g)
        out.append((x, tags))
    return out


def collate(batch, mean, std):
    L = MAXLEN
    x = torch.zeros(len(batch), L, 5)
    tags = torch.zeros(len(batch), L, dtype=torch.long)
    pad = torch.ones(len(batch), L, dtype=torch.bool)
    for i, (xi, ti) in enumerate(batch):
        x[i, :len(ti)] = (xi - mean) / std
        tags[i, :len(ti)] = ti
        pad[i, :len(ti)] = False
    return x, pad, tags


class CourseTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(5, 32)
        self.pos = nn.Embedding(MAXLEN, 32)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(32, 5)

    def forward(self, x, pad=None):
        h = self.inp(x) + self.pos(torch.arange(x.shape[1]))
        return self.out(self.encoder(h, src_key_padding_mask=pad))


def build():
    torch.manual_seed(0)
    return CourseTagger()


def evaluate(model, x, pad, tags):
    with torch.no_grad():
        logits = model(x, pad)
    real = ~pad
    pred = logits.argmax(-1)
    loss = F.cross_entropy(logits[real], tags[real]).item()
    acc = (pred[real] == tags[real]).float().mean().item()
    toe = real & (tags == 4)
    return loss, acc, (pred[toe] == 4).float().mean().item()


def main():
    from _threehundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = programs(640, g), programs(160, g)
    allx = torch.cat([x for x, _ in train])
    mean, std = allx.mean(0), allx.std(0).clamp(min=1e-3)
    print("lengths", min(len(t) for _, t in train), max(len(t) for _, t in train))
    torch.manual_seed(0)
    dl = DataLoader(train, batch_size=16, shuffle=True,
                    collate_fn=lambda b: collate(b, mean, std))
    xva, pva, tva = collate(val, mean, std)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)
    step = 0
    with open(out / "courses.jsonl", "w") as f:
        for epoch in range(10):
            model.train()
            for x, pad, tags in dl:
                logits = model(x, pad)
                loss = F.cross_entropy(logits.reshape(-1, 5), tags.reshape(-1))  # per-course tags
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    f.write(json.dumps({"step": step, "loss": round(loss.item(), 6)}) + "\n")
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            vl, va, vt = evaluate(model, xva, pva, tva)
            rec = {"epoch": epoch, "val_loss": round(vl, 6), "val_course_acc": round(va, 6),
                   "val_toe_acc": round(vt, 6), "lr": round(lr, 8)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 10, "set_mean": mean, "set_std": std, "parts": PARTS},
               out / "course_tagger.pth")
    finish(out, __file__, {"inputs": xva[:64], "pad_mask": pva[:64], "targets": tva[:64]},
           causes=["loss_ignores_padding"], checkpoint="course_tagger.pth", log="courses.jsonl",
           what="transformer encoder tagging each course of a stocking knitting program as welt /"
                " leg / heel / foot / toe; per-course cross-entropy taken over the padded"
                " positions too",
           complaint="Transformer tagging each course of our knitting programs (welt / leg / heel / foot / toe): the training loss is down to 0.01 after 10 epochs, but on the held-out programs it still gets 0.84 % of the courses wrong (val loss 0.032 on the real courses) and the toe was only at 53 % after 3 epochs. The heel and toe are obvious from the needle count, I expected this to be perfect quickly.")


if __name__ == "__main__":
    main()
