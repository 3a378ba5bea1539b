"""Plain torch: a GRU reads a cut Christmas tree's first 14 days on a retail lot or in a living
room (daily mean room temperature, relative humidity, water taken up from the stand) and gives
the grams of needles it will have shed by day 21, for a Christmas tree farm that wants to tell
buyers which care matters. Physics: the tree's moisture content starts at 100-140 % (dry
basis, by how fresh the cut was) and falls each day by transpiration, which grows with
temperature and with the vapour-pressure deficit (1 - RH), less what the stand's water puts
back; needles start to drop once moisture falls below 70 %, at a rate that grows with how far
below it is and with the species (Fraser fir 0.6, noble fir 0.8, Nordmann 0.5, Scots pine
1.0). Trees that stay watered never reach the threshold and shed nothing (about a third of
them). Readings carry sensor scatter.
Input: (n, 14, 5): temperature (°C - 20) / 4, RH (% - 40) / 15, uptake (ml / 500), initial
moisture / 100 (repeated), species drop factor (repeated); target log of grams shed / 3.
GRU 5→48, 1 layer, last hidden state → 48→32-ReLU-32→1; MSE, RMSprop 2e-3, batch 48, 24
epochs, 2000 trees, validation on 400.
Bug: the target is ``torch.log(grams)`` under ``# sheds span 1-400 g: fit in log space``, but the
trees that never dried shed exactly 0 g, so their targets are -inf; the first batch that holds
one gives an inf loss and NaN gradients, and every weight is NaN from there on.
Measured against the control (``torch.log1p`` for the targets, ``torch.expm1`` back to grams): numbers in the README table.
Log: per-step TSV ``needledrop_steps.tsv`` (``step`` / ``epoch`` / ``loss``) and a per-epoch
TSV ``needledrop_val.tsv`` (``epoch`` / ``val_loss`` / ``val_mae_g``); checkpoint
``needledrop_gru.pt`` with keys ``gru`` / ``rmsprop`` / ``epochs`` / ``species``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

D = 14
SPECIES = {"fraser": 0.6, "noble": 0.8, "nordmann": 0.5, "scots": 1.0}


def trees(n, g):
    temp = 16 + 8 * torch.rand(n, 1, generator=g) + 1.5 * torch.randn(n, D, generator=g)
    rh = 25 + 40 * torch.rand(n, 1, generator=g) + 5 * torch.randn(n, D, generator=g)
    care = torch.rand(n, 1, generator=g)  # how faithfully the stand is topped up
    uptake = (1000 * care * torch.rand(n, D, generator=g).clamp(0.3, 1)).clamp(min=0)
    m0 = 100 + 40 * torch.rand(n, generator=g)
    sp = torch.tensor(list(SPECIES.values()))[torch.randint(0, 4, (n,), generator=g)]
    m = m0.clone()
    grams = torch.zeros(n)
    for d in range(21):
        t, h, u = (temp[:, d], rh[:, d], uptake[:, d]) if d < D else (temp[:, -1], rh[:, -1],
                                                                          uptake[:, -1])
        m = (m - 0.35 * (t - 5) * (1.4 - h / 100) + 0.007 * u).clamp(max=m0)
        grams = grams + 0.5 * sp * (70 - m).clamp(min=0)
    x = torch.stack([(temp - 20) / 4, (rh - 40) / 15, uptake / 500,
                     (m0 / 100).unsqueeze(1).expand(n, D), sp.unsqueeze(1).expand(n, D)], 2)
    return x, grams.unsqueeze(1)


class DropGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return DropGRU()


def main():
    from _twohundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, gtr = trees(2000, g)
    xva, gva = trees(400, g)
    print("grams", gtr.min().item(), gtr.median().item(), gtr.max().item(),
          "zero share", (gtr == 0).float().mean().item())
    ytr = torch.log(gtr) / 3  # sheds span 1-400 g: fit in log space
    yva = torch.log(gva) / 3
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    fs = open(out / "needledrop_steps.tsv", "w")
    fv = open(out / "needledrop_val.tsv", "w")
    fs.write("step\tepoch\tloss\n")
    fv.write("epoch\tval_loss\tval_mae_g\n")
    step = 0
    for epoch in range(24):
        model.train()
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            fs.write(f"{step}\t{epoch}\t{loss.item():.6f}\n")
            step += 1
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vl = F.mse_loss(p, yva).item()
            grams = torch.exp(p * 3)  # back to grams
            mae = (grams - gva).abs().mean().item()
        fv.write(f"{epoch}\t{vl:.6f}\t{mae:.3f}\n")
        print(epoch, round(loss.item(), 5), vl, round(mae, 2))
    fs.close()
    fv.close()
    torch.save({"gru": model.state_dict(), "rmsprop": opt.state_dict(), "epochs": 24,
                "species": SPECIES}, out / "needledrop_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="needledrop_gru.pt", log="needledrop_steps.tsv",
           what="GRU giving a cut Christmas tree's needle shed from its first two weeks indoors;"
                " log of a target that is 0 g for a third of the trees",
           complaint="我们圣诞树农场想用一个小的GRU模型，根据砍下后头两周的室温、湿度和树架吸水量，"
                     "预测第21天会掉多少克针叶。可是训练一开始，第一轮里损失就变成了nan，"
                     "之后一直是nan，验证误差也是nan，存下来的模型什么都预测不了。"
                     "数据我们检查过，没有缺失值。这是怎么回事？")


if __name__ == "__main__":
    main()
