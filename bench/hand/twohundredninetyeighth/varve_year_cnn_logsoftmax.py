"""Plain torch: a 1-D CNN sorts the varve years in a thin-section grey-scale transect of a
proglacial lake core into three kinds, so the varve counters can flag the odd years:
0 clastic year (a thick light silt layer from the spring snowmelt fining up into a thin dark
winter clay cap), 1 biogenic year (thin, a dark organic base and a sharp light diatom-bloom
lamina in summer), 2 event year (a turbidite: a single thick bed, sharp base, graded over its
whole thickness, no clay cap). The transect is 64 pixels (40 µm each) centred on the year;
neighbouring years' edges show at both ends, grey levels depend on the section's thickness
and the scanner (gain and offset per section), with 0.06 of pixel noise.
Input: (1, 64) grey value. CNN without batch norm: Conv1d 1→16 k5-ReLU-MaxPool2, 16→32
k5-ReLU-MaxPool2, 32→32 k3-ReLU, global max pool, Linear 32→3, ``F.log_softmax`` in
``forward`` and NLLLoss; RMSprop 1e-3, batch 32, 8 epochs, 1500 years, validation on 450.
Bug: ``forward`` ends ``return F.log_softmax(self.fc(h), dim=0)`` (``# log-probabilities for
NLLLoss``): the softmax runs over the 32 years in the batch, not over the 3 kinds, so the
loss asks each year to beat the other years of the batch in its own column and the outputs
are no class probabilities at all (each column sums to one over the batch). Years whose best
kind has a probability under ``UNSURE = 0.8`` go back to the counters. Control (``dim=1``,
one-line sed): train NLL 0.921 → 0.037, val NLL 0.624 → 0.037, val acc 0.773 → 0.998, event
years found 0.45 → 0.99, years sent back to recount 0.887 → 0.029. With the bug: train NLL
3.03 → 2.46 (it cannot go near 0: each column is a softmax over 32 years), val NLL on the
450-year batch 5.36 → 5.08, val acc 0.962 → 1.0 (argmax is still right), but every year is
sent back to recount in every epoch (1.0: the best "probability" of a year is about 1/450).
Log: JSON lines per epoch ``varve_epochs.jsonl`` (``epoch`` / ``nll`` / ``val_nll`` /
``val_acc`` / ``val_found_event`` / ``val_to_recount``); checkpoint ``varve_cnn.pth`` with keys ``state`` /
``optim`` / ``epochs`` / ``kinds`` / ``pixel_um``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 64
KINDS = ["clastic", "biogenic", "event"]
UNSURE = 0.8  # years whose best kind is below this go back to the counters


def transects(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = torch.arange(N).float()
    y = torch.randint(0, 3, (n,), generator=g)
    grey = torch.zeros(n, N)
    for i in range(n):
        c = int(y[i])
        w = 0.4 + 0.05 * torch.sin(z / (3 + 3 * r(1)))
        if c == 0:
            th = int(26 + 14 * r(1))
            s = (N - th) // 2
            w[s:s + th] = 0.8 - 0.3 * (torch.arange(th) / th)
            w[s + th - 4:s + th] = 0.15
        elif c == 1:
            th = int(12 + 8 * r(1))
            s = (N - th) // 2
            w[s:s + th] = 0.25
            p = s + int(th * (0.4 + 0.3 * r(1)))
            w[p:p + 2] = 0.9
        else:
            th = int(30 + 20 * r(1))
            s = (N - th) // 2
            w[s:s + th] = 0.95 - 0.6 * (torch.arange(th) / th) ** 0.7
        grey[i] = w
    gain = 0.7 + 0.6 * r(n, 1)
    x = gain * grey + 0.2 * (r(n, 1) - 0.5) + 0.06 * torch.randn(n, N, generator=g)
    return x.unsqueeze(1), y


class VarveCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        h = self.conv(x).amax(2)
        return F.log_softmax(self.fc(h), dim=0)  # log-probabilities for NLLLoss


def build():
    torch.manual_seed(0)
    return VarveCNN()


def main():
    from _twohundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = transects(1500, g)
    xva, yva = transects(450, g)
    print("kinds", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    crit = nn.NLLLoss()
    log = open(out / "varve_epochs.jsonl", "w")
    for epoch in range(8):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = crit(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            lp = model(xva)
        pred = lp.argmax(1)
        rec = {"epoch": epoch, "nll": round(tot / len(xtr), 5),
               "val_nll": round(crit(lp, yva).item(), 5),
               "val_acc": round((pred == yva).float().mean().item(), 4),
               "val_found_event": round((pred[yva == 2] == 2).float().mean().item(), 4),
               "val_to_recount": round((lp.exp().amax(1) < UNSURE).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state": model.state_dict(), "optim": opt.state_dict(), "epochs": 8,
                "kinds": KINDS, "pixel_um": 40}, out / "varve_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="varve_cnn.pth", log="varve_epochs.jsonl",
           what="1-D CNN sorting varve years into clastic / biogenic / event from a grey-scale"
                " transect; log_softmax is taken over the batch dimension",
           complaint="我们用一维卷积网络给湖泊纹层（varve）的每一年分类：碎屑年、生物年、事件层。"
                     "验证准确率很高，接近 1.0，可是训练损失一直停在 2.5 左右，验证损失在 5 以上，"
                     "怎么训练都降不下去；而且输出的概率全都很小，每一年都被标成“不确定”，"
                     "全部退回给人工重新计数。准确率这么高，为什么损失和概率这么奇怪？")


if __name__ == "__main__":
    main()
