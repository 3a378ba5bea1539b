"""Plain torch: a hālau (hula school) tags which of 5 basic hula steps a dancer performs from a
hip-worn IMU, 64 samples (2 s at 32 Hz) of lateral sway, forward sway and hip rotation:
0 kaholo (side step, slow lateral sway), 1 ka'o (hip sway side to side, fast lateral), 2 hela
(point-and-return, lateral plus forward pulses), 3 'uwehe (heel lift, sharp vertical-ish forward
pulses), 4 'ami (hip rotation: lateral and forward in quadrature). Tempo, amplitude and
phase vary per dancer, with sensor noise.
Small transformer: 16 patches of 4 samples x 3 axes, Linear(12 → 32) + learned positions, 2
``nn.TransformerEncoderLayer`` (4 heads, ff 64), mean pooling, Linear(32 → 5) and a softmax
head; NLL on the log of its probabilities, Adam 2e-3,
batch 32, 8 epochs of 1280 clips, 320 validation clips. Log: CSV every 10 steps
``hula_train.csv`` (``step`` / ``epoch`` / ``nll`` and ``val_nll`` / ``val_acc`` on the
epoch's last row); checkpoint ``model`` / ``optim`` / ``step``.
The bug: the model ends in
``nn.Softmax(dim=0)`` (normalising each step's column over the clips of the batch, not each
clip over the 5 steps) and the loss is ``F.nll_loss(probs.log(), y)``. Train NLL 2.20 at
epoch 1 and stuck at 1.91–1.98 from epoch 2 on, val NLL 2.19 → 1.95; val accuracy (argmax in
batches of 32) 0.96 → 1.00, but a row's "probabilities" do not sum to 1 and a single clip
fed alone gets 1.0 for every step (argmax: step 0).
Control (``dim=1``): train NLL 0.44 → 0.002, val NLL 0.35 → 0.0035, val accuracy 0.89,
0.99, 0.99, 1.00 … 1.00."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def clips(n, g):
    t = torch.arange(64).float() / 32
    step = torch.randint(0, 5, (n,), generator=g)
    tempo = 1.0 + 0.3 * torch.rand(n, 1, generator=g)
    amp = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    w = 2 * math.pi * tempo * t[None]
    lat = torch.zeros(n, 64)
    fwd = torch.zeros(n, 64)
    rot = torch.zeros(n, 64)
    s = step[:, None]
    lat = torch.where(s == 0, torch.sin(w / 2 + ph), lat)
    lat = torch.where(s == 1, torch.sin(2 * w + ph), lat)
    lat = torch.where(s == 2, 0.6 * torch.sin(w + ph), lat)
    fwd = torch.where(s == 2, (torch.sin(w + ph) > 0.7).float(), fwd)
    fwd = torch.where(s == 3, torch.sin(2 * w + ph).clamp(min=0) ** 4 * 1.5, fwd)
    lat = torch.where(s == 4, torch.sin(w + ph), lat)
    fwd = torch.where(s == 4, torch.cos(w + ph), fwd)
    rot = torch.where(s == 4, 0.5 * torch.sin(w + ph), 0.2 * lat)
    x = amp[:, :, None] * torch.stack([lat, fwd, rot], 2) + 0.25 * torch.randn(n, 64, 3, generator=g)
    return x, step


class StepTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(12, 32)
        self.pos = nn.Parameter(torch.zeros(1, 16, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.Linear(32, 5), nn.Softmax(dim=0))

    def forward(self, x):
        patches = x.reshape(len(x), 16, 12)    # 16 patches of 4 samples x 3 axes
        return self.head(self.enc(self.inp(patches) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return StepTagger()


def nll(probs, y):
    return F.nll_loss(probs.clamp(min=1e-8).log(), y)


def main():
    from _twohundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(5)
    x, y = clips(1600, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "hula_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "nll", "val_nll", "val_acc"])
    step = 0
    for epoch in range(1, 9):
        model.train()
        perm = torch.randperm(1280, generator=g)
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            loss = nll(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0 and i + 32 < 1280:
                w.writerow([step, epoch, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            vals = [model(xva[k:k + 32]) for k in range(0, 320, 32)]
            vn = sum(nll(v, yva[k * 32:(k + 1) * 32]).item() for k, v in enumerate(vals)) / 10
            va = (torch.cat(vals).argmax(1) == yva).float().mean().item()
        w.writerow([step, epoch, round(loss.item(), 4), round(vn, 4), round(va, 4)])
        print(epoch, round(loss.item(), 4), round(vn, 4), round(va, 4))
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "step": step},
               out / "hula_tagger.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="hula_tagger.pt", log="hula_train.csv",
           what="hula step transformer: softmax over the batch (dim=0) before the NLL",
           complaint=("我们的草裙舞舞步识别模型（髋部IMU，5种基本步）训练损失从第2个epoch开始就"
                      "一直卡在1.9到2.0之间，降不下去，验证集准确率倒是1.0。可是放到app里每次只"
                      "传一段2秒的片段，输出的5个概率全都是1.0，结果永远是第一种步法。2层"
                      "transformer，Adam 2e-3，训练了8个epoch。是模型太小了吗？"))


if __name__ == "__main__":
    main()
