"""Plain torch: an autoencoder compresses a piece of driftwood's 32-band reflectance curve
(400-1000 nm, handheld spectrometer) to a 4-number code that a wood conservator uses to sort
beach finds by weathering. The curves are made from three hidden factors: grey-out of the
surface lignin (flattens the blue-green slope), moisture (water absorption dips near 970 nm and
a general darkening) and salt crust (bright, flat offset), plus sensor noise.
Encoder 32-64-4 (ELU), decoder 4-64-32 (ELU), MSE on the raw reflectance, Adam 2e-3 with
ExponentialLR(0.95), batch 48, 30 epochs of 960 curves, validation on 240.
The bug: the optimizer is built from ``net.encoder.parameters()`` only ("the encoder is the
part we keep for sorting"), so the decoder keeps its random initial weights for the whole
run: train MSE 0.1190 → 0.1160, val MSE 0.1176 → 0.1174, flat from epoch 1. Control
(``net.parameters()``): train MSE 0.0347 → 0.000046, val MSE 0.0059 → 0.000048. Log: CSV per
epoch (``epoch`` / ``recon_mse`` / ``lr``) with a separate ``val.tsv`` (``epoch`` /
``val_recon_mse``); checkpoint keys ``autoencoder`` / ``optimizer`` / ``scheduler`` /
``epoch``."""
import torch
import torch.nn as nn


def curves(n, g):
    wl = torch.linspace(0, 1, 32)
    grey = torch.rand(n, 1, generator=g)
    wet = torch.rand(n, 1, generator=g)
    salt = torch.rand(n, 1, generator=g)
    base = 0.15 + 0.35 * wl * (1 - 0.7 * grey) + 0.1 * grey
    dip = torch.exp(-((wl - 0.95) / 0.05) ** 2) + 0.5 * torch.exp(-((wl - 0.68) / 0.04) ** 2)
    r = base * (1 - 0.4 * wet) - 0.12 * wet * dip + 0.2 * salt * (1 - 0.3 * wl)
    return r + 0.005 * torch.randn(n, 32, generator=g)


class WoodAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(32, 64), nn.ELU(), nn.Linear(64, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 64), nn.ELU(), nn.Linear(64, 32))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return WoodAE()


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = curves(960, g), curves(240, g)
    torch.manual_seed(0)
    net = build()
    # the encoder is the part we keep for sorting
    opt = torch.optim.Adam(net.encoder.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.95)
    loader = torch.utils.data.DataLoader(xtr, batch_size=48, shuffle=True)
    with open(out / "recon.csv", "w") as f, open(out / "val.tsv", "w") as fv:
        f.write("epoch,recon_mse,lr\n")
        fv.write("epoch\tval_recon_mse\n")
        for epoch in range(30):
            net.train()
            tot = 0.0
            for xb in loader:
                loss = nn.functional.mse_loss(net(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            f.write(f"{epoch},{tot / len(xtr):.6f},{sched.get_last_lr()[0]:.6f}\n")
            sched.step()
            net.eval()
            with torch.no_grad():
                v = nn.functional.mse_loss(net(xva), xva).item()
            fv.write(f"{epoch}\t{v:.6f}\n")
            print(epoch, round(tot / len(xtr), 6), round(v, 6))
    torch.save({"autoencoder": net.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 30}, out / "wood_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="wood_ae.pt", log="recon.csv",
           what="driftwood reflectance autoencoder whose optimizer only holds the encoder",
           complaint=("My driftwood spectrum autoencoder stops improving after the first epoch"
                      " at a reconstruction MSE of 0.116-0.117 (train and val), and the"
                      " reconstructed curves look nothing like the measured ones. The curves only"
                      " vary in three ways, so a 4-number code should be plenty. Should I widen"
                      " the bottleneck or train longer?"))


if __name__ == "__main__":
    main()
