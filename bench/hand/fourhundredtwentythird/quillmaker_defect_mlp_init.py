"""Plain torch: an MLP flags the defects a quillmaker fears in a goose primary before it is
dutched (cured in hot sand) and cut into a pen, from 8 numbers measured on the bench:
barrel diameter (mm), wall thickness (mm), barrel length (mm), moisture (%), weeks seasoned,
pith left inside (% of the bore), the wing position (1-5) and the bend stiffness of the
raw barrel (N/mm). Three labels, any of them can be set (multi-label), each from a workshop
rule with measurement noise: split-prone (thin wall for its diameter and dry, or seasoned
over 30 weeks), soft barrel (moisture over 14 % or under 6 weeks seasoned, with a stiffness
below what its wall predicts), milky (pith over 20 % or moisture and pith high together).
Input: (8,) standardised with the train mean / std. Model: 8→128→ReLU→128→ReLU→128→ReLU→3,
BCE-with-logits, Adam 1e-3, batch 64, 15 epochs of 2400 feathers, validation on 600.
The bug: the Linear layers are initialised with ``nn.init.normal_(m.weight, std=1.0)  #
unit Gaussian weights``, so every layer multiplies the scale by about sqrt(fan_in / 2) and
the first logits are in the hundreds: the first epoch's training loss is 215, val BCE
82 → 14.8 over 15 epochs, F1 split / soft / milky 0.77 / 0.85 / 0.89 at the end, mean
0.84 (control, ``nn.init.kaiming_normal_(m.weight)``: train loss 0.35 → 0.094, val BCE
0.20 → 0.146, F1 0.88 / 0.91 / 0.94, mean 0.91).
Log: TSV per epoch ``quill_fit.tsv`` (``epoch`` / ``loss`` / ``val_bce`` / ``val_f1_split``
/ ``val_f1_soft`` / ``val_f1_milky``); checkpoint ``quill_flags.ckpt`` with keys
``model_state`` / ``opt_state`` / ``epochs_done`` / ``feat_mean`` / ``feat_std`` /
``flags``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FLAGS = ["split_prone", "soft_barrel", "milky"]


def feathers(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    noise = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    wing = 1 + (r(n) * 5).floor()
    diam = 6.5 - 0.4 * wing + 0.6 * r(n)
    wall = 0.22 + 0.18 * r(n)
    length = 110 + 60 * r(n) - 6 * wing
    moist = 4 + 16 * r(n)
    weeks = 40 * r(n) ** 1.3
    pith = 35 * r(n) ** 2
    stiff = 30 * wall / 0.3 * (diam / 6) ** 2 * (1 - 0.02 * (moist - 8)) + noise(1.5)
    split = ((wall / diam + noise(0.003) < 0.045) & (moist + noise(0.8) < 9)) | (weeks + noise(1) > 30)
    soft = ((moist + noise(0.8) > 14) | (weeks + noise(0.6) < 6)) & (stiff < 30 * wall / 0.3 * (diam / 6) ** 2 * 0.95)
    milky = (pith + noise(1.5) > 20) | ((moist > 11) & (pith + noise(1.5) > 12))
    x = torch.stack([diam, wall, length, moist, weeks, pith, wing, stiff], 1)
    return x, torch.stack([split, soft, milky], 1).float()


class QuillNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                 nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 3))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=1.0)  # unit Gaussian weights
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return QuillNet()


def f1(pred, t):
    tp = (pred & t).sum(0).float()
    return (2 * tp / (pred.sum(0) + t.sum(0)).clamp(min=1)).tolist()


def main():
    from _fourhundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr = feathers(2400, g)
    fva, yva = feathers(600, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    print("flag rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "quill_fit.tsv", "w") as log:
        log.write("epoch\tloss\tval_bce\tval_f1_split\tval_f1_soft\tval_f1_milky\n")
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = [tot / len(xtr), crit(logits, yva).item()] + f1(logits > 0, yva > 0.5)
            log.write("\t".join([str(epoch)] + [f"{v:.6g}" for v in row]) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(),
                "epochs_done": 15, "feat_mean": mean, "feat_std": std, "flags": FLAGS},
               out / "quill_flags.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="quill_flags.ckpt", log="quill_fit.tsv",
           what="MLP flagging split-prone / soft / milky goose quills (multi-label); Linear"
                " weights drawn from a unit Gaussian",
           complaint="模型用来判断鹅毛笔管的三种缺陷（易裂、软管、乳白），是一个"
                     "简单的四层全连接网络。第一个 epoch 的训练 loss 竟然是 215，验证集 BCE 82，"
                     "15 个 epoch 之后验证 BCE 还有 14.8，训练 loss 6.9，三个标签的 F1 只有"
                     " 0.77 / 0.85 / 0.89，怎么训都上不去。这正常吗？")


if __name__ == "__main__":
    main()
