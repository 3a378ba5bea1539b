"""Plain torch: an autoencoder learns the shape of a sound charcoal burn so the burner's
master can flag the odd ones by their reconstruction error. Each burn is the side probe's
log of a clamp, one reading every 2 hours over 64 hours (32 readings, in 100 °C): the clamp
heats as the charring front arrives (rise 8-20 h after lighting, to 300-450 °C), holds
while it chars (a slow sag of up to 60 °C as the wood nearest the probe turns to coal), and
cools once the vents are shut (time constant 8-16 h), with the night wind's 24 h swing and
8 °C probe noise. The anomalies in the flag check (flare-ups: the earth cover cracks and the
clamp burns through at 550-650 °C for 6-12 h) are not trained on.
Model: encoder 32→64→ReLU→32→ReLU→6, decoder 6→32→ReLU→16→ReLU, ``readout`` 16→32; MSE, Adam with two parameter groups (encoder 2e-3, decoder
1e-3), batch 48, 30 epochs, 1920 sound burns, validation on 480 sound ones and 120
flare-ups.
The bug: the parameter groups name ``model.encoder`` and ``model.decoder`` only, so the
``readout`` layer keeps its initial random weights and every reconstruction lies in the span
of a random 16-dimensional map: val MSE 5.42 → 4.96 (in (100 °C)², the sound burns' mean
square is about 6), val MAE 201 → 191 °C, train step MSE flat near 5 from the second epoch,
flare-ups flagged 0.61 (control, ``readout`` added to the decoder's group: val MSE 2.47 →
0.036, MAE 130 → 14.8 °C, flare-ups flagged 1.0, sound burns 0.065).
Log: a TSV every 20 steps ``ae_steps.tsv`` (``step`` / ``epoch`` / ``mse``) and JSON lines per
epoch ``ae_epochs.jsonl`` (``epoch`` / ``val_mse`` / ``val_mae_degc`` / ``flare_mse`` /
``flag_rate_sound`` / ``flag_rate_flare``, named as the log in the truth; a burn is flagged
when its error is over the 95th percentile of the training burns'); checkpoint
``burn_ae.ckpt`` with keys ``autoencoder`` / ``adam`` / ``epoch`` / ``flag_threshold`` /
``scale_degc``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 32


def burns(n, g, flare=False):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 2.0 * torch.arange(N).float()
    rise_at = 8 + 12 * r(n, 1)
    peak = 3.0 + 1.5 * r(n, 1)
    sag = 0.6 * r(n, 1)
    shut = rise_at + 24 + 16 * r(n, 1)
    tau = 8 + 8 * r(n, 1)
    amb = 0.1 + 0.1 * r(n, 1)
    hot = amb + (peak - amb) * torch.sigmoid((t - rise_at) / 2.5)
    hot = hot - sag * ((t - rise_at).clamp(min=0) / 40).clamp(max=1)
    x = torch.where(t > shut, amb + (hot - amb) * torch.exp(-(t - shut).clamp(min=0) / tau), hot)
    if flare:
        t0 = rise_at + 4 + (shut - rise_at - 12) * r(n, 1)
        dur = 6 + 6 * r(n, 1)
        bump = (5.5 + 1.0 * r(n, 1) - x) * ((t >= t0) & (t < t0 + dur)).float()
        x = x + bump
    x = x + 0.15 * torch.sin(2 * torch.pi * (t / 24 + r(n, 1))) * (x > 1).float()
    return x + 0.08 * torch.randn(n, N, generator=g)


class BurnAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(N, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                     nn.Linear(32, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU())
        self.readout = nn.Linear(16, N)  # back to the 32 readings

    def forward(self, x):
        return self.readout(self.decoder(self.encoder(x)))


def build():
    torch.manual_seed(0)
    return BurnAE()


def main():
    from _threehundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = burns(1920, g)
    xva = burns(480, g)
    xfl = burns(120, g, flare=True)
    print("var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.Adam([{"params": model.encoder.parameters(), "lr": 2e-3},
                            {"params": model.decoder.parameters(), "lr": 1e-3}])  # decoder a little slower
    step = 0
    with open(out / "ae_steps.tsv", "w") as fs, open(out / "ae_epochs.jsonl", "w") as fe:
        fs.write("step\tepoch\tmse\n")
        for epoch in range(30):
            model.train()
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 20 == 0:
                    fs.write(f"{step}\t{epoch}\t{loss.item():.6g}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                err_tr = ((model(xtr) - xtr) ** 2).mean(1)
                err_va = ((model(xva) - xva) ** 2).mean(1)
                err_fl = ((model(xfl) - xfl) ** 2).mean(1)
                mae = (100 * (model(xva) - xva).abs()).mean().item()
            thr = err_tr.quantile(0.95).item()
            rec = {"epoch": epoch, "val_mse": round(err_va.mean().item(), 6),
                   "val_mae_degc": round(mae, 4), "flare_mse": round(err_fl.mean().item(), 6),
                   "flag_rate_sound": round((err_va > thr).float().mean().item(), 4),
                   "flag_rate_flare": round((err_fl > thr).float().mean().item(), 4)}
            fe.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"autoencoder": model.state_dict(), "adam": opt.state_dict(), "epoch": 30,
                "flag_threshold": thr, "scale_degc": 100.0}, out / "burn_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="burn_ae.ckpt", log="ae_epochs.jsonl",
           what="autoencoder of a charcoal clamp's probe log for flagging odd burns; the"
                " optimizer's parameter groups leave out the bottleneck layers",
           complaint="Autoencoder on our clamp probe logs for spotting bad burns: the training"
                     " MSE drops from 5.4 to 5.0 in the first two epochs and then sits there for"
                     " all 30 epochs. The reconstructions are off by about 190 degrees on"
                     " average, they don't even look like a burn curve, and it only catches 61 %"
                     " of the flare-ups we held back.")


if __name__ == "__main__":
    main()
