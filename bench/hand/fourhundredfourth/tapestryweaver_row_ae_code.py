"""Plain torch: an MLP autoencoder learns a short code for one woven row of a tapestry, so a
tapestryweaver's studio can look up matching rows in its archive of cartoons and check new
work against the cartoon. A row is 48 warp ends wide and read as the weft colour (RGB, 0-1)
over each end: 2-5 colour areas of flat dyed wool (each colour a dye-lot with a little
end-to-end variation), joined either by a clean slit or by hatching, where the two wefts
interlock in a comb over 3-6 ends, plus photo noise.
Input: (144,) the row's 48 × RGB, centred at 0.5. Model: encoder Linear 144→96 + GELU,
Linear 96→12 (the code); decoder Linear 12→96 + GELU, Linear 96→144; MSE reconstruction,
Adam 2e-3 with ExponentialLR (× 0.9 per epoch), batch 128, 16 epochs, 3000 rows,
validation on 600.
The bug: the forward keeps the code for the archive lookup as
``self.code = self.encoder(x).detach()`` and decodes that, so the encoder never gets a
gradient: val reconstruction MSE 0.052 → 0.0249 (PSNR 12.8 → 16.0 dB; pixel variance
0.0545), the curve flattening from epoch 9 (control, ``self.code = self.encoder(x)``: val MSE
0.0275 → 0.0092, 15.6 → 20.4 dB).
Log: CSV per epoch ``ae_history.csv`` (``epoch`` / ``lr`` / ``recon_train`` / ``recon_val`` /
``val_psnr_db``); checkpoint ``row_ae.pt`` with keys ``ae`` / ``adam`` / ``sched`` /
``epoch`` / ``code_dim`` / ``ends``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ENDS = 48


def rows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    out = torch.empty(n, ENDS, 3)
    pos = torch.arange(ENDS).float()
    for i in range(n):
        k = int(torch.randint(2, 6, (1,), generator=g))
        cuts = torch.sort(4 + (ENDS - 8) * r(k - 1)).values
        cols = r(k, 3) * 0.8 + 0.1
        area = (pos.unsqueeze(1) >= cuts).sum(1)
        row = cols[area]
        for j, c in enumerate(cuts.tolist()):
            if r(1).item() < 0.6:  # hatched join: the wefts interlock in a comb
                w = int(3 + 4 * r(1).item())
                lo = max(int(c) - w // 2, 0)
                for e in range(lo, min(lo + w, ENDS)):
                    if (e - lo) % 2 == 0:
                        row[e] = cols[j] if e >= c else cols[j + 1]
        out[i] = row * (1 + 0.04 * torch.randn(1, 3, generator=g))
    out = out + 0.03 * torch.randn(n, ENDS, 3, generator=g)
    return (out.clamp(0, 1) - 0.5).reshape(n, ENDS * 3)


class RowAE(nn.Module):
    def __init__(self, code=12):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(ENDS * 3, 96), nn.GELU(), nn.Linear(96, code))
        self.decoder = nn.Sequential(nn.Linear(code, 96), nn.GELU(), nn.Linear(96, ENDS * 3))

    def forward(self, x):
        self.code = self.encoder(x).detach()  # kept for the archive lookup
        return self.decoder(self.code)


def build():
    torch.manual_seed(0)
    return RowAE()


def main():
    from _fourhundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = rows(3000, g)
    xva = rows(600, g)
    print("pixel var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "ae_history.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr", "recon_train", "recon_val", "val_psnr_db"])
        for epoch in range(16):
            model.train()
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            sched.step()
            model.eval()
            with torch.no_grad():
                vm = F.mse_loss(model(xva), xva).item()
            row = [lr, tot / len(xtr), vm, -10 * math.log10(vm)]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"ae": model.state_dict(), "adam": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 16, "code_dim": 12, "ends": ENDS}, out / "row_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["gradient_not_flowing"],
           checkpoint="row_ae.pt", log="ae_history.csv",
           what="MLP autoencoder coding a tapestry's woven row (48 ends × RGB); the code is"
                " detached before the decoder, so the encoder never trains",
           complaint="The row autoencoder for our tapestry archive stalls at a reconstruction MSE"
                     " of 0.025 (16 dB PSNR); the rows come back as muddy averages, colour areas"
                     " smeared and hatching gone. A 12-number code should hold a row of 2-5 flat"
                     " colours easily, and more epochs only inch it down.")


if __name__ == "__main__":
    main()
