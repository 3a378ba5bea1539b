"""Plain torch: an MLP picks the glass thickness a glazier should cut for a replacement window
(5 classes: 4, 6, 8, 10, 12 mm) from 12 numbers of the site survey: pane width and height,
aspect ratio, number of supported edges, wind-zone pressure, floor height, exposure (coastal /
open / urban), toughened or annealed, laminated, double-glazed unit, frame material and a
safety-glazing flag. The class comes from a plate-stress rule (load × short span² over the
glass's allowable stress, with factors for toughened, laminated and two-edge support) plus
survey noise. MLP 12-64-64-5, SGD momentum 0.9, lr 0.01, batch 32, 20 epochs of 1280 windows.
Log: TSV per epoch (``epoch``, ``train_loss``, ``train_acc``, ``val_loss``, ``val_acc``);
checkpoint ``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``.
The bug: ``opt.zero_grad()`` sits one indentation level too far out, at the top of the epoch
loop instead of inside the batch loop, so the gradients of all 40 batches of an epoch pile up
and every step uses their running sum (with momentum on top). The train loss
goes 1.68 → 3.50 → 2.66 → 4.20 → 5.59 … 12.75 (epoch 14) and ends at 4.97, train accuracy
0.17–0.30 throughout, val accuracy 0.13–0.33 (0.284 at the end, the 4 mm share is 0.28), val
loss 2.6–11.4 (3.89 at the end).
Control (``opt.zero_grad()`` before every ``backward()``): train loss 1.57 → 0.39, val
accuracy 0.40 → 0.74 at epoch 5 → 0.82 at 20, val loss 0.49."""
import torch
import torch.nn as nn


def survey(n, g):
    x = torch.randn(n, 12, generator=g)
    w = 0.6 + 1.4 * torch.rand(n, generator=g)            # width, m
    h = 0.6 + 1.6 * torch.rand(n, generator=g)            # height, m
    edges = torch.where(torch.rand(n, generator=g) < 0.3, 2.0, 4.0)
    wind = 0.4 + 1.2 * torch.rand(n, generator=g)         # kPa
    floor = torch.randint(0, 12, (n,), generator=g).float()
    tough = (torch.rand(n, generator=g) < 0.4).float()
    lam = (torch.rand(n, generator=g) < 0.3).float()
    p = wind * (1 + 0.04 * floor)
    span = torch.minimum(w, h)
    k = torch.where(edges == 2, 1.0, 0.5 * (1 - 0.3 * (w - h).abs() / torch.maximum(w, h)))
    demand = p * span ** 2 * k / (1 + 1.2 * tough) * (1 + 0.25 * lam)
    t = demand.sqrt() * torch.exp(0.08 * torch.randn(n, generator=g))
    y = torch.bucketize(t, torch.tensor([0.55, 0.75, 0.95, 1.2]))
    x[:, 0], x[:, 1], x[:, 2] = (w - 1.3) / 0.4, (h - 1.4) / 0.46, (w / h - 1.1) / 0.6
    x[:, 3], x[:, 4], x[:, 5] = (edges - 3.4) / 0.9, (wind - 1.0) / 0.35, (floor - 5.5) / 3.5
    x[:, 6], x[:, 7] = (tough - 0.4) / 0.5, (lam - 0.3) / 0.46
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


def main():
    from _hundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = survey(1600, g)
    print("class counts", torch.bincount(y, minlength=5).tolist())
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True,
                                         generator=torch.Generator().manual_seed(1))
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    rows = ["epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc"]
    for epoch in range(1, 21):
        model.train()
        opt.zero_grad()
        tot = hit = 0.0
        for xb, yb in loader:
            logits = model(xb)
            loss = criterion(logits, yb)
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
            hit += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        row = (f"{epoch}\t{tot / len(xtr):.4f}\t{hit / len(xtr):.4f}\t"
               f"{criterion(lv, yva).item():.4f}\t{(lv.argmax(1) == yva).float().mean().item():.4f}")
        rows.append(row)
        print(row)
    (out / "thickness_log.tsv").write_text("\n".join(rows) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20}, out / "pane_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="pane_mlp.pth", log="thickness_log.tsv",
           what="glazier pane-thickness MLP whose zero_grad() runs once per epoch, not per batch",
           complaint=("我们玻璃店用来给换窗选玻璃厚度的模型（现场测量的12个特征，4/6/8/10/12mm 五档）"
                      "根本训练不起来：第1个epoch训练loss 1.68，后面反而涨到3.5、5.6，第14个epoch"
                      "到了12.7，最后是4.97；训练准确率一直在0.17到0.30之间，验证准确率最后0.28，"
                      "跟全部猜4mm差不多。SGD，lr 0.01，momentum 0.9，batch 32，训练20个epoch。"
                      "是学习率太大了吗？"))


if __name__ == "__main__":
    main()
