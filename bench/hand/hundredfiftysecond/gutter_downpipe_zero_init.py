"""Plain torch: an MLP (6 → 64 → 64 → 4) picks the downpipe size class (63, 75, 90, 100 mm)
for a roof drainage job from roof plan area, design rainfall intensity, roof pitch, gutter
length, number of outlets and gutter profile depth; the class follows the design flow
(area × intensity / outlets) with some installer judgement noise. The author wrote an
``init_weights`` loop "to start from a clean slate" that sets every Linear weight and bias
to zero, so every hidden unit computes the same thing and gets no gradient: only the last
bias moves and the model predicts the majority class. Adam 3e-3, batch 64, 30 epochs.
Run: val_acc 0.3117 (the 75 mm share) at every epoch, loss 1.380 → 1.362. Control (the same
loop with ``kaiming_uniform_(a=√5)``, PyTorch's own default): val_acc 0.86–0.88, loss 0.27.
Log: CSV (epoch, loss, val_loss, val_acc); checkpoint: {epoch, model_state_dict,
optimizer_state_dict, val_acc}."""
import csv

import torch
import torch.nn as nn


def jobs(n, g):
    area = 40 + 260 * torch.rand(n, generator=g)           # m²
    rain = 50 + 200 * torch.rand(n, generator=g)           # mm/h
    pitch = 5 + 40 * torch.rand(n, generator=g)            # degrees
    glen = 6 + 30 * torch.rand(n, generator=g)             # m
    outlets = torch.randint(1, 5, (n,), generator=g).float()
    depth = 75 + 50 * torch.rand(n, generator=g)           # mm
    flow = area * rain / 3600 / outlets * (1 + pitch / 90)  # l/s per outlet
    score = torch.log(flow) + 0.15 * torch.randn(n, generator=g)
    y = torch.bucketize(score, torch.tensor([0.55, 1.35, 2.05]))
    x = torch.stack([area / 100, rain / 100, pitch / 20, glen / 10, outlets, depth / 100], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def init_weights(net):
    for m in net.modules():
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)


def main():
    from _hundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = jobs(2400, g)
    xva, yva = jobs(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    net = build()
    init_weights(net)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    lossf = nn.CrossEntropyLoss()
    rows = []
    for ep in range(30):
        net.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = lossf(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            lv = net(xva)
            vl = lossf(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        rows.append({"epoch": ep + 1, "loss": round(tot / len(xtr), 5), "val_loss": round(vl, 5),
                     "val_acc": round(va, 4)})
        print(rows[-1])
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"epoch": 30, "model_state_dict": net.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "val_acc": va}, out / "downpipe.pt")
    print("class share", torch.bincount(yva, minlength=4) / len(yva))
    finish(out, __file__, (xva[:128], yva[:128]), causes=["zero_weight_init"],
           checkpoint="downpipe.pt", log="train_log.csv",
           what="downpipe-size MLP with every Linear weight and bias initialised to zero by a "
                "hand-written init loop: hidden units identical, stuck at the majority class",
           complaint="My downpipe sizing classifier does not learn anything. val_acc is 0.3117 at "
                     "epoch 1 and still exactly 0.3117 at epoch 30, loss only went 1.380 -> 1.362, "
                     "and every roof comes out as 75 mm. The physics is simple (area x rainfall / "
                     "outlets), a spreadsheet gets it right. Adam lr 3e-3, inputs standardised.")


if __name__ == "__main__":
    main()
