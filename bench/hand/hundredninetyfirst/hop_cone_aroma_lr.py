"""Plain torch: a 1-D CNN names the hop variety (4 classes: Cascade, Saaz, Hallertau, Citra) of
a hop farm's dried cones from a 64-bin aroma spectrum (gas chromatograph, myrcene,
humulene, caryophyllene, farnesene and linalool regions). Each variety has its own mix of peak
heights at fixed retention positions (with some drift), on a baseline and noise.
Conv1d(1→16,5)-ReLU-pool, Conv1d(16→32,5)-ReLU-pool, Conv1d(32→32,3)-ReLU, global average
pool, Linear(32→4); Adam, batch 32, 12 epochs of 768 spectra. TSV log per step (``step``,
``epoch``, ``loss``; ``val_loss`` and ``val_acc`` on the last step of an epoch); checkpoint keys
``state_dict`` / ``optimizer`` / ``epoch``.
The bug: the learning rate is ``lr=3e-1`` (copied from the SGD recipe of the farm's older
model, then the optimiser was switched to Adam). The second step's loss
is 208, then the loss sits at 1.36–1.45 (chance is ln 4 = 1.39) for all 12 epochs, val loss
1.41, val accuracy 0.27 at the end (0.18–0.29 all run).
Control (``lr=3e-3``): slow start (val accuracy 0.27–0.38 for 4 epochs), then val loss 0.23,
val accuracy 0.94 at epoch 12."""
import torch
import torch.nn as nn

NB = 64
CENTRES = torch.tensor([8.0, 18.0, 27.0, 36.0, 47.0, 56.0])
MIX = torch.tensor([[1.0, 0.3, 0.8, 0.1, 0.6, 0.2],
                    [0.3, 1.0, 0.2, 0.7, 0.2, 0.5],
                    [0.6, 0.6, 0.1, 0.9, 0.7, 0.1],
                    [1.0, 0.2, 0.9, 0.2, 0.1, 0.9]])


def spectra(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    pos = torch.arange(NB).float()
    c = CENTRES + 1.5 * torch.randn(n, 6, generator=g)
    h = MIX[y] * (0.7 + 0.6 * torch.rand(n, 6, generator=g))
    peaks = (h[:, :, None] * torch.exp(-((pos - c[:, :, None]) / 2.0) ** 2)).sum(1)
    base = 0.3 * torch.rand(n, 1, generator=g) * pos / NB
    x = peaks + base + 0.08 * torch.randn(n, NB, generator=g)
    return ((x - 0.3) / 0.4).unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _hundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spectra(768, g)
    xva, yva = spectra(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-1)
    loss_fn = nn.CrossEntropyLoss()
    lines = ["step\tepoch\tloss\tval_loss\tval_acc"]
    step = 0
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(768, generator=g)
        for i in range(0, 768, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if i + 32 >= 768:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{loss_fn(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch, f"{loss.item():.4f}", vl, va)
            lines.append(f"{step}\t{epoch}\t{loss.item():.4f}\t{vl}\t{va}")
    (out / "train_log.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12},
               out / "hop_aroma_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="hop_aroma_cnn.pt", log="train_log.tsv",
           complaint="Hop variety classifier from the GC aroma spectra is stuck: train loss "
                     "sits around 1.39 for all 12 epochs and val accuracy is about 0.27 with "
                     "four varieties, i.e. guessing. The spectra look clearly different by eye.",
           what="1-D CNN hop variety classifier on aroma spectra, Adam at lr 0.3")


if __name__ == "__main__":
    main()
