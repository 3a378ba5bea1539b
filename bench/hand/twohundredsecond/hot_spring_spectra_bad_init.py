"""Plain torch: a 1-D CNN (no batch norm) classifies a hot spring's water type (neutral
chloride, acid sulfate, bicarbonate, mixed sulfate-chloride) from a 128-channel UV-vis
absorption spectrum of a filtered sample: each type has its own set of absorption bands
(Gaussian peaks at fixed wavelengths with random heights ±30 %), on a sloping baseline from
turbidity, plus noise.
Conv(1→16, k7)-ReLU-pool, Conv(16→32, k5)-ReLU-pool, Conv(32→32, k3)-ReLU, average
pool to 8 positions, Linear(256→4); Adam 1e-3, batch 32, 12 epochs of 1024 spectra. Weights are initialised by
``init_weights`` applied with ``model.apply``. Checkpoint ``weights`` / ``optim`` / ``epoch``,
log ``spectra_train.csv`` (epoch, mean_loss, valid_loss, valid_acc).
The bug: ``init_weights`` draws every conv and linear weight from ``nn.init.normal_(w, 0.0,
1.0)`` (std 1 instead of a fan-in scaled std): the logits start in the hundreds, mean train loss
208.8 in epoch 1, 44.1, 14.6, … 0.39 at epoch 12; val loss 75.0 → 0.72, val accuracy
0.36 → 0.97. Control (``model.apply`` line removed, PyTorch's default init): train loss 1.27
in epoch 1, val accuracy 0.98 after epoch 1 and 1.00 from epoch 2, val loss 0.0003 at 12."""
import torch
import torch.nn as nn

C = 128
BANDS = {0: [20, 55, 90], 1: [30, 70, 110], 2: [15, 45, 100], 3: [30, 55, 90]}


def spectra(n, g):
    wl = torch.arange(C).float()
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, C)
    for i in range(n):
        for b in BANDS[int(y[i])]:
            h = 0.7 + 0.6 * float(torch.rand(1, generator=g))
            w = 3 + 3 * float(torch.rand(1, generator=g))
            x[i] += h * torch.exp(-((wl - b) / w) ** 2)
    slope = torch.rand(n, 1, generator=g) * 0.8
    x = x + slope * (1 - wl / C) + 0.08 * torch.randn(n, C, generator=g)
    return x[:, None], y


def init_weights(m):
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 1.0)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                          nn.AdaptiveAvgPool1d(8), nn.Flatten(), nn.Linear(256, 4))
    model.apply(init_weights)
    return model


def main():
    from _twohundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spectra(1024, g)
    xva, yva = spectra(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    log = open(out / "spectra_train.csv", "w")
    log.write("epoch,mean_loss,valid_loss,valid_acc\n")
    for epoch in range(12):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        log.write(f"{epoch},{tot / len(train):.4f},{vl:.4f},{va:.4f}\n")
        print(epoch, round(tot / len(train), 4), round(vl, 4), round(va, 4))
    log.close()
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "epoch": 12},
               out / "spring_spectra_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="spring_spectra_cnn.pt", log="spectra_train.csv",
           what="1-D CNN hot-spring water type from UV-vis spectra, weights drawn N(0, 1)",
           complaint=("Classifying hot spring water type from absorption spectra, 4 classes. "
                      "First epoch loss is 208.8 (!), and after 12 epochs it's 0.39 train, "
                      "0.72 val loss, val acc 0.969. The bands are obvious if you plot the "
                      "spectra. Adam 1e-3, nothing fancy. What's going on?"))


if __name__ == "__main__":
    main()
