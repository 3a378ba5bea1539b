"""Plain torch: a 1-D CNN grades green cardamom capsules (3 grades: bold 8 mm+, medium,
small/split) from a 64-band near-infrared reflectance spectrum taken at the auction yard. The
spectrum is a baseline slope + scattering offset + absorption bands (water, oil, chlorophyll)
whose depths and positions drift with the grade (bigger capsules: more oil band, less water,
a slightly shifted chlorophyll peak), plus noise; the grade is learnable but not trivially.
Conv1d(1→16, k7)-ReLU-pool, Conv1d(16→32, k5)-ReLU-pool, Conv1d(32→32, k3)-ReLU, global max
pool, Linear(32→3); Adam 1e-3, batch 48, 10 epochs of 1440 spectra. Log: CSV, one row per step
(``step``, ``epoch``, ``train_loss``; ``val_loss`` and ``val_acc`` filled every 30 steps, i.e.
once per epoch); checkpoint ``{"model_state_dict", "optimizer_state_dict", "epoch", "step"}``.
The bug: the spectra come from the grading database with ``ORDER BY grade`` and the script
wraps them in a ``DataLoader(..., shuffle=False)`` ("the database already mixes the yards").
Every batch is one grade (two at a seam); each batch pulls the model towards its own grade and
the train loss hovers at 0.9–1.15 (ln 3 = 1.10) all along: val accuracy 0.285 (every val
spectrum called "bold") for epochs 1–6, then 0.31, 0.58, 0.71, 0.70 at epoch 10, val loss
1.16 → 0.99. Control (``shuffle=True``): val accuracy 0.73 after epoch 1, 0.82 at epoch 10,
val loss 0.44."""
import torch
import torch.nn as nn
import torch.nn.functional as F

B = 64


def spectra(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    w = torch.linspace(0, 1, B)
    size = (2 - y.float()) / 2 + 0.25 * torch.randn(n, generator=g)  # bold → 1, small → 0
    base = (0.5 + 0.2 * torch.randn(n, 1, generator=g)) + 0.3 * torch.randn(n, 1, generator=g) * w
    water = (0.6 - 0.3 * size).unsqueeze(1) * torch.exp(-((w - 0.7) / 0.05) ** 2)
    oil = (0.2 + 0.35 * size).unsqueeze(1) * torch.exp(-((w - 0.45) / 0.04) ** 2)
    peak = 0.25 + 0.04 * size + 0.01 * torch.randn(n, generator=g)
    chl = 0.3 * torch.exp(-((w - peak.unsqueeze(1)) / 0.03) ** 2)
    x = base - water - oil + chl + 0.04 * torch.randn(n, B, generator=g)
    x = (x - x.mean(1, keepdim=True)) / 0.2
    return x.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    from _twohundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = spectra(1696, g)
    xva, yva = x[1440:], y[1440:]
    order = torch.argsort(y[:1440], stable=True)  # SELECT ... ORDER BY grade
    xtr, ytr = x[:1440][order], y[:1440][order]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=48, shuffle=False)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = ["step,epoch,train_loss,val_loss,val_acc"]
    step = 0
    for epoch in range(10):
        model.train()
        for xb, yb in train:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if step % len(train) == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{F.cross_entropy(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch, vl, va, torch.bincount(lv.argmax(1), minlength=3).tolist())
            rows.append(f"{step},{epoch},{loss.item():.4f},{vl},{va}")
    (out / "capsule_grading.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "step": step}, out / "capsule_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="capsule_cnn.pt", log="capsule_grading.csv",
           what="cardamom capsule grade 1-D CNN on NIR spectra read ORDER BY grade, shuffle=False",
           complaint=("Our cardamom grading CNN on the NIR spectra from the auction yard does not "
                      "learn: the training loss sits around 1.0-1.1 for the whole run, and for the "
                      "first 6 epochs it calls every validation capsule 'bold' (val accuracy "
                      "0.285). At epoch 10 it reaches 0.70 val accuracy, val loss 0.99. Adam 1e-3,"
                      " batch 48, 1440 spectra. Is 1-D CNN the wrong model for spectra?"))


if __name__ == "__main__":
    main()
