"""Plain torch: a denoising autoencoder squeezes the visible reflectance spectra (400-700 nm,
10 nm steps, 31 points) of a limner's paint-out cards to an 8-number code and back, to clean
the handheld spectrometer's readings and file the studio's colour references compactly.
Each card is a pigment let down in lead white with a little of a second pigment and
sometimes a touch of lamp black (vermilion, red ochre, yellow ochre, lead-tin yellow,
azurite, ultramarine, malachite, verdigris); the spectrum follows Kubelka-Munk mixing (K/S of
the mix is the concentration-weighted sum, R = 1 + K/S - sqrt((K/S)² + 2 K/S)), each
pigment's K/S from its absorption edge or bands, with a 0.95-1.05 lamp gain. The network
gets the noisy reading (noise 0.015) and is scored on the clean card spectrum.
Model: Linear 31→48 + Tanh, Linear 48→8 (code), Linear 8→48 + Tanh, Linear 48→31 + Sigmoid;
MSE against the clean spectrum, RMSprop 2e-3 with cosine decay to zero over 30 epochs,
batch 20, 2000 cards, validation on 500.
Healthy; numbers in the README.
Log: TSV per epoch ``ae_epochs.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mse_noisy_in``: the reading's own error against the clean card); checkpoint
``cards_ae.pt`` with keys ``autoencoder`` / ``rmsprop`` / ``cosine`` / ``epoch`` / ``wavelengths``
/ ``code_size``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

WL = torch.arange(400, 701, 10).float()


def ks_curves():
    edge = lambda c, w: torch.sigmoid((c - WL) / w)  # noqa: E731  absorbs below c
    band = lambda c, w: torch.exp(-((WL - c) / w) ** 2)  # noqa: E731
    return torch.stack([
        8 * edge(590, 8),
        3 * edge(570, 25) + 0.4,
        4 * edge(510, 20) + 0.5 * band(650, 60) + 0.15,
        6 * edge(480, 10),
        3 * (1 - edge(520, 20)) + 2 * band(640, 40) + 0.3,
        5 * band(600, 55) + 0.1,
        3 * edge(480, 15) + 3 * (1 - edge(590, 20)),
        2.5 * (1 - edge(570, 30)) + 1.5 * edge(430, 10) + 0.2,
    ])


def cards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ks = ks_curves()
    main = torch.randint(0, 8, (n,), generator=g)
    second = (main + 1 + torch.randint(0, 7, (n,), generator=g)) % 8
    c_main = 0.05 + 0.5 * r(n)
    c_sec = c_main * 0.6 * r(n)
    black = (r(n) < 0.3).float() * 0.02 * r(n)
    mix = c_main[:, None] * ks[main] + c_sec[:, None] * ks[second] + 20 * black[:, None] + 0.01
    clean = (1 + mix - torch.sqrt(mix ** 2 + 2 * mix)) * (0.95 + 0.1 * r(n, 1))
    return clean + 0.015 * torch.randn(n, len(WL), generator=g), clean


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(31, 48), nn.Tanh(), nn.Linear(48, 8),
                         nn.Linear(8, 48), nn.Tanh(), nn.Linear(48, 31), nn.Sigmoid())


def main():
    from _threehundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cards(2000, g)
    xva, yva = cards(500, g)
    print("reflectance range", ytr.min().item(), ytr.max().item(), "var", ytr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    noisy_in = F.mse_loss(xva, yva).item()
    with open(out / "ae_epochs.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mse_noisy_in\n")
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 20):
                idx = perm[b:b + 20]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                vm = F.mse_loss(model(xva), yva).item()
            f.write(f"{epoch}\t{lr:.6f}\t{tot / len(xtr):.7f}\t{vm:.7f}\t{noisy_in:.7f}\n")
            print(epoch, round(lr, 5), round(tot / len(xtr), 7), round(vm, 7), round(noisy_in, 7))
    torch.save({"autoencoder": model.state_dict(), "rmsprop": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 30, "wavelengths": WL.tolist(),
                "code_size": 8}, out / "cards_ae.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="cards_ae.pt",
           log="ae_epochs.tsv",
           what="denoising autoencoder compressing a limner's paint-out card spectra to a"
                " 8-number code (healthy)")


if __name__ == "__main__":
    main()
