"""Plain torch: an autoencoder compresses a bisque firing's temperature curve (48 readings,
one every 15 minutes, in hundreds of °C) into a 4-number code that the studio's dashboard
plots to spot odd firings. A firing is set by its candling hold (temperature and length), its
ramp rate to peak, the peak and its soak, and the cooling rate after the burner shuts off, with
thermocouple noise. Encoder 48→64→32→4 (Tanh), decoder 4→32→64→48; MSE on the curve, AdamW
3e-3 with OneCycleLR, batch 128, 30 epochs of 1536 firings, validation on 384.
The bug: the forward stores the code for the dashboard as ``self.codes = z.detach()`` and then
decodes ``self.codes``, so no gradient reaches the encoder; only the decoder learns, from a
random projection. Val MSE goes 9.42 → 0.652 (the curves' variance is 9.5) and flattens
there; control (decode ``z``): 0.247. Log: TSV per
step (``step lr recon``) and a separate ``val.tsv`` per epoch (``epoch val_recon``); checkpoint
keys ``autoencoder`` / ``optimiser`` / ``scheduler`` / ``epoch``."""
import torch
import torch.nn as nn

T = 48


def curves(n, g):
    t = torch.arange(T).float().unsqueeze(0)
    hold_t = 0.9 + 0.5 * torch.rand(n, 1, generator=g)
    hold_len = 4 + torch.randint(0, 8, (n, 1), generator=g)
    ramp = 0.25 + 0.3 * torch.rand(n, 1, generator=g)
    peak = 9.0 + 1.5 * torch.rand(n, 1, generator=g)
    soak = torch.randint(1, 6, (n, 1), generator=g)
    cool = 0.2 + 0.4 * torch.rand(n, 1, generator=g)
    warm = 0.2 + (hold_t - 0.2) * torch.clamp(t / 3, max=1)
    rise = torch.clamp(hold_t + ramp * (t - 3 - hold_len), min=hold_t, max=peak)
    rise = torch.where(t < 3 + hold_len, warm, rise)
    top = 3 + hold_len + (peak - hold_t) / ramp + soak
    temp = torch.where(t > top, peak * torch.exp(-cool * 0.3 * (t - top)), rise)
    return temp + 0.04 * torch.randn(n, T, generator=g)


class CurveAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(T, 64), nn.Tanh(), nn.Linear(64, 32), nn.Tanh(),
                                 nn.Linear(32, 4))
        self.dec = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 64), nn.Tanh(),
                                 nn.Linear(64, T))
        self.codes = None

    def forward(self, x):
        z = self.enc((x - 5.0) / 3.0)
        self.codes = z.detach()  # keep the latest codes for the firing dashboard
        return self.dec(self.codes) * 3.0 + 5.0


def build():
    torch.manual_seed(0)
    return CurveAE()


def main():
    from _twohundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = curves(1536, g)
    xva = curves(384, g)
    print("curve var", xtr.var().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=128,
                                         shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=30 * len(loader))
    step = 0
    with open(out / "recon.tsv", "w") as f, open(out / "val.tsv", "w") as fv:
        f.write("step\tlr\trecon\n")
        fv.write("epoch\tval_recon\n")
        for epoch in range(30):
            model.train()
            for (xb,) in loader:
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(xb), xb)
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                f.write(f"{step}\t{sched.get_last_lr()[0]:.6f}\t{loss.item():.5f}\n")
            model.eval()
            with torch.no_grad():
                vl = nn.functional.mse_loss(model(xva), xva).item()
            fv.write(f"{epoch}\t{vl:.5f}\n")
            print(epoch, round(loss.item(), 5), round(vl, 5))
    torch.save({"autoencoder": model.state_dict(), "optimiser": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 30}, out / "curve_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["gradient_not_flowing"],
           checkpoint="curve_ae.pt", log="recon.tsv",
           what="bisque firing-curve autoencoder decoding a detached copy of its code",
           complaint=("My firing-curve autoencoder stops improving: the reconstruction MSE"
                      " drops from 9.4 to about 0.65 and then flattens, and the reconstructed"
                      " curves blur the candling hold and the soak. The 4-number codes barely"
                      " change from run to run of training. Should I make the code bigger or"
                      " train for longer?"))


if __name__ == "__main__":
    main()
