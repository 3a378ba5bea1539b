"""Plain torch: an autoencoder learns the strike spectra of healthy church bells recorded in
belfries (a bell-hanger's survey, to flag cracked bells later by their reconstruction error).
Each spectrum is 48 log-frequency bins; a bell's partials (hum, prime, tierce, quint, nominal,
superquint) sit at fixed ratios of its strike note (0.5, 1, 1.2, 1.5, 2, 3) with their own
amplitudes, so a bell is a shifted copy of one partial pattern, with random pitch, partial levels,
width and noise. Linear(48→64)-ReLU-Linear(64→12)-ReLU-Linear(12→64)-ReLU-Linear(64→48); Adam
1e-3, batch 64, 25 epochs of 1024 spectra, MSE; the weights are re-initialised in ``build()``
("uniform init, zero bias") before training.
The bug: ``nn.init.uniform_(m.weight)`` with no bounds draws from U(0, 1), all weights positive
and ~10× too large, so every hidden unit is a large positive sum of the same inputs:
train MSE 1.07e9 in epoch 1; val MSE 9.3e8 → 4.06e7 at epoch 25, falling ~10 % an
epoch but 5e8 times the inputs' variance (0.080).
Control (``nn.init.uniform_(m.weight, -fan_in ** -0.5, fan_in ** -0.5)``): val MSE 0.088 → 0.0097 at epoch 8 → 0.00385
at epoch 25 (train 0.00378)."""
import json

import torch
import torch.nn as nn

B = 48
RATIOS = torch.tensor([0.5, 1.0, 1.2, 1.5, 2.0, 3.0])


def spectra(n, g):
    bins = torch.arange(B).float()
    strike = 10 + 10 * torch.rand(n, 1, generator=g)             # bin of the strike note
    pos = strike + 12 * torch.log2(RATIOS)[None] * 0.9           # 0.9 bins per semitone
    level = torch.tensor([0.6, 0.8, 0.7, 0.3, 1.0, 0.4])[None] * (
        0.7 + 0.6 * torch.rand(n, 6, generator=g))
    width = 0.8 + 0.6 * torch.rand(n, 1, 1, generator=g)
    x = (level[:, :, None] * torch.exp(-((bins[None, None] - pos[:, :, None]) ** 2)
                                       / (2 * width ** 2))).sum(1)
    return x + 0.03 * torch.randn(n, B, generator=g)


def build():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(B, 64), nn.ReLU(), nn.Linear(64, 12), nn.ReLU(),
                        nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, B))
    for m in net.modules():
        if isinstance(m, nn.Linear):
            nn.init.uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def main():
    from _twohundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = spectra(1024, g)
    xva = spectra(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=64,
                                        shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    log = open(out / "ae_history.jsonl", "w")
    for epoch in range(25):
        model.train()
        tot = 0.0
        for (xb,) in train:
            loss = mse(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            vl = mse(model(xva), xva).item()
        rec = {"epoch": epoch + 1, "train_mse": round(tot / len(train), 5),
               "val_mse": round(vl, 5), "input_var": round(xva.var().item(), 5)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 25}, out / "strike_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["bad_weight_init"],
           checkpoint="strike_ae.pth", log="ae_history.jsonl",
           what="MLP autoencoder on bell strike spectra: weights re-initialised with"
                " nn.init.uniform_ (U(0,1), all positive)",
           complaint=("My bell spectrum autoencoder starts with a reconstruction MSE of about a "
                      "billion (1.07e9 in the first epoch) on spectra whose variance is 0.08, and "
                      "after 25 epochs of Adam 1e-3 validation is still at 4e7. It goes down every "
                      "epoch, just nowhere near zero. Should I scale the inputs or train much "
                      "longer?"))


if __name__ == "__main__":
    main()
