"""Plain torch: an autoencoder compresses the field-spectrometer reflectance of Sphagnum lawns
on a peatbog (36 bands, 400-1275 nm in 25 nm steps) to 5 numbers, so a survey can map the
moss's condition from the code and flag spectra it cannot reconstruct (bad scans, bare peat).
The rule behind the spectra: the moss's water content deepens the absorptions at 970 and
1200 nm and darkens the near-infrared plateau; chlorophyll sets the red absorption at 675 nm
and the red-edge position; the red pigment of Sphagnum magellanicum / rubellum hummocks
absorbs at 520-600 nm; dry moss is brighter overall; scan-to-scan illumination gain and
sensor noise on top.
Input: (36,) reflectance standardised per band. Model: Linear 36→32 + GELU, 32→16 + GELU,
16→5 (code), then 5→16 + GELU, 16→32 + GELU, 32→36; MSE, Adam 2e-3 with ReduceLROnPlateau
(×0.5, patience 3) on the validation MSE, batch 100, 40 epochs of 2000 spectra, validation
on 500.
Healthy; numbers in the README.
Log: TSV per epoch ``lawn_ae.tsv`` (``epoch`` / ``lr`` / ``recon_mse`` / ``val_recon_mse`` /
``val_rmse_975nm`` in reflectance units); checkpoint ``sphagnum_ae.pth`` with keys
``ae_state`` / ``opt_state`` / ``plateau_state`` / ``epoch`` / ``band_mean`` / ``band_std``
/ ``bands_nm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = torch.arange(400, 1276, 25).float()


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wl = BANDS.unsqueeze(0)
    water = 0.3 + 0.7 * r(n, 1)  # relative water content
    chl = 0.3 + 0.7 * r(n, 1)
    red = r(n, 1) ** 2  # red pigment, mostly low
    edge = 700 + 25 * chl
    veg = 0.05 + 0.45 * torch.sigmoid((wl - edge) / 12)
    green = 0.04 * torch.exp(-((wl - 550) / 30) ** 2)
    base = veg + green * (1 - red)
    base = base - 0.04 * chl * torch.exp(-((wl - 675) / 20) ** 2)
    base = base - 0.06 * red * torch.exp(-((wl - 560) / 40) ** 2)
    base = base * (1 - 0.35 * water * (wl > 750).float() * ((wl - 750) / 525))
    base = base - 0.08 * water * torch.exp(-((wl - 970) / 30) ** 2)
    base = base - 0.15 * water * torch.exp(-((wl - 1200) / 40) ** 2)
    base = base + 0.05 * (1 - water)
    gain = 0.9 + 0.2 * r(n, 1)
    return (base * gain + 0.004 * torch.randn(n, len(BANDS), generator=g)).clamp(min=0.005)


def build():
    torch.manual_seed(0)
    enc = nn.Sequential(nn.Linear(36, 32), nn.GELU(), nn.Linear(32, 16), nn.GELU(),
                        nn.Linear(16, 5))
    dec = nn.Sequential(nn.Linear(5, 16), nn.GELU(), nn.Linear(16, 32), nn.GELU(),
                        nn.Linear(32, 36))
    return nn.Sequential(enc, dec)


def main():
    from _fourhundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = spectra(2000, g)
    xva = spectra(500, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    ztr, zva = (xtr - mu) / sd, (xva - mu) / sd
    i975 = int((BANDS == 975).nonzero())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "lawn_ae.tsv", "w") as log:
        log.write("epoch\tlr\trecon_mse\tval_recon_mse\tval_rmse_975nm\n")
        for epoch in range(40):
            model.train()
            perm = torch.randperm(len(ztr))
            tot = 0.0
            for b in range(0, len(ztr), 100):
                zb = ztr[perm[b:b + 100]]
                loss = F.mse_loss(model(zb), zb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(zb)
            model.eval()
            with torch.no_grad():
                rec = model(zva)
            vm = F.mse_loss(rec, zva).item()
            r975 = ((rec[:, i975] - zva[:, i975]) * sd[i975]).pow(2).mean().sqrt().item()
            lr = opt.param_groups[0]["lr"]
            plateau.step(vm)
            log.write(f"{epoch}\t{lr:.2e}\t{tot / len(ztr):.5f}\t{vm:.5f}\t{r975:.5f}\n")
            if epoch % 5 == 4:
                print(epoch, lr, round(tot / len(ztr), 5), round(vm, 5), round(r975, 5))
    torch.save({"ae_state": model.state_dict(), "opt_state": opt.state_dict(),
                "plateau_state": plateau.state_dict(), "epoch": 40, "band_mean": mu,
                "band_std": sd, "bands_nm": BANDS}, out / "sphagnum_ae.pth")
    finish(out, __file__, (zva[:64], zva[:64]), causes=[],
           checkpoint="sphagnum_ae.pth", log="lawn_ae.tsv",
           what="MLP autoencoder compressing Sphagnum lawn reflectance spectra from a peatbog"
                " survey to a 5-number code (healthy)")


if __name__ == "__main__":
    main()
