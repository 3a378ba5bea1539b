"""Room-type tagging for floor plans: an MLP (10 → 64 → 64 → 5, ReLU) labels the rooms of
vectorised synthetic apartment plans as bedroom, kitchen, bathroom, living room or hallway from
10 geometric / fixture features: floor area (m²), aspect ratio, number of windows, number of
doors, wet-wall (plumbing) contact, exterior-wall length (m), distance to the entrance (m),
share of the perimeter shared with other rooms, ceiling height and floor level — standardised
with training statistics. Rooms are drawn per type (bathrooms small with plumbing and few
windows, hallways elongated with many doors and near the entrance, living rooms large with
several windows, kitchens mid-sized with plumbing) with wide overlaps. Adam 1e-3, batch 64,
15 epochs of 4000 rooms; a CSV log per epoch (``ep``, ``loss_tr``, ``loss_va``, ``acc_va``).
Bug: the author's ``init_weights`` (applied with ``model.apply``) zero-initialises every Linear
layer's weight as well as its bias (``nn.init.zeros_(m.weight)``): every hidden unit computes
ReLU(0) = 0 and gets no gradient, so only the output bias learns and the net predicts the class
prior for every room: every validation room is called a bedroom (the most common type) from
epoch 1, val accuracy 0.327 (= the bedroom share) in all 15 epochs, train loss 1.603 → 1.560
and val loss 1.597 → 1.557 (the label entropy). The control
(``nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")``) reaches val accuracy 0.88 after
epoch 1 and 0.917 after 15, val loss 0.234, train loss 0.194."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

TYPES = ["bedroom", "kitchen", "bathroom", "living", "hallway"]
#            area  aspect win doors wet  ext   dist  shared
PROTO = torch.tensor([[12.0, 1.3, 1.2, 1.1, 0.1, 3.5, 5.0, 0.55],
                      [10.0, 1.5, 1.0, 1.4, 0.9, 2.8, 3.5, 0.60],
                      [5.0, 1.4, 0.3, 1.0, 1.0, 1.2, 4.0, 0.75],
                      [24.0, 1.4, 2.5, 2.0, 0.1, 6.0, 3.0, 0.45],
                      [7.0, 3.5, 0.2, 3.5, 0.1, 0.8, 1.0, 0.85]])
SPREAD = torch.tensor([4.0, 0.4, 0.8, 0.7, 0.3, 1.5, 2.0, 0.1])


def rooms(n, g):
    y = torch.multinomial(torch.tensor([0.32, 0.14, 0.18, 0.14, 0.22]), n, replacement=True,
                          generator=g)
    f = PROTO[y] + SPREAD * torch.randn(n, 8, generator=g)
    f[:, 0] = f[:, 0].clamp(min=2.5)
    f[:, 1] = f[:, 1].clamp(min=1.0)
    f[:, 2:4] = f[:, 2:4].round().clamp(min=0)
    f[:, 4] = (torch.rand(n, generator=g) < PROTO[y, 4]).float()
    ceiling = 2.5 + 0.2 * torch.rand(n, generator=g)
    level = torch.randint(0, 8, (n,), generator=g).float()
    return torch.cat([f, ceiling[:, None], level[:, None]], 1), y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 5))
    model.apply(init_weights)
    return model


def main():
    from _hundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = rooms(5000, g)
    mu, sd = x[:4000].mean(0), x[:4000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "roomtype_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "loss_tr", "loss_va", "acc_va"])
    for ep in range(15):
        model.train()
        perm = torch.randperm(4000)
        tot = 0.0
        for i in range(0, 4000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [ep, round(tot / 4000, 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, torch.bincount(lo.argmax(1), minlength=5).tolist())
    f.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "ep": 14,
                "room_types": TYPES, "mu": mu, "sd": sd}, out / "roomtype_mlp.pth")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["zero_weight_init"],
           checkpoint="roomtype_mlp.pth", log="roomtype_log.csv",
           what="floor-plan room-type MLP, every Linear weight initialised to zero",
           complaint="我的户型图房间分类模型训练了15个epoch完全没有进步：验证集准确率一直是0.327，"
                     "所有房间都被预测成卧室，loss只从1.60降到1.56。特征都做了标准化，"
                     "学习率1e-3，为什么学不到东西？")


if __name__ == "__main__":
    main()
