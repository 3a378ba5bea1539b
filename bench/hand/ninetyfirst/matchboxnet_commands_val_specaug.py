"""Keyword spotting with a MatchboxNet-lite (1-D time-channel separable convolutions) on
synthetic log-mel features of 8 spoken commands: 24 mel bins × 48 frames, each command a
sequence of 2–3 "phones" (a formant pattern of 2 mel bands each with a fixed duration), placed at
a random offset, random speaker pitch shift of ±1 bin, a random gain and background noise.
Model: a prologue conv (k 11, 32 ch), 2 residual blocks of 2 sub-blocks each (depthwise k 13 /
k 15 + pointwise 32, BatchNorm, ReLU, dropout 0.1; a pointwise + BN residual), an epilogue
(k 29 dilated 2, then 1×1 to 64), global average pooling over time and a linear head. SpecAugment
in the dataset (2 frequency masks up to 6 bins, 2 time masks up to 12 frames, a random time shift
±6 frames), Adam 2e-3 with a per-epoch cosine decay, batch 64, 8 epochs of 1024 clips (384 for validation); a CSV log
per epoch ``epoch,train_loss,train_acc,val_loss,val_acc``.
Bug: the validation set is built with the same ``Commands(feats, labels, train=True)`` call as
the training set (the flag copy-pasted), so SpecAugment's random masks and shifts are applied to
the validation clips at every evaluation: val accuracy is measured on masked clips and sits
with the augmented train accuracy (val 0.80–0.86 from epoch 2, val loss 0.42 against train 0.44)
instead of where the model really is, and it moves from one evaluation of the same weights to
the next. On clean clips the final model is right on all 384; the same script with
``train=False`` for validation logs val loss 0.021, val acc 1.00 (the train columns identical).
The saved batch is the first validation batch as the loader yields it (augmented)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

MELS, FRAMES, WORDS = 24, 48, 8


def make_commands(n, g):
    bands = torch.randint(2, MELS - 3, (12, 2), generator=g)  # 12 phones, 2 formants each
    words = torch.randint(0, 12, (WORDS, 3), generator=g)
    nph = torch.tensor([3, 2, 3, 3, 2, 3, 2, 3])
    dur = 5 + torch.randint(0, 5, (WORDS, 3), generator=g)
    y = torch.randint(0, WORDS, (n,), generator=g)
    x = 0.3 * torch.randn(n, MELS, FRAMES, generator=g)
    for i in range(n):
        w = int(y[i])
        t = int(torch.randint(4, 14, (1,), generator=g))
        shift = int(torch.randint(-1, 2, (1,), generator=g))
        gain = 0.7 + 0.6 * float(torch.rand(1, generator=g))
        for k in range(int(nph[w])):
            d = int(dur[w, k])
            for b in bands[words[w, k]]:
                x[i, (int(b) + shift) % MELS, t:t + d] += 2.0 * gain
            t += d
    return x, y


class Commands(torch.utils.data.Dataset):
    def __init__(self, feats, labels, train):
        self.feats, self.labels, self.train = feats, labels, train

    def __len__(self):
        return len(self.feats)

    def __getitem__(self, i):
        x = self.feats[i].clone()
        if self.train:  # SpecAugment + time shift
            x = torch.roll(x, int(torch.randint(-6, 7, (1,))), dims=1)
            for _ in range(2):
                f0, fw = int(torch.randint(0, MELS, (1,))), int(torch.randint(0, 7, (1,)))
                x[f0:f0 + fw] = 0
                t0, tw = int(torch.randint(0, FRAMES, (1,))), int(torch.randint(0, 13, (1,)))
                x[:, t0:t0 + tw] = 0
        return x, self.labels[i]


class SubBlock(nn.Module):
    def __init__(self, c, k, last):
        super().__init__()
        self.dw = nn.Conv1d(c, c, k, padding=k // 2, groups=c, bias=False)
        self.pw = nn.Conv1d(c, c, 1, bias=False)
        self.bn = nn.BatchNorm1d(c)
        self.last = last

    def forward(self, x, res=None):
        x = self.bn(self.pw(self.dw(x)))
        if res is not None:
            x = x + res
        return F.dropout(F.relu(x), 0.1, self.training)


class MatchboxBlock(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.sub1, self.sub2 = SubBlock(c, k, False), SubBlock(c, k, True)
        self.res = nn.Sequential(nn.Conv1d(c, c, 1, bias=False), nn.BatchNorm1d(c))

    def forward(self, x):
        return self.sub2(self.sub1(x), self.res(x))


class MatchboxNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.prologue = nn.Sequential(nn.Conv1d(MELS, 32, 11, padding=5, bias=False),
                                      nn.BatchNorm1d(32), nn.ReLU())
        self.blocks = nn.Sequential(MatchboxBlock(32, 13), MatchboxBlock(32, 15))
        self.epilogue = nn.Sequential(nn.Conv1d(32, 32, 29, padding=28, dilation=2, bias=False),
                                      nn.BatchNorm1d(32), nn.ReLU(), nn.Conv1d(32, 64, 1),
                                      nn.BatchNorm1d(64), nn.ReLU())
        self.fc = nn.Linear(64, WORDS)

    def forward(self, x):
        return self.fc(self.epilogue(self.blocks(self.prologue(x))).mean(-1))


def build():
    torch.manual_seed(0)
    return MatchboxNetLite()


def run_epoch(model, loader, opt=None):
    tot, right, n = 0.0, 0, 0
    for xb, yb in loader:
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        if opt is not None:
            opt.zero_grad()
            loss.backward()
            opt.step()
        tot += loss.item() * len(yb)
        right += (logits.argmax(1) == yb).sum().item()
        n += len(yb)
    return tot / n, right / n


def main():
    from _ninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = make_commands(1408, g)
    train_ds = Commands(x[:1024], y[:1024], train=True)
    val_ds = Commands(x[1024:], y[1024:], train=True)
    torch.manual_seed(0)
    train_dl = torch.utils.data.DataLoader(train_ds, batch_size=64, shuffle=True)
    val_dl = torch.utils.data.DataLoader(val_ds, batch_size=128)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 8)
    f = open(out / "kws_epochs.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(8):
        model.train()
        tl, ta = run_epoch(model, train_dl, opt)
        sched.step()
        model.eval()
        with torch.no_grad():
            vl, va = run_epoch(model, val_dl)
        w.writerow([epoch, round(tl, 4), round(ta, 4), round(vl, 4), round(va, 4)])
        print(epoch, tl, ta, vl, va)
    f.close()
    with torch.no_grad():
        clean = model(x[1024:]).argmax(1).eq(y[1024:]).float().mean().item()
    print("clean val acc", clean)
    xb, yb = next(iter(val_dl))
    torch.save({"model_state": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 8}, out / "matchbox_kws.pt")
    finish(out, __file__, (xb[:64], yb[:64]), causes=["eval_data_augmented"],
           checkpoint="matchbox_kws.pt", log="kws_epochs.csv",
           what="MatchboxNet-lite keyword spotter whose validation set gets SpecAugment",
           complaint="我的 MatchboxNet 关键词识别模型验证集准确率一直上不去，卡在百分之八十多，"
                     "而且同一个模型连续评估两次结果都不一样。训练和验证的曲线几乎贴在一起，"
                     "是模型容量不够吗？")


if __name__ == "__main__":
    main()
