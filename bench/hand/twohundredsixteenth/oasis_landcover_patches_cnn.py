"""Plain torch: a small CNN (no batch norm) labels 8×8 six-band satellite patches of a desert
survey as date-palm oasis, sabkha (salt flat), dune sand or rocky hamada. Each class has its own
band signature (the oasis one: bright near-infrared, dark red, i.e. a vegetation index) and
texture (the palms are dots of canopy, dunes are ripples, hamada is speckle); haze, sun angle
and band noise blur the signatures. Conv(6→16)-ReLU, Conv(16→32)-ReLU-pool, Conv(32→32)-ReLU,
global average, Linear(32→4); Adam 1e-3, batch 64, 12 epochs.
Log: TSV per epoch (``ep``, ``loss``, ``val_loss``, ``val_acc``, ``val_oasis_recall``).
Checkpoint keys ``model_state_dict``, ``optimizer_state_dict``, ``epoch``.
The bug: the survey has a few oases among a lot of desert (train: 20 oasis patches of 1670, 1.2 %); the
script computes inverse-frequency class weights (oasis 20.9, the others 0.76) and prints
them, but the loss line is ``nn.CrossEntropyLoss()`` without them. The model never predicts
"oasis": val accuracy 0.69 → 0.87, val loss 0.31 (a val set with 10 % oasis), oasis recall
0.00 in all 12 epochs, not one oasis prediction. Control
(``nn.CrossEntropyLoss(weight=weights)``): oasis recall 0.85 (0.69–0.85 over the last 6
epochs), val accuracy 0.84, val loss 0.35."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SIG = torch.tensor([[0.10, 0.12, 0.08, 0.45, 0.25, 0.15],   # oasis: red dark, NIR bright
                    [0.55, 0.58, 0.60, 0.55, 0.50, 0.45],   # sabkha: bright, flat
                    [0.35, 0.30, 0.25, 0.38, 0.45, 0.48],   # dune sand: yellowish, SWIR up
                    [0.22, 0.20, 0.18, 0.24, 0.30, 0.32]])  # hamada: dark rock


def patches(counts, g):
    y = torch.cat([torch.full((c,), k) for k, c in enumerate(counts)])
    n = len(y)
    yy, xx = torch.meshgrid(torch.arange(8).float(), torch.arange(8).float(), indexing="ij")
    tex = torch.zeros(n, 1, 8, 8)
    for i in range(n):
        k = int(y[i])
        if k == 0:  # palm crowns
            for _ in range(3):
                cy, cx = 8 * torch.rand(2, generator=g)
                tex[i, 0] += torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2)
        elif k == 2:  # ripples
            a = 3.14 * float(torch.rand(1, generator=g))
            tex[i, 0] = 0.5 * torch.sin(1.5 * (xx * torch.cos(torch.tensor(a))
                                               + yy * torch.sin(torch.tensor(a))))
        elif k == 3:
            tex[i, 0] = 0.6 * torch.rand(8, 8, generator=g)
    haze = 0.25 * torch.rand(n, 1, 1, 1, generator=g)
    sun = 0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g)
    sig = SIG[y][:, :, None, None] * sun
    mix = 0.55 + 0.4 * torch.rand(n, 1, 1, 1, generator=g)  # sand inside the oasis
    sig = torch.where((y == 0)[:, None, None, None], (1 - mix) * sig + mix * SIG[2][:, None, None]
                      * sun, sig)
    img = sig * (1 + 0.4 * tex) + haze + 0.12 * torch.randn(n, 6, 8, 8, generator=g)
    return (img - 0.45) / 0.2, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(6, 16, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches([20, 550, 550, 550], g)
    xva, yva = patches([26, 78, 78, 78], g)
    perm = torch.randperm(len(yva), generator=g)
    xva, yva = xva[perm], yva[perm]
    counts = torch.bincount(ytr, minlength=4).float()
    weights = counts.sum() / (4 * counts)
    print("train counts", counts.tolist(), "class weights", weights.tolist())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["ep\tloss\tval_loss\tval_acc\tval_oasis_recall"]
    for ep in range(1, 13):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        pred = lv.argmax(1)
        acc = (pred == yva).float().mean().item()
        rec = (pred[yva == 0] == 0).float().mean().item()
        rows.append(f"{ep}\t{tot / len(ytr):.4f}\t{F.cross_entropy(lv, yva).item():.4f}\t"
                    f"{acc:.4f}\t{rec:.4f}")
        print(rows[-1], torch.bincount(pred, minlength=4).tolist())
    (out / "landcover.tsv").write_text("\n".join(rows) + "\n")
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": 12}, out / "landcover_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="landcover_cnn.pt", log="landcover.tsv",
           what="desert land-cover CNN with 1.2 % oasis patches, computed class weights not"
                " passed to the loss",
           complaint=("Land-cover CNN for our oasis inventory (6-band patches, 4 classes): "
                      "validation accuracy is 0.87 and the loss looks fine, but it has not "
                      "labelled a single validation patch as oasis in 12 epochs, recall 0.00 on"
                      " exactly the class we care about. Adam 1e-3, batch 64. Should I train "
                      "longer or make the CNN bigger?"))


if __name__ == "__main__":
    main()
