"""Hypergraph neural network (HGNN, Feng et al. 2019) node classifier on a synthetic co-authorship
hypergraph: 400 authors in 4 research areas, 260 papers as hyperedges of 2–6 authors (70 % of a
paper's authors from one area, the rest from anywhere), 32 noisy bag-of-keyword features per
author (a weak area signal under unit noise). HGNN convolution X' = Dv^-1/2 H W De^-1 Hᵀ
Dv^-1/2 X Θ (incidence H 400 × 260, unit edge weights, a self-loop hyperedge per author), two
layers (32 → 32 → 4), ReLU, dropout 0.5, full batch, 80 labelled authors for training and 160
for validation; Adam 0.01, weight decay 5e-3, 80 epochs; the log (CSV) holds per epoch the
train loss / accuracy and the val loss / accuracy. Healthy: val accuracy levels at ~0.8 (the
mixed papers and weak features are the ceiling), the train loss noisy under dropout and above
the val loss, which flattens at ~0.5 (0.49 at its lowest, 0.51 at the end)."""
import csv

import torch
import torch.nn as nn

NODES, EDGES, FEATS, AREAS, HID = 400, 260, 32, 4, 32


def hypergraph(g):
    y = torch.randint(0, AREAS, (NODES,), generator=g)
    H = torch.zeros(NODES, EDGES)
    for e in range(EDGES):
        area = int(torch.randint(0, AREAS, (1,), generator=g))
        size = int(torch.randint(2, 7, (1,), generator=g))
        members = torch.nonzero(y == area).squeeze(1)
        for _ in range(size):
            if torch.rand(1, generator=g) < 0.7:
                v = members[int(torch.randint(0, len(members), (1,), generator=g))]
            else:
                v = int(torch.randint(0, NODES, (1,), generator=g))
            H[v, e] = 1.0
    H = torch.cat([H, torch.eye(NODES)], 1)
    centres = torch.randn(AREAS, FEATS, generator=g) * 0.3
    x = centres[y] + torch.randn(NODES, FEATS, generator=g)
    return x, H, y


def propagation(H):
    dv = H.sum(1)
    de = H.sum(0)
    dv_is = dv.pow(-0.5)
    return dv_is[:, None] * (H / de[None]) @ H.T * dv_is[None]


class HGNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.theta1 = nn.Linear(FEATS, HID)
        self.theta2 = nn.Linear(HID, AREAS)
        self.drop = nn.Dropout(0.5)

    def forward(self, x, H):
        G = propagation(H)
        h = torch.relu(G @ self.theta1(self.drop(x)))
        return G @ self.theta2(self.drop(h))


def build():
    torch.manual_seed(0)
    return HGNN()


def main():
    from _fiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, H, y = hypergraph(g)
    perm = torch.randperm(NODES, generator=g)
    tr, va = perm[:80], perm[80:240]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-3)
    lossf = nn.CrossEntropyLoss()
    f = open(out / "hgnn_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(80):
        model.train()
        logits = model(x, H)
        loss = lossf(logits[tr], y[tr])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tacc = (logits[tr].argmax(1) == y[tr]).float().mean().item()
        model.eval()
        with torch.no_grad():
            lv = model(x, H)
            vl = lossf(lv[va], y[va]).item()
            vacc = (lv[va].argmax(1) == y[va]).float().mean().item()
        w.writerow([epoch, round(loss.item(), 4), round(tacc, 4), round(vl, 4), round(vacc, 4)])
        if epoch % 15 == 14:
            print(epoch, round(loss.item(), 4), round(tacc, 4), round(vl, 4), round(vacc, 4))
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "epoch": epoch, "train_idx": tr, "val_idx": va}, out / "hgnn.pth")
    finish(out, __file__, {"inputs": x, "H": H, "targets": y}, causes=[],
           checkpoint="hgnn.pth", log="hgnn_metrics.csv",
           what="HGNN node classifier on a synthetic co-authorship hypergraph (healthy)")


if __name__ == "__main__":
    main()
